"""Harvest runs against a real local HTTP server: change detection, withdrawal, failures."""

from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command

from allmende.catalog.models import Dataset, HarvestIssue, HarvestRun, HarvestSource
from allmende.catalog.services.harvesting import (
    request_run,
    run_due_harvests,
    run_harvest,
    save_source,
)
from allmende.core.models import AuditEntry

from ..localsite import LocalSite, serve

PREFIXES = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix hydra: <http://www.w3.org/ns/hydra/core#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
ORG = "https://portal.example/org/umweltamt"


def record(n: int, *, title: str = "", description: bool = True, extra: str = "") -> str:
    desc = f' dct:description "Beschreibung {n}"@de ;' if description else ""
    return f"""
<https://portal.example/dataset/{n}> a dcat:Dataset ;
  dct:identifier "ds-{n}" ; dct:title "{title or f"Datensatz {n}"}"@de ;{desc}
  dct:publisher <{ORG}> ; {extra}
  dcat:distribution <https://portal.example/dataset/{n}/csv> .
<https://portal.example/dataset/{n}/csv> a dcat:Distribution ;
  dcat:accessURL <https://portal.example/files/{n}.csv> ;
  dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> .
"""


def page(records: list[str], *, url: str, next_url: str = "", total: int | None = None) -> str:
    view = f"<{url}> a hydra:PartialCollectionView"
    if next_url:
        view += f" ; hydra:next <{next_url}>"
    if total is not None:
        view += f' ; hydra:totalItems "{total}"^^xsd:integer'
    return (
        PREFIXES
        + f"""<https://portal.example/catalog> a dcat:Catalog ; dct:title "Umweltportal"@de ;
  dct:publisher <{ORG}> .
<{ORG}> a foaf:Agent ; foaf:name "Umweltamt Beispielstadt"@de .
{view} .
"""
        + "".join(records)
    )


def publish_pages(site: LocalSite, pages: list[list[str]], *, total: int | None = None) -> str:
    """Serve ``pages`` as a hydra-paged catalogue; return the first page's URL."""
    urls = [f"{site.url}/catalog.ttl?page={i + 1}" for i in range(len(pages))]
    for i, records in enumerate(pages):
        next_url = urls[i + 1] if i + 1 < len(urls) else ""
        body = page(records, url=urls[i], next_url=next_url, total=total)
        site.set(f"/catalog.ttl?page={i + 1}", body)
    return urls[0]


@pytest.fixture
def site(settings) -> Iterator[LocalSite]:
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    settings.ALLMENDE_FETCH_RETRIES = 1
    with serve() as local:
        yield local


@pytest.fixture(params=[0, 2], ids=["read-here", "read-ahead"])
def read_ahead(request, settings) -> int:
    """Pages are read in the run's own process (0) or ahead in a second one (2)."""
    settings.ALLMENDE_HARVEST_READ_AHEAD = request.param
    return request.param


@pytest.fixture
def source(site, db) -> HarvestSource:
    url = publish_pages(site, [[record(1), record(2)], [record(3)]], total=3)
    return save_source(HarvestSource(name="umwelt", url=url, kind="dcat"), by=None)


def test_a_second_run_finds_everything_unchanged_and_writes_nothing(source, read_ahead):
    first = run_harvest(source)
    assert (first.status, first.created, first.pages, first.failed) == ("succeeded", 3, 2, 0)
    dataset = Dataset.objects.get(iri="https://portal.example/dataset/1")
    assert dataset.harvest_source == source and dataset.original_identifier == "ds-1"
    assert dataset.first_seen and dataset.status == Dataset.Status.PUBLISHED
    assert dataset.publisher.name == "Umweltamt Beispielstadt"
    stamps = dict(Dataset.objects.values_list("pk", "updated"))
    audit = AuditEntry.objects.count()
    second = run_harvest(source)
    assert (second.status, second.unchanged, second.created, second.updated) == (
        "succeeded",
        3,
        0,
        0,
    )
    assert second.summary == "created=0 updated=0 unchanged=3 withdrawn=0 failed=0"
    assert dict(Dataset.objects.values_list("pk", "updated")) == stamps
    assert AuditEntry.objects.count() == audit


def test_a_record_gone_from_the_source_is_withdrawn_and_comes_back(site, source, read_ahead):
    run_harvest(source)
    publish_pages(site, [[record(1), record(2)], []], total=2)
    run = run_harvest(source)
    assert (run.withdrawn, run.unchanged) == (1, 2)
    gone = Dataset.objects.get(iri="https://portal.example/dataset/3")
    assert gone.status == Dataset.Status.WITHDRAWN
    assert AuditEntry.objects.filter(action="catalog.dataset.withdrawn").count() == 1
    publish_pages(site, [[record(1), record(2)], [record(3)]], total=3)
    back = run_harvest(source)
    assert (back.updated, back.unchanged, back.withdrawn) == (1, 2, 0)
    gone.refresh_from_db()
    assert gone.status == Dataset.Status.PUBLISHED


