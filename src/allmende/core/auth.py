"""Login with a brake: repeated failures for one account from one address are refused.

After ``ALLMENDE_LOGIN_ATTEMPTS`` failed logins within ``ALLMENDE_LOGIN_WINDOW`` seconds
for the same email and client address, further attempts fail without checking the
password until the window has passed. This covers the site login and the admin.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver
from django.http import HttpRequest

from . import throttle


def _key(request: HttpRequest | None, username: str | None) -> str:
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    return f"login:{address}:{(username or '').strip().lower()}"


class ThrottledModelBackend(ModelBackend):
    """Django's model backend, refusing while an account is locked for an address."""

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ):
        username = username or kwargs.get("email")
        if throttle.over_limit(
            _key(request, username),
            limit=settings.ALLMENDE_LOGIN_ATTEMPTS,
            window=settings.ALLMENDE_LOGIN_WINDOW,
        ):
            raise PermissionDenied("too many failed logins")
        return super().authenticate(request, username=username, password=password, **kwargs)


@receiver(user_login_failed)
def _count_failure(sender: Any, credentials: dict, request: HttpRequest | None = None, **kw: Any):
    username = credentials.get("username") or credentials.get("email")
    throttle.count(_key(request, username), window=settings.ALLMENDE_LOGIN_WINDOW)


@receiver(user_logged_in)
def _reset(sender: Any, request: HttpRequest | None, user: Any, **kwargs: Any) -> None:
    throttle.reset(_key(request, user.get_username()))
