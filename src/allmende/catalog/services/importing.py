"""Importing DCAT-AP(.de) documents: one dataset or a whole catalogue, in one transaction.

Everything is parsed and checked before anything is written, so a bad file writes
nothing. Entries are matched by subject IRI, then by dct:identifier; an entry whose
canonical graph and publisher are unchanged is not written at all.
"""

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from allmende.core.models import AuditEntry, Organisation
from allmende.core.services.organisations import get_or_create_organisation

from ..dcat.build import reachable
from ..dcat.canon import canonical_ntriples
from ..dcat.extract import Description, Document, Node, split_document
from ..dcat.namespaces import DCT
from ..dcat.project import EntryFields, project_entry
from ..dcat.rdfio import parse_rdf
from ..models import Catalog, Dataset, DatasetFacet, Distribution
from ..signals import datasets_imported
from .bulk import assign_pks, insert_rows, insert_values
from .graphs import (
    DISTRIBUTION_COLUMNS,
    DatasetError,
    agent_for,
    distribution_values,
    facet_values,
    require_mandatory,
    set_projection,
)

CHUNK = 500


@dataclass
class ImportedEntry:
    name: str
    iri: str
    outcome: str  # "created", "updated" or "unchanged"


@dataclass
class ImportReport:
    entries: list[ImportedEntry] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.entries if e.outcome == outcome)


@dataclass
class _Prepared:
    """An entry parsed, projected and hashed, before anything is written."""

    description: Description
    fields: EntryFields
    graph: str
    graph_hash: str

    @property
    def subject(self) -> NamedNode:
        return self.description.subject  # type: ignore[return-value]

    @property
    def triples(self) -> list[Triple]:
        return self.description.triples

    @cached_property
    def stem(self) -> str:
        """The short name to try: an IRI under our own /dataset/ keeps its name (so it
        resolves), anything else is named after its title."""
        own = f"{settings.SITE_URL}/dataset/"
        iri = self.subject.value
        if iri.startswith(own) and "/" not in iri[len(own) :]:
            return slugify(iri[len(own) :])[:80].strip("-") or "dataset"
        return slugify(self.fields.title)[:80].strip("-") or "dataset"


class _Known(NamedTuple):
    """What the write needs to know of a stored dataset, read without loading the row."""

    pk: int
    iri: str
    identifier: str
    graph_hash: str
    publisher_id: int


