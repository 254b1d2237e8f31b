"""Core pages: the home page and uploaded files."""

import mimetypes
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .registry import home_blocks

# Uploaded files of these types may be shown in the browser; all others download.
INLINE_TYPES = {
    "image/png",
    "image/jpeg",
    "image/gif",
    "text/csv",
    "application/json",
    "application/geo+json",
    "application/pdf",
    "text/plain",
}
mimetypes.add_type("application/geo+json", ".geojson")


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    blocks = [{"template": b.template, "context": b.context(request)} for b in home_blocks]
    return render(request, "core/home.html", {"blocks": blocks})


@require_GET
def media(request: HttpRequest, path: str) -> FileResponse:
    """Serve an uploaded file safely: never rendered as a page of our origin."""
    root = Path(settings.MEDIA_ROOT).resolve()
    target = (root / path).resolve()
    if not target.is_relative_to(root) or not target.is_file():
        raise Http404("no such file")
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    inline = content_type in INLINE_TYPES
    response = FileResponse(target.open("rb"), as_attachment=not inline, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Access-Control-Allow-Origin"] = "*"
    return response
