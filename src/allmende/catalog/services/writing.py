"""Writing prepared catalogue entries in bulk: the one path for imports and harvests.

An entry is prepared (canonical graph, hash, projection) before anything is written. The
writer matches it to a stored dataset by subject IRI, then by dct:identifier; an entry
whose canonical graph, publisher (and, when harvesting, source and state) are unchanged
is not written at all. New and changed rows go in with a few statements per chunk.
"""

import hashlib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, NamedTuple

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify
from pyoxigraph import NamedNode, Triple

from allmende.core.models import AuditEntry, Organisation
from allmende.core.services.organisations import get_or_create_organisation

from ..dcat.canon import canonical_ntriples
from ..dcat.extract import Description
from ..dcat.project import EntryFields, project_entry
from ..models import Dataset, DatasetFacet, Distribution, HarvestSource
from ..signals import datasets_imported
from .bulk import assign_pks, insert_rows, insert_values
from .graphs import (
    DISTRIBUTION_COLUMNS,
    distribution_values,
    facet_values,
    set_projection,
)

CHUNK = 500


@dataclass
class ImportedEntry:
    name: str
    iri: str
    outcome: str  # "created", "updated" or "unchanged"
    pk: int | None = None


@dataclass
class ImportReport:
    entries: list[ImportedEntry] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for e in self.entries if e.outcome == outcome)


class Entry:
    """What the writer reads of an entry: subject, kind, canonical graph and its hash,
    and the projection (``fields``)."""

    subject: NamedNode
    kind: str
    graph: str
    graph_hash: str
    fields: EntryFields

    @cached_property
    def stem(self) -> str:
        """The short name to try: an IRI under our own /dataset/ keeps its name (so it
        resolves), anything else is named after its title."""
        own = f"{settings.SITE_URL}/dataset/"
        iri = self.subject.value
        if iri.startswith(own) and "/" not in iri[len(own) :]:
            return slugify(iri[len(own) :])[:80].strip("-") or "dataset"
        return slugify(self.fields.title)[:80].strip("-") or "dataset"


@dataclass
class PreparedEntry(Entry):
    """An entry canonicalised and hashed before anything is written. Its projection
    (``fields``) is computed when first needed: an unchanged entry never needs it."""

    description: Description
    graph: str
    graph_hash: str

    @cached_property
    def fields(self) -> EntryFields:  # type: ignore[override]
        return project_entry(self.description.subject, self.description.triples)

    @property
    def subject(self) -> NamedNode:  # type: ignore[override]
        return self.description.subject  # type: ignore[return-value]

    @property
    def kind(self) -> str:  # type: ignore[override]
        return self.description.kind

    @property
    def triples(self) -> list[Triple]:
        return self.description.triples

    def ready(self) -> "ReadyEntry":
        """The entry without its triples, projected: small to pass between processes."""
        return ReadyEntry(self.subject, self.kind, self.graph, self.graph_hash, self.fields)


@dataclass
class ReadyEntry(Entry):
    """A prepared entry reduced to what the writer needs (no triples; see
    ``PreparedEntry.ready``)."""

    subject: NamedNode
    kind: str
    graph: str
    graph_hash: str
    fields: EntryFields


class _Known(NamedTuple):
    """What the write needs to know of a stored dataset, read without loading the row."""

    pk: int
    iri: str
    identifier: str
    graph_hash: str
    publisher_id: int
    status: str
    harvest_source_id: int | None


@dataclass
class WriteOptions:
    """How entries are written: where they came from and in which state they start."""

    source: str = ""
    publisher: Organisation | None = None
    by: Any = None
    publish: bool = True
    is_demo: bool = False
    harvest: HarvestSource | None = None
    progress: Callable[[int, int], None] | None = None


def prepare_entry(description: Description) -> PreparedEntry:
    """Canonicalise and hash one description (pure; nothing is written)."""
    graph, digest = canonical_ntriples(description.subject, description.triples)
    return PreparedEntry(description, graph, digest)


@transaction.atomic
def write_entries(prepared: Sequence[Entry], options: WriteOptions) -> ImportReport:
    """Create or update the datasets for ``prepared`` entries in one transaction."""
    report = ImportReport()
    publishers = _Publishers(options.publisher, options.by)
    created: list[int] = []
    updated: list[int] = []
    for chunk in _chunks(prepared, CHUNK):
        new_rows, changed_rows, outcomes = _sort_chunk(chunk, publishers, options)
        _save_rows(new_rows, changed_rows, options.by)
        report.entries += _report_entries(outcomes)
        created += [r.pk for r, _ in new_rows]
        updated += [r.pk for r, _ in changed_rows]
        planner.grew(len(new_rows))
        if options.progress:
            options.progress(len(report.entries), len(prepared))
    if created or updated:
        transaction.on_commit(
            lambda: datasets_imported.send(sender=Dataset, created=created, updated=updated)
        )
    return report


