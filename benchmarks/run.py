"""Run the benchmarks and print their figures as JSON.

Each run uses a fresh SQLite database in a temporary folder (or DATABASE_URL when set,
whose test database is created and dropped), so figures are reproducible.
"""

import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

IMPORT_COUNT = int(os.environ.get("BENCH_IMPORT_DATASETS", "10000"))
PAGE_REQUESTS = int(os.environ.get("BENCH_PAGE_REQUESTS", "40"))
SHACL_RECORDS = 10_000  # fixed: the figure is named after it
DATABASE_URL = os.environ.get("DATABASE_URL", "")  # before a scratch database replaces it


def _postgres_scratch_database() -> str | None:
    """On PostgreSQL, benchmark in a scratch database next to the configured one."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        return None
    import psycopg

    name = f"allmende_bench_{os.getpid()}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = url.rsplit("/", 1)[0] + "/" + name
    return url


def _drop_scratch_database(url: str) -> None:
    import psycopg
    from django.db import connections

    connections.close_all()
    name = os.environ["DATABASE_URL"].rsplit("/", 1)[1]
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')


def setup_django(var_dir: str) -> None:
    os.environ["ALLMENDE_VAR_DIR"] = var_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "allmende.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def bench_import() -> dict:
    from pyoxigraph import RdfFormat

    from allmende.catalog.models import Dataset
    from allmende.catalog.services.importing import import_rdf
    from benchmarks.generate import catalogue

    data = catalogue(IMPORT_COUNT).encode("utf-8")
    started = time.perf_counter()
    report = import_rdf(data, fmt=RdfFormat.TURTLE, source="benchmark")
    first = time.perf_counter() - started
    assert report.count("created") == IMPORT_COUNT == Dataset.objects.count()
    started = time.perf_counter()
    again = import_rdf(data, fmt=RdfFormat.TURTLE, source="benchmark")
    second = time.perf_counter() - started
    assert again.count("unchanged") == IMPORT_COUNT
    return {
        "import_datasets": IMPORT_COUNT,
        "import_file_bytes": len(data),
        "import_seconds": round(first, 3),
        "import_datasets_per_second": round(IMPORT_COUNT / first),
        "reimport_unchanged_seconds": round(second, 3),
        "reimport_unchanged_datasets_per_second": round(IMPORT_COUNT / second),
    }


def bench_catalog_page() -> dict:
    from django.conf import settings
    from django.test import Client

    client = Client()
    size = settings.ALLMENDE_CATALOG_PAGE_SIZE
    figures: dict = {"catalog_page_size": size}
    for ext in ("ttl", "nt", "jsonld", "rdf"):
        timings = []
        for n in range(PAGE_REQUESTS):
            page = 1 + (n * 7) % max(1, IMPORT_COUNT // size)
            started = time.perf_counter()
            response = client.get(f"/catalog.{ext}?page={page}")
            timings.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        figures[f"catalog_{ext}_page_ms_median"] = round(statistics.median(timings), 2)
        figures[f"catalog_{ext}_page_ms_p95"] = round(
            sorted(timings)[int(len(timings) * 0.95) - 1], 2
        )
    figures["catalog_page_bytes_ttl"] = len(client.get("/catalog.ttl?page=2").content)
    return figures


def bench_quality() -> dict:
    """SHACL and MQA scoring of the datasets bench_import stored, through the worker's
    batch service, URL reachability from prefilled URL checks (see benchmarks/quality.py)."""
    from benchmarks.quality import bench_quality as run

    return run()


def bench_harvest() -> dict:
    import logging

    from benchmarks.harvest import bench_harvest as run

    logging.disable(logging.INFO)  # one log line per run is not what is measured
    try:
        return run()
    finally:
        logging.disable(logging.NOTSET)


def bench_sensors() -> dict:
    from benchmarks.sensors import bench_ingest, bench_mqtt, bench_queries, bench_series

    results = bench_ingest()
    results.update(bench_queries())  # reads what the ingest stored
    results.update(bench_mqtt())
    results.update(bench_series())  # last: it adds ten million observations
    return results


def bench_shacl() -> dict:
    """SHACL-validate 10,000 generated records one by one (each its own graph, as stored),
    in this one process: the figure for one core."""
    from pyoxigraph import RdfFormat

    from allmende.catalog.dcat.canon import canonical_ntriples
    from allmende.catalog.dcat.extract import split_document
    from allmende.catalog.dcat.rdfio import parse_rdf
    from allmende.catalog.quality import shacl
    from benchmarks.generate import catalogue

    document = split_document(parse_rdf(catalogue(SHACL_RECORDS), RdfFormat.TURTLE))
    records = [
        (e.subject.value, canonical_ntriples(e.subject, e.triples)[0]) for e in document.entries
    ]
    shacl.shapes()  # compiled once per process, on first use (about 20 ms); not measured here
    started = time.perf_counter()
    reports = shacl.validate_many(records)
    seconds = time.perf_counter() - started
    assert len(reports) == SHACL_RECORDS and all(r.conforms for r in reports)
    return {
        "shacl_records": SHACL_RECORDS,
        "shacl_10000_seconds": round(seconds, 3),
        "shacl_records_per_second": round(SHACL_RECORDS / seconds),
    }


def bench_search() -> dict:
    """Search at national scale (BENCH_SEARCH_DATASETS, default 1,000,000) in a process and
    database of its own: see benchmarks/catalogue_search.py."""
    import subprocess

    env = {**os.environ, "DATABASE_URL": DATABASE_URL}
    script = Path(__file__).with_name("catalogue_search.py")
    done = subprocess.run(
        [sys.executable, str(script)], env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout)


def main() -> None:
    postgres = _postgres_scratch_database()
    try:
        with tempfile.TemporaryDirectory(prefix="allmende-bench-") as var_dir:
            setup_django(var_dir)
            results = {"database": _engine()}
            results.update(bench_import())
            results.update(bench_catalog_page())
            results.update(bench_shacl())
            results.update(bench_quality())  # before the harvest adds more datasets
            results.update(bench_harvest())
            results.update(bench_sensors())
            results.update(bench_search())
            results["goals"] = {
                "import_datasets_per_second": ">= 1000",
                "catalog_ttl_page_ms_median": "<= 50 (100 datasets)",
                "shacl_records_per_second": ">= 2000 (one core)",
                "quality_10000_seconds": "< 60 (SHACL and scoring, 2 cores)",
                "harvest_first_run_datasets_per_second": ">= 1000 (50,000 datasets)",
                "harvest_unchanged_run_datasets_per_second": ">= 5000, with 0 writes",
                "sta_data_array_observations_per_second": ">= 20000 (2 cores)",
                "mqtt_observations_per_second": ">= 20000 (2 cores)",
                "latest_2000_datastreams_ms_p95": "<= 50",
                "hourly_aggregate_one_year_ms_p95": "<= 200 (10,000,000 observations)",
                "count_time_range_ms_p95": "<= 100 (10,000,000 observations)",
                "sta_count_time_range_ms_p95": "<= 100 ($count with a time $filter, 10,000,000)",
                "search_p95_ms": "<= 50 (1,000,000 datasets, 30 queries, five facets)",
                "package_show_p95_ms": "<= 10 (over HTTP)",
            }
            print(json.dumps(results, indent=2))
    finally:
        if postgres:
            _drop_scratch_database(postgres)


def _engine() -> str:
    from django.db import connection

    return connection.vendor


if __name__ == "__main__":
    main()
