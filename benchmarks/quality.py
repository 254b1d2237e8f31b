"""Benchmark of metadata quality: SHACL validation and MQA scoring of the datasets the
import benchmark stored, through the batch service the worker uses.

URL reachability comes from URL check rows filled in beforehand (most URLs answer 200,
every tenth access URL 404), so no network is involved. Figures: the seconds for all
datasets (``quality_10000_seconds`` for the default 10,000) and datasets per second.
"""

import os
import time

QUALITY_COUNT = int(os.environ.get("BENCH_QUALITY_DATASETS", "10000"))
#: Processes for SHACL and scoring (the worker's ALLMENDE_QUALITY_PROCESSES): one is
#: fast enough; 2 spawns two processes per batch, which costs more than it saves here.
QUALITY_PROCESSES = int(os.environ.get("BENCH_QUALITY_PROCESSES", "1"))


def _fill_url_checks(pks: list[int]) -> int:
    from django.utils import timezone

    from allmende.catalog.models import Dataset, UrlCheck
    from allmende.catalog.quality.mqa import urls_in

    now = timezone.now()
    urls: set[str] = set()
    for start in range(0, len(pks), 2000):
        graphs = Dataset.objects.filter(pk__in=pks[start : start + 2000]).values_list(
            "graph", flat=True
        )
        urls.update(url for graph in graphs for url in urls_in(graph))
    rows = [
        UrlCheck(url=url, status=404 if n % 10 == 0 else 200, ok=n % 10 != 0, checked_at=now)
        for n, url in enumerate(sorted(urls))
    ]
    UrlCheck.objects.bulk_create(rows, batch_size=2000, ignore_conflicts=True)
    return len(rows)


def bench_quality() -> dict:
    from django.conf import settings
    from django.db.models import Avg, Count

    from allmende.catalog.models import Dataset, QualityMeasurement
    from allmende.catalog.services.quality import measure_datasets

    pks = list(
        Dataset.objects.filter(kind=Dataset.Kind.DATASET)
        .order_by("pk")
        .values_list("pk", flat=True)[:QUALITY_COUNT]
    )
    urls = _fill_url_checks(pks)
    batch = settings.ALLMENDE_QUALITY_BATCH
    started = time.perf_counter()
    measured = 0
    for start in range(0, len(pks), batch):  # as the worker does: one batch per run
        measured += measure_datasets(pks[start : start + batch], processes=QUALITY_PROCESSES)
    seconds = time.perf_counter() - started
    assert measured == len(pks) == QualityMeasurement.objects.filter(dataset__in=pks).count()
    stats = QualityMeasurement.objects.aggregate(mean=Avg("total"))
    bands = dict(QualityMeasurement.objects.values_list("band").annotate(n=Count("pk")))
    return {
        "quality_datasets": len(pks),
        "quality_url_checks": urls,
        "quality_processes": QUALITY_PROCESSES,
        "quality_batch": batch,
        f"quality_{len(pks)}_seconds": round(seconds, 3),
        "quality_datasets_per_second": round(len(pks) / seconds),
        "quality_mean_score": round(stats["mean"] or 0, 1),
        "quality_bands": bands,
    }