@pytest.mark.parametrize("broken", ["http-error", "bad-turtle", "missing"])
def test_a_run_failing_on_page_two_withdraws_nothing(broken, site, source, english, read_ahead):
    run_harvest(source)
    publish_pages(site, [[record(1)], [record(3)]], total=3)  # record 2 is gone ...
    if broken == "http-error":
        site.set("/catalog.ttl?page=2", "oops", status=500)
    elif broken == "bad-turtle":
        site.set("/catalog.ttl?page=2", PREFIXES + "<a> <b> .")
    else:
        del site.routes["/catalog.ttl?page=2"]
    run = run_harvest(source)  # ... but page 2 fails, so nothing may be withdrawn
    assert run.status == HarvestRun.Status.FAILED and run.error
    assert "page=2" in run.error
    assert not Dataset.objects.filter(status=Dataset.Status.WITHDRAWN).exists()


def test_paging_loops_are_detected(site, db, english):
    first = f"{site.url}/catalog.ttl?page=1"
    second = f"{site.url}/catalog.ttl?page=2"
    site.set("/catalog.ttl?page=1", page([record(1)], url=first, next_url=second, total=2))
    site.set("/catalog.ttl?page=2", page([record(2)], url=second, next_url=first, total=2))
    source = save_source(HarvestSource(name="loop", url=first), by=None)
    run = run_harvest(source)
    assert (run.status, run.created, run.pages) == ("succeeded", 2, 2)  # all seen: fine
    assert site.hits["/catalog.ttl?page=1"] == 1
    site.set("/catalog.ttl?page=2", page([record(2)], url=second, next_url=first, total=5))
    Dataset.objects.filter(iri__endswith="/2").update(title="x")  # pretend it changed
    run = run_harvest(source)
    assert run.status == "failed" and "leads back" in run.error
    assert not Dataset.objects.filter(status=Dataset.Status.WITHDRAWN).exists()


def test_bad_records_fail_alone_with_their_reason(site, db, english, read_ahead):
    url = publish_pages(site, [[record(1), record(2, description=False), record(3, title="")]])
    source = save_source(HarvestSource(name="mixed", url=url), by=None)
    run = run_harvest(source)
    assert (run.status, run.created, run.failed) == ("succeeded", 2, 1)
    failure = run.issues.get(kind=HarvestIssue.Kind.FAILED)
    assert failure.identifier == "https://portal.example/dataset/2"
    assert "description" in failure.messages[0]
    assert not Dataset.objects.filter(iri__endswith="/dataset/2").exists()


def test_real_world_defects_are_recorded_per_record(site, db, english, read_ahead):
    defective = record(
        1,
        extra='dct:language "http://publications.europa.eu/resource/authority/language/DEU" ; '
        'dct:issued "2021-01-28 GMT 01:51:03.34919300"^^xsd:dateTime ; '
        '<https://www.dcat-ap.de/def/dcatde/1.1/maintainer> "Amt" ; '
        "dcat:contactPoint [ a vcard:Kind ; vcard:hasEmail <info@amt.example> ] ;",
    )
    literal_url = record(2).replace(
        "dcat:accessURL <https://portal.example/files/2.csv>",
        'dcat:accessURL "https://portal.example/files/2.csv"',
    )
    body = page([defective, literal_url], url=f"{site.url}/p").replace(
        'dct:title "Umweltportal"@de ;', ""
    )
    site.set("/p", body)
    source = save_source(HarvestSource(name="defekt", url=f"{site.url}/p"), by=None)
    run = run_harvest(source)
    assert (run.created, run.failed) == (2, 0)
    notes = {i.identifier: " | ".join(i.messages) for i in run.issues.all()}
    one = notes["https://portal.example/dataset/1"]
    assert "dct:language is a literal" in one and "dct:issued is no valid date" in one
    assert "misspelling of http://dcat-ap.de/def/dcatde/maintainer" in one
    assert "vcard:hasEmail is a relative reference" in one
    assert "dcat:accessURL is a literal" in notes["https://portal.example/dataset/2"]
    assert "has no dct:title" in notes[f"{site.url}/p"]
    stored = Dataset.objects.get(iri="https://portal.example/dataset/2")
    assert stored.distributions.get().access_url == "https://portal.example/files/2.csv"
    assert "2021-01-28 GMT" in Dataset.objects.get(iri__endswith="/dataset/1").graph  # lossless


