"""Search at national scale: a catalogue of generated datasets, its index, its queries, and
a real server answering the CKAN API over HTTP.

    python benchmarks/catalogue_search.py      (BENCH_SEARCH_DATASETS, default 1,000,000)

Runs in a fresh database of its own (a temporary SQLite file, or a scratch database next
to DATABASE_URL on PostgreSQL) and prints JSON:

- ``search_build_seconds``: ``allmende catalog reindex``'s path (``search.rebuild``) over
  the dataset rows, on the backend the database gets (tantivy on SQLite, PostgreSQL else);
- ``search_p50_ms``/``search_p95_ms``: the 30 fixed queries of benchmarks/search.py (text
  and/or filters, five facets, 20 results) against that backend, after one round; the
  first round is reported as ``search_first_round_*`` (nothing is cached between rounds
  but what the engines keep: tantivy's file pages, the PostgreSQL backend's bitmaps);
- ``package_show_*`` and ``package_search_*``: milliseconds over HTTP against
  ``allmende serve`` (one gunicorn worker) on the same database, the same 30 queries as
  CKAN parameters; ``package_search_first_ms`` is the server's first search (cold: the
  PostgreSQL backend loads its bitmaps then, tantivy opens its index);
- ``server_peak_memory_mb``: the worker's VmHWM from /proc after those requests.

The datasets are written as rows directly (COPY on PostgreSQL, one prepared INSERT per
table on SQLite): German titles, descriptions and keywords from the vocabulary of
benchmarks/search.py, 50 publishers, 13 themes, 10 formats, 5 licences, a box for most.
"""

import hashlib
import json
import os
import random
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

COUNT = int(os.environ.get("BENCH_SEARCH_DATASETS", "1000000"))
HTTP_REQUESTS = int(os.environ.get("BENCH_HTTP_REQUESTS", "200"))
BASE = "https://daten.example.org"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
LICENCES = [
    "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
    "http://dcat-ap.de/def/licenses/cc-by/4.0",
    "http://dcat-ap.de/def/licenses/cc-by-sa/4.0",
    "http://dcat-ap.de/def/licenses/cc-zero",
]
TOWNS = ["Jena", "Erfurt", "Weimar", "Gera", "Gotha", "Suhl", "Eisenach", "Nordhausen"]
CKAN_FACETS = '["organization", "groups", "tags", "res_format", "license_id"]'


def _literal(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def graph(pk: int, fields: dict, formats: list[str]) -> str:
    """The dataset's N-Triples: what an import of the same description would store."""
    s = f"<{BASE}/dataset/{pk}>"
    dcat, dct = "http://www.w3.org/ns/dcat#", "http://purl.org/dc/terms/"
    lines = [
        f"{s} <http://www.w3.org/1999/02/22-rdf-syntax-ns#type> <{dcat}Dataset> .",
        f'{s} <{dct}title> "{_literal(fields["title"])}"@de .',
        f'{s} <{dct}description> "{_literal(fields["description"])}"@de .',
        f'{s} <{dct}identifier> "bench-{pk}" .',
        *(f'{s} <{dcat}keyword> "{_literal(k)}"@de .' for k in fields["keywords"]),
        *(f"{s} <{dcat}theme> <{t}> ." for t in fields["themes"]),
    ]
    for n, fmt in enumerate(formats):
        d = f"<{BASE}/dataset/{pk}/d{n}>"
        lines += [
            f"{s} <{dcat}distribution> {d} .",
            f"{d} <{dcat}accessURL> <{BASE}/files/{pk}/{n}.{fmt.lower()}> .",
            f"{d} <{dct}format> <{FILE_TYPE}{fmt}> .",
            f"{d} <{dct}license> <{fields['license']}> .",
        ]
    return "\n".join(sorted(lines)) + "\n"


def _rows(doc, orgs: dict, now: datetime) -> tuple[dict, list[tuple], list[str]]:
    """A dataset row (by attname), its distribution rows and formats, from a generated
    search document."""
    pk = doc.id
    formats = doc.facets["format"]
    fields = {
        "id": pk,
        "name": f"datensatz-{pk}",
        "iri": f"{BASE}/dataset/{pk}",
        "identifier": f"bench-{pk}",
        "status": "published" if doc.published else "draft",
        "publisher_id": orgs[doc.facets["publisher"][0]].pk,
        "title": doc.title,
        "description": doc.description.capitalize() + ".",
        "keywords": doc.keywords,
        "themes": [THEME + t for t in doc.facets["theme"]],
        "formats": formats,
        "license": LICENCES[int(doc.facets["license"][0].rsplit("-", 1)[1]) - 1],
        "modified": doc.modified,
        "issued": doc.issued,
        "source": "benchmark",
        "created": now,
        "updated": now,
        "published_at": now if doc.published else None,
    }
    if doc.bbox:
        w, s, e, n = doc.bbox
        fields["spatial"] = f"POLYGON(({w} {s}, {e} {s}, {e} {n}, {w} {n}, {w} {s}))"
    fields["graph"] = graph(pk, fields, formats)
    fields["graph_hash"] = hashlib.sha256(fields["graph"].encode()).hexdigest()
    distributions = [
        (pk, f"{BASE}/dataset/{pk}/d{n}", n, "", "", url, url, fmt, "", fields["license"], None, "")
        for n, fmt in enumerate(formats)
        for url in [f"{BASE}/files/{pk}/{n}.{fmt.lower()}"]
    ]
    return fields, distributions, formats


def write_catalogue(count: int, chunk: int = 5000) -> None:
    """Write ``count`` datasets with their distributions and facet rows."""
    from django.core.management.color import no_style
    from django.db import connection, transaction

    from allmende.catalog.models import Dataset, DatasetFacet, Distribution
    from allmende.catalog.services.bulk import insert_values
    from allmende.catalog.services.graphs import DISTRIBUTION_COLUMNS, facet_values
    from allmende.catalog.services.writing import planner
    from allmende.core.models import Organisation
    from search import generate

    rng = random.Random(3)
    orgs = {}
    for n in range(1, 51):
        town = rng.choice(TOWNS)
        orgs[f"org-{n}"] = Organisation.objects.create(
            slug=f"org-{n}", name=f"Stadtverwaltung {town} ({n})", iri=f"{BASE}/org/{n}"
        )
    columns = [f.attname for f in Dataset._meta.concrete_fields]
    defaults = {f.attname: f.get_default() for f in Dataset._meta.concrete_fields}
    now = datetime.now(UTC)
    docs = generate(count)
    while batch := [doc for _n, doc in zip(range(chunk), docs, strict=False)]:
        datasets, distributions, facets = [], [], []
        for doc in batch:
            fields, dists, _formats = _rows(doc, orgs, now)
            datasets.append(tuple(fields.get(c, defaults[c]) for c in columns))
            distributions += dists
            row = Dataset(publisher=orgs[doc.facets["publisher"][0]], **fields)
            facets += [(doc.id, f, v) for f, v in facet_values(row)]
        with transaction.atomic():
            insert_values(Dataset, columns, datasets)
            insert_values(Distribution, DISTRIBUTION_COLUMNS, distributions)
            insert_values(DatasetFacet, ["dataset_id", "facet", "value"], facets)
        planner.grew(len(datasets))  # fit foreign-key check plans to the growing tables
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Dataset]):
            cursor.execute(sql)
        if connection.vendor == "postgresql":
            cursor.execute("ANALYZE")


