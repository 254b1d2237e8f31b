"""URL reachability against a real local HTTP server, and the worker's quality tasks:
from an imported record to 405 points once its URLs answer."""

import threading
import time
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.utils import timezone
from pyoxigraph import RdfFormat

from allmende.catalog.models import Dataset, QualityMeasurement, QualitySnapshot, UrlCheck
from allmende.catalog.services.importing import import_rdf
from allmende.catalog.services.quality import compute, measure_datasets, measure_stale
from allmende.catalog.services.url_checks import check_due_urls, claim_due_urls
from allmende.core import worker
from allmende.core.net import check_url

from ..conftest import DATA


class Site:
    """Answers HEAD and GET by path; remembers (method, path, time) of each request."""

    def __init__(self) -> None:
        self.url = ""
        self.requests: list[tuple[str, str, float]] = []
        self.status = {"/gone": 404, "/no-head": 200, "/broken": 500}

    def answer(self, handler: BaseHTTPRequestHandler) -> None:
        path = handler.path
        self.requests.append((handler.command, path, time.monotonic()))
        if path == "/moved":
            handler.send_response(301)
            handler.send_header("Location", "/ok")
        elif path == "/no-head" and handler.command == "HEAD":
            handler.send_response(405)
        else:
            handler.send_response(self.status.get(path, 200))
        handler.send_header("Content-Length", "0")
        handler.end_headers()

    def methods(self, path: str) -> list[str]:
        return [method for method, p, _ in self.requests if p == path]


@pytest.fixture
def site(settings) -> Iterator[Site]:
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.ALLMENDE_QUALITY_URL_HOST_DELAY = 0
    found = Site()

    class Handler(BaseHTTPRequestHandler):
        def do_HEAD(self) -> None:
            found.answer(self)

        def do_GET(self) -> None:
            found.answer(self)

        def log_message(self, *args) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    found.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    yield found
    httpd.shutdown()
    httpd.server_close()


def test_check_url_asks_with_head_and_falls_back_to_get(site):
    ok = check_url(site.url + "/ok")
    assert (ok.status, ok.ok) == (200, True)
    assert site.methods("/ok") == ["HEAD"]
    fallback = check_url(site.url + "/no-head")
    assert (fallback.status, fallback.ok) == (200, True)
    assert site.methods("/no-head") == ["HEAD", "GET"]
    gone = check_url(site.url + "/gone")
    assert (gone.status, gone.ok) == (404, False)
    moved = check_url(site.url + "/moved")
    assert (moved.status, moved.url) == (200, site.url + "/ok")


def test_check_url_keeps_the_safety_rules(site, settings, english):
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = []
    refused = check_url(site.url + "/ok")
    assert (refused.status, refused.ok) == (0, False)
    assert "non-public address 127.0.0.1" in refused.error
    assert site.requests == []
    assert check_url("ftp://example.org/x").status == 0
    assert check_url("http://127.0.0.1:1/closed").status == 0  # nothing listens there


@pytest.fixture
def full_record(site, organisation, db) -> Dataset:
    text = (DATA / "mqa" / "full-marks.ttl").read_text(encoding="utf-8").replace("BASE", site.url)
    import_rdf(text.encode(), fmt=RdfFormat.TURTLE, source="test", publisher=organisation)
    return Dataset.objects.get()


def test_a_complete_record_scores_405_once_its_urls_answer(full_record, site, client):
    assert measure_stale() == 1
    first = QualityMeasurement.objects.get()
    assert (first.total, first.pending_urls, first.shacl_violations) == (325, True, 0)
    run = check_due_urls()
    assert (run.checked, run.reachable, run.changed) == (2, 2, 2)
    assert site.methods("/baumkataster") == ["HEAD"]
    assert measure_stale() == 1  # the checked URLs had the dataset measured again
    measurement = QualityMeasurement.objects.get()
    assert (measurement.total, measurement.band, measurement.pending_urls) == (
        405,
        "excellent",
        False,
    )
    page = client.get(f"/dataset/{full_record.name}").content.decode()
    assert "405 von 405 Punkten: Ausgezeichnet" in page
    body = client.get(f"/dataset/{full_record.name}/quality.json").json()
    assert body["total"] == 405 and body["fixes"] == []
    assert check_due_urls().checked == 0  # nothing due until the re-check interval


