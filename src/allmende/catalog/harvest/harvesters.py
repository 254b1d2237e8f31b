"""The harvesters: each reads one kind of source page by page, as records.

A harvester fetches pages (safely: ``allmende.core.net``), reads each into records —
one per dataset, series or data service, with the defects found in it — and says where
the next page is. It writes nothing: the run service (``services/harvesting.py``)
decides what to store. A page that cannot be fetched or read ends the run
(:class:`HarvestError`); a record that cannot be read only fails itself.

New kinds register with :func:`register`; ``HarvestSource.kind`` names the class.
"""

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.conf import settings
from django.utils.translation import gettext as _
from pyoxigraph import BlankNode, NamedNode, RdfFormat, Triple

from allmende.core.net import FetchError, FetchResult, fetch_url

from ..dcat.extract import Description, Document, split_document
from ..dcat.rdfio import ACCEPT_RDF, RdfError, format_for, parse_rdf
from . import ckan
from .defects import document_defects, record_defects
from .paging import paging_of


class HarvestError(Exception):
    """The run cannot go on (a page could not be fetched or read). One readable line."""


@dataclass
class HarvestedRecord:
    """One record as read from a page, before it is checked and stored."""

    identifier: str  # the record's identifier at the source (subject IRI, CKAN id)
    description: Description | None
    defects: list[str] = field(default_factory=list)
    error: str = ""  # set when the record could not be read at all
    skipped: bool = False  # not a public dataset (e.g. private in CKAN): not stored


#: Part of every page digest: bump it when reading a page changes (mapping, defects),
#: so pages stored by an older version are read again.
READER_VERSION = b"allmende-harvest-1"


@dataclass
class HarvestPage:
    url: str
    records: list[HarvestedRecord]
    defects: list[str] = field(default_factory=list)
    total: int | None = None  # records in the whole collection, when the source says
    triples: list[Triple] = field(default_factory=list)
    document: Document | None = None
    digest: str = ""  # of the page's bytes, to know it again next run
    next_url: str | None = None
    known: Any = None  # the stored state of a page that came byte for byte as before
    fetched: FetchResult | None = None  # a known page's bytes, to read it after all


class Harvester:
    """Base class: ``pages()`` yields the source's pages in order.

    ``known(url, digest)`` is asked for each fetched page: when it returns the stored
    state of a page with the same bytes, the page is not read; it is yielded with
    ``known`` set and its bytes in ``fetched``, for ``parse`` in case the caller needs
    its records after all.
    """

    kind: ClassVar[str] = ""

    def __init__(self, url: str, known: Callable[[str, str], Any] | None = None):
        self.url = url
        self.known = known or (lambda url, digest: None)
        self.loop_at: str | None = None  # a page the paging led back to

    def pages(self) -> Iterator[HarvestPage]:
        raise NotImplementedError

    def parse(self, result: FetchResult, digest: str) -> HarvestPage:
        """Read a fetched page into records."""
        raise NotImplementedError

    def fetch(self, url: str, accept: str) -> tuple[FetchResult, str]:
        """The page and the digest of its bytes."""
        try:
            result = fetch_url(
                url, max_bytes=settings.ALLMENDE_HARVEST_MAX_PAGE_BYTES, accept=accept
            )
        except FetchError as exc:
            raise HarvestError(str(exc)) from None
        digest = hashlib.sha256(READER_VERSION + result.body).hexdigest()
        return result, digest


_registry: dict[str, type[Harvester]] = {}


def register(cls: type[Harvester]) -> type[Harvester]:
    """Make a harvester class available for sources of its ``kind``."""
    _registry[cls.kind] = cls
    return cls


def harvester_for(kind: str, url: str, known: Callable[[str, str], Any] | None = None) -> Harvester:
    try:
        return _registry[kind](url, known)
    except KeyError:
        raise HarvestError(_("unknown kind of harvest source: %(kind)s") % {"kind": kind}) from None


