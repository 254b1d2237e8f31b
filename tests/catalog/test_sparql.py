"""The SPARQL endpoint /sparql over real HTTP: formats, read-only, limits, and the store
kept in step by the catalog's signals and rebuilt by ``allmende catalog reindex``."""

import csv
import io
import json
import shutil
import time
from xml.etree import ElementTree

import defusedxml.ElementTree as SafeET
import pytest
from django.core.management import call_command
from pyoxigraph import RdfFormat, parse

from allmende.catalog.models import Dataset
from allmende.catalog.services.datasets import (
    create_dataset,
    delete_dataset,
    publish_dataset,
    unpublish_dataset,
)
from allmende.catalog.services.importing import import_rdf
from allmende.catalog.services.sparql_store import wait_for_writes
from allmende.catalog.sparql.protocol import choose_formats, looks_like_update, uses_service
from allmende.catalog.sparql.runner import stop_child

from ..conftest import DATA, make_fields

TITLES = "SELECT ?title WHERE { ?d a dcat:Dataset ; dct:title ?title FILTER(lang(?title) = 'de') }"
RESULTS = "http://www.w3.org/2005/sparql-results#"


@pytest.fixture(autouse=True)
def _own_query_process():
    yield
    stop_child()


@pytest.fixture
def published(organisation, editor, committed) -> Dataset:
    dataset = committed(create_dataset, publisher=organisation, fields=make_fields(), by=editor)
    return committed(publish_dataset, dataset, by=editor)


@pytest.fixture
def draft(organisation, editor, committed) -> Dataset:
    fields = make_fields(title="Geheimer Entwurf", title_en="")
    return committed(create_dataset, publisher=organisation, fields=fields, by=editor)


def _titles(client) -> list[str]:
    response = client.get("/sparql", {"query": TITLES})
    assert response.status_code == 200, response.content
    bindings = response.json()["results"]["bindings"]
    return sorted(b["title"]["value"] for b in bindings)


def test_published_visible_drafts_never(client, published, draft):
    assert _titles(client) == ["Baumkataster"]
    response = client.get("/sparql", {"query": "ASK { ?s ?p 'Geheimer Entwurf'@de }"})
    assert response.json() == {"head": {}, "boolean": False}


def test_select_json_is_the_default(client, published):
    response = client.get("/sparql", {"query": TITLES})
    assert response["Content-Type"] == "application/sparql-results+json"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = response.json()
    assert body["head"]["vars"] == ["title"]
    assert body["results"]["bindings"] == [
        {"title": {"type": "literal", "value": "Baumkataster", "xml:lang": "de"}}
    ]


def test_select_xml_parses(client, published):
    response = client.get(
        "/sparql", {"query": TITLES}, HTTP_ACCEPT="application/sparql-results+xml"
    )
    assert response["Content-Type"] == "application/sparql-results+xml"
    root = SafeET.fromstring(response.content)
    literal = root.find(f".//{{{RESULTS}}}literal")
    assert literal.text == "Baumkataster"
    assert literal.get("{http://www.w3.org/XML/1998/namespace}lang") == "de"
    assert root.find(f".//{{{RESULTS}}}variable").get("name") == "title"
    assert isinstance(root, ElementTree.Element)


