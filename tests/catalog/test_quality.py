"""Metadata quality scoring (MQA): each indicator on hand-made descriptions, the bands,
the words for what to fix, and the points against data.europa.eu's published metrics."""

import pytest
from django.utils import translation
from pyoxigraph import Literal, NamedNode, RdfFormat, Triple, parse

from allmende.catalog.dcat.extract import split_document
from allmende.catalog.dcat.namespaces import DCAT, DCT
from allmende.catalog.dcat.rdfio import parse_rdf
from allmende.catalog.quality import mqa, vocabulary
from allmende.catalog.quality.advice import fix_text, fixes

from ..conftest import DATA

pytestmark = pytest.mark.unit

BASE = "http://127.0.0.1:9"
ACCESS, DOWNLOAD = f"{BASE}/baumkataster", f"{BASE}/baumkataster.csv"
ALL_OK = {ACCESS: 200, DOWNLOAD: 200}
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "https://www.iana.org/assignments/media-types/"


def full_record() -> tuple[NamedNode, list]:
    text = (DATA / "mqa" / "full-marks.ttl").read_text(encoding="utf-8").replace("BASE", BASE)
    entry = split_document(parse_rdf(text.encode(), RdfFormat.TURTLE)).entries[0]
    return entry.subject, entry.triples


def score(triples=None, *, violations: int = 0, status=None) -> mqa.Assessment:
    subject, full = full_record()
    return mqa.assess(
        subject,
        full if triples is None else triples,
        shacl_violations=violations,
        url_status=ALL_OK if status is None else status,
    )


def without(*predicates) -> list:
    _subject, triples = full_record()
    return [t for t in triples if t.predicate not in predicates]


def replaced(predicate, value) -> list:
    """The full record with the distribution's ``predicate`` set to ``value`` only."""
    _subject, triples = full_record()
    dist = next(t.object for t in triples if t.predicate == DCAT.distribution)
    kept = [t for t in triples if not (t.subject == dist and t.predicate == predicate)]
    return [*kept, Triple(dist, predicate, value)]


def points(assessment: mqa.Assessment) -> dict[str, int]:
    return {i.metric.key: i.points for i in assessment.indicators}


def lost_points(assessment: mqa.Assessment) -> dict[str, int]:
    """The points each indicator misses, for those that miss some."""
    return {
        i.metric.key: i.metric.points - i.points
        for i in assessment.indicators
        if i.points < i.metric.points
    }


def test_the_methodology_adds_up_to_405_in_five_dimensions():
    assert mqa.MAX_POINTS == 405
    assert mqa.DIMENSION_MAX == {
        "findability": 100,
        "accessibility": 100,
        "interoperability": 110,
        "reusability": 75,
        "contextuality": 20,
    }
    assert len(mqa.METRICS) == 23


def test_points_agree_with_the_published_metric_vocabulary():
    """data.europa.eu's DQV metrics (pv:trueScore) give the same points to the same IRIs."""
    text = (DATA / "mqa" / "piveau-dqv-vocabulary.ttl").read_bytes()
    true_score = NamedNode(mqa.PV + "trueScore")
    published = {
        q.subject.value: int(q.object.value)
        for q in parse(text, format=RdfFormat.TURTLE)
        if q.predicate == true_score
    }
    assert {m.iri: m.points for m in mqa.METRICS} == published


def test_a_complete_record_with_reachable_urls_scores_405():
    assessment = score()
    assert assessment.total == 405
    assert assessment.band == "excellent"
    assert assessment.dimensions == mqa.DIMENSION_MAX
    assert fixes(assessment.indicators_json()) == []


@pytest.mark.parametrize(
    ("predicates", "lost"),
    [
        ((DCAT.keyword,), {"keywordAvailability": 30}),
        ((DCAT.theme,), {"categoryAvailability": 30}),
        ((DCT.spatial,), {"spatialAvailability": 20}),
        ((DCT.temporal,), {"temporalAvailability": 20}),
        ((DCAT.downloadURL,), {"downloadUrlAvailability": 20, "downloadUrlStatusCode": 30}),
        ((DCT.format,), {"formatAvailability": 20}),
        ((DCAT.mediaType,), {"mediaTypeAvailability": 10}),
        (
            (DCT.format, DCAT.mediaType),
            {
                "formatAvailability": 20,
                "mediaTypeAvailability": 10,
                "formatMediaTypeVocabularyAlignment": 10,
                "formatMediaTypeNonProprietary": 20,
                "formatMediaTypeMachineInterpretable": 20,
            },
        ),
        ((DCT.license,), {"licenceAvailability": 20, "knownLicence": 10}),
        (
            (DCT.accessRights,),
            {"accessRightsAvailability": 10, "accessRightsVocabularyAlignment": 5},
        ),
        ((DCAT.contactPoint,), {"contactPointAvailability": 20}),
        ((DCT.publisher,), {"publisherAvailability": 10}),
        ((DCT.rights,), {"rightsAvailability": 5}),
        ((DCAT.byteSize,), {"byteSizeAvailability": 5}),
        ((DCT.issued,), {"dateIssuedAvailability": 5}),
        ((DCT.modified,), {"dateModifiedAvailability": 5}),
        ((DCAT.distribution,), None),  # every distribution indicator, checked below
    ],
)
def test_each_missing_property_costs_its_indicator(predicates, lost):
    assessment = score(without(*predicates))
    if lost is None:  # no distribution: none of the distribution points
        lost = {m.key: m.points for m in mqa.METRICS if m.on == mqa.DISTRIBUTION}
    assert lost_points(assessment) == lost
    assert assessment.total == 405 - sum(lost.values())