def _summary(prefix: str, times: list[float]) -> dict:
    times = sorted(times)
    return {
        f"{prefix}_p50_ms": round(statistics.median(times), 2),
        f"{prefix}_p95_ms": round(times[max(0, int(len(times) * 0.95) - 1)], 2),
    }


def bench_backend() -> dict:
    """Rebuild the index from the rows and time the 30 queries."""
    from allmende.catalog import search
    from search import queries, timed

    backend = search.get_backend()
    started = time.perf_counter()
    indexed = search.rebuild(backend)
    build = time.perf_counter() - started
    asked = queries()
    first = timed(backend, asked)
    again = timed(backend, asked)
    return {
        "search_backend": backend.name,
        "search_documents": indexed,
        "search_build_seconds": round(build, 1),
        **_summary("search", again),
        **_summary("search_first_round", first),
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=600) as response:  # noqa: S310 (our server)
        body = json.loads(response.read())
    assert body["success"], body
    return (time.perf_counter() - started) * 1000


def _search_params(query) -> dict:
    """A benchmark query as CKAN package_search parameters (same words, filters, facets)."""
    params = {"q": query.text, "rows": "20", "facet.field": CKAN_FACETS, "facet.limit": "10"}
    if query.filters:
        themes = " OR ".join(t.lower() for t in query.filters["theme"])
        formats = " OR ".join(query.filters["format"])
        params["fq"] = f"groups:({themes}) AND res_format:({formats})"
    if query.sort == "modified":
        params["sort"] = "metadata_modified desc"
    return params


def _worker_pid(master: int) -> int:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return int(children[0]) if children else master


def _peak_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return round(int(line.split()[1]) / 1024, 1)
    return 0.0


def bench_server(count: int) -> dict:
    """package_show and package_search over HTTP against ``allmende serve``."""
    from search import queries

    port = _free_port()
    command = [sys.executable, "-m", "allmende", "serve", "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", "1", "--timeout", "600", "--no-worker"]
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    api = f"http://127.0.0.1:{port}/api/3/action"
    try:
        for _attempt in range(300):
            try:
                _get(f"{api}/status_show")
                break
            except OSError:
                time.sleep(0.2)
        rng = random.Random(5)
        names = [f"datensatz-{rng.randint(1, count)}" for _n in range(HTTP_REQUESTS)]
        names = [n for n in names if int(n.rsplit("-", 1)[1]) % 10]  # published ones
        shown = [_get(f"{api}/package_show?id={name}") for name in names]
        searched = []
        for query in queries():
            params = urllib.parse.urlencode(_search_params(query))
            searched.append(_get(f"{api}/package_search?{params}"))
        return {
            "http_requests_package_show": len(shown),
            **_summary("package_show", shown),
            **_summary("package_search", searched),
            # the server's first search loads what the engine keeps in memory (cold start)
            "package_search_first_ms": round(searched[0], 1),
            "package_search_max_ms": round(max(searched), 1),
            "server_peak_memory_mb": _peak_mb(_worker_pid(server.pid)),
        }
    finally:
        server.terminate()
        server.wait(timeout=60)


def main() -> None:
    from run import _drop_scratch_database, _postgres_scratch_database, setup_django

    scratch = _postgres_scratch_database()
    try:
        with tempfile.TemporaryDirectory(prefix="allmende-search-bench-") as var_dir:
            setup_django(var_dir)
            from django.db import connection

            started = time.perf_counter()
            write_catalogue(COUNT)
            figures = {
                "search_database": connection.vendor,
                "search_datasets": COUNT,
                "search_catalogue_write_seconds": round(time.perf_counter() - started, 1),
            }
            figures.update(bench_backend())
            connection.close()
            figures.update(bench_server(COUNT))
            print(json.dumps(figures, indent=2))
    finally:
        if scratch:
            _drop_scratch_database(scratch)


if __name__ == "__main__":
    main()
