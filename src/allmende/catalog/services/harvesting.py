"""Harvest runs: gather a source's records, store what changed, withdraw what is gone.

A run reads the source page by page. Each page's good records are written in one
transaction through the same writer as imports, so an unchanged record (same canonical
graph) writes nothing. A record that cannot be stored fails alone, with its reason in
the run report. Datasets that disappeared from the source are withdrawn only after a
complete, successful run: a run that fails on any page, or whose paging loops before it
has seen every record, withdraws nothing.
"""

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from allmende.core.services.audit import log_action

from ..harvest.harvesters import Harvester, HarvestError, harvester_for
from ..models import Dataset, HarvestIssue, HarvestPageState, HarvestRun, HarvestSource
from ..signals import dataset_unpublished
from .harvest_pages import known_pages, remember_page, replay_issues, still_stored
from .harvest_reading import Publishers, ReadyPage, ReadyRecord, read_pages, ready_page
from .importing import agent_fallback, local_fallback
from .writing import ReadyEntry, WriteOptions, write_entries

log = logging.getLogger("allmende.harvest")
#: A run whose heartbeat is older than this is taken as dead (its process ended).
STALE_AFTER = dt.timedelta(minutes=30)


class HarvestBusy(Exception):
    """The source has a run going already."""


@dataclass
class _Tally:
    seen: set[int] = field(default_factory=set)
    records: int = 0
    total: int | None = None  # what the source says the collection holds


def run_harvest(
    source: HarvestSource,
    *,
    trigger: str = "manual",
    by: Any = None,
    progress: Callable[[int, int | None], None] | None = None,
) -> HarvestRun:
    """Run ``source`` now and return the finished run with its report."""
    run = _start_run(source, trigger)
    tally = _Tally()
    known = known_pages(source)
    harvester = harvester_for(source.kind, source.url, known)
    publishers = Publishers(agent_fallback(source.publisher), local_fallback())
    try:
        ahead = settings.ALLMENDE_HARVEST_READ_AHEAD
        for page in read_pages(harvester, publishers, ahead):
            if page.known:
                page = _known_page(run, source, harvester, publishers, page, known, tally)
            if page is not None:
                _store_page(run, source, page, tally)
            if progress:
                progress(tally.records, tally.total)
        _check_complete(harvester.loop_at, tally)
    except (HarvestError, DatabaseError) as exc:
        return _finish(run, error=str(exc))
    run.withdrawn = withdraw_missing(source, tally.seen, by=by)
    return _finish(run)


def _start_run(source: HarvestSource, trigger: str) -> HarvestRun:
    with transaction.atomic():
        source = HarvestSource.objects.select_for_update().get(pk=source.pk)
        stale = timezone.now() - STALE_AFTER
        running = source.runs.filter(status=HarvestRun.Status.RUNNING)
        running.filter(heartbeat__lt=stale).update(
            status=HarvestRun.Status.FAILED,
            finished_at=timezone.now(),
            error=_("interrupted: the process running it ended"),
        )
        if running.exists():
            raise HarvestBusy(_("%(source)s is being harvested already") % {"source": source})
        return HarvestRun.objects.create(source=source, trigger=trigger)


def _check_complete(loop_at: str | None, tally: _Tally) -> None:
    """A paging loop is fine only when every record the source announced was seen."""
    if loop_at is None:
        return
    if tally.total is None or tally.records < tally.total:
        raise HarvestError(
            _("the paging leads back to %(url)s before all records were seen") % {"url": loop_at}
        )


def _known_page(
    run: HarvestRun,
    source: HarvestSource,
    harvester: Harvester,
    publishers: Publishers,
    page: ReadyPage,
    known: Callable[[str, str], HarvestPageState | None],
    tally: _Tally,
) -> ReadyPage | None:
    """A page whose bytes came as last time: counted unchanged when its datasets are
    still stored as then (returns None), else read after all (returns it read)."""
    state = known(page.url, page.digest)
    if state is not None:
        pks = still_stored(source, state)
        if pks is not None:
            _count_known_page(run, state, pks, tally)
            return None
    if page.fetched is None:  # known pages carry their bytes; this one came without
        raise HarvestError(_("%(url)s could not be read again") % {"url": page.url})
    return ready_page(harvester.parse(page.fetched, page.digest), publishers)


