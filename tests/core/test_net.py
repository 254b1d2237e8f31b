"""Outgoing fetches against a real local HTTP server: limits, redirects, private addresses."""

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from allmende.core.net import FetchError, fetch_url

pytestmark = pytest.mark.usefixtures("english")  # messages are matched in English


class _Handler(BaseHTTPRequestHandler):
    flaky = 0

    def do_GET(self) -> None:
        if self.path == "/flaky":
            _Handler.flaky += 1
            if _Handler.flaky <= 2:
                self._send(503, b"busy")
            else:
                self._send(200, b"ok")
        elif self.path == "/ua":
            self._send(200, self.headers.get("User-Agent", "").encode())
        elif self.path == "/big":
            self._send(200, b"x" * 5000)
        elif self.path == "/redirect":
            self.send_response(302)
            self.send_header("Location", "/catalog.ttl")
            self.end_headers()
        elif self.path == "/loop":
            self.send_response(302)
            self.send_header("Location", "/loop")
            self.end_headers()
        elif self.path == "/catalog.ttl":
            self._send(200, b"<http://x/a> <http://x/b> <http://x/c> .", "text/turtle")
        else:
            self._send(404, b"no")

    def _send(self, status: int, body: bytes, content_type: str = "text/plain") -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def test_loopback_is_refused_by_default(server, settings):
    settings.ALLMENDE_FETCH_ALLOW_PRIVATE = False
    with pytest.raises(FetchError, match=r"non-public address 127\.0\.0\.1"):
        fetch_url(server + "/catalog.ttl", max_bytes=1000)


def test_allowed_fetch_follows_redirects(server):
    result = fetch_url(server + "/redirect", max_bytes=1000, allow_private=True)
    assert result.status == 200
    assert result.url.endswith("/catalog.ttl")
    assert result.content_type == "text/turtle"
    assert result.body.startswith(b"<http://x/a>")


def test_size_limit_and_errors(server):
    with pytest.raises(FetchError, match="more than the limit of 100 bytes"):
        fetch_url(server + "/big", max_bytes=100, allow_private=True)
    with pytest.raises(FetchError, match="HTTP 404"):
        fetch_url(server + "/missing", max_bytes=100, allow_private=True)
    with pytest.raises(FetchError, match="redirects"):
        fetch_url(server + "/loop", max_bytes=100, allow_private=True)


@pytest.mark.parametrize(
    "url", ["file:///etc/passwd", "ftp://example.org/x", "http://10.0.0.1/x", "http://[::1]/x"]
)
def test_other_schemes_and_private_ranges_are_refused(url):
    with pytest.raises(FetchError):
        fetch_url(url, max_bytes=100, allow_private=False)


def test_listed_hosts_may_be_fetched_although_private(server, settings):
    settings.ALLMENDE_FETCH_ALLOW_PRIVATE = False
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    assert fetch_url(server + "/catalog.ttl", max_bytes=1000).status == 200
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["intranet.example"]
    with pytest.raises(FetchError, match="ALLMENDE_FETCH_ALLOWED_HOSTS"):
        fetch_url(server + "/catalog.ttl", max_bytes=1000)


def test_transient_failures_are_retried_with_backoff(server, settings, monkeypatch):
    from allmende.core import net

    monkeypatch.setattr(net, "BACKOFF_SECONDS", 0.01)
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    _Handler.flaky = 0
    with pytest.raises(FetchError, match="503"):
        fetch_url(server + "/flaky", max_bytes=100, retries=2)
    _Handler.flaky = 0
    assert fetch_url(server + "/flaky", max_bytes=100, retries=3).body == b"ok"
    assert _Handler.flaky == 3
    with pytest.raises(FetchError, match="404"):  # not worth a retry
        fetch_url(server + "/nothing-here", max_bytes=100, retries=3)


def test_the_user_agent_names_the_platform(server, settings):
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    agent = fetch_url(server + "/ua", max_bytes=1000).body.decode()
    assert agent.startswith("Allmende/") and settings.SITE_URL in agent