class _Planner:
    """Keeps PostgreSQL's query plans fit while bulk writes grow the tables.

    PostgreSQL plans the foreign-key checks of a session once, from the table statistics
    of that moment. Planned on a (nearly) empty dataset table, every check of a later
    bulk write scans the whole table: commits of 1,000 rows then took seconds. So when
    the rows written since the last look exceed the table size then known (and 1,000),
    the tables are analysed and the session's cached plans dropped.
    """

    def __init__(self) -> None:
        self.known = 0
        self.pending = 0

    def grew(self, rows: int) -> None:
        if connection.vendor != "postgresql" or not rows:
            return
        self.pending += rows
        if self.pending < max(1000, self.known):
            return
        with connection.cursor() as cursor:
            for table in ("catalog_dataset", "catalog_distribution", "catalog_datasetfacet"):
                cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")
            cursor.execute("DISCARD PLANS")
        self.known += self.pending
        self.pending = 0


planner = _Planner()


def _sort_chunk(
    chunk: Sequence[Entry], publishers: "_Publishers", options: WriteOptions
) -> tuple["Written", "Written", list]:
    """Split a chunk into new rows, changed rows and unchanged ones (with outcomes)."""
    existing = find_existing(chunk)
    pending = [
        (item, existing.get(item.subject.value) or _by_identifier(existing, item)) for item in chunk
    ]
    changed_pks = [
        known.pk
        for item, known in pending
        if known is not None and not _unchanged(known, item, publishers, options)
    ]
    rows = Dataset.objects.defer("graph").in_bulk(changed_pks) if changed_pks else {}
    new_rows, changed_rows, outcomes = [], [], []
    taken: set[str] | None = None
    now = timezone.now()
    for item, known in pending:
        if known is not None and known.pk not in rows:
            outcomes.append((known.pk, item.subject.value, "unchanged"))
            continue
        if known is None:
            taken = _taken_names(chunk) if taken is None else taken
            row = Dataset(name=_name_for(item, taken), iri=item.subject.value)
            row.status = Dataset.Status.PUBLISHED if options.publish else Dataset.Status.DRAFT
            row.published_at = now if options.publish else None
            new_rows.append((row, item.fields))
            outcomes.append((row, None, "created"))
        else:
            row = rows[known.pk]
            changed_rows.append((row, item.fields))
            outcomes.append((row, None, "updated"))
        _apply(row, item, publishers.resolve(item.fields), options, now)
    return new_rows, changed_rows, outcomes


def _apply(row: Dataset, item: Entry, org: Organisation, options: WriteOptions, now) -> None:
    row.iri = item.subject.value
    row.kind = item.kind
    row.publisher = org
    row.is_demo = options.is_demo
    row.source = options.source[:1000]
    if options.harvest is not None:
        row.harvest_source = options.harvest
        row.original_identifier = (item.fields.identifier or item.subject.value)[:1000]
        row.first_seen = row.first_seen or now
        row.last_seen = now
        if row.status == Dataset.Status.WITHDRAWN:  # back at its source: public again
            row.status = Dataset.Status.PUBLISHED
    set_projection(row, item.graph, item.graph_hash, item.fields)


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


def find_existing(chunk: Sequence[Entry]) -> dict[str, _Known]:
    """Stored datasets of a chunk by IRI; entries without an IRI match are looked up by
    dct:identifier (``"#" + identifier`` keys), which needs their projection."""
    columns = ["pk", "iri", "identifier", "graph_hash", "publisher_id", "status"]
    columns.append("harvest_source_id")
    found: dict[str, _Known] = {}
    iris = [p.subject.value for p in chunk]
    for values in Dataset.objects.filter(iri__in=iris).values_list(*columns):
        found[values[1]] = _Known(*values)
    identifiers = [
        p.fields.identifier for p in chunk if p.subject.value not in found and p.fields.identifier
    ]
    if identifiers:
        for values in Dataset.objects.filter(identifier__in=identifiers).values_list(*columns):
            found.setdefault("#" + values[2], _Known(*values))
    return found


def _by_identifier(existing: dict[str, _Known], item: Entry) -> _Known | None:
    identifier = item.fields.identifier
    return existing.get("#" + identifier) if identifier else None


def _unchanged(
    known: _Known, item: Entry, publishers: "_Publishers", options: WriteOptions
) -> bool:
    """Same canonical graph and the same publisher (and, when harvesting, the same
    source and not withdrawn). A harvested record's publisher comes from its graph or
    the source, so an equal graph needs no projection to tell."""
    if known.graph_hash != item.graph_hash:
        return False
    harvest = options.harvest
    if harvest is not None:
        if known.harvest_source_id != harvest.pk or known.status == Dataset.Status.WITHDRAWN:
            return False
        if options.publisher is None:
            return True
    return known.publisher_id == publishers.resolve(item.fields).pk


def _report_entries(outcomes: list) -> list[ImportedEntry]:
    """Report lines; names of unchanged rows are read in one query."""
    unchanged = [pk for pk, _, outcome in outcomes if outcome == "unchanged"]
    names = dict(Dataset.objects.filter(pk__in=unchanged).values_list("pk", "name"))
    return [
        ImportedEntry(names[row], iri, outcome, row)
        if outcome == "unchanged"
        else ImportedEntry(row.name, row.iri, outcome, row.pk)
        for row, iri, outcome in outcomes
    ]


def _taken_names(chunk: Sequence[Entry]) -> set[str]:
    """Names already used by the stems this chunk will ask for (one query)."""
    stems = list({item.stem for item in chunk})
    return set(Dataset.objects.filter(name__in=stems).values_list("name", flat=True))


def _name_for(item: Entry, taken: set[str]) -> str:
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
