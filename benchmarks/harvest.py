"""Harvest benchmark: a hydra-paged DCAT-AP.de source of generated datasets, served by a
real HTTP server on 127.0.0.1, harvested twice (first run, then unchanged)."""

import os
import random
import time

from benchmarks.generate import HEAD, dataset

HARVEST_COUNT = int(os.environ.get("BENCH_HARVEST_DATASETS", "50000"))
PAGE_SIZE = int(os.environ.get("BENCH_HARVEST_PAGE_SIZE", "1000"))
OFFSET = 1_000_000  # dataset numbers apart from the import benchmark's


def _pages(base: str) -> dict[str, bytes]:
    rng = random.Random(7)
    pages = {}
    count = -(-HARVEST_COUNT // PAGE_SIZE)
    for index in range(count):
        url = f"{base}/catalog.ttl?page={index + 1}"
        view = (
            f"<{url}> a <http://www.w3.org/ns/hydra/core#PartialCollectionView> ; "
            f'<http://www.w3.org/ns/hydra/core#totalItems> "{HARVEST_COUNT}"^^xsd:integer'
        )
        if index + 1 < count:
            view += (
                f" ; <http://www.w3.org/ns/hydra/core#next> <{base}/catalog.ttl?page={index + 2}>"
            )
        numbers = range(
            OFFSET + index * PAGE_SIZE, OFFSET + min((index + 1) * PAGE_SIZE, HARVEST_COUNT)
        )
        body = HEAD + view + " .\n" + "".join(dataset(n, rng) for n in numbers)
        pages[f"/catalog.ttl?page={index + 1}"] = body.encode()
    return pages


def bench_harvest() -> dict:
    from django.conf import settings
    from tests.localsite import serve

    from allmende.catalog.models import Dataset, HarvestSource
    from allmende.catalog.services.harvesting import run_harvest, save_source

    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with serve() as site:
        for path, body in _pages(site.url).items():
            site.set(path, body)
        source = save_source(
            HarvestSource(name="bench", url=f"{site.url}/catalog.ttl?page=1", interval_hours=0),
            by=None,
        )
        started = time.perf_counter()
        first = run_harvest(source)
        first_seconds = time.perf_counter() - started
        assert first.status == "succeeded" and first.created == HARVEST_COUNT, first.summary
        stamp = Dataset.objects.filter(harvest_source=source).order_by("-updated").first().updated
        started = time.perf_counter()
        second = run_harvest(source)
        second_seconds = time.perf_counter() - started
        assert second.unchanged == HARVEST_COUNT, second.summary
        writes = Dataset.objects.filter(harvest_source=source, updated__gt=stamp).count()
    return {
        "harvest_datasets": HARVEST_COUNT,
        "harvest_page_size": PAGE_SIZE,
        "harvest_first_run_seconds": round(first_seconds, 2),
        "harvest_first_run_datasets_per_second": round(HARVEST_COUNT / first_seconds),
        "harvest_unchanged_run_seconds": round(second_seconds, 2),
        "harvest_unchanged_run_datasets_per_second": round(HARVEST_COUNT / second_seconds),
        "harvest_unchanged_run_dataset_writes": writes,
    }