def test_private_addresses_are_refused_unless_allowed(site, settings, db, english):
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = []
    url = publish_pages(site, [[record(1)]])
    source = save_source(HarvestSource(name="intern", url=url), by=None)
    run = run_harvest(source)
    assert run.status == "failed" and "ALLMENDE_FETCH_ALLOWED_HOSTS" in run.error
    assert not Dataset.objects.exists() and not site.hits
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    assert run_harvest(source).created == 1


def test_hostile_and_oversized_pages_change_nothing(site, settings, db, english):
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">&x;</rdf:RDF>'
    )
    site.set("/x.rdf", xxe, "application/rdf+xml")
    source = save_source(HarvestSource(name="xxe", url=f"{site.url}/x.rdf"), by=None)
    run = run_harvest(source)
    assert run.status == "failed" and "RDF/XML" in run.error
    url = publish_pages(site, [[record(n) for n in range(20)]])
    settings.ALLMENDE_HARVEST_MAX_PAGE_BYTES = 2000
    big = save_source(HarvestSource(name="big", url=url), by=None)
    run = run_harvest(big)
    assert run.status == "failed" and "2000" in run.error
    assert not Dataset.objects.exists()


def test_a_file_source_reads_one_document_and_ignores_paging(site, db):
    url = publish_pages(site, [[record(1)], [record(2)]])
    source = save_source(HarvestSource(name="datei", url=url, kind="file"), by=None)
    run = run_harvest(source)
    assert (run.created, run.pages) == (1, 1) and not site.hits["/catalog.ttl?page=2"]


def test_scheduled_runs_are_claimed_once(source):
    assert source.next_run_at is not None  # new sources are due at once
    runs = run_due_harvests()
    assert [r.source for r in runs] == [source]
    source.refresh_from_db()
    assert source.next_run_at > runs[0].started_at
    assert run_due_harvests() == []
    request_run(source, by=None)
    assert [r.trigger for r in run_due_harvests()] == ["scheduled"]


def test_command_line_add_run_list(site, organisation, capsys, english):
    url = publish_pages(site, [[record(1), record(2)]])
    call_command("harvest", "add", "cli", url, "--type", "dcat", "--publisher", organisation.slug)
    call_command("harvest", "run", "cli")
    out = capsys.readouterr().out.strip().splitlines()
    assert out[-1] == "created=2 updated=0 unchanged=0 withdrawn=0 failed=0"
    assert Dataset.objects.filter(publisher=organisation).count() == 2
    call_command("harvest", "list")
    assert "cli\tdcat" in capsys.readouterr().out
    site.set("/catalog.ttl?page=1", "kaputt <", status=200)
    with pytest.raises(CommandError, match="the run failed"):
        call_command("harvest", "run", "cli")
    with pytest.raises(CommandError, match="no harvest source"):
        call_command("harvest", "run", "nope")
    with pytest.raises(CommandError, match="url"):
        call_command("harvest", "add", "bad", "ftp://x")


def test_the_worker_runs_due_harvests(source):
    from allmende.core.worker import run_due, tasks

    assert "catalog.harvest" in tasks
    due: dict[str, float] = {}
    run_due(due, 0.0)
    assert HarvestRun.objects.filter(source=source, status="succeeded").count() == 1
    assert due["catalog.harvest"] == 10


def test_staff_manage_sources_in_the_web_ui(site, db, client, editor, committed):
    from allmende.core.models import User

    url = publish_pages(site, [[record(1)]])
    client.force_login(editor)  # an editor who is not staff sees nothing of it
    assert client.get("/harvest/").status_code == 302
    staff = User.objects.create_user(email="staff@jena.example", password="x", is_staff=True)
    client.force_login(staff)
    assert client.get("/harvest/").status_code == 200
    form = {"name": "web", "title": "Umweltportal", "url": url, "kind": "dcat"}
    response = client.post("/harvest/new/", form | {"interval_hours": "0", "enabled": "on"})
    assert response.status_code == 302
    source = HarvestSource.objects.get(name="web")
    assert source.next_run_at is None  # manual only
    assert client.post("/harvest/web/run/").status_code == 302
    (run,) = committed(run_due_harvests)  # the search index follows on commit
    assert run.created == 1
    for page_url in ["/harvest/", "/harvest/web/", f"/harvest/web/runs/{run.pk}/"]:
        assert client.get(page_url).status_code == 200, page_url
    dataset = Dataset.objects.get()
    page = client.get(dataset.get_absolute_url())
    assert page.context["last_seen"] == run.finished_at
    assert client.get("/datasets/", {"harvest": "web"}).context["page"].paginator.count == 1
    assert client.post("/harvest/web/delete/").status_code == 302
    assert not HarvestSource.objects.exists() and Dataset.objects.count() == 1
    actions = set(AuditEntry.objects.filter(user=staff).values_list("action", flat=True))
    assert {"catalog.harvestsource.created", "catalog.harvestsource.deleted"} <= actions


