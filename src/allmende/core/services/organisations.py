"""Organisations and memberships."""

from django.db import transaction
from django.utils.text import slugify

from ..models import Membership, Organisation, User
from .audit import log_action


@transaction.atomic
def add_member(
    *, organisation: Organisation, user: User, role: str, by: User | None = None
) -> Membership:
    """Give ``user`` a role in ``organisation`` (changing an existing one)."""
    membership, _created = Membership.objects.update_or_create(
        user=user, organisation=organisation, defaults={"role": role}
    )
    log_action(membership, "core.membership.saved", user=by, data={"role": role})
    return membership


def get_or_create_organisation(*, name: str, iri: str = "", by: User | None = None) -> Organisation:
    """Find an organisation by IRI or name, or create it (used by imports)."""
    if iri:
        found = Organisation.objects.filter(iri=iri).first()
        if found:
            return found
    found = Organisation.objects.filter(name=name).first()
    if found:
        return found
    base = slugify(name)[:90] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    org = Organisation.objects.create(slug=slug, name=name, iri=iri)
    log_action(org, "core.organisation.created", user=by)
    return org