def _store_page(run: HarvestRun, source: HarvestSource, page: ReadyPage, tally: _Tally) -> None:
    good, issues = _prepare_page(source, page)
    with transaction.atomic():
        options = WriteOptions(source=source.url, harvest=source, publisher=source.publisher)
        report = write_entries(good, options)
        for entry in report.entries:
            tally.seen.add(entry.pk)  # type: ignore[arg-type]
            setattr(run, entry.outcome, getattr(run, entry.outcome) + 1)
        by_iri = {e.iri: e.pk for e in report.entries}
        for issue in issues:
            issue.run = run
            issue.dataset_id = by_iri.get(issue.identifier)
        HarvestIssue.objects.bulk_create(issues)
        run.failed += sum(1 for i in issues if i.kind == HarvestIssue.Kind.FAILED)
        _save_progress(run)
        if page.digest:
            remember_page(
                source,
                url=page.url,
                digest=page.digest,
                next_url=page.next_url,
                total=page.total,
                records=len(page.records),
                entries=report.entries,
                issues=issues,
                graph_hashes={item.subject.value: item.graph_hash for item in good},
            )
    tally.records += len(page.records)
    tally.total = page.total if page.total is not None else tally.total


def _count_known_page(
    run: HarvestRun, state: HarvestPageState, pks: list[int], tally: _Tally
) -> None:
    """A page that came as before, with its datasets stored as then: all unchanged."""
    with transaction.atomic():
        issues = replay_issues(run, state)
        HarvestIssue.objects.bulk_create(issues)
        run.unchanged += len(pks)
        run.failed += sum(1 for i in issues if i.kind == HarvestIssue.Kind.FAILED)
        _save_progress(run)
    tally.seen.update(pks)
    tally.records += state.records
    tally.total = state.total if state.total is not None else tally.total


def _save_progress(run: HarvestRun) -> None:
    run.pages += 1
    run.heartbeat = timezone.now()
    run.save()


def _prepare_page(
    source: HarvestSource, page: ReadyPage
) -> tuple[list[ReadyEntry], list[HarvestIssue]]:
    """Sort the page's records: good ones to write, bad ones as issues.

    A record whose canonical graph is stored unchanged for this source was accepted when
    it was stored: what was found wrong with it since is not held against it."""
    issues = (
        [HarvestIssue(kind=HarvestIssue.Kind.DEFECT, identifier=page.url, messages=page.defects)]
        if page.defects
        else []
    )
    readable: list[tuple[ReadyRecord, ReadyEntry]] = []
    for record in page.records:
        if record.skipped:  # not public at the source: not stored, withdrawn if it was
            issues.append(_issue(HarvestIssue.Kind.DEFECT, record, [record.error]))
        elif record.entry is None:
            issues.append(_issue(HarvestIssue.Kind.FAILED, record, [record.error, *record.defects]))
        else:
            readable.append((record, record.entry))
    stored = _stored_hashes(source, [record.identifier for record, _entry in readable])
    good: dict[str, ReadyEntry] = {}
    for record, item in readable:
        iri = record.identifier
        error = "" if stored.get(iri) == item.graph_hash else record.problem
        if error:
            issues.append(_issue(HarvestIssue.Kind.FAILED, record, [error, *record.defects]))
            continue
        if iri in good:
            issues.append(_issue(HarvestIssue.Kind.DEFECT, record, [_("listed twice on the page")]))
        good[iri] = item
        if record.defects:
            issues.append(_issue(HarvestIssue.Kind.DEFECT, record, record.defects))
    return list(good.values()), issues


