"""Outgoing HTTP fetches, safe by default.

Only http(s); the host is resolved once, every address it resolves to must be public
(unless ``ALLMENDE_FETCH_ALLOW_PRIVATE`` is set), and the connection goes to the address
that was checked, so a DNS answer cannot change between check and connect. Redirects are
followed by hand (each hop is checked again), bodies are capped and every read times out.
"""

import http.client
import ipaddress
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

USER_AGENT = "Allmende/0.1 (+https://allmende.example/)"
MAX_REDIRECTS = 5


class FetchError(Exception):
    """A fetch that was refused or failed. The message is one readable line, in the
    active language."""


@dataclass
class FetchResult:
    url: str
    status: int
    content_type: str
    body: bytes


def _check_address(host: str, port: int, allow_private: bool) -> str:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise FetchError(
            _("cannot resolve %(host)s: %(error)s") % {"host": host, "error": exc.strerror}
        ) from None
    addresses = [info[4][0] for info in infos]
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        if not allow_private and not ip.is_global:
            raise FetchError(
                _(
                    "%(host)s resolves to the non-public address %(address)s; "
                    "set ALLMENDE_FETCH_ALLOW_PRIVATE=1 to allow it"
                )
                % {"host": host, "address": ip}
            )
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, timeout: float):
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)  # type: ignore[attr-defined]


def fetch_url(
    url: str,
    *,
    max_bytes: int,
    accept: str = "*/*",
    timeout: float | None = None,
    allow_private: bool | None = None,
) -> FetchResult:
    """GET ``url`` and return the body. Raises FetchError when refused or failing."""
    timeout = settings.ALLMENDE_FETCH_TIMEOUT if timeout is None else timeout
    allow = settings.ALLMENDE_FETCH_ALLOW_PRIVATE if allow_private is None else allow_private
    for _hop in range(MAX_REDIRECTS + 1):
        response, conn = _request(url, accept=accept, timeout=timeout, allow_private=allow)
        try:
            location = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if response.status >= 400:
                raise FetchError(
                    _("%(url)s answered HTTP %(status)s") % {"url": url, "status": response.status}
                )
            body = response.read(max_bytes + 1)
            if len(body) > max_bytes:
                raise FetchError(
                    _("%(url)s sent more than the limit of %(limit)s bytes")
                    % {"url": url, "limit": max_bytes}
                )
            return FetchResult(url, response.status, response.getheader("Content-Type") or "", body)
        except (OSError, http.client.HTTPException) as exc:
            raise FetchError(f"{url}: {exc}") from None
        finally:
            conn.close()
    raise FetchError(
        _("%(url)s: more than %(count)s redirects") % {"url": url, "count": MAX_REDIRECTS}
    )


def _request(url: str, *, accept: str, timeout: float, allow_private: bool):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("only http and https URLs can be fetched, not %(url)r") % {"url": url})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _check_address(parts.hostname, port, allow_private)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    conn = cls(parts.hostname, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request("GET", path, headers={"Accept": accept, "User-Agent": USER_AGENT})
        return conn.getresponse(), conn
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise FetchError(f"{url}: {exc}") from None
