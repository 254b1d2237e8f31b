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


def test_writes_in_the_admin_are_audited(db, client):
    staff = User.objects.create_superuser(email="admin@jena.example", password="pw-Admin-1")
    client.force_login(staff)
    response = client.post(
        "/admin/core/organisation/add/",
        {
            "name": "Stadtwerke Jena",
            "slug": "stadtwerke-jena",
            "iri": "",
            "memberships-TOTAL_FORMS": "1",
            "memberships-INITIAL_FORMS": "0",
            "memberships-0-user": str(staff.pk),
            "memberships-0-role": "editor",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    actions = set(AuditEntry.objects.filter(user=staff).values_list("action", flat=True))
    assert {"core.organisation.created.admin", "core.membership.created.admin"} <= actions
    org_id = AuditEntry.objects.get(action="core.organisation.created.admin").object_id
    client.post(f"/admin/core/organisation/{org_id}/delete/", {"post": "yes"})
    assert AuditEntry.objects.filter(action="core.organisation.deleted.admin").exists()


def test_every_admin_page_renders(db, client, organisation):
    from django.contrib import admin

    staff = User.objects.create_superuser(email="admin@jena.example", password="pw-Admin-1")
    client.force_login(staff)
    for model, model_admin in admin.site._registry.items():
        base = f"/admin/{model._meta.app_label}/{model._meta.model_name}/"
        assert client.get(base).status_code == 200, base
        expected = 200 if model_admin.has_add_permission(_request(staff)) else 403
        assert client.get(base + "add/").status_code == expected, base


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/")
    request.user = user
    return request


def test_token_command_creates_lists_and_revokes(editor, capsys, english):
    from django.core.management import CommandError, call_command

    call_command("token", "create", editor.email, "Upload-Skript")
    raw = capsys.readouterr().out.strip()
    assert authenticate_token(raw) == editor
    call_command("token", "list", editor.email)
    line = capsys.readouterr().out.strip()
    assert "Upload-Skript" in line and "active" in line and raw not in line
    call_command("token", "revoke", line.split("\t")[0])
    assert authenticate_token(raw) is None
    with pytest.raises(CommandError, match="no user"):
        call_command("token", "create", "nobody@example.org", "x")
    with pytest.raises(CommandError, match="no single active token"):
        call_command("token", "revoke", line.split("\t")[0])
