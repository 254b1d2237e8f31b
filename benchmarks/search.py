"""Benchmark of search: build an index of generated documents and time faceted queries.

    python benchmarks/search.py [COUNT]      (default BENCH_SEARCH_DOCS or 100,000)

Documents are generated directly (no dataset rows): German titles, keywords and
descriptions from a fixed vocabulary, 50 publishers, 13 themes, 10 formats, 5 licences,
4 quality bands, 20 harvest sources, dates over ten years and a box for most of them.
The tantivy backend runs, and the PostgreSQL backend when DATABASE_URL names a PostgreSQL
server (in a scratch database, dropped afterwards); BENCH_SEARCH_BACKENDS=tantivy or
=postgres picks one. Figures per backend: index build seconds, p50/p95/max milliseconds
of 30 queries (text and/or filters, five facets, 20 results) in a second round, the first
round, and the first query of a new backend instance on the built index (a new process:
tantivy opens its index, PostgreSQL loads its bitmaps). No results are cached.
"""

import json
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

COUNT = (
    int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("BENCH_SEARCH_DOCS", "100000"))
)
#: BENCH_SEARCH_BACKENDS=tantivy,postgres (default both; postgres needs DATABASE_URL).
BACKENDS = os.environ.get("BENCH_SEARCH_BACKENDS", "tantivy,postgres").split(",")
FACET_FIELDS = ("publisher", "theme", "keyword", "format", "license")
_STEMS = [
    "baum",
    "strasse",
    "verkehr",
    "wasser",
    "luft",
    "haushalt",
    "schule",
    "kita",
    "park",
    "rad",
    "weg",
    "bus",
    "bahn",
    "strom",
    "energie",
    "wahl",
    "bevolkerung",
    "gebaude",
    "denkmal",
    "friedhof",
    "sport",
    "bad",
    "markt",
    "kultur",
    "museum",
    "bibliothek",
    "umwelt",
    "larm",
    "boden",
    "klima",
    "wetter",
    "parkplatz",
    "ampel",
    "baustelle",
    "brucke",
    "tunnel",
    "abfall",
    "wertstoff",
    "spielplatz",
    "hund",
    "steuer",
    "gewerbe",
    "tourismus",
    "hotel",
    "bauantrag",
    "bebauungsplan",
]
_SUFFIXES = ("", "e", "en", "n", "er", "kataster", "zahlung", "plan", "daten", "netz")
VOCABULARY = [stem + suffix for stem in _STEMS for suffix in _SUFFIXES]
KEYWORDS = [w.capitalize() for w in VOCABULARY[:300]]
THEMES = [
    "AGRI",
    "ECON",
    "EDUC",
    "ENER",
    "ENVI",
    "GOVE",
    "HEAL",
    "INTR",
    "JUST",
    "REGI",
    "SOCI",
    "TECH",
    "TRAN",
]


def generate(count: int, seed: int = 1):
    from allmende.catalog.search import SearchDocument

    rng = random.Random(seed)
    start = datetime(2015, 1, 1, tzinfo=UTC)
    for pk in range(1, count + 1):
        west, south = rng.uniform(6, 14), rng.uniform(47.5, 54)
        yield SearchDocument(
            id=pk,
            title=" ".join(rng.choices(VOCABULARY, k=rng.randint(3, 7))).capitalize(),
            description=" ".join(rng.choices(VOCABULARY, k=rng.randint(20, 60))),
            keywords=rng.sample(KEYWORDS, rng.randint(2, 6)),
            facets={
                "publisher": [f"org-{rng.randint(1, 50)}"],
                "theme": rng.sample(THEMES, rng.randint(1, 2)),
                "keyword": [],
                "format": rng.sample(
                    ["CSV", "JSON", "XML", "PDF", "XLSX", "WMS", "WFS", "GEOJSON", "SHP", "ZIP"],
                    rng.randint(1, 3),
                ),
                "license": [f"licence-{rng.randint(1, 5)}"],
                "quality": [rng.choice(["excellent", "good", "sufficient", "bad"])],
                "source": [f"source-{rng.randint(1, 20)}"] if pk % 3 else [],
            },
            modified=start + timedelta(days=rng.randint(0, 3650)),
            issued=start + timedelta(days=rng.randint(0, 365)),
            published=pk % 10 != 0,
            publisher_id=rng.randint(1, 50),
            bbox=(west, south, west + 0.3, south + 0.2) if pk % 4 else None,
        )


def _with_keyword_facet(docs):
    for doc in docs:
        doc.facets["keyword"] = list(doc.keywords)
        yield doc


def queries():
    from allmende.catalog.search import SearchQuery

    rng = random.Random(7)
    out = []
    for n in range(30):
        kwargs: dict = {"facet_fields": FACET_FIELDS, "facet_limit": 10, "limit": 20}
        if n % 3 != 2:
            kwargs["text"] = " ".join(rng.sample(VOCABULARY, 1 + n % 2))
        if n % 2:
            kwargs["filters"] = {"theme": [rng.choice(THEMES)], "format": ["CSV", "JSON"]}
        if n % 5 == 0:
            kwargs["sort"] = "modified"
        if n % 7 == 0:
            kwargs["bbox"] = (10.0, 50.0, 12.0, 52.0)
        out.append(SearchQuery(**kwargs))
    return out


def timed(backend, asked) -> list[float]:
    """Milliseconds of each query, sorted."""
    times = []
    for query in asked:
        started = time.perf_counter()
        backend.search(query)
        times.append((time.perf_counter() - started) * 1000)
    return sorted(times)


def summary(times: list[float]) -> dict:
    """p50, p95 and max of sorted milliseconds."""
    return {
        "p50_ms": round(statistics.median(times), 1),
        "p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 1),
        "max_ms": round(times[-1], 1),
    }


def measure(backend, count: int, fresh=None) -> dict:
    """Build the index of ``count`` documents, then time the queries; ``fresh()`` makes a
    new backend instance on the same index, whose first query is reported as the cold
    start (loading what the process keeps in memory)."""
    started = time.perf_counter()
    backend.replace_all(_with_keyword_facet(generate(count)))
    build = time.perf_counter() - started
    asked = queries()
    cold = {}
    if fresh is not None:
        started = time.perf_counter()
        fresh().search(asked[0])
        cold["first_query_fresh_process_ms"] = round((time.perf_counter() - started) * 1000, 1)
    first = timed(backend, asked)  # first round: every query's first run
    return {
        "documents": count,
        "build_seconds": round(build, 1),
        **summary(timed(backend, asked)),
        "first_round": summary(first),
        **cold,
    }


def main() -> None:
    from run import _drop_scratch_database, _postgres_scratch_database, setup_django

    figures = {}
    scratch = _postgres_scratch_database()
    with tempfile.TemporaryDirectory() as var_dir:
        setup_django(var_dir)
        from allmende.catalog.search.tantivy_backend import TantivyBackend

        path = Path(var_dir) / "search"
        if "tantivy" in BACKENDS:
            figures["tantivy"] = measure(
                TantivyBackend(path), COUNT, fresh=lambda: TantivyBackend(path)
            )
        if scratch:
            from allmende.catalog.search.postgres_backend import PostgresBackend

            if "postgres" in BACKENDS:
                figures["postgres"] = measure(PostgresBackend(), COUNT, fresh=PostgresBackend)
            _drop_scratch_database(scratch)
    print(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