def test_select_csv_and_tsv(client, published):
    response = client.get("/sparql", {"query": TITLES, "format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [["title"], ["Baumkataster"]]
    response = client.get("/sparql", {"query": TITLES}, HTTP_ACCEPT="text/tab-separated-values")
    assert response.content.decode().splitlines() == ["?title", '"Baumkataster"@de']


def test_post_form_and_direct_body(client, published):
    response = client.post("/sparql", {"query": TITLES})
    assert response.status_code == 200
    assert response.json()["results"]["bindings"]
    response = client.post("/sparql", TITLES, content_type="application/sparql-query")
    assert response.status_code == 200
    assert response.json()["results"]["bindings"]


def test_construct_turtle_and_jsonld(client, published):
    query = "CONSTRUCT { ?d dct:title ?t } WHERE { ?d a dcat:Dataset ; dct:title ?t }"
    response = client.get("/sparql", {"query": query})
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    triples = list(parse(response.content, format=RdfFormat.TURTLE))
    assert {t.object.value for t in triples} == {"Baumkataster", "Tree register"}
    response = client.get("/sparql", {"query": query}, HTTP_ACCEPT="application/ld+json")
    assert response["Content-Type"] == "application/ld+json"
    assert len(list(parse(response.content, format=RdfFormat.JSON_LD))) == 2
    response = client.get("/sparql", {"query": f"DESCRIBE <{published.iri}>", "format": "nt"})
    assert published.iri in response.content.decode()


def test_each_dataset_is_a_named_graph(client, published):
    query = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?g a dcat:Dataset } }"
    bindings = client.get("/sparql", {"query": query}).json()["results"]["bindings"]
    assert [b["g"]["value"] for b in bindings] == [published.iri]


