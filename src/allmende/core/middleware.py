"""Response headers that keep our pages free of third-party requests."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

CSP = (
    "default-src 'self'; img-src 'self' data: {tiles}; style-src 'self'; script-src 'self'; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
)


class SecurityHeadersMiddleware:
    """Adds a Content-Security-Policy that only allows our own origin (and map tiles)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        from django.conf import settings

        self.get_response = get_response
        tiles = settings.ALLMENDE_MAP_TILE_URL
        origin = ""
        if tiles.startswith(("http://", "https://")):
            scheme, rest = tiles.split("://", 1)
            origin = f"{scheme}://{rest.split('/', 1)[0].replace('{s}', '*')}"
        self.csp = CSP.format(tiles=origin).replace("  ", " ")

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):
            response.headers.setdefault("Content-Security-Policy", self.csp)
        response.headers.setdefault(
            "Permissions-Policy", "geolocation=(), camera=(), microphone=()"
        )
        return response
