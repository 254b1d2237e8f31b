"""The DCAT-AP.de endpoints: paged catalogue in four formats and one document per dataset."""

import json

import pytest
from pyoxigraph import Literal, NamedNode, RdfFormat

from allmende.catalog.dcat.namespaces import DCAT, DCT, HYDRA, RDF
from allmende.catalog.dcat.rdfio import parse_rdf
from allmende.catalog.models import Dataset
from allmende.catalog.services.datasets import create_dataset, publish_dataset

from ..conftest import make_fields

FORMATS = {
    "ttl": (RdfFormat.TURTLE, "text/turtle"),
    "rdf": (RdfFormat.RDF_XML, "application/rdf+xml"),
    "jsonld": (RdfFormat.JSON_LD, "application/ld+json"),
    "nt": (RdfFormat.N_TRIPLES, "application/n-triples"),
}


@pytest.fixture
def many(organisation, editor, settings):
    settings.ALLMENDE_CATALOG_PAGE_SIZE = 4
    made = []
    for n in range(10):
        fields = make_fields(title=f"Datensatz {n}")
        ds = create_dataset(publisher=organisation, fields=fields, by=editor)
        if n != 7:
            publish_dataset(ds, by=editor)
        made.append(ds)
    return made


def _objects(triples, subject, predicate):
    return [t.object for t in triples if t.subject == subject and t.predicate == predicate]


@pytest.mark.parametrize("ext", FORMATS)
def test_paging_walks_every_published_dataset_once(ext, many, client):
    fmt, media = FORMATS[ext]
    url, seen, pages = f"/catalog.{ext}?page=1", [], 0
    while url:
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Type"].startswith(media)
        triples = parse_rdf(response.content, fmt)
        catalog = NamedNode("http://testserver/catalog")
        assert DCAT.Catalog in _objects(triples, catalog, RDF.type)
        seen += [o.value for o in _objects(triples, catalog, DCAT.dataset)]
        view = NamedNode(f"http://testserver{url}")
        assert HYDRA.PartialCollectionView in _objects(triples, view, RDF.type)
        assert _objects(triples, view, HYDRA.totalItems) == [
            Literal("9", datatype=NamedNode("http://www.w3.org/2001/XMLSchema#nonNegativeInteger"))
        ]
        nxt = _objects(triples, view, HYDRA.next)
        url = nxt[0].value.removeprefix("http://testserver") if nxt else ""
        pages += 1
    published = set(Dataset.objects.published().values_list("iri", flat=True))
    assert pages == 3
    assert len(seen) == len(set(seen)) == 9
    assert set(seen) == published


def test_first_and_last_links(many, client):
    triples = parse_rdf(client.get("/catalog.ttl?page=2").content, RdfFormat.TURTLE)
    view = NamedNode("http://testserver/catalog.ttl?page=2")
    assert _objects(triples, view, HYDRA.first) == [
        NamedNode("http://testserver/catalog.ttl?page=1")
    ]
    assert _objects(triples, view, HYDRA.last) == [
        NamedNode("http://testserver/catalog.ttl?page=3")
    ]
    assert _objects(triples, view, HYDRA.previous) == [
        NamedNode("http://testserver/catalog.ttl?page=1")
    ]


def test_bad_and_missing_pages(many, client):
    assert client.get("/catalog.ttl?page=0").status_code == 400
    assert client.get("/catalog.ttl?page=abc").status_code == 400
    assert client.get("/catalog.ttl?page=99").status_code == 404


def test_empty_catalogue_is_a_valid_document(db, client):
    response = client.get("/catalog.ttl")
    assert response.status_code == 200
    triples = parse_rdf(response.content, RdfFormat.TURTLE)
    assert any(t.object == DCAT.Catalog for t in triples)


@pytest.mark.parametrize("ext", FORMATS)
def test_dataset_documents(ext, dataset, client):
    fmt, media = FORMATS[ext]
    response = client.get(f"/dataset/{dataset.name}.{ext}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith(media)
    triples = parse_rdf(response.content, fmt)
    subject = NamedNode(dataset.iri)
    assert _objects(triples, subject, DCT.title) == [
        Literal("Baumkataster", language="de"),
        Literal("Tree register", language="en"),
    ] or set(_objects(triples, subject, DCT.title)) == {
        Literal("Baumkataster", language="de"),
        Literal("Tree register", language="en"),
    }
    assert len(_objects(triples, subject, DCAT.distribution)) == 1
    if ext == "jsonld":
        json.loads(response.content)


def test_drafts_are_not_served_to_the_public(organisation, editor, client):
    draft = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    assert client.get(f"/dataset/{draft.name}.ttl").status_code == 404
    assert b"Baumkataster" not in client.get("/catalog.ttl").content
    client.force_login(editor)
    assert client.get(f"/dataset/{draft.name}.ttl").status_code == 200


def test_catalogue_is_readable_cross_origin(dataset, client):
    assert client.get("/catalog.jsonld")["Access-Control-Allow-Origin"] == "*"