@pytest.mark.parametrize(
    "params",
    [
        {"query": "INSERT DATA { <http://a> <http://b> <http://c> }"},
        {"query": "PREFIX x: <http://x/>\nDELETE WHERE { ?s ?p ?o }"},
        {"update": "CLEAR ALL"},
    ],
)
def test_updates_are_refused(client, published, params):
    response = client.get("/sparql", params, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert "read-only" in response.content.decode()
    response = client.post("/sparql", params)
    assert response.status_code == 400
    assert "nur lesend" in response.content.decode()  # German by default
    assert _titles(client) == ["Baumkataster"]


def test_update_media_type_is_refused(client):
    response = client.post(
        "/sparql", "CLEAR ALL", content_type="application/sparql-update", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400


def test_syntax_error_names_the_position(client, published):
    response = client.get(
        "/sparql", {"query": "SELECT * WHERE {\n ?s ?p }"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    message = response.content.decode()
    assert message.startswith("SPARQL syntax error: error at 2:")
    assert len(message.splitlines()) == 1


def test_service_is_refused(client, published):
    query = "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"
    assert client.get("/sparql", {"query": query}).status_code == 400


def test_not_acceptable_and_too_long(client, published, settings):
    response = client.get("/sparql", {"query": TITLES}, HTTP_ACCEPT="image/png")
    assert response.status_code == 406
    settings.ALLMENDE_SPARQL_MAX_QUERY_BYTES = 50
    response = client.get("/sparql", {"query": TITLES + " " * 100})
    assert response.status_code == 413


def test_query_that_runs_forever_is_stopped(client, published, settings):
    settings.ALLMENDE_SPARQL_TIMEOUT = 1
    forever = (
        "SELECT (COUNT(*) AS ?n) WHERE "
        "{ ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l . ?m ?n2 ?o . ?p ?q ?r }"
    )
    started = time.monotonic()
    response = client.get("/sparql", {"query": forever}, HTTP_ACCEPT_LANGUAGE="en")
    assert time.monotonic() - started < 2.5  # the limit, plus killing the process
    assert response.status_code == 503
    assert "limit of 1 s" in response.content.decode()
    assert _titles(client) == ["Baumkataster"]  # the next query works


def test_result_limit_cuts_and_says_so(client, published, settings):
    settings.ALLMENDE_SPARQL_MAX_RESULTS = 3
    response = client.get("/sparql", {"query": "SELECT * WHERE { ?s ?p ?o }"})
    assert len(response.json()["results"]["bindings"]) == 3
    assert response["Results-Truncated"] == "3"
    response = client.get("/sparql", {"query": "CONSTRUCT WHERE { ?s ?p ?o }", "format": "nt"})
    assert len(response.content.decode().splitlines()) == 3
    assert response["Results-Truncated"] == "3"
    assert "Results-Truncated" not in client.get("/sparql", {"query": TITLES})


def test_signals_keep_the_store_in_step(client, published, editor, committed):
    committed(unpublish_dataset, published, by=editor)
    assert _titles(client) == []
    committed(publish_dataset, published, by=editor)
    assert _titles(client) == ["Baumkataster"]
    committed(delete_dataset, published, by=editor)
    assert _titles(client) == []
    # the catalogue node stays, with no dangling triples of the deleted dataset
    response = client.get("/sparql", {"query": f"ASK {{ <{published.iri}> ?p ?o }}"})
    assert response.json()["boolean"] is False


@pytest.mark.parametrize("bulk", [False, True], ids=["at once", "bulk, via the worker"])
def test_import_makes_datasets_visible(client, organisation, committed, monkeypatch, bulk):
    from allmende.catalog.services import derived

    monkeypatch.setattr(derived, "BULK", 0 if bulk else 200)
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-Dataset-und-Distribution.ttl"
    report = committed(import_rdf, path.read_bytes(), fmt=RdfFormat.TURTLE, publisher=organisation)
    if bulk:
        assert derived.catch_up() > 0  # what the worker task does
    query = "SELECT (COUNT(DISTINCT ?d) AS ?n) WHERE { ?d a dcat:Dataset }"
    bindings = client.get("/sparql", {"query": query}).json()["results"]["bindings"]
    created = Dataset.objects.filter(kind="dataset", status="published").count()
    assert report.entries and int(bindings[0]["n"]["value"]) == created > 0


def test_reindex_rebuilds_from_scratch(client, published, settings):
    wait_for_writes()
    shutil.rmtree(settings.ALLMENDE_SPARQL_STORE)
    stop_child()
    response = client.get("/sparql", {"query": TITLES})
    assert response.status_code == 503
    assert "reindex" in response.content.decode()
    out = io.StringIO()
    call_command("catalog", "reindex", stdout=out)
    assert "sparql: 1" in out.getvalue()
    assert _titles(client) == ["Baumkataster"]


def test_try_page_with_examples_and_table(client, published):
    response = client.get("/sparql", HTTP_ACCEPT="text/html", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    page = response.content.decode()
    assert '<label for="sparql-query">' in page
    assert "Datasets per publisher" in page
    response = client.get("/sparql", {"query": TITLES, "format": "html"}, HTTP_ACCEPT_LANGUAGE="en")
    assert '<span lang="de">Baumkataster</span>' in response.content.decode()


def test_every_example_runs(client, published):
    from allmende.catalog.views.sparql_examples import EXAMPLES

    for example in EXAMPLES:
        response = client.get("/sparql", {"query": example.query})
        assert response.status_code == 200, (example.slug, response.content)


def test_protocol_helpers():
    assert choose_formats("").results == "json"
    assert choose_formats("text/csv").results == "csv"
    assert choose_formats("text/csv").graph is None
    assert choose_formats("*/*", "ttl").graph == "turtle"
    assert choose_formats("application/n-triples;q=0.5, text/turtle").graph == "turtle"
    assert looks_like_update("# c\nPREFIX a: <x:>\n insert data {}")
    assert not looks_like_update("SELECT ?insert WHERE {}")
    assert not uses_service('SELECT * WHERE { ?s ?p "SERVICE" }')
    assert uses_service("SELECT * WHERE { service <x:y> {} }")
    assert json.loads(b'{"a": 1}') == {"a": 1}


def test_cors_preflight(client):
    response = client.options("/sparql", HTTP_ORIGIN="https://example.org")
    assert response.status_code == 204
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Type" in response["Access-Control-Allow-Headers"]


def test_reindex_catches_up_with_changes_made_while_it_builds(
    client, published, draft, monkeypatch
):
    from allmende.catalog.services import sparql_store
    from allmende.catalog.sparql import store

    swap = store.replace_primary

    def meanwhile(*args, **kwargs):  # commits that land after the rows were read
        Dataset.objects.filter(pk=published.pk).update(status=Dataset.Status.DRAFT)
        Dataset.objects.filter(pk=draft.pk).update(status=Dataset.Status.PUBLISHED)
        return swap(*args, **kwargs)

    monkeypatch.setattr(store, "replace_primary", meanwhile)
    assert sparql_store.rebuild_store() == 1
    assert _titles(client) == ["Geheimer Entwurf"]
