"""Issuing, checking and revoking API tokens."""

from django.db import transaction
from django.utils import timezone

from ..models import ApiToken, User
from ..models.token import TOKEN_PREFIX, hash_token
from .audit import log_action


@transaction.atomic
def create_api_token(*, user: User, name: str) -> tuple[ApiToken, str]:
    """Create a token for ``user``. Returns the row and the plain secret (shown once)."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name, key_hash=hash_token(raw), prefix=raw[: len(TOKEN_PREFIX) + 4]
    )
    log_action(token, "core.token.created", user=user)
    return token, raw


def authenticate_token(raw: str) -> User | None:
    """The active user a bearer token belongs to, or None."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_token(raw), revoked=False, user__is_active=True)
        .first()
    )
    if token is None:
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used=timezone.now())
    return token.user


@transaction.atomic
def revoke_api_token(token: ApiToken, *, by: User) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])
    log_action(token, "core.token.revoked", user=by)
