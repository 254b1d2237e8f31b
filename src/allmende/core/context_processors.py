"""Template context shared by every page."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    from .rules import is_editor

    return {
        "SITE_NAME": settings.SITE_NAME,
        "user_is_editor": is_editor(request.user) if hasattr(request, "user") else False,
    }