def test_unchanged_pages_are_skipped_but_local_changes_are_noticed(source, site, read_ahead):
    from allmende.catalog.models import HarvestPageState
    from allmende.catalog.services.datasets import delete_dataset
    from allmende.core.models import User

    run_harvest(source)
    assert HarvestPageState.objects.filter(source=source).count() == 2
    one = Dataset.objects.get(iri="https://portal.example/dataset/1")
    Dataset.objects.filter(pk=one.pk).update(graph_hash="edited here")
    admin = User.objects.create_superuser(email="admin@jena.example", password="x")
    delete_dataset(Dataset.objects.get(iri="https://portal.example/dataset/3"), by=admin)
    run = run_harvest(source)  # both pages came as before, but their datasets did not
    assert (run.created, run.updated, run.unchanged, run.withdrawn) == (1, 1, 1, 0)
    one.refresh_from_db()
    assert one.graph_hash != "edited here"
    again = run_harvest(source)
    assert (again.unchanged, again.created, again.updated) == (3, 0, 0)


def test_a_skipped_page_reports_its_failures_and_defects_again(site, db, english):
    url = publish_pages(
        site, [[record(1, extra='dct:language "de" ;'), record(2, description=False)]]
    )
    source = save_source(HarvestSource(name="wieder", url=url), by=None)
    first, second = run_harvest(source), run_harvest(source)
    assert (second.unchanged, second.failed) == (1, 1)
    summary = sorted((i.kind, i.identifier, tuple(i.messages)) for i in first.issues.all())
    assert sorted((i.kind, i.identifier, tuple(i.messages)) for i in second.issues.all()) == summary


def _ckan_pages(site: LocalSite, packages: list[dict], rows: int) -> None:
    import json
    from urllib.parse import urlsplit

    from allmende.catalog.harvest.ckan import search_url

    for start in range(0, len(packages) + 1, rows):
        url = urlsplit(search_url(site.url, start=start, rows=rows))
        chunk = packages[start : start + rows]
        body = {"help": "", "success": True, "result": {"count": len(packages), "results": chunk}}
        site.set(f"{url.path}?{url.query}", json.dumps(body), "application/json")


def test_a_ckan_portal_is_harvested_page_by_page(site, settings, db, read_ahead):
    import json

    from ..conftest import DATA

    settings.ALLMENDE_HARVEST_CKAN_ROWS = 50
    data = json.loads((DATA / "ckan" / "berlin-package-search-186.json").read_text())
    packages = data["result"]["results"]
    _ckan_pages(site, packages, 50)
    source = save_source(HarvestSource(name="berlin", url=site.url, kind="ckan"), by=None)
    run = run_harvest(source)
    assert run.status == "succeeded", run.error
    assert (run.created + run.failed, run.pages) == (186, 4)
    stored = Dataset.objects.get(original_identifier=packages[0]["id"])
    assert stored.title == packages[0]["title"] and stored.harvest_source == source
    assert run.issues.filter(kind="defect").exists()  # Berlin's own fields are named
    again = run_harvest(source)
    assert (again.unchanged, again.created, again.updated) == (run.created, 0, 0)
    _ckan_pages(site, packages[:-1], 50)  # the last one was deleted at the source
    third = run_harvest(source)
    assert third.withdrawn == 1 and third.status == "succeeded"


def test_a_ckan_error_answer_fails_the_run(site, db, english):
    site.set(
        "/api/3/action/package_search?q=%2A%3A%2A&sort=id+asc&rows=100&start=0",
        '{"success": false, "error": {"message": "Zugriff verweigert", '
        '"__type": "Authorization Error"}}',
        "application/json",
        status=200,
    )
    source = save_source(HarvestSource(name="kaputt", url=site.url, kind="ckan"), by=None)
    run = run_harvest(source)
    assert run.status == "failed" and "Zugriff verweigert" in run.error


def test_private_ckan_packages_are_skipped_not_failed(site, settings, db):
    import json

    from ..conftest import DATA

    data = json.loads((DATA / "ckan" / "berlin-package-search-186.json").read_text())
    packages = data["result"]["results"][:3]
    _ckan_pages(site, packages, 100)
    source = save_source(HarvestSource(name="privat", url=site.url, kind="ckan"), by=None)
    assert run_harvest(source).created == 3
    packages[1] = packages[1] | {"private": True}
    _ckan_pages(site, packages, 100)
    run = run_harvest(source)
    assert (run.failed, run.withdrawn, run.unchanged) == (0, 1, 2)
    skipped = run.issues.get(identifier=packages[1]["id"])
    assert skipped.kind == "defect" and "private" in skipped.messages[0]
