"""Measure metadata quality: MQA scores of datasets, reachability of their URLs, and daily
figures for charts.

Quality is derived data. Imports, harvests and edits never wait for it: the background
worker measures, every 30 seconds, the datasets whose graph changed since their last
measurement (:func:`measure_stale`), checks URLs that are new or due again
(``url_checks.check_due_urls``) and writes the day's figures (:func:`take_snapshot`).
``allmende catalog quality`` does the same on demand. Everything here is safe to run in
several workers at once: measuring twice writes the same rows, and URL checks are claimed
in the database before they are made.
"""

import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import django
from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from pyoxigraph import NamedNode

from ..dcat.canon import parse_ntriples
from ..models import Dataset, DatasetFacet, QualityMeasurement, QualitySnapshot, UrlCheck
from ..quality import figures, mqa, shacl
from ..search import receivers as search_receivers

#: The most failing SHACL rules kept with a measurement.
KEEP_MESSAGES = 20
#: Rows per query when looking up many values with IN.
CHUNK = 500


def chunks(items: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def stale_datasets(limit: int) -> list[int]:
    """Datasets (not series or services) never measured, or whose graph changed since,
    or whose rating facet is missing (an edit rewrote the facets)."""
    current = QualityMeasurement.objects.filter(
        dataset=OuterRef("pk"), graph_hash=OuterRef("graph_hash")
    )
    faceted = DatasetFacet.objects.filter(dataset=OuterRef("pk"), facet="quality")
    stale = Dataset.objects.filter(kind=Dataset.Kind.DATASET).filter(
        ~Exists(current) | ~Exists(faceted)
    )
    return list(stale.order_by("pk").values_list("pk", flat=True)[:limit])


@dataclass
class Computed:
    """One dataset's measurement, before it is stored."""

    pk: int
    graph_hash: str
    assessment: mqa.Assessment
    violations: int
    warnings: int
    messages: list[dict]


def measure_datasets(pks: Iterable[int], *, processes: int | None = None) -> int:
    """Measure the given datasets now and store the results; returns how many.

    SHACL validation and scoring run in ``processes`` processes (default
    ``ALLMENDE_QUALITY_PROCESSES``) when there is enough work for more than one.
    """
    rows: list[tuple[int, str, str, str]] = []
    for chunk in chunks(list(pks)):
        rows += Dataset.objects.filter(pk__in=chunk, kind=Dataset.Kind.DATASET).values_list(
            "pk", "iri", "graph", "graph_hash"
        )
    if not rows:
        return 0
    urls = sorted({url for _pk, _iri, graph, _hash in rows for url in mqa.urls_in(graph)})
    status = url_statuses(urls, register=True)
    computed = compute(rows, status, processes=processes)
    _store(computed)
    # The rating is a search facet: the index follows once the rows are committed.
    measured = [item.pk for item in computed]
    transaction.on_commit(lambda: search_receivers.on_measured(measured))
    return len(computed)


def compute(
    rows: list[tuple[int, str, str, str]], status: dict[str, int], *, processes: int | None = None
) -> list[Computed]:
    """SHACL and MQA for (pk, iri, graph, graph_hash) rows; no database."""
    processes = processes or settings.ALLMENDE_QUALITY_PROCESSES
    if processes <= 1 or len(rows) < 200 * processes:
        return compute_chunk(rows, status)
    size = -(-len(rows) // processes)
    parts = [rows[i : i + size] for i in range(0, len(rows), size)]
    # Fresh processes (safe beside threads); they never touch the database.
    with multiprocessing.get_context("spawn").Pool(processes, initializer=django.setup) as pool:
        results = pool.starmap(compute_chunk, [(part, status) for part in parts])
    return [item for part in results for item in part]


def compute_chunk(rows: list[tuple[int, str, str, str]], status: dict[str, int]) -> list[Computed]:
    reports = validate_graphs([(iri, graph) for _pk, iri, graph, _hash in rows])
    out = []
    for (pk, iri, graph, graph_hash), report in zip(rows, reports, strict=True):
        violations = len(report.violations)
        assessment = mqa.assess(
            NamedNode(iri), parse_ntriples(graph), shacl_violations=violations, url_status=status
        )
        messages = [
            {"severity": r.severity, "focus": r.focus, "path": r.path, "message": r.message}
            for r in report.results[:KEEP_MESSAGES]
        ]
        out.append(Computed(pk, graph_hash, assessment, violations, len(report.warnings), messages))
    return out


def validate_graphs(records: list[tuple[str, str]]) -> list[shacl.Report]:
    """One SHACL report per (IRI, stored graph), with the batch API where there is one."""
    many: Callable | None = getattr(shacl, "validate_many", None)
    if many is not None:
        return list(many(records))
    return [shacl.validate_graph(graph, fmt="nt") for _iri, graph in records]


def _measurement(item: Computed, now) -> QualityMeasurement:
    assessment = item.assessment
    indicators = assessment.indicators_json()
    return QualityMeasurement(
        dataset_id=item.pk,
        total=assessment.total,
        band=assessment.band,
        **assessment.dimensions,
        indicators=indicators,
        distributions=assessment.distributions,
        pending_urls=any(i.get("pending") for i in indicators.values()),
        shacl_violations=item.violations,
        shacl_warnings=item.warnings,
        shacl_messages=item.messages,
        graph_hash=item.graph_hash,
        measured_at=now,
    )


_UPDATED = [
    f.name for f in QualityMeasurement._meta.concrete_fields if f.name not in ("id", "dataset")
]


@transaction.atomic
def _store(computed: list[Computed]) -> None:
    now = timezone.now()
    pks = [item.pk for item in computed]
    alive: set[int] = set()
    for chunk in chunks(pks):  # a dataset deleted meanwhile is left out
        alive |= set(Dataset.objects.filter(pk__in=chunk).values_list("pk", flat=True))
    kept = [item for item in computed if item.pk in alive]
    QualityMeasurement.objects.bulk_create(
        [_measurement(item, now) for item in kept],
        update_conflicts=True,
        unique_fields=["dataset"],
        update_fields=_UPDATED,
        batch_size=500,
    )
    for chunk in chunks(pks):
        DatasetFacet.objects.filter(dataset_id__in=chunk, facet="quality").delete()
    DatasetFacet.objects.bulk_create(
        [
            DatasetFacet(dataset_id=item.pk, facet="quality", value=item.assessment.band)
            for item in kept
        ],
        ignore_conflicts=True,
        batch_size=1000,
    )


def measure_stale(limit: int | None = None) -> int:
    """Measure up to ``limit`` (``ALLMENDE_QUALITY_BATCH``) out-of-date datasets."""
    pks = stale_datasets(limit or settings.ALLMENDE_QUALITY_BATCH)
    return measure_datasets(pks) if pks else 0


def measurement_for(dataset: Dataset) -> QualityMeasurement | None:
    """The dataset's current measurement; measured now if it has none or an outdated one."""
    found = QualityMeasurement.objects.filter(dataset=dataset).first()
    if found is not None and found.graph_hash == dataset.graph_hash:
        return found
    if dataset.kind != Dataset.Kind.DATASET:
        return None
    measure_datasets([dataset.pk])
    return QualityMeasurement.objects.filter(dataset=dataset).first()


def url_statuses(urls: Sequence[str], *, register: bool = False) -> dict[str, int]:
    """The last status of each checked URL (URLs not checked yet are left out). With
    ``register``, URLs without a row get one, so the URL checks pick them up."""
    known: dict[str, int | None] = {}
    for chunk in chunks(urls):
        known.update(UrlCheck.objects.filter(url__in=chunk).values_list("url", "status"))
    if register:
        new = [UrlCheck(url=url) for url in urls if url not in known and len(url) <= 2000]
        UrlCheck.objects.bulk_create(new, ignore_conflicts=True, batch_size=1000)
    return {url: status for url, status in known.items() if status is not None}


def take_snapshot(day: date | None = None) -> int:
    """Write (or rewrite) the day's figures of the published datasets: the catalogue, each
    publisher and each harvest source. Returns the number of rows written."""
    day = day or timezone.localdate()
    rows = [
        QualitySnapshot(date=day, scope=scope, object_id=key, label=label[:300], **values)
        for scope, key, label, values in figures.snapshot_rows()
    ]
    QualitySnapshot.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["scope", "object_id", "date"],
        update_fields=["label", "datasets", "mean_score", *figures.BAND_NAMES, "dimensions"],
    )
    return len(rows)


def daily_snapshot() -> int:
    """The worker task: today's figures, and URL checks no distribution needs any more."""
    from .url_checks import forget_unused_urls

    forget_unused_urls()
    return take_snapshot()
