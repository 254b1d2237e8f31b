"""Pure round trips of the DCAT layer: fields -> triples -> canonical text -> fields."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from allmende.catalog.dcat.build import Agent, apply_distribution_fields, apply_entry_fields
from allmende.catalog.dcat.canon import canonical_ntriples, parse_ntriples
from allmende.catalog.dcat.namespaces import DCT
from allmende.catalog.dcat.project import DistributionFields, EntryFields, project_entry
from allmende.catalog.dcat.rdfio import format_for

pytestmark = pytest.mark.unit

SUBJECT = NamedNode("http://example.org/dataset/x")
AGENT = Agent(iri="http://example.org/org/jena", name="Stadt Jena")
text = (
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)
day = st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 1, 1))
theme = st.sampled_from(["ENVI", "TRAN", "GOVE", "ECON", "SOCI"]).map(
    lambda c: f"http://publications.europa.eu/resource/authority/data-theme/{c}"
)


@settings(max_examples=60, deadline=None)
@given(
    title=text,
    title_en=text,
    description=text,
    keywords=st.lists(text, max_size=5, unique_by=str.lower),
    themes=st.lists(theme, max_size=3, unique=True),
    start=st.none() | day,
    end=st.none() | day,
    email=st.none() | st.emails(),
)
def test_fields_survive_build_canonicalise_and_project(
    title, title_en, description, keywords, themes, start, end, email
):
    fields = EntryFields(
        iri=SUBJECT.value,
        title=title,
        title_en=title_en,
        description=description,
        keywords=keywords,
        themes=themes,
        temporal_start=start,
        temporal_end=end,
        contact_email=email or "",
    )
    triples = apply_entry_fields([], SUBJECT, "dataset", fields, AGENT)
    text_, digest = canonical_ntriples(SUBJECT, triples)
    assert canonical_ntriples(SUBJECT, parse_ntriples(text_)) == (text_, digest)
    back = project_entry(SUBJECT, parse_ntriples(text_))
    assert (back.title, back.title_en, back.description) == (title, title_en, description)
    assert back.keywords == sorted(keywords, key=str.lower)
    assert back.themes == sorted(themes)
    assert (back.temporal_start, back.temporal_end) == (start, end)
    assert back.contact_email == (email or "")
    assert back.publisher_name == "Stadt Jena"


def test_editing_keeps_triples_the_form_does_not_own():
    foreign = [
        Triple(SUBJECT, DCT.title, Literal("Titre", language="fr")),
        Triple(
            SUBJECT,
            NamedNode("http://data.europa.eu/r5r/applicableLegislation"),
            NamedNode("https://www.recht.bund.de/eli/bund/bgbl-1/2023/411"),
        ),
    ]
    fields = EntryFields(iri=SUBJECT.value, title="Alt", description="Beschreibung")
    triples = apply_entry_fields(foreign, SUBJECT, "dataset", fields, AGENT)
    fields.title = "Neu"
    triples = apply_entry_fields(triples, SUBJECT, "dataset", fields, AGENT)
    assert all(t in triples for t in foreign)
    titles = [t.object for t in triples if t.predicate == DCT.title]
    assert set(titles) == {Literal("Neu", language="de"), Literal("Titre", language="fr")}


def test_distribution_is_added_then_replaced():
    fields = EntryFields(iri=SUBJECT.value, title="T", description="D")
    triples = apply_entry_fields([], SUBJECT, "dataset", fields, AGENT)
    dist = DistributionFields(
        iri=SUBJECT.value + "/d1", title="a.csv", download_url="https://x/a.csv"
    )
    triples = apply_distribution_fields(
        triples, SUBJECT, dist, "http://dcat-ap.de/def/licenses/cc-by/4.0"
    )
    dist.title = "b.csv"
    triples = apply_distribution_fields(triples, SUBJECT, dist, "")
    projected = project_entry(SUBJECT, triples).distributions
    assert [(d.title, d.access_url, d.download_url) for d in projected] == [
        ("b.csv", "https://x/a.csv", "https://x/a.csv")
    ]


def test_blank_nodes_are_labelled_per_entry():
    fields = EntryFields(
        iri=SUBJECT.value, title="T", description="D", temporal_start=dt.date(2020, 1, 1)
    )
    other = NamedNode("http://example.org/dataset/y")
    a, _ = canonical_ntriples(SUBJECT, apply_entry_fields([], SUBJECT, "dataset", fields, AGENT))
    b, _ = canonical_ntriples(other, apply_entry_fields([], other, "dataset", fields, AGENT))
    labels = lambda nt: {w for w in nt.split() if w.startswith("_:")}  # noqa: E731
    assert labels(a) and labels(b) and not labels(a) & labels(b)


@pytest.mark.parametrize(
    ("name", "media", "expected"),
    [
        ("a.ttl", None, RdfFormat.TURTLE),
        ("a.rdf", None, RdfFormat.RDF_XML),
        ("a.jsonld", None, RdfFormat.JSON_LD),
        ("a.nt", None, RdfFormat.N_TRIPLES),
        ("https://x/catalog?page=2", "text/turtle; charset=utf-8", RdfFormat.TURTLE),
        ("https://x/c", "application/rdf+xml", RdfFormat.RDF_XML),
        ("a.csv", None, None),
    ],
)
def test_format_guessing(name, media, expected):
    assert format_for(name, media) == expected
