"""Import of real DCAT-AP(.de) records: lossless, idempotent, and refusing bad input."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pyoxigraph import BlankNode, RdfFormat
from rdflib import Graph
from rdflib.compare import isomorphic

from allmende.catalog.dcat.extract import split_document
from allmende.catalog.dcat.rdfio import RdfError, format_for, parse_rdf
from allmende.catalog.models import Catalog, Dataset, Distribution
from allmende.catalog.services.graphs import DatasetError
from allmende.catalog.services.importing import import_rdf
from allmende.core.models import AuditEntry

from ..conftest import DATA

pytestmark = pytest.mark.usefixtures("english")  # messages are matched in English

EXAMPLES = sorted(p for p in (DATA / "dcat").iterdir() if "example-DataService" not in p.name)
BROKEN = DATA / "dcat" / "dcat-ap-de-3.0-example-DataService.ttl"


@pytest.fixture
def local_catalog(organisation) -> Catalog:
    return Catalog.objects.create(
        title="Daten Jena", description="Offene Daten", publisher=organisation
    )


def _import(path: Path, **kwargs):
    return import_rdf(path.read_bytes(), fmt=format_for(path.name), source=path.name, **kwargs)


def _rdflib_graph(triples) -> Graph:
    from pyoxigraph import serialize

    graph = Graph()
    graph.parse(data=serialize(triples, format=RdfFormat.N_TRIPLES).decode(), format="nt")
    return graph


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.name)
def test_every_example_imports_losslessly(path, local_catalog, client):
    source = parse_rdf(path.read_bytes(), format_for(path.name))
    # With an organisation named, what the importer adds (a dct:publisher where the
    # source names none) is ground triples only, so the blank-node check stays exact.
    report = _import(path, publisher=local_catalog.publisher)
    assert report.entries, "nothing imported"
    document = split_document(source)
    assert {entry.outcome for entry in report.entries} == {"created"}
    for description in document.entries:
        dataset = (
            Dataset.objects.get(iri=description.subject.value)
            if not isinstance(description.subject, BlankNode)
            else Dataset.objects.get(source=path.name, kind=description.kind)
        )
        response = client.get(f"/dataset/{dataset.name}.nt")
        assert response.status_code == 200
        exported = parse_rdf(response.content, RdfFormat.N_TRIPLES)
        # Every ground triple the source says about the entry is exported as it came in.
        ground = {t for t in description.triples if not _has_blank(t)}
        missing = ground - set(exported)
        assert not missing, f"lost triples: {sorted(map(str, missing))[:5]}"
        # With blank nodes: the export is isomorphic to the source description (plus the
        # publisher triple the importer adds when the source names none).
        added = (
            set(exported) - set(description.triples)
            if isinstance(description.subject, BlankNode)
            else {t for t in exported if t not in description.triples and not _has_blank(t)}
        )
        kept = [t for t in exported if t not in added]
        if not isinstance(description.subject, BlankNode):
            assert isomorphic(_rdflib_graph(kept), _rdflib_graph(description.triples))


def _has_blank(triple) -> bool:
    return isinstance(triple.subject, BlankNode) or isinstance(triple.object, BlankNode)


def test_reimporting_an_unchanged_file_writes_nothing(local_catalog):
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-DatasetSeries.ttl"
    _import(path)
    stamps = dict(Dataset.objects.values_list("pk", "updated"))
    audit = AuditEntry.objects.count()
    report = _import(path)
    assert {e.outcome for e in report.entries} == {"unchanged"}
    assert dict(Dataset.objects.values_list("pk", "updated")) == stamps
    assert AuditEntry.objects.count() == audit


def test_a_changed_record_is_updated_in_place(local_catalog):
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-Dataset-und-Distribution.ttl"
    _import(path)
    changed = path.read_bytes().replace(b'"Haushaltsplan"@de', b'"Haushaltsplan 2021"@de')
    report = import_rdf(changed, fmt=RdfFormat.TURTLE)
    assert [e.outcome for e in report.entries] == ["updated"]
    dataset = Dataset.objects.get()
    assert dataset.title == "Haushaltsplan 2021"
    assert dataset.distributions.count() == 2


def test_projection_of_the_reference_example(local_catalog):
    _import(DATA / "dcat" / "dcat-ap-de-3.0-example-Dataset-und-Distribution.ttl")
    dataset = Dataset.objects.get()
    assert dataset.title == "Haushaltsplan"
    assert dataset.identifier == "12345678-9abc-4729-9044-f4d4ceaed491"
    assert dataset.keywords == ["Haushalt", "Haushaltsplan"]
    assert dataset.themes == [
        "http://publications.europa.eu/resource/authority/data-theme/ECON",
        "http://publications.europa.eu/resource/authority/data-theme/GOVE",
    ]
    assert dataset.temporal_start.isoformat() == "2021-01-01"
    assert dataset.contact_email == "haushalt@example.com"
    assert "CSV" in dataset.formats
    assert dataset.publisher.name  # the example's ministry, created as an organisation
    assert dataset.status == Dataset.Status.PUBLISHED


def test_broken_turtle_is_rejected_with_its_position_and_nothing_written(local_catalog):
    with pytest.raises(RdfError, match="line 13"):
        _import(BROKEN)
    assert not Dataset.objects.exists()


@pytest.mark.parametrize(
    ("data", "fmt"),
    [
        (b"<http://x/a> a <http://www.w3.org/ns/dcat#Dataset> ", RdfFormat.TURTLE),
        (
            b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'><rdf:Description>",
            RdfFormat.RDF_XML,
        ),
        (
            b"<rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
            b"<rdf:Description rdf:about='http://x/a'></rdf:RDF>",
            RdfFormat.RDF_XML,
        ),
        (b'{"@id": "http://x/a", "@type": ', RdfFormat.JSON_LD),
        (b"<http://x/a> <http://x/b> .", RdfFormat.N_TRIPLES),
    ],
    ids=["turtle", "rdfxml-truncated", "rdfxml-mismatched", "jsonld", "ntriples"],
)
def test_malformed_documents_are_refused(data, fmt, local_catalog):
    with pytest.raises(RdfError):
        import_rdf(data, fmt=fmt)
    assert not Dataset.objects.exists()


XXE = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
 <dcat:Dataset rdf:about="http://x/a"><dct:title>&xxe;</dct:title>
 <dct:description>d</dct:description></dcat:Dataset></rdf:RDF>"""
BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
  xmlns:dct="http://purl.org/dc/terms/" xmlns:dcat="http://www.w3.org/ns/dcat#">
 <dcat:Dataset rdf:about="http://x/a"><dct:title>&d;</dct:title>
 <dct:description>d</dct:description></dcat:Dataset></rdf:RDF>"""
EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE rdf:RDF SYSTEM "http://127.0.0.1:9/evil.dtd">
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>"""


@pytest.mark.parametrize("data", [XXE, BOMB, EXTERNAL_DTD], ids=["xxe", "bomb", "external-dtd"])
def test_hostile_rdf_xml_is_refused(data, local_catalog):
    with pytest.raises(RdfError, match="refused"):
        import_rdf(data, fmt=RdfFormat.RDF_XML)
    assert not Dataset.objects.exists()


def test_a_file_over_the_size_limit_is_refused(settings, local_catalog):
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-Dataset-und-Distribution.ttl"
    settings.ALLMENDE_MAX_RDF_BYTES = 1000
    with pytest.raises(RdfError, match="limit of 1000"):
        _import(path)
    assert not Dataset.objects.exists()


@pytest.mark.parametrize("missing", ["title", "description"])
def test_a_dataset_without_title_or_description_refuses_the_whole_file(missing, local_catalog):
    good = '<http://x/good> a dcat:Dataset ; dct:title "Gut"@de ; dct:description "Gut"@de .'
    bad = '<http://x/bad> a dcat:Dataset ; dct:title "Schlecht"@de ; dct:description "B"@de .'
    bad = bad.replace(f'dct:{missing} "', 'dct:note "')
    turtle = (
        "@prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .\n"
        f"{good}\n{bad}\n"
    )
    with pytest.raises(DatasetError, match=missing):
        import_rdf(turtle.encode(), fmt=RdfFormat.TURTLE)
    assert not Dataset.objects.exists()
    assert not Distribution.objects.exists()


def test_entries_without_publisher_get_the_catalogue_publisher_of_their_document(db):
    report = _import(DATA / "dcat" / "dcat-ap-de-3.0-example-DatasetSeries.ttl")
    assert len(report.entries) == 4
    names = {d.publisher.name for d in Dataset.objects.select_related("publisher")}
    assert len(names) == 1 and "" not in names
    for dataset in Dataset.objects.all():
        assert "<http://purl.org/dc/terms/publisher>" in dataset.graph


def test_cli_prints_one_url_per_dataset(local_catalog, capsys):
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-DatasetSeries.ttl"
    out = io.StringIO()
    call_command("catalog", "import", str(path), stdout=out, stderr=io.StringIO())
    lines = out.getvalue().strip().splitlines()
    names = set(Dataset.objects.values_list("name", flat=True))
    assert len(lines) == len(names) == 4
    assert {line.split()[0].rsplit("/", 1)[1] for line in lines} == names
    assert all(line.startswith("http://testserver/dataset/") for line in lines)


def test_cli_refuses_the_broken_file_in_one_line(local_catalog):
    with pytest.raises(CommandError) as caught:
        call_command("catalog", "import", str(BROKEN), stdout=io.StringIO(), stderr=io.StringIO())
    message = str(caught.value)
    assert "\n" not in message
    assert "line 13" in message and "nothing was written" in message


def test_cli_with_publisher_assigns_the_organisation(other_organisation, local_catalog):
    path = DATA / "dcat" / "jena-ortsteile-data-europa-eu.rdf"
    call_command(
        "catalog",
        "import",
        str(path),
        "--publisher",
        other_organisation.slug,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    dataset = Dataset.objects.get()
    assert dataset.publisher == other_organisation
    assert dataset.title == "Ortsteile der Stadt Jena"


def test_cli_unknown_publisher_and_missing_file(local_catalog):
    with pytest.raises(CommandError, match="no organisation"):
        call_command("catalog", "import", str(BROKEN), "--publisher", "nope")
    with pytest.raises(CommandError, match="no such file"):
        call_command("catalog", "import", "/nonexistent.ttl")


def test_cli_refuses_private_addresses(local_catalog):
    with pytest.raises(CommandError, match="non-public address"):
        call_command("catalog", "import", "http://127.0.0.1:9/catalog.ttl")