@register
class DcatHarvester(Harvester):
    """A DCAT-AP endpoint in any RDF format, following hydra paging."""

    kind = "dcat"
    follow_paging = True

    def pages(self) -> Iterator[HarvestPage]:
        url: str | None = self.url
        seen: set[str] = set()
        while url:
            if url in seen:
                self.loop_at = url
                return
            if len(seen) >= settings.ALLMENDE_HARVEST_MAX_PAGES:
                raise HarvestError(_("more than %(count)s pages: stopped") % {"count": len(seen)})
            seen.add(url)
            page = self.read_page(url)
            yield page
            url = page.next_url if self.follow_paging else None

    def read_page(self, url: str) -> HarvestPage:
        result, digest = self.fetch(url, ACCEPT_RDF)
        state = self.known(result.url, digest)
        if state is not None:
            return HarvestPage(
                url=result.url,
                records=[],
                total=state.total,
                digest=digest,
                next_url=state.next_url or None,
                known=state,
                fetched=result,
            )
        return self.parse(result, digest)

    def parse(self, result: FetchResult, digest: str) -> HarvestPage:
        fmt = format_for(result.url, result.content_type) or _sniff(result.body)
        try:
            triples = parse_rdf(result.body, fmt, base_iri=result.url)
        except RdfError as exc:
            raise HarvestError(f"{result.url}: {exc}") from None
        document = split_document(triples)
        if any(isinstance(e.subject, BlankNode) for e in document.entries):
            from ..services.importing import name_blank_entries

            triples = name_blank_entries(triples, document)
            document = split_document(triples)
        paging = paging_of(triples, result.url)
        records = [
            HarvestedRecord(_iri(d.subject), d, record_defects(d, result.url))
            for d in document.entries
        ]
        return HarvestPage(
            url=result.url,
            records=records,
            defects=document_defects(document),
            total=paging.total,
            triples=triples,
            document=document,
            digest=digest,
            next_url=paging.next_url,
        )


@register
class FileHarvester(DcatHarvester):
    """One RDF file at a URL; paging links in it are not followed."""

    kind = "file"
    follow_paging = False


@register
class CkanHarvester(Harvester):
    """A CKAN Action API, read with package_search page by page (stable sort)."""

    kind = "ckan"

    def pages(self) -> Iterator[HarvestPage]:
        rows = settings.ALLMENDE_HARVEST_CKAN_ROWS
        start, total = 0, None
        while total is None or start < total:
            if start // rows >= settings.ALLMENDE_HARVEST_MAX_PAGES:
                raise HarvestError(
                    _("more than %(count)s pages: stopped") % {"count": start // rows}
                )
            url = ckan.search_url(self.url, start=start, rows=rows)
            result, digest = self.fetch(url, "application/json")
            state = self.known(url, digest)
            if state is not None:
                page = HarvestPage(
                    url,
                    [],
                    total=state.total,
                    digest=digest,
                    known=state,
                    fetched=result,
                )
                count = state.records
            else:
                page = self.parse(result, digest)
                count = len(page.records)
            total = page.total
            yield page
            if not count:
                return
            start += count

    def parse(self, result: FetchResult, digest: str) -> HarvestPage:
        try:
            total, packages = ckan.parse_search_page(result.body)
        except ckan.CkanError as exc:
            raise HarvestError(f"{result.url}: {exc}") from None
        records = [self._record(p) for p in packages]
        return HarvestPage(result.url, records, total=total, digest=digest)

    def _record(self, package: dict) -> HarvestedRecord:
        identifier = str(package.get("id") or package.get("name") or "?")
        try:
            record = ckan.package_to_record(package, api_base=self.url)
        except ckan.CkanSkip as exc:
            return HarvestedRecord(identifier, None, error=str(exc), skipped=True)
        except ckan.CkanError as exc:
            return HarvestedRecord(identifier, None, error=str(exc))
        description = Description(record.subject, "dataset", record.triples)
        return HarvestedRecord(record.identifier, description, record.defects)


def _iri(node: NamedNode | BlankNode) -> str:
    return node.value


def _sniff(body: bytes) -> RdfFormat:
    """The format of a page whose type and name say nothing useful."""
    head = body[:512].lstrip()
    if head.startswith((b"<?xml", b"<rdf:RDF", b"<RDF")):
        return RdfFormat.RDF_XML
    if head.startswith((b"{", b"[")):
        return RdfFormat.JSON_LD
    return RdfFormat.TURTLE
