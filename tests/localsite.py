"""A real HTTP server on 127.0.0.1 for tests that fetch: routes are set per test."""

import threading
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Route:
    body: bytes
    content_type: str = "text/turtle"
    status: int = 200


class LocalSite:
    """Serves ``routes`` (path with query -> Route); counts the requests per path."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.url = ""

    def set(self, path: str, body: bytes | str, content_type: str = "text/turtle", status=200):
        data = body.encode() if isinstance(body, str) else body
        self.routes[path] = Route(data, content_type, status)


def _handler(site: LocalSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            site.hits[self.path] += 1
            route = site.routes.get(self.path) or Route(b"not found", "text/plain", 404)
            self.send_response(route.status)
            self.send_header("Content-Type", route.content_type)
            self.send_header("Content-Length", str(len(route.body)))
            self.end_headers()
            self.wfile.write(route.body)

        def log_message(self, *args) -> None:
            pass

    return Handler


@contextmanager
def serve() -> Iterator[LocalSite]:
    site = LocalSite()
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    site.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield site
    finally:
        httpd.shutdown()
        httpd.server_close()
