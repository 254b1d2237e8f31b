"""Outgoing HTTP fetches, safe by default.

Only http(s); the host is resolved once, every address it resolves to must be public
(unless the host is listed in ``ALLMENDE_FETCH_ALLOWED_HOSTS``, or
``ALLMENDE_FETCH_ALLOW_PRIVATE`` is set), and the connection goes to the address that was
checked, so a DNS answer cannot change between check and connect. Redirects are followed
by hand (each hop is checked again), bodies are capped and every read times out. Network
errors and HTTP 429/5xx answers are retried with exponential backoff.
"""

import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

MAX_REDIRECTS = 5
#: Seconds before the first retry; doubled for each further one.
BACKOFF_SECONDS = 1.0
MAX_RETRY_AFTER = 60.0


class FetchError(Exception):
    """A fetch that was refused or failed. The message is one readable line, in the
    active language."""


class TransientFetchError(FetchError):
    """A failure that may pass: a network error or HTTP 429/5xx (worth a retry)."""

    def __init__(self, message: str, retry_after: float | None = None):
        super().__init__(message)
        self.retry_after = retry_after


def user_agent() -> str:
    """Who we are, for the servers we fetch from (with a link to this platform)."""
    from allmende import __version__

    return f"Allmende/{__version__} (open data harvester; +{settings.SITE_URL})"


def _allowed_host(host: str, address: str) -> bool:
    listed = {h.strip().lower().strip("[]") for h in settings.ALLMENDE_FETCH_ALLOWED_HOSTS}
    return host.lower().strip("[]") in listed or address in listed


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
        if not allow_private and not ip.is_global and not _allowed_host(host, str(ip)):
            raise FetchError(
                _(
                    "%(host)s resolves to the non-public address %(address)s; "
                    "list it in ALLMENDE_FETCH_ALLOWED_HOSTS to allow it"
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
    retries: int | None = None,
) -> FetchResult:
    """GET ``url`` and return the body. Raises FetchError when refused or failing.

    Network errors and HTTP 429/5xx are tried ``retries`` times in all (default
    ``ALLMENDE_FETCH_RETRIES``), waiting 1, 2, 4 ... seconds, or what Retry-After says.
    """
    timeout = settings.ALLMENDE_FETCH_TIMEOUT if timeout is None else timeout
    allow = settings.ALLMENDE_FETCH_ALLOW_PRIVATE if allow_private is None else allow_private
    attempts = max(1, settings.ALLMENDE_FETCH_RETRIES if retries is None else retries)
    for attempt in range(attempts):
        try:
            return _fetch_once(url, max_bytes, accept, timeout, allow)
        except TransientFetchError as exc:
            if attempt == attempts - 1:
                raise
            wait = BACKOFF_SECONDS * 2**attempt
            time.sleep(
                min(exc.retry_after if exc.retry_after is not None else wait, MAX_RETRY_AFTER)
            )
    raise AssertionError("unreachable")


def _fetch_once(url: str, max_bytes: int, accept: str, timeout: float, allow: bool) -> FetchResult:
    for _hop in range(MAX_REDIRECTS + 1):
        response, conn = _request(url, accept=accept, timeout=timeout, allow_private=allow)
        try:
            location = response.getheader("Location")
            if response.status in (301, 302, 303, 307, 308) and location:
                url = urljoin(url, location)
                continue
            if response.status == 429 or response.status >= 500:
                raise TransientFetchError(
                    _("%(url)s answered HTTP %(status)s") % {"url": url, "status": response.status},
                    _retry_after(response.getheader("Retry-After")),
                )
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
            raise TransientFetchError(f"{url}: {exc}") from None
        finally:
            conn.close()
    raise FetchError(
        _("%(url)s: more than %(count)s redirects") % {"url": url, "count": MAX_REDIRECTS}
    )


@dataclass
class CheckResult:
    """What a URL answered: the final status after redirects (0: no HTTP answer)."""

    url: str
    status: int
    error: str = ""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 400


def check_url(
    url: str, *, timeout: float | None = None, allow_private: bool | None = None
) -> CheckResult:
    """Whether ``url`` answers, with the same safety rules as :func:`fetch_url`: a HEAD
    request, and a GET when HEAD gets an error status (some servers do not implement
    HEAD). Redirects are followed, no body is read, nothing is retried; never raises."""
    timeout = settings.ALLMENDE_FETCH_TIMEOUT if timeout is None else timeout
    allow = settings.ALLMENDE_FETCH_ALLOW_PRIVATE if allow_private is None else allow_private
    result = _check_once(url, "HEAD", timeout, allow)
    if result.status >= 400:
        result = _check_once(url, "GET", timeout, allow)
    return result


def _check_once(url: str, method: str, timeout: float, allow: bool) -> CheckResult:
    for _hop in range(MAX_REDIRECTS + 1):
        try:
            response, conn = _request(
                url, accept="*/*", timeout=timeout, allow_private=allow, method=method
            )
        except (FetchError, ValueError) as exc:
            return CheckResult(url, 0, str(exc)[:500])
        conn.close()
        location = response.getheader("Location")
        if response.status in (301, 302, 303, 307, 308) and location:
            url = urljoin(url, location)
            continue
        return CheckResult(url, response.status)
    return CheckResult(
        url, 0, _("%(url)s: more than %(count)s redirects") % {"url": url, "count": MAX_REDIRECTS}
    )


def _request(url: str, *, accept: str, timeout: float, allow_private: bool, method: str = "GET"):
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError(_("only http and https URLs can be fetched, not %(url)r") % {"url": url})
    port = parts.port or (443 if parts.scheme == "https" else 80)
    address = _check_address(parts.hostname, port, allow_private)
    cls = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    conn = cls(parts.hostname, port, address, timeout)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    try:
        conn.request(method, path, headers={"Accept": accept, "User-Agent": user_agent()})
        return conn.getresponse(), conn
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        raise TransientFetchError(f"{url}: {exc}") from None


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header given in seconds (dates are ignored)."""
    try:
        return max(0.0, float(value)) if value else None
    except ValueError:
        return None