def test_dates_count_from_the_dataset_or_else_from_its_distributions():
    subject, triples = full_record()
    on_dataset_only = [
        t for t in triples if not (t.predicate == DCT.issued and t.subject != subject)
    ]
    assert points(score(on_dataset_only))["dateIssuedAvailability"] == 5
    on_distribution_only = [
        t for t in triples if not (t.predicate == DCT.issued and t.subject == subject)
    ]
    assert points(score(on_distribution_only))["dateIssuedAvailability"] == 5


def test_shacl_violations_cost_the_dcat_ap_compliance_points():
    assessment = score(violations=2)
    assert points(assessment)["dcatApCompliance"] == 0
    assert assessment.total == 375


@pytest.mark.parametrize(
    ("status", "lost"),
    [
        ({ACCESS: 404, DOWNLOAD: 200}, {"accessUrlStatusCode": 50}),
        ({ACCESS: 200, DOWNLOAD: 500}, {"downloadUrlStatusCode": 30}),
        ({ACCESS: 301, DOWNLOAD: 204}, {}),  # 2xx and 3xx answers count as reachable
        ({ACCESS: 0, DOWNLOAD: 0}, {"accessUrlStatusCode": 50, "downloadUrlStatusCode": 30}),
    ],
)
def test_url_reachability(status, lost):
    assert lost_points(score(status=status)) == lost


def test_unchecked_urls_score_nothing_and_are_pending():
    assessment = score(status={})
    indicators = assessment.indicators_json()
    assert indicators["accessUrlStatusCode"]["points"] == 0
    assert indicators["accessUrlStatusCode"]["pending"] == 1
    assert indicators["downloadUrlStatusCode"]["values"] == [None]
    assert assessment.total == 405 - 80


@pytest.mark.parametrize(
    ("predicate", "value", "lost"),
    [
        # A literal format names CSV, but is not taken from the vocabulary.
        (DCT.format, "CSV", {"formatMediaTypeVocabularyAlignment": 10}),
        (
            DCAT.mediaType,
            "application/x-zip-compressed",
            {
                "formatMediaTypeVocabularyAlignment": 10,
            },
        ),
        # PDF is not machine-readable, but the media type text/csv still is.
        (DCT.format, NamedNode(FILE_TYPE + "PDF"), {}),
        (DCT.license, NamedNode("https://example.org/our-own-licence"), {"knownLicence": 10}),
        (
            DCT.license,
            NamedNode("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"),
            {},
        ),
    ],
)
def test_vocabularies(predicate, value, lost):
    node = Literal(value) if isinstance(value, str) else value
    assert lost_points(score(replaced(predicate, node))) == lost


def test_formats_proprietary_and_not_machine_readable():
    """The media type counts too: a PDF with media type text/csv is machine-readable."""
    pdf = replaced(DCT.format, NamedNode(FILE_TYPE + "PDF"))
    assert points(score(pdf))["formatMediaTypeMachineInterpretable"] == 20
    only_pdf = [t for t in pdf if t.predicate != DCAT.mediaType]
    assert points(score(only_pdf))["formatMediaTypeMachineInterpretable"] == 0
    assert points(score(only_pdf))["formatMediaTypeNonProprietary"] == 20
    xlsx = [
        t
        for t in replaced(DCT.format, NamedNode(FILE_TYPE + "XLSX"))
        if t.predicate != DCAT.mediaType
    ]
    assert points(score(xlsx))["formatMediaTypeNonProprietary"] == 0
    assert points(score(xlsx))["formatMediaTypeMachineInterpretable"] == 20


def test_access_rights_as_text_are_not_from_the_vocabulary():
    subject, _triples = full_record()
    triples = [*without(DCT.accessRights), Triple(subject, DCT.accessRights, Literal("öffentlich"))]
    found = points(score(triples))
    assert found["accessRightsAvailability"] == 10
    assert found["accessRightsVocabularyAlignment"] == 0