def _stored_hashes(source: HarvestSource, iris: list[str]) -> dict[str, str]:
    """IRI -> stored graph hash, for this source's public (not withdrawn) datasets."""
    found: dict[str, str] = {}
    for start in range(0, len(iris), 500):
        rows = (
            Dataset.objects.filter(iri__in=iris[start : start + 500], harvest_source=source)
            .exclude(status=Dataset.Status.WITHDRAWN)
            .values_list("iri", "graph_hash")
        )
        found.update(rows)
    return found


def _issue(kind: str, record: ReadyRecord, messages: list[str]) -> HarvestIssue:
    return HarvestIssue(kind=kind, identifier=record.identifier[:1000], messages=messages[:50])


@transaction.atomic
def withdraw_missing(source: HarvestSource, seen: set[int], *, by: Any = None) -> int:
    """Withdraw the source's public datasets that were not seen; return how many."""
    gone = list(
        Dataset.objects.filter(harvest_source=source)
        .exclude(status=Dataset.Status.WITHDRAWN)
        .exclude(pk__in=seen)
        .values_list("pk", flat=True)
    )
    if not gone:
        return 0
    datasets = list(Dataset.objects.filter(pk__in=gone))
    Dataset.objects.filter(pk__in=gone).update(status=Dataset.Status.WITHDRAWN)
    for dataset in datasets:
        log_action(dataset, "catalog.dataset.withdrawn", user=by, data={"source": source.name})
    transaction.on_commit(
        lambda: [dataset_unpublished.send(sender=Dataset, dataset=d) for d in datasets]
    )
    return len(gone)


def _finish(run: HarvestRun, *, error: str = "") -> HarvestRun:
    run.status = HarvestRun.Status.FAILED if error else HarvestRun.Status.SUCCEEDED
    run.error = error
    run.finished_at = timezone.now()
    run.save()
    log.info("harvest %s: %s %s", run.source.name, run.status, error or run.summary)
    return run


def run_due_harvests(*, now: dt.datetime | None = None) -> list[HarvestRun]:
    """Run every enabled source whose time has come (claimed, so two workers never
    run the same one). Called by the background worker."""
    now = now or timezone.now()
    runs = []
    due = HarvestSource.objects.filter(enabled=True).filter(
        Q(next_run_at__lte=now) | Q(next_run_at=None, interval_hours__gt=0)
    )
    for source in due:
        later = now + dt.timedelta(hours=source.interval_hours or 24 * 365)
        claimed = HarvestSource.objects.filter(pk=source.pk, next_run_at=source.next_run_at).update(
            next_run_at=later if source.interval_hours else None
        )
        if not claimed:
            continue
        try:
            runs.append(run_harvest(source, trigger="scheduled"))
        except HarvestBusy:
            continue
    return runs


def request_run(source: HarvestSource, *, by: Any) -> None:
    """Ask the worker to run ``source`` as soon as it can (from the web UI)."""
    HarvestSource.objects.filter(pk=source.pk).update(next_run_at=timezone.now())
    log_action(source, "catalog.harvestsource.run_requested", user=by)


@transaction.atomic
def save_source(source: HarvestSource, *, by: Any) -> HarvestSource:
    """Create or change a harvest source (audited). The first run is due at once."""
    created = source.pk is None
    if created and source.interval_hours and source.next_run_at is None:
        source.next_run_at = timezone.now()
    source.full_clean()
    source.save()
    if not created:  # its URL or publisher may have changed: read every page anew
        source.pages.all().delete()
    log_action(source, f"catalog.harvestsource.{'created' if created else 'updated'}", user=by)
    return source


@transaction.atomic
def delete_source(source: HarvestSource, *, by: Any) -> None:
    """Delete a source and its run history; its datasets stay, no longer linked."""
    log_action(source, "catalog.harvestsource.deleted", user=by)
    source.delete()
