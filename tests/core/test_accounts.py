"""Accounts, roles and the audit log."""

import pytest
from django.db import IntegrityError

from allmende.core.models import AuditEntry, Membership, User
from allmende.core.rules import can_edit_for, editable_organisations, is_editor
from allmende.core.services.organisations import add_member, get_or_create_organisation
from allmende.core.services.tokens import authenticate_token, create_api_token, revoke_api_token


def test_users_log_in_by_email_and_passwords_are_hashed(db, client):
    user = User.objects.create_user(email="Anna@Jena.example", password="lange geheime Phrase 7")
    assert user.email == "anna@jena.example"
    assert user.password != "lange geheime Phrase 7"
    assert user.check_password("lange geheime Phrase 7")
    assert client.login(username="anna@jena.example", password="lange geheime Phrase 7")
    with pytest.raises(IntegrityError):
        User.objects.create_user(email="anna@jena.example", password="x")


def test_roles_decide_who_edits(organisation, other_organisation, editor, member, outsider):
    assert can_edit_for(editor, organisation)
    assert not can_edit_for(editor, other_organisation)
    assert not can_edit_for(member, organisation)
    assert not can_edit_for(outsider, organisation)
    assert list(editable_organisations(editor)) == [organisation]
    assert is_editor(editor) and not is_editor(member)
    add_member(organisation=organisation, user=member, role=Membership.Role.ADMIN)
    assert can_edit_for(member, organisation)


def test_writes_are_audited(organisation, editor):
    actions = list(AuditEntry.objects.values_list("action", flat=True))
    assert "core.membership.saved" in actions
    org = get_or_create_organisation(name="Kommunal Service Jena", by=editor)
    assert org.slug == "kommunal-service-jena"
    assert get_or_create_organisation(name="Kommunal Service Jena") == org
    entry = AuditEntry.objects.filter(action="core.organisation.created").get()
    assert entry.user == editor and entry.object_repr == "Kommunal Service Jena"


def test_api_tokens_are_hashed_and_revocable(editor):
    token, raw = create_api_token(user=editor, name="Skript")
    assert raw.startswith("alm_") and raw not in token.key_hash
    assert authenticate_token(raw) == editor
    assert authenticate_token(raw + "x") is None
    revoke_api_token(token, by=editor)
    assert authenticate_token(raw) is None
