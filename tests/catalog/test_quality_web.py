"""Metadata quality as stored and shown: measuring, quality.json, DQV in the dataset's
RDF, the dataset page, the dashboard, the rating filter, daily snapshots, the command."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from pyoxigraph import NamedNode, RdfFormat

from allmende.catalog.dcat.namespaces import DCAT, DQV
from allmende.catalog.dcat.rdfio import parse_rdf
from allmende.catalog.models import (
    Dataset,
    DatasetFacet,
    HarvestSource,
    QualityMeasurement,
    QualitySnapshot,
    UrlCheck,
)
from allmende.catalog.quality.mqa import MAX_POINTS, SCORE_IRI
from allmende.catalog.services.datasets import create_dataset, publish_dataset, update_dataset
from allmende.catalog.services.quality import (
    measure_datasets,
    measure_stale,
    stale_datasets,
    take_snapshot,
)

from ..conftest import make_fields

pytestmark = pytest.mark.django_db


@pytest.fixture
def poor(organisation, editor, committed) -> Dataset:
    """A published dataset without distributions, keywords, themes or licence."""
    fields = make_fields(
        title="Sitzungskalender", keywords=[], themes=[], license="", political_geocoding=""
    )
    draft = committed(create_dataset, publisher=organisation, fields=fields, by=editor)
    return committed(publish_dataset, draft, by=editor)


def test_measuring_stores_the_score_the_rating_facet_and_the_urls(dataset):
    assert stale_datasets(100) == [dataset.pk]
    assert measure_datasets([dataset.pk]) == 1
    measurement = QualityMeasurement.objects.get(dataset=dataset)
    assert measurement.graph_hash == dataset.graph_hash
    assert measurement.total == sum(measurement.dimensions.values())
    assert measurement.total == sum(i["points"] for i in measurement.indicators.values())
    assert measurement.band == "good"
    assert measurement.pending_urls  # its download URL is not checked yet
    assert measurement.shacl_violations == 0
    assert DatasetFacet.objects.get(dataset=dataset, facet="quality").value == "good"
    assert set(UrlCheck.objects.values_list("url", flat=True)) == {"https://example.org/baeume.csv"}
    assert stale_datasets(100) == []
    assert measure_stale() == 0


def test_an_edit_makes_the_measurement_stale_and_the_worker_catches_up(dataset, editor):
    measure_datasets([dataset.pk])
    update_dataset(dataset, fields=make_fields(keywords=[]), by=editor)
    assert stale_datasets(100) == [dataset.pk]
    assert not DatasetFacet.objects.filter(dataset=dataset, facet="quality").exists()
    assert measure_stale() == 1
    measurement = QualityMeasurement.objects.get(dataset=dataset)
    assert measurement.indicators["keywordAvailability"]["points"] == 0
    assert measurement.graph_hash == Dataset.objects.get(pk=dataset.pk).graph_hash


def test_quality_json_measures_on_the_fly_and_has_its_shape(client, dataset):
    response = client.get(f"/dataset/{dataset.name}/quality.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert set(body) == {
        "dataset",
        "iri",
        "measured_at",
        "total",
        "max",
        "band",
        "dimensions",
        "indicators",
        "shacl",
        "fixes",
    }
    assert body["max"] == MAX_POINTS == 405
    assert body["total"] == sum(d["points"] for d in body["dimensions"].values())
    assert body["dimensions"]["interoperability"]["max"] == 110
    assert len(body["indicators"]) == 23
    keyword = body["indicators"]["keywordAvailability"]
    assert keyword == {
        "metric": "https://piveau.eu/ns/voc#keywordAvailability",
        "dimension": "findability",
        "points": 30,
        "max": 30,
        "met": 1,
        "of": 1,
    }
    assert body["indicators"]["downloadUrlStatusCode"]["pending"] == 1
    assert body["shacl"] == {"conforms": True, "violations": 0, "warnings": 0}
    assert {f["indicator"] for f in body["fixes"]} >= {
        "downloadUrlStatusCode",
        "rightsAvailability",
    }
    assert QualityMeasurement.objects.filter(dataset=dataset).exists()


def test_quality_json_of_unknown_or_invisible_datasets_is_404(client, organisation, editor):
    assert client.get("/dataset/nothing-here/quality.json").status_code == 404
    draft = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    assert client.get(f"/dataset/{draft.name}/quality.json").status_code == 404
    client.force_login(editor)
    assert client.get(f"/dataset/{draft.name}/quality.json").status_code == 200


def test_the_dataset_turtle_carries_dqv_but_the_catalogue_does_not(client, dataset):
    before = client.get(f"/dataset/{dataset.name}.ttl").content
    assert b"dqv#" not in before  # nothing measured yet
    measure_datasets([dataset.pk])
    measurement = QualityMeasurement.objects.get(dataset=dataset)
    triples = parse_rdf(client.get(f"/dataset/{dataset.name}.ttl").content, RdfFormat.TURTLE)
    subject = NamedNode(dataset.iri)
    nodes = {t.object for t in triples if t.predicate == DQV.hasQualityMeasurement}
    by_node = {
        node: {t.predicate: t.object for t in triples if t.subject == node} for node in nodes
    }
    score = [p for p in by_node.values() if p[DQV.isMeasurementOf] == NamedNode(SCORE_IRI)]
    assert len(score) == 1 and int(score[0][DQV.value].value) == measurement.total
    assert score[0][DQV.computedOn] == subject
    distribution = next(t.object for t in triples if t.predicate == DCAT.distribution)
    on_distribution = [p for p in by_node.values() if p[DQV.computedOn] == distribution]
    metrics = {p[DQV.isMeasurementOf].value.rsplit("#")[-1] for p in on_distribution}
    assert "formatAvailability" in metrics and "downloadUrlStatusCode" not in metrics  # pending
    assert all(
        NamedNode("http://www.w3.org/ns/prov#generatedAtTime") in p for p in by_node.values()
    )
    nt = client.get(f"/dataset/{dataset.name}.nt").content.decode()
    assert nt.startswith(dataset.graph) and "dqv#isMeasurementOf" in nt
    assert b"dqv#" not in client.get("/catalog.ttl").content
    Dataset.objects.filter(pk=dataset.pk).update(graph_hash="changed")  # stale: left out
    assert b"dqv#" not in client.get(f"/dataset/{dataset.name}.ttl").content


def test_the_dataset_page_shows_the_score_and_tells_editors_what_to_fix(
    client, editor_client, dataset
):
    page = client.get(f"/dataset/{dataset.name}").content.decode()
    assert "Noch nicht gemessen" in page
    measure_datasets([dataset.pk])
    total = QualityMeasurement.objects.get(dataset=dataset).total
    page = client.get(f"/dataset/{dataset.name}").content.decode()
    assert f"{total} von 405 Punkten: Gut" in page
    assert 'role="img"' in page and "<title id=" in page
    assert "Was die Bewertung verbessern würde" not in page
    page = editor_client.get(f"/dataset/{dataset.name}").content.decode()
    assert "Was die Bewertung verbessern würde" in page
    assert "(dct:rights)" in page
    english = client.get(f"/dataset/{dataset.name}", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert f"{total} of 405 points: Good" in english


def test_the_dashboard_shows_catalogue_publishers_sources_and_history(
    client, dataset, poor, other_organisation, editor
):
    source = HarvestSource.objects.create(
        name="ckan-jena", title="CKAN Jena", url="https://x.example/"
    )
    Dataset.objects.filter(pk=poor.pk).update(harvest_source=source)
    assert "Noch kein veröffentlichter Datensatz" in client.get("/quality/").content.decode()
    measure_stale()
    take_snapshot()
    page = client.get("/quality/").content.decode()
    assert "Metadatenqualität" in page
    assert page.count('role="img"') == 3  # ratings, dimensions, history
    assert "<desc id=" in page and "Das Diagramm als Tabelle" in page
    assert "Stadt Jena" in page and "CKAN Jena" in page
    assert f'href="/datasets/?harvest=ckan-jena&amp;quality={poor.quality.band}"' in page
    assert 'href="?publisher=stadt-jena"' in page
    one = client.get("/quality/?publisher=stadt-jena")
    assert one.status_code == 200 and "Metadatenqualität: Stadt Jena" in one.content.decode()
    assert client.get("/quality/?source=ckan-jena").status_code == 200
    assert client.get("/quality/?publisher=nobody").status_code == 404


def test_datasets_can_be_filtered_by_rating(client, dataset, poor, committed):
    committed(measure_stale)  # the ratings reach the search index on commit
    bands = dict(QualityMeasurement.objects.values_list("dataset__name", "band"))
    assert bands[dataset.name] != bands[poor.name]
    page = client.get(f"/datasets/?quality={bands[poor.name]}").content.decode()
    assert poor.title in page and dataset.title not in page
    assert "1 Datensatz" in page
    listing = client.get("/datasets/").content.decode()
    assert 'name="quality"' in listing and "Metadatenqualität" in listing


def test_snapshots_are_one_row_per_day_and_scope(dataset, poor, organisation):
    measure_stale()
    assert take_snapshot() == 2  # the catalogue and its one publisher
    assert take_snapshot() == 2
    catalogue = QualitySnapshot.objects.get(scope="catalog")
    assert catalogue.date == timezone.localdate()
    assert catalogue.datasets == 2
    totals = list(QualityMeasurement.objects.values_list("total", flat=True))
    assert catalogue.mean_score == pytest.approx(sum(totals) / 2, abs=0.05)
    assert catalogue.good + catalogue.sufficient + catalogue.bad + catalogue.excellent == 2
    assert set(catalogue.dimensions) == {
        "findability",
        "accessibility",
        "interoperability",
        "reusability",
        "contextuality",
    }
    publisher = QualitySnapshot.objects.get(scope="publisher")
    assert (publisher.object_id, publisher.label) == (organisation.pk, "Stadt Jena")
    assert QualitySnapshot.objects.count() == 2


def test_drafts_are_measured_but_not_counted_publicly(organisation, editor):
    draft = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    assert measure_stale() == 1
    assert QualityMeasurement.objects.filter(dataset=draft).exists()
    assert take_snapshot() == 0


def test_the_command_measures_now(dataset, english):
    out, err = io.StringIO(), io.StringIO()
    call_command("catalog", "quality", stdout=out, stderr=err)
    assert out.getvalue().strip() == "1 dataset measured"
    call_command("catalog", "quality", stdout=out, stderr=err)
    assert out.getvalue().strip().endswith("0 datasets measured")
    call_command("catalog", "quality", "--all", stdout=out, stderr=err)
    assert out.getvalue().strip().endswith("1 dataset measured")
    assert QualitySnapshot.objects.filter(scope="catalog").count() == 1
    json.dumps(QualityMeasurement.objects.get().indicators)  # stored as plain JSON