def test_distribution_indicators_count_by_share():
    text = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    <https://x.example/d> a dcat:Dataset ; dct:title "T"@de ; dct:description "D"@de ;
      dcat:distribution <https://x.example/d/1>, <https://x.example/d/2>, <https://x.example/d/3> .
    <https://x.example/d/1> a dcat:Distribution ; dcat:accessURL <https://x.example/1> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .
    <https://x.example/d/2> a dcat:Distribution ; dcat:accessURL <https://x.example/2> ;
      dct:format <http://publications.europa.eu/resource/authority/file-type/JSON> .
    <https://x.example/d/3> a dcat:Distribution ; dcat:accessURL <https://x.example/3> .
    """
    entry = split_document(parse_rdf(text.encode(), RdfFormat.TURTLE)).entries[0]
    status = {"https://x.example/1": 200, "https://x.example/2": 404}
    assessment = mqa.assess(entry.subject, entry.triples, shacl_violations=1, url_status=status)
    indicators = assessment.indicators_json()
    assert indicators["formatAvailability"] == {
        "dimension": "interoperability",
        "points": 13,
        "max": 20,
        "met": 2,
        "of": 3,
        "values": [True, True, False],
    }
    assert indicators["accessUrlStatusCode"]["points"] == 17  # 1 of 3 reachable: 16.7
    assert indicators["accessUrlStatusCode"]["pending"] == 1
    assert assessment.distributions == [f"https://x.example/d/{n}" for n in (1, 2, 3)]


def test_an_empty_record_is_bad():
    text = """
    @prefix dcat: <http://www.w3.org/ns/dcat#> . @prefix dct: <http://purl.org/dc/terms/> .
    <https://x.example/empty> a dcat:Dataset ; dct:title "Leer"@de ; dct:description "?"@de .
    """
    entry = split_document(parse_rdf(text.encode(), RdfFormat.TURTLE)).entries[0]
    assessment = mqa.assess(entry.subject, entry.triples, shacl_violations=3, url_status={})
    assert assessment.total == 0
    assert assessment.band == "bad"
    assert assessment.distributions == []
    assert len(fixes(assessment.indicators_json())) == 23


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "bad"),
        (120, "bad"),
        (121, "sufficient"),
        (220, "sufficient"),
        (221, "good"),
        (350, "good"),
        (351, "excellent"),
        (405, "excellent"),
    ],
)
def test_bands_at_their_bounds(total, band):
    assert mqa.band_for(total) == band


def test_records_on_either_side_of_the_top_bound():
    # 405 - 50 (access URL) - 5 (rights) = 350: the best "good"; 355 is "excellent".
    at_350 = score(without(DCT.rights), status={ACCESS: 404, DOWNLOAD: 200})
    assert (at_350.total, at_350.band) == (350, "good")
    half = score(status={ACCESS: 404, DOWNLOAD: 200})
    assert (half.total, half.band) == (355, "excellent")


def test_fixes_say_what_to_do_in_english_and_german(english):
    assessment = score(without(DCAT.keyword, DCT.license), status={})
    found = {f.key: f for f in fixes(assessment.indicators_json())}
    assert found["keywordAvailability"].text.startswith("Add keywords (dcat:keyword)")
    assert found["keywordAvailability"].points == 30
    assert "not been checked yet" in found["accessUrlStatusCode"].text
    assert next(iter(found)) == "accessUrlStatusCode"  # the most points first
    with translation.override("de"):
        text = fix_text("keywordAvailability", assessment.indicators_json()["keywordAvailability"])
    assert text.startswith("Ergänzen Sie Schlagwörter")


def test_fix_counts_the_distributions_that_miss_it(english):
    data = {"points": 10, "max": 20, "met": 1, "of": 2}
    assert fix_text("formatAvailability", data).startswith("Affected distributions: 1 of 2.")
    none = {"points": 0, "max": 20, "met": 0, "of": 0}
    assert fix_text("formatAvailability", none).startswith("Add at least one distribution")


def test_vocabulary_lookups():
    assert vocabulary.format_in_vocabulary(FILE_TYPE + "CSV", is_iri=True)
    assert not vocabulary.format_in_vocabulary(FILE_TYPE + "NOPE", is_iri=True)
    assert not vocabulary.format_in_vocabulary("CSV", is_iri=False)
    assert vocabulary.media_type_in_vocabulary(IANA + "text/csv")
    assert vocabulary.media_type_in_vocabulary("text/csv; charset=utf-8")
    assert not vocabulary.media_type_in_vocabulary("application/x-gzip")
    assert vocabulary.file_type_of("csv") == "CSV"
    assert vocabulary.file_type_of("application/geo+json") == "GEOJSON"
    assert vocabulary.media_type_file_type(IANA + "application/vnd.ms-excel") == "XLS"
    assert len(vocabulary.file_types()) > 100
    known = vocabulary.file_types() | {"GPKG", "PARQUET"}  # newer codes than the 2018 table
    assert not vocabulary.NON_PROPRIETARY - known
    assert not vocabulary.MACHINE_READABLE - known
    assert vocabulary.licence_in_vocabulary("http://dcat-ap.de/def/licenses/dl-zero-de/2.0")
    assert vocabulary.access_right_in_vocabulary(
        "http://publications.europa.eu/resource/authority/access-right/NON_PUBLIC"
    )


def test_urls_are_read_from_stored_graphs():
    from allmende.catalog.dcat.canon import canonical_ntriples

    subject, triples = full_record()
    text, _hash = canonical_ntriples(subject, triples)
    assert mqa.urls_in(text) == {ACCESS, DOWNLOAD} == mqa.urls_of(triples)