def import_rdf(
    data: bytes,
    *,
    fmt: RdfFormat,
    source: str = "",
    base_iri: str | None = None,
    publisher: Organisation | None = None,
    by: Any = None,
    publish: bool = True,
    is_demo: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Parse ``data`` and create or update every entry in it. Raises RdfError/DatasetError."""
    triples = parse_rdf(data, fmt, base_iri=base_iri, max_bytes=settings.ALLMENDE_MAX_RDF_BYTES)
    document = split_document(triples)
    if any(isinstance(e.subject, BlankNode) for e in document.entries):
        triples = _name_blank_entries(triples, document)
        document = split_document(triples)
    if not document.entries:
        raise DatasetError(
            gettext("the document describes no dcat:Dataset, DatasetSeries or DataService")
        )
    fallback = _fallback_publisher(triples, document, publisher)
    prepared = [_prepare(_with_publisher(d, fallback)) for d in document.entries]
    for item in prepared:
        require_mandatory(item.fields, item.subject.value, item.description.kind)
        if publisher is None and not (item.fields.publisher_name or item.fields.publisher_iri):
            raise DatasetError(
                gettext("%(entry)s has no dct:publisher: name a publisher")
                % {"entry": item.subject.value}
            )
    return _write(
        prepared,
        source=source,
        publisher=publisher,
        by=by,
        publish=publish,
        is_demo=is_demo,
        progress=progress,
    )


Fallback = tuple[Node, list[Triple]] | None


def _fallback_publisher(
    triples: list[Triple], document: Document, publisher: Organisation | None
) -> Fallback:
    """The agent (and its triples) to add to entries that name no dct:publisher.

    That is the organisation given for the import, else the publisher of the catalogue
    the document holds, else the publisher of our own catalogue. The triple is added;
    source triples are never dropped.
    """
    if publisher is not None:
        agent = agent_for(publisher)
        return NamedNode(agent.iri), agent.triples()
    for triple in document.catalog_triples:
        if triple.predicate == DCT.publisher and not isinstance(triple.object, Literal):
            return triple.object, reachable(triples, triple.object)
    local = Catalog.objects.exclude(publisher=None).select_related("publisher").first()
    if local is not None:
        agent = agent_for(local.publisher)
        return NamedNode(agent.iri), agent.triples()
    return None


def _with_publisher(description: Description, fallback: Fallback) -> Description:
    subject = description.subject
    if fallback is None or any(
        t.subject == subject and t.predicate == DCT.publisher for t in description.triples
    ):
        return description
    agent, agent_triples = fallback
    added = [Triple(subject, DCT.publisher, agent), *agent_triples]
    return Description(subject, description.kind, list(dict.fromkeys(description.triples + added)))


def _name_blank_entries(triples: list[Triple], document: Document) -> list[Triple]:
    """Give entries without an IRI a stable one under our site, derived from content."""
    minted: dict[Node, NamedNode] = {}
    for entry in document.entries:
        if isinstance(entry.subject, BlankNode):
            own = sorted(  # blank node labels vary from parse to parse: leave them out
                f"{t.predicate} {'_:' if isinstance(t.object, BlankNode) else t.object}"
                for t in entry.triples
                if t.subject == entry.subject
            )
            digest = hashlib.sha256("\n".join(own).encode()).hexdigest()[:16]
            minted[entry.subject] = NamedNode(f"{settings.SITE_URL}/dataset/id/{digest}")
    return [
        Triple(minted.get(t.subject, t.subject), t.predicate, minted.get(t.object, t.object))  # type: ignore[arg-type]
        for t in triples
    ]


def _prepare(description: Description) -> _Prepared:
    graph, digest = canonical_ntriples(description.subject, description.triples)
    fields = project_entry(description.subject, description.triples)
    return _Prepared(description, fields, graph, digest)


@transaction.atomic
def _write(
    prepared: list[_Prepared],
    *,
    source: str,
    publisher: Organisation | None,
    by: Any,
    publish: bool,
    is_demo: bool,
    progress: Callable[[int, int], None] | None,
) -> ImportReport:
    report = ImportReport()
    publishers = _Publishers(publisher, by)
    created: list[int] = []
    updated: list[int] = []
    done = 0
    for chunk in _chunks(prepared, CHUNK):
        existing = _existing(chunk)
        rows = _load_changed(chunk, existing, publishers)
        new_rows, changed_rows, outcomes = [], [], []
        taken = _taken_names(chunk)
        for item in chunk:
            org = publishers.resolve(item.fields)
            known = existing.get(item.subject.value) or existing.get(item.fields.identifier)
            if known is not None and _unchanged(known, item, org):
                outcomes.append((known.pk, item.subject.value, "unchanged"))
                continue
            if known is None:
                row = Dataset(name=_name_for(item, taken), iri=item.subject.value)
                row.status = Dataset.Status.PUBLISHED if publish else Dataset.Status.DRAFT
                row.published_at = timezone.now() if publish else None
                new_rows.append((row, item.fields))
                outcomes.append((row, None, "created"))
            else:
                row = rows[known.pk]
                changed_rows.append((row, item.fields))
                outcomes.append((row, None, "updated"))
            row.iri = item.subject.value
            row.kind = item.description.kind
            row.publisher = org
            row.is_demo = is_demo
            row.source = source[:1000]
            set_projection(row, item.graph, item.graph_hash, item.fields)
        _save_rows(new_rows, changed_rows, by)
        report.entries += _report_entries(outcomes)
        created += [r.pk for r, _ in new_rows]
        updated += [r.pk for r, _ in changed_rows]
        done += len(chunk)
        if progress:
            progress(done, len(prepared))
    if created or updated:
        transaction.on_commit(
            lambda: datasets_imported.send(sender=Dataset, created=created, updated=updated)
        )
    return report


Written = list[tuple[Dataset, EntryFields]]


def _save_rows(new_rows: Written, changed_rows: Written, by: Any) -> None:
    now = timezone.now()
    for row, _ in new_rows + changed_rows:
        row.updated = now
        if row.created is None:
            row.created = now
    insert_rows(Dataset, [row for row, _ in new_rows])
    assign_pks(Dataset, [row for row, _ in new_rows], "iri")
    if changed_rows:
        names = [
            f.name for f in Dataset._meta.concrete_fields if f.name not in ("id", "name", "created")
        ]
        Dataset.objects.bulk_update([row for row, _ in changed_rows], names)
        ids = [row.pk for row, _ in changed_rows]
        Distribution.objects.filter(dataset_id__in=ids).delete()
        DatasetFacet.objects.filter(dataset_id__in=ids).delete()
    dists, facets = [], []
    for row, fields in new_rows + changed_rows:
        dists += distribution_values(row.pk, fields)
        facets += [(row.pk, facet, value) for facet, value in facet_values(row)]
    rows = [row for row, _ in new_rows + changed_rows]
    fresh = {row.pk for row, _ in new_rows}
    insert_values(Distribution, DISTRIBUTION_COLUMNS, dists)
    insert_values(DatasetFacet, ["dataset_id", "facet", "value"], facets)
    user_id = by.pk if getattr(by, "is_authenticated", False) else None
    names = ["created", "user_id", "action", "object_type", "object_id", "object_repr", "data"]
    entries = [
        (
            now,
            user_id,
            "catalog.dataset.imported",
            "catalog.dataset",
            str(r.pk),
            str(r)[:255],
            {"source": r.source, "new": r.pk in fresh},
        )
        for r in rows
    ]
    insert_values(AuditEntry, names, entries)


def _existing(chunk: list[_Prepared]) -> dict[str, _Known]:
    """Stored datasets of a chunk, by IRI and by dct:identifier (IRI matches win)."""
    iris = [p.subject.value for p in chunk]
    identifiers = [p.fields.identifier for p in chunk if p.fields.identifier]
    columns = ["pk", "iri", "identifier", "graph_hash", "publisher_id"]
    found: dict[str, _Known] = {}
    for values in Dataset.objects.filter(identifier__in=identifiers).values_list(*columns):
        known = _Known(*values)
        found.setdefault(known.identifier, known)
    for values in Dataset.objects.filter(iri__in=iris).values_list(*columns):
        known = _Known(*values)
        found[known.iri] = known
    return found


def _unchanged(known: _Known, item: _Prepared, org: Organisation) -> bool:
    return known.graph_hash == item.graph_hash and known.publisher_id == org.pk


def _load_changed(
    chunk: list[_Prepared], existing: dict[str, _Known], publishers: "_Publishers"
) -> dict[int, Dataset]:
    """Load, in one query, the stored rows that this chunk will update."""
    pks = []
    for item in chunk:
        known = existing.get(item.subject.value) or existing.get(item.fields.identifier)
        if known is not None and not _unchanged(known, item, publishers.resolve(item.fields)):
            pks.append(known.pk)
    return Dataset.objects.defer("graph").in_bulk(pks) if pks else {}


def _report_entries(outcomes: list) -> list[ImportedEntry]:
    """Report lines; names of unchanged rows are read in one query."""
    unchanged = [pk for pk, _, outcome in outcomes if outcome == "unchanged"]
    names = dict(Dataset.objects.filter(pk__in=unchanged).values_list("pk", "name"))
    return [
        ImportedEntry(names[row], iri, outcome)
        if outcome == "unchanged"
        else ImportedEntry(row.name, row.iri, outcome)
        for row, iri, outcome in outcomes
    ]


def _taken_names(chunk: list[_Prepared]) -> set[str]:
    """Names already used by the stems this chunk will ask for (one query)."""
    stems = list({item.stem for item in chunk})
    return set(Dataset.objects.filter(name__in=stems).values_list("name", flat=True))


def _name_for(item: _Prepared, taken: set[str]) -> str:
    stem = item.stem
    name = stem
    if name not in taken:
        taken.add(name)
        return name
    name = (
        f"{stem}-{hashlib.sha1(item.subject.value.encode(), usedforsecurity=False).hexdigest()[:8]}"
    )
    n = 2
    while name in taken or Dataset.objects.filter(name=name).exists():
        name = f"{stem}-{n}"
        n += 1
    taken.add(name)
    return name


class _Publishers:
    """Resolves each entry's publisher to an organisation, once per agent."""

    def __init__(self, fixed: Organisation | None, by: Any):
        self.fixed, self.by, self.cache = fixed, by, {}

    def resolve(self, fields: EntryFields) -> Organisation:
        if self.fixed is not None:
            return self.fixed
        key = (fields.publisher_iri, fields.publisher_name)
        if key not in self.cache:
            name = fields.publisher_name or fields.publisher_iri
            self.cache[key] = get_or_create_organisation(
                name=name[:255], iri=fields.publisher_iri[:500], by=self.by
            )
        return self.cache[key]


def _chunks(items: list, size: int) -> Iterable[list]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
