"""Reading a harvest source ahead of storing it, in a second process.

Reading a page (fetching, parsing, splitting it into records, canonicalising, projecting
and checking each record) costs about as much as storing it. A run therefore reads in a
child process while it stores the page before: the child puts each page, reduced to
what the writer needs (:class:`ReadyPage`), into a queue holding at most
``ALLMENDE_HARVEST_READ_AHEAD`` pages, and the run takes them out in order. With 0, or
where processes cannot be forked, pages are read in the run's own process; the result
is the same.

The child is forked, so it sees the run's settings and language, and it never touches
the database: everything it needs from there (the publisher to add to records that name
none) is looked up before it starts. Whatever stops the child (an error reading a page,
a crash) ends the run as failed, and a failed run withdraws nothing.
"""

import logging
import multiprocessing
import queue as queues
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from allmende.core.net import FetchResult

from ..dcat.extract import Description
from ..dcat.namespaces import DCT
from ..harvest.harvesters import HarvestedRecord, Harvester, HarvestError, HarvestPage
from .graphs import DatasetError, require_mandatory
from .importing import Fallback, choose_fallback, with_publisher
from .writing import PreparedEntry, ReadyEntry, prepare_entry

log = logging.getLogger("allmende.harvest")


@dataclass
class ReadyRecord:
    """One record read, canonicalised and checked; ``entry`` is None when it cannot be
    stored at all (``error`` says why) or is not public (``skipped``)."""

    identifier: str  # the subject IRI when the record has one, else its id at the source
    defects: list[str] = field(default_factory=list)
    error: str = ""
    skipped: bool = False
    entry: ReadyEntry | None = None
    problem: str = ""  # why the entry cannot be stored unless it is stored unchanged


@dataclass
class ReadyPage:
    """A page as the run stores it. A page that came as at its last reading is not read
    (``known``); its bytes come along in case it must be read after all."""

    url: str
    digest: str
    total: int | None
    next_url: str | None
    defects: list[str] = field(default_factory=list)
    records: list[ReadyRecord] = field(default_factory=list)
    known: bool = False
    fetched: FetchResult | None = None


@dataclass
class Publishers:
    """The publishers to add to records that name none: ``preset`` is the source's
    publisher (it wins), ``local`` the publisher of our own catalogue (the last resort
    for DCAT pages whose catalogue names none)."""

    preset: Fallback = None
    local: Fallback = None


def ready_page(page: HarvestPage, publishers: Publishers) -> ReadyPage:
    """Canonicalise, project and check every record of ``page`` (pure: no database)."""
    ready = ReadyPage(page.url, page.digest, page.total, page.next_url, list(page.defects))
    if page.known is not None:
        ready.known, ready.fetched = True, page.fetched
        return ready
    completer = _Completer(page, publishers)
    for record in page.records:
        ready.records.append(_ready_record(record, completer, publishers.preset is not None))
    return ready


def _ready_record(record: HarvestedRecord, completer: "_Completer", preset: bool) -> ReadyRecord:
    description = record.description
    if record.skipped:
        return ReadyRecord(record.identifier, error=record.error, skipped=True)
    if description is None:
        error = record.error or _("the record could not be read")
        return ReadyRecord(record.identifier, record.defects, error=error)
    identifier = description.subject.value
    try:
        item = prepare_entry(completer.complete(description))
        problem = _problem(item, preset)
        return ReadyRecord(identifier, record.defects, entry=item.ready(), problem=problem)
    except (DatasetError, ValueError) as exc:
        return ReadyRecord(identifier, record.defects, error=str(exc))


def _problem(item: PreparedEntry, preset: bool) -> str:
    """Why the record cannot be stored, or ""."""
    try:
        require_mandatory(item.fields, item.subject.value, item.kind)
    except DatasetError as exc:
        return str(exc)
    if not preset and not (item.fields.publisher_name or item.fields.publisher_iri):
        return _("the record names no publisher (dct:publisher)")
    return ""


class _Completer:
    """Adds a publisher to records that name none: the source's, else (for RDF pages)
    the page's catalogue publisher or our own; chosen once per page, when needed."""

    def __init__(self, page: HarvestPage, publishers: Publishers):
        self.page, self.publishers = page, publishers
        self.fallback: Fallback = None
        self.done = False

    def complete(self, description: Description) -> Description:
        subject = description.subject
        if any(t.predicate == DCT.publisher and t.subject == subject for t in description.triples):
            return description
        if not self.done:
            self.done = True
            if self.page.document is not None:
                self.fallback = choose_fallback(
                    self.page.triples,
                    self.page.document,
                    self.publishers.preset,
                    lambda: self.publishers.local,
                )
            else:
                self.fallback = self.publishers.preset
        return with_publisher(description, self.fallback)


def read_pages(harvester: Harvester, publishers: Publishers, ahead: int) -> Iterator[ReadyPage]:
    """The source's pages, ready to store, read up to ``ahead`` pages ahead in a child
    process (0: in this one). Raises :class:`HarvestError` when reading fails; at the end
    ``harvester.loop_at`` is set as if the pages had been read here."""
    if ahead <= 0 or "fork" not in multiprocessing.get_all_start_methods():
        for page in harvester.pages():
            yield ready_page(page, publishers)
        return
    yield from _read_in_child(harvester, publishers, ahead)


def _read_in_child(harvester: Harvester, publishers: Publishers, ahead: int) -> Iterator[ReadyPage]:
    context = multiprocessing.get_context("fork")
    pages = context.Queue(maxsize=ahead)
    child = context.Process(
        target=_child, args=(harvester, publishers, pages.put), name="allmende-harvest-reader"
    )
    child.start()
    try:
        while True:
            kind, value = _next(pages, child)
            if kind == "page":
                yield value
            elif kind == "done":
                harvester.loop_at = value
                return
            else:
                raise HarvestError(value)
    finally:
        if child.is_alive():
            child.kill()
        child.join(timeout=10)
        pages.close()
        pages.cancel_join_thread()


def _next(pages: "multiprocessing.Queue", child: multiprocessing.process.BaseProcess) -> tuple:
    """The child's next message; a child that ended without saying so fails the run."""
    while True:
        try:
            return pages.get(timeout=1.0)
        except queues.Empty:
            if child.is_alive():
                continue
        try:  # it may have said its last word just before it ended
            return pages.get(timeout=1.0)
        except queues.Empty:
            raise HarvestError(
                _("reading the source stopped unexpectedly (exit code %(code)s)")
                % {"code": child.exitcode}
            ) from None


def _child(harvester: Harvester, publishers: Publishers, put: Callable[[tuple], None]) -> None:
    """The reading process: every page, then ("done", loop_at), or ("error", message)."""
    try:
        for page in harvester.pages():
            put(("page", ready_page(page, publishers)))
        put(("done", harvester.loop_at))
    except HarvestError as exc:
        put(("error", str(exc)))
    except Exception as exc:  # a bug must fail the run, not hang it
        log.exception("reading %s failed", harvester.url)
        put(("error", _("reading the source failed: %(error)s") % {"error": exc}))
