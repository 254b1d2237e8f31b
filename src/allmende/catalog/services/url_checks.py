"""Reachability of the access and download URLs the datasets name, for the MQA's
accessibility indicators.

A URL gets a :class:`UrlCheck` row when a measurement first meets it; the worker task
``catalog.quality.urls`` then checks rows never checked and rows checked more than
``ALLMENDE_QUALITY_URL_RECHECK_DAYS`` ago: HEAD, else GET, through
:func:`allmende.core.net.check_url` (public addresses only, timeouts, redirects checked
hop by hop). Each run checks at most ``ALLMENDE_QUALITY_URLS_PER_RUN`` URLs, asks each
host at most once per ``ALLMENDE_QUALITY_URL_HOST_DELAY`` seconds and stops after
``URL_RUN_SECONDS``. Rows are claimed in the database first, so several workers never
check the same URL at once.
"""

import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone

from allmende.core.net import CheckResult, check_url

from ..models import Distribution, QualityMeasurement, UrlCheck

#: Seconds one URL run may take (the worker runs its tasks one after another).
URL_RUN_SECONDS = 50.0
#: Hosts checked at the same time in one run (each host's URLs one after another).
URL_THREADS = 4
#: Minutes after which a claim of a URL check by a stopped worker lapses.
CLAIM_MINUTES = 10
CHUNK = 500


def chunks(items: list, size: int = CHUNK) -> Iterator[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def claim_due_urls(limit: int) -> list[UrlCheck]:
    """Claim up to ``limit`` URLs that were never checked or are due again (never-checked
    first); another worker does not get them until this one is done or the claim lapses."""
    now = timezone.now()
    due = Q(checked_at__isnull=True) | Q(
        checked_at__lt=now - timedelta(days=settings.ALLMENDE_QUALITY_URL_RECHECK_DAYS)
    )
    free = Q(claimed_at__isnull=True) | Q(claimed_at__lt=now - timedelta(minutes=CLAIM_MINUTES))
    candidates = list(
        UrlCheck.objects.filter(due & free)
        .order_by(F("checked_at").asc(nulls_first=True), "pk")  # never checked first
        .values_list("pk", flat=True)[:limit]
    )
    token = uuid.uuid4().hex
    for chunk in chunks(candidates):
        UrlCheck.objects.filter(Q(pk__in=chunk) & free).update(claim=token, claimed_at=now)
    return list(UrlCheck.objects.filter(claim=token))


@dataclass
class UrlRun:
    checked: int = 0
    reachable: int = 0
    changed: int = 0


def check_due_urls(limit: int | None = None) -> UrlRun:
    """Check the URLs that are due: each host at most once per ``ALLMENDE_QUALITY_URL_
    HOST_DELAY`` seconds, a few hosts at a time, for at most ``URL_RUN_SECONDS``. Datasets
    whose URLs changed their answer are measured again."""
    rows = claim_due_urls(limit or settings.ALLMENDE_QUALITY_URLS_PER_RUN)
    by_host: dict[str, list[UrlCheck]] = defaultdict(list)
    for row in rows:
        by_host[(urlsplit(row.url).hostname or "").lower()].append(row)
    deadline = time.monotonic() + URL_RUN_SECONDS
    with ThreadPoolExecutor(max_workers=URL_THREADS) as pool:
        parts = list(pool.map(lambda group: _check_host(group, deadline), by_host.values()))
    return _record(rows, [item for part in parts for item in part])


def _check_host(rows: list[UrlCheck], deadline: float) -> list[tuple[UrlCheck, CheckResult]]:
    out = []
    delay = settings.ALLMENDE_QUALITY_URL_HOST_DELAY
    for n, row in enumerate(rows):
        if time.monotonic() >= deadline:
            break
        if n:
            time.sleep(delay)
        # Our own site may sit on a private or loopback address: it is no stranger.
        own = urlsplit(row.url).netloc == urlsplit(settings.SITE_URL).netloc or None
        result = check_url(
            row.url, timeout=settings.ALLMENDE_QUALITY_URL_TIMEOUT, allow_private=own
        )
        out.append((row, result))
    return out


def _record(claimed: list[UrlCheck], done: list[tuple[UrlCheck, CheckResult]]) -> UrlRun:
    now = timezone.now()
    run, changed = UrlRun(), []
    for row, result in done:
        was = row.ok
        row.status, row.ok, row.error = result.status, result.ok, result.error[:500]
        row.checked_at = now
        run.checked += 1
        run.reachable += int(result.ok)
        if was is None or was != result.ok:
            changed.append(row.url)
    for row in claimed:
        row.claim, row.claimed_at = "", None
    UrlCheck.objects.bulk_update(
        claimed, ["status", "ok", "error", "checked_at", "claim", "claimed_at"], batch_size=500
    )
    run.changed = len(changed)
    _invalidate(changed)
    return run


def _invalidate(urls: list[str]) -> None:
    """Have the datasets naming these URLs measured again (by the next measure run): found
    through their distributions' URLs; once no URL waits for its first check, also every
    measurement still waiting for one (a URL the distribution rows do not show)."""
    if not urls:
        return
    for chunk in chunks(urls):
        users = Distribution.objects.filter(
            Q(access_url__in=chunk) | Q(download_url__in=chunk)
        ).values("dataset")
        QualityMeasurement.objects.filter(dataset__in=users).update(graph_hash="")
    if not UrlCheck.objects.filter(checked_at__isnull=True).exists():
        QualityMeasurement.objects.filter(pending_urls=True).update(graph_hash="")


def forget_unused_urls() -> int:
    """Delete URL checks no distribution names any more."""
    used: set[str] = set()
    for access, download in Distribution.objects.values_list("access_url", "download_url").iterator(
        chunk_size=5000
    ):
        used.update((access, download))
    unused = [
        pk
        for pk, url in UrlCheck.objects.values_list("pk", "url").iterator(chunk_size=5000)
        if url not in used
    ]
    for chunk in chunks(unused):
        UrlCheck.objects.filter(pk__in=chunk).delete()
    return len(unused)


def run_url_checks() -> UrlRun | None:
    """The worker task: check due URLs, unless ``ALLMENDE_QUALITY_CHECK_URLS`` is off."""
    return check_due_urls() if settings.ALLMENDE_QUALITY_CHECK_URLS else None
