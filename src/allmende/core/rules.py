"""Permission predicates combining role and organisation."""

from typing import Any

from .models import Membership, Organisation

EDITING_ROLES = (Membership.Role.ADMIN, Membership.Role.EDITOR)


def has_role(user: Any, organisation: Organisation | None, roles: tuple[str, ...]) -> bool:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if user.is_superuser:
        return True
    if organisation is None:
        return False
    return Membership.objects.filter(user=user, organisation=organisation, role__in=roles).exists()


def can_edit_for(user: Any, organisation: Organisation | None) -> bool:
    """May ``user`` create and change content published by ``organisation``?"""
    return has_role(user, organisation, EDITING_ROLES)


def editable_organisations(user: Any):
    """The organisations ``user`` may publish for."""
    if not getattr(user, "is_authenticated", False):
        return Organisation.objects.none()
    if user.is_superuser:
        return Organisation.objects.all()
    return Organisation.objects.filter(
        memberships__user=user, memberships__role__in=EDITING_ROLES
    ).distinct()


def is_editor(user: Any) -> bool:
    """Does ``user`` hold an editing role anywhere?"""
    return editable_organisations(user).exists()