def test_a_link_that_breaks_costs_points_at_its_next_check(full_record, site, settings):
    measure_stale()
    check_due_urls()
    measure_stale()
    site.status["/baumkataster.csv"] = 404
    UrlCheck.objects.update(checked_at=timezone.now() - timedelta(days=8))
    run = check_due_urls()
    assert (run.checked, run.reachable, run.changed) == (2, 1, 1)
    assert measure_stale() == 1
    measurement = QualityMeasurement.objects.get()
    assert measurement.total == 375
    assert measurement.indicators["downloadUrlStatusCode"]["values"] == [404]


def test_url_runs_are_limited_paced_and_claimed(site, settings, db):
    settings.ALLMENDE_QUALITY_URL_HOST_DELAY = 0.2
    settings.ALLMENDE_QUALITY_URLS_PER_RUN = 3
    UrlCheck.objects.bulk_create(UrlCheck(url=f"{site.url}/file/{n}") for n in range(5))
    taken = UrlCheck.objects.get(url=f"{site.url}/file/4")
    taken.claim, taken.claimed_at = "another-worker", timezone.now()
    taken.save()
    started = time.monotonic()
    run = check_due_urls()
    assert run.checked == 3
    times = sorted(t for _m, _p, t in site.requests)
    assert times[-1] - times[0] >= 0.39  # one host: 0.2 s between requests
    assert time.monotonic() - started < 5
    assert UrlCheck.objects.filter(checked_at__isnull=True).count() == 2
    assert [row.url for row in claim_due_urls(10)] == [f"{site.url}/file/3"]  # 4 is taken
    assert (
        not UrlCheck.objects.exclude(claim="")
        .exclude(claim="another-worker")
        .filter(checked_at__isnull=False)
    )


def test_urls_never_checked_come_before_those_due_again(db):
    old = timezone.now() - timedelta(days=30)
    UrlCheck.objects.create(url="https://x.example/old", status=200, ok=True, checked_at=old)
    UrlCheck.objects.create(url="https://x.example/new")
    UrlCheck.objects.create(url="https://x.example/fresh", status=200, checked_at=timezone.now())
    assert [row.url for row in claim_due_urls(1)] == ["https://x.example/new"]
    assert [row.url for row in claim_due_urls(5)] == ["https://x.example/old"]
    assert claim_due_urls(5) == []  # both claimed, the fresh one is not due


def test_several_processes_score_as_one_does(dataset, settings):
    """The multiprocessing path gives the same measurements as the sequential one."""
    row = Dataset.objects.values_list("pk", "iri", "graph", "graph_hash").get()
    rows = [row] * 400
    one = compute(rows, {}, processes=1)
    two = compute(rows, {}, processes=2)
    assert [c.assessment.indicators_json() for c in two] == [
        c.assessment.indicators_json() for c in one
    ]
    assert {c.assessment.total for c in two} == {one[0].assessment.total}


def test_the_quality_tasks_are_registered():
    found = {name: task.every for name, task in worker.tasks.items()}
    assert found["catalog.quality.measure"] == 30
    assert found["catalog.quality.urls"] == 60
    assert found["catalog.quality.snapshot"] == 3600


@pytest.mark.django_db(transaction=True)
def test_the_worker_measures_checks_and_snapshots(site, organisation, settings):
    text = (DATA / "mqa" / "full-marks.ttl").read_text(encoding="utf-8").replace("BASE", site.url)
    import_rdf(text.encode(), fmt=RdfFormat.TURTLE, source="test", publisher=organisation)
    due: dict[str, float] = {}
    worker.run_due(due, time.monotonic())  # every task once, in the order registered
    assert UrlCheck.objects.filter(ok=True).count() == 2
    assert QualitySnapshot.objects.filter(scope="catalog").exists()
    worker.run_due(due, time.monotonic() + 31)  # the next measure run catches up
    assert QualityMeasurement.objects.get().total == 405
    assert measure_datasets([]) == 0


def test_urls_on_our_own_site_are_checked_although_loopback(site, settings, db):
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = []
    settings.SITE_URL = site.url
    UrlCheck.objects.create(url=f"{site.url}/file/own")
    assert check_due_urls().checked == 1
    row = UrlCheck.objects.get()
    assert row.status and "ALLMENDE_FETCH_ALLOWED_HOSTS" not in row.error
