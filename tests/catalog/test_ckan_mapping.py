"""CKAN -> DCAT-AP.de: paging, envelopes, and the mapping of real and odd packages.

The real packages are 186 records of Berlin's data register (daten.berlin.de), see
NOTICE; the odd ones are made up here, one oddity each.
"""

import copy
import json
import re
from functools import cache
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode

from allmende.catalog.dcat.build import reachable
from allmende.catalog.dcat.canon import canonical_ntriples
from allmende.catalog.dcat.namespaces import (
    ADMS,
    DCAT,
    DCATDE,
    DCT,
    FOAF,
    GEO,
    LOCN,
    RDF,
    RDFS,
    SKOS,
    SPDX,
    VCARD,
    XSD,
)
from allmende.catalog.dcat.project import project_entry
from allmende.catalog.harvest import ckan_vocab
from allmende.catalog.harvest.ckan import (
    CkanError,
    CkanRecord,
    CkanSkip,
    package_to_record,
    parse_search_page,
    portal_base,
    search_url,
)
from allmende.catalog.harvest.ckan_terms import date_literal
from allmende.catalog.harvest.ckan_vocab import (
    duration,
    file_type,
    frequency_code,
    language_code,
    licence_code,
    theme_codes,
)

pytestmark = pytest.mark.unit

DATA = Path(__file__).resolve().parent.parent / "data"
VOCABULARIES = (
    Path(ckan_vocab.__file__).resolve().parent.parent / "shapes/vocabularies/vocabularies.ttl"
)
API = "https://datenregister.berlin.de/api/3/action"
PORTAL = "https://datenregister.berlin.de"
LICENCES = "http://dcat-ap.de/def/licenses/"
THEME = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


@cache
def _berlin_body() -> bytes:
    return (DATA / "ckan" / "berlin-package-search-186.json").read_bytes()


def berlin() -> list[dict]:
    return copy.deepcopy(parse_search_page(_berlin_body())[1])


def berlin_package(id_prefix: str) -> dict:
    return next(p for p in berlin() if p["id"].startswith(id_prefix))


def objects(record: CkanRecord, subject, predicate) -> list:
    return [t.object for t in record.triples if t.subject == subject and t.predicate == predicate]


def one(record: CkanRecord, subject, predicate):
    found = objects(record, subject, predicate)
    assert len(found) == 1, (predicate, found)
    return found[0]


def values_of(terms: list) -> set[str]:
    return {t.value for t in terms}


def distributions(record: CkanRecord) -> list:
    return objects(record, record.subject, DCAT.distribution)


def package(**fields) -> dict:
    """A small, well-filled synthetic package; keyword arguments replace fields."""
    base = {
        "id": "3f1c0d8e-0000-4000-8000-000000000001",
        "name": "baumkataster",
        "title": "Baumkataster",
        "notes": "Alle Straßenbäume der Stadt.",
        "license_id": "dl-de-by-2.0",
        "organization": {"name": "stadt-jena", "title": "Stadt Jena"},
        "maintainer": "Umweltamt",
        "maintainer_email": "umwelt@jena.de",
        "metadata_created": "2020-01-02T03:04:05.123456",
        "metadata_modified": "2024-05-06T07:08:09.654321",
        "tags": [{"name": "Bäume", "display_name": "Bäume"}],
        "groups": [{"name": "umwelt_klima", "title": "Umwelt und Klima"}],
        "resources": [
            {"id": "r1", "url": "https://example.org/baeume.csv", "format": "CSV", "name": "CSV"}
        ],
        "private": False,
        "state": "active",
        "type": "dataset",
    }
    base.update(fields)
    return base


def record_of(pkg: dict, api_base: str = "https://opendata.example.org") -> CkanRecord:
    return package_to_record(pkg, api_base=api_base)


# -- Paging ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "api_base",
    [
        "https://datenregister.berlin.de",
        "https://datenregister.berlin.de/",
        "https://datenregister.berlin.de/api/3",
        "https://datenregister.berlin.de/api/3/action",
        "https://datenregister.berlin.de/api/3/action/",
        "https://datenregister.berlin.de/api/3/action/package_search?q=x",
    ],
)
def test_search_url_pages_package_search_in_a_stable_order(api_base):
    url = search_url(api_base, start=200, rows=100)
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}{parts.path}" == (
        "https://datenregister.berlin.de/api/3/action/package_search"
    )
    query = parse_qs(parts.query)
    assert query["start"] == ["200"] and query["rows"] == ["100"]
    assert query["sort"] == ["id asc"]


def test_search_url_keeps_a_portal_under_a_path():
    url = search_url("https://www.govdata.de/ckan/api/3/action", start=0, rows=10)
    assert url.startswith("https://www.govdata.de/ckan/api/3/action/package_search?")
    assert portal_base("https://www.govdata.de/ckan/") == "https://www.govdata.de/ckan"


@pytest.mark.parametrize(("start", "rows"), [(-1, 10), (0, 0), (0, 1001)])
def test_search_url_refuses_impossible_pages(start, rows):
    with pytest.raises(ValueError, match="rows"):
        search_url(API, start=start, rows=rows)


@pytest.mark.parametrize("api_base", ["daten.berlin.de", "ftp://daten.berlin.de", "https://"])
def test_search_url_refuses_what_is_no_portal_url(api_base):
    with pytest.raises(CkanError, match="not a CKAN portal URL"):
        search_url(api_base, start=0, rows=10)


def test_parse_search_page_reads_count_and_packages():
    count, results = parse_search_page(_berlin_body())
    assert count == 186 and len(results) == 186
    assert results[0]["title"] == "Versammlungen im Land Berlin"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<html><body>502 Bad Gateway</body></html>", "not JSON"),
        (b"\xff\xfe\x00garbage", "not JSON"),
        (b"[1, 2]", "no 'success'"),
        (b'{"result": {"count": 1, "results": []}}', "no 'success'"),
        (
            b'{"success": false, "error": {"__type": "Not Found Error", "message": "Not found"}}',
            "Not Found Error: Not found",
        ),
        (
            b'{"success": false, "error": {"__type": "Validation Error", "rows": ["Must be'
            b' less than 1000"]}}',
            "Validation Error: rows: ['Must be less than 1000']",
        ),
        (b'{"success": false}', "no details"),
        (b'{"success": true}', "no result count"),
        (b'{"success": true, "result": {"count": -1, "results": []}}', "no result count"),
        (b'{"success": true, "result": {"count": 1}}', "no list of packages"),
        (b'{"success": true, "result": {"count": 1, "results": [1]}}', "no list of packages"),
        (b"[" * 100_000, "not JSON"),
    ],
)
def test_parse_search_page_refuses_what_is_no_successful_envelope(body, words):
    with pytest.raises(CkanError) as caught:
        parse_search_page(body)
    message = str(caught.value)
    assert words in message
    assert "\n" not in message and len(message) < 300
    assert isinstance(caught.value, ValueError)


# -- Berlin's 186 real packages --------------------------------------------------------


def test_every_berlin_package_maps_to_a_complete_description():
    for pkg in berlin():
        record = package_to_record(pkg, api_base=API)
        entry = project_entry(record.subject, record.triples)
        assert record.identifier == pkg["id"]
        assert record.subject == NamedNode(f"{PORTAL}/dataset/{pkg['id']}")
        assert entry.title == pkg["title"].strip()
        assert entry.description
        assert entry.identifier == pkg["id"]
        assert entry.publisher_name == pkg["organization"]["title"]
        assert entry.publisher_iri == f"{PORTAL}/organization/{pkg['organization']['name']}"
        assert entry.distributions, pkg["id"]
        assert all(d.license.startswith(LICENCES) for d in entry.distributions), pkg["id"]
        assert len(set(record.triples)) == len(record.triples)
        # nothing dangles: every triple hangs off the dataset
        assert len(reachable(record.triples, record.subject)) == len(record.triples)


def test_berlin_licence_ids_all_map():
    found = {}
    for pkg in berlin():
        entry = project_entry(*_mapped(pkg))
        found[pkg["license_id"]] = entry.license.removeprefix(LICENCES)
    assert found == {
        "dl-by-de/2.0": "dl-by-de/2.0",
        "cc-by": "cc-by",
        "cc-by-sa": "cc-by-sa",
        "dl-de-by-2.0": "dl-by-de/2.0",
        "cc-by/4.0": "cc-by/4.0",
        "cc-zero": "cc-zero",
        "cc-nc": "cc-by-nc",
        "CC BY 3.0 DE": "cc-by-de/3.0",
    }


def _mapped(pkg: dict) -> tuple:
    record = package_to_record(pkg, api_base=API)
    return record.subject, record.triples


def test_a_berlin_web_form_package_field_by_field():
    pkg = berlin_package("96a8a41e")  # "Fahrraddiebstahl in Berlin"
    record = package_to_record(pkg, api_base=API)
    s = record.subject
    entry = project_entry(s, record.triples)
    assert entry.title == "Fahrraddiebstahl in Berlin"
    assert entry.description.startswith("Auf Basis der polizeilichen Verlaufsstatistik")
    assert one(record, s, DCT.title) == Literal("Fahrraddiebstahl in Berlin", language="de")
    assert entry.keywords == ["Diebstahl", "Fahrrad", "Raub"]
    assert entry.themes == [THEME + "JUST"]  # group "sicherheit"
    # the name is kept as another identifier
    (other,) = objects(record, s, ADMS.identifier)
    assert one(record, other, SKOS.notation) == Literal("fahrraddiebstahl-in-berlin")
    # Berlin's own dates win over CKAN's metadata timestamps
    assert one(record, s, DCT.issued) == Literal("2021-09-08", datatype=XSD.date)
    assert one(record, s, DCT.modified) == Literal("2023-05-23T06:33:42Z", datatype=XSD.dateTime)
    assert one(record, s, DCAT.temporalResolution) == Literal("P1D", datatype=XSD.duration)
    assert objects(record, s, DCAT.landingPage) == []  # url is empty
    # publisher, contact point (maintainer), creator (author)
    assert entry.publisher_iri == f"{PORTAL}/organization/der-polizeiprasident-in-berlin"
    assert entry.publisher_name == "Polizei Berlin"
    card = one(record, s, DCAT.contactPoint)
    assert one(record, card, RDF.type) == VCARD.Organization
    assert one(record, card, VCARD.hasEmail) == NamedNode(
        "mailto:onlineredaktion@polizei.berlin.de"
    )
    creator = one(record, s, DCT.creator)
    assert one(record, creator, FOAF.name) == Literal("Polizei Berlin LKA St 14")
    # the place by name
    place = one(record, s, DCT.spatial)
    assert one(record, place, LOCN.geographicName) == Literal("Berlin", language="de")
    # two distributions, both files, both under CC BY
    csv, pdf = (
        NamedNode(f"{s.value}/resource/a24551d1-3653-462f-83e5-c8288a1a8014"),
        NamedNode(f"{s.value}/resource/c633bd78-bbb7-46fb-9f8e-4e1fa3ab1ede"),
    )
    assert distributions(record) == [csv, pdf]
    assert one(record, csv, DCT.format) == NamedNode(FILE_TYPE + "CSV")
    assert one(record, csv, DCAT.mediaType) == NamedNode(
        "https://www.iana.org/assignments/media-types/text/csv"
    )
    csv_url = NamedNode("https://www.polizei-berlin.eu/Fahrraddiebstahl/Fahrraddiebstahl.csv")
    assert one(record, csv, DCAT.accessURL) == csv_url
    assert one(record, csv, DCAT.downloadURL) == csv_url
    assert one(record, csv, DCT.title) == Literal("Fahrraddiebstahl in Berlin", language="de")
    assert one(record, pdf, DCT.description) == Literal("Stand 08/2021", language="de")
    assert one(record, pdf, DCT.format) == NamedNode(FILE_TYPE + "PDF")
    assert one(record, pdf, DCT.issued) == Literal("2021-09-09T11:11:56Z", datatype=XSD.dateTime)
    for node in (csv, pdf):
        assert one(record, node, DCT.license) == NamedNode(LICENCES + "cc-by")
    assert record.defects == [
        "unmapped fields: berlin_source, berlin_type, geographical_granularity"
    ]


def test_a_berlin_simple_search_package_with_temporal_coverage():
    record = package_to_record(berlin_package("8422a142"), api_base=API)
    s = record.subject
    entry = project_entry(s, record.triples)
    assert entry.title == "Versammlungen im Land Berlin"
    assert entry.keywords == ["aufzüge", "demonstrationen", "demos", "simplesearch"]
    assert entry.temporal_start.isoformat() == entry.temporal_end.isoformat() == "2024-01-15"
    period = one(record, s, DCT.temporal)
    assert one(record, period, RDF.type) == DCT.PeriodOfTime
    assert one(record, period, DCAT.startDate) == Literal("2024-01-15", datatype=XSD.date)
    assert entry.landing_page == (
        "https://www.berlin.de/polizei/service/versammlungsbehoerde/versammlungen-aufzuege/"
    )
    formats = [one(record, d, DCT.format).value.rsplit("/", 1)[-1] for d in distributions(record)]
    assert formats == ["HTML", "JSON", "XML", "XLS", "CSV"]
    licences = {one(record, d, DCT.license).value for d in distributions(record)}
    assert licences == {LICENCES + "cc-by-nc"}  # CKAN's "cc-nc"
    html, json_api = distributions(record)[:2]
    assert objects(record, html, DCAT.downloadURL) == []  # a web page is no download
    assert objects(record, json_api, DCAT.downloadURL)  # ".../all.json?q=" is a file
    assert one(record, json_api, DCT.language) == NamedNode(
        "http://publications.europa.eu/resource/authority/language/DEU"
    )
    card = one(record, s, DCAT.contactPoint)
    assert one(record, card, VCARD.fn) == Literal("Polizei Berlin")  # the maintainer
    creator = one(record, s, DCT.creator)
    assert one(record, creator, FOAF.name) == Literal("LPD St 6")  # the author


def test_a_berlin_geoportal_package_keeps_its_iso_metadata():
    """Records the FIS-Broker harvester made with ckanext-spatial: geometry, bounding box,
    reference system, coupled service, access constraints."""
    pkg = next(p for p in berlin() if p["organization"]["name"] == "harvester-fis-broker")
    record = package_to_record(pkg, api_base=API)
    s = record.subject
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    place = next(p for p in objects(record, s, DCT.spatial) if isinstance(p, BlankNode))
    geometry = one(record, place, LOCN.geometry)
    assert geometry.datatype == GEO.geoJSONLiteral
    assert json.loads(geometry.value) == json.loads(extras["spatial"])
    assert one(record, place, DCAT.bbox).value.startswith("POLYGON((13.0")
    assert NamedNode(extras["spatial-reference-system"]) in objects(record, s, DCT.conformsTo)
    assert objects(record, s, DCT.relation)  # the coupled service's registry entry
    guid = [one(record, i, SKOS.notation).value for i in objects(record, s, ADMS.identifier)]
    assert extras["guid"] in guid and pkg["name"] in guid
    for node in distributions(record):
        rights = one(record, node, DCT.rights)
        assert one(record, rights, RDF.type) == DCT.RightsStatement
        labels = objects(record, rights, RDFS.label)
        assert any("Datenlizenz Deutschland" in label.value for label in labels)
        attribution = one(record, node, DCATDE.licenseAttributionByText)
        assert attribution.value == pkg["attribution_text"]
    assert any(d.startswith("unmapped extras: ") for d in record.defects)
    assert any(d.startswith("unmapped resource fields: internal_function") for d in record.defects)


def test_berlin_oddities_become_defects():
    defects = {p["id"]: package_to_record(p, api_base=API).defects for p in berlin()}
    jrss = "resource 5 format 'jrss' is not an EU file type: left out"
    assert jrss in defects["f41253a7-38a7-4d26-ae7c-17ffe7b5557a"]
    sonstiges = "group 'sonstiges' has no EU data theme: kept as keyword"
    assert sonstiges in defects["051d1015-b570-4628-be51-9bab795c7a28"]
    assert all(d for d in defects.values())  # each names at least its unmapped fields


def test_a_url_with_brackets_is_encoded_not_lost():
    """A real Berlin link with "[393200,5818500]" in its query: brackets are not allowed
    in an IRI outside the host, so they are percent-encoded, as a browser does."""
    record = package_to_record(berlin_package("4dec9559"), api_base=API)
    first = distributions(record)[0]
    url = one(record, first, DCAT.accessURL).value
    assert "Map/center=%5B393200,5818500%5D" in url
    assert one(record, record.subject, DCAT.landingPage).value == url
    assert any("not allowed in a URL: encoded" in d for d in record.defects)


# -- Vocabulary lookups ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("cc-by", "cc-by"),
        ("cc-by-4.0", "cc-by/4.0"),
        ("cc-by/4.0", "cc-by/4.0"),
        ("cc-by-sa", "cc-by-sa"),
        ("cc-zero", "cc-zero"),
        ("cc0", "cc-zero"),
        ("cc-nc", "cc-by-nc"),
        ("CC BY 3.0 DE", "cc-by-de/3.0"),
        ("dl-de-by-2.0", "dl-by-de/2.0"),
        ("dl-by-de/2.0", "dl-by-de/2.0"),
        ("dl-de-zero-2.0", "dl-zero-de/2.0"),
        ("odc-odbl", "odbl"),
        ("other-closed", "other-closed"),
        ("other-pd", "other-open"),
        ("officialWork", "officialWork"),
        ("geoNutz/20131001", "geoNutz/20131001"),
        ("http://dcat-ap.de/def/licenses/dl-zero-de/2.0", "dl-zero-de/2.0"),
        ("http://publications.europa.eu/resource/authority/licence/CC_BY_4_0", "cc-by/4.0"),
        ("http://www.govdata.de/dl-de/by-2-0", "dl-by-de/2.0"),
        ("https://creativecommons.org/licenses/by/4.0/legalcode.de", "cc-by/4.0"),
        ("https://opendefinition.org/licenses/cc-by-sa/", "cc-by-sa"),
        ("Datenlizenz Deutschland – Namensnennung – Version 2.0", "dl-by-de/2.0"),
        ("notspecified", None),
        ("foo", None),
        ("", None),
    ],
)
def test_licence_codes(given, code):
    assert licence_code(given) == code


def test_licence_falls_back_to_url_then_title():
    assert licence_code("my-licence", "https://creativecommons.org/licenses/by-sa/4.0/") == (
        "cc-by-sa/4.0"
    )
    assert licence_code("", "", "Creative Commons Attribution") == "cc-by"


@pytest.mark.parametrize(
    ("name", "title", "codes"),
    [
        ("bevoelkerung", "", ["SOCI"]),
        ("bildung_wissenschaft", "", ["EDUC"]),
        ("infrastruktur_bauen_wohnen", "", ["REGI"]),
        ("oeffentliche_verwaltung_haushalt_steuern", "", ["GOVE"]),
        ("transport_verkehr", "", ["TRAN"]),
        ("wirtschaft_arbeit", "", ["ECON"]),
        ("geo", "Geographie und Stadtplanung", ["REGI"]),
        ("sicherheit", "Öffentliche Sicherheit", ["JUST"]),
        ("erholung", "Sport und Erholung", ["EDUC"]),
        ("envi", "", ["ENVI"]),
        ("infrastruktur-bauen-und-umwelt", "Infrastruktur, Bauen und Umwelt", ["REGI", "ENVI"]),
        ("g1", "Mobilität", ["TRAN"]),
        ("sonstiges", "Sonstiges", []),
        ("gutachten", "Gutachten", []),
    ],
)
def test_group_themes(name, title, codes):
    assert theme_codes(name, title) == codes


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("CSV", "CSV"),
        (".csv", "CSV"),
        ("GeoJSON", "GEOJSON"),
        ("GEOJSON-Datei", "GEOJSON"),
        ("WMS", "WMS_SRVC"),
        ("WFS", "WFS_SRVC"),
        ("xlsx", "XLSX"),
        ("Atom", "ATOM"),
        ("text/csv", "CSV"),
        ("http://publications.europa.eu/resource/authority/file-type/JSON", "JSON"),
        ("Shapefile", "SHP"),
        ("jrss", None),
        ("API", None),
    ],
)
def test_file_types(given, code):
    assert file_type(given) == code


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Jahr", "P1Y"),
        ("5 Jahre", "P5Y"),
        ("Quartal", "P3M"),
        ("Monat", "P1M"),
        ("Woche", "P7D"),
        ("Tag", "P1D"),
        ("Stunde", "PT1H"),
        ("P2D", "P2D"),
        ("manchmal", None),
    ],
)
def test_temporal_resolutions(given, expected):
    assert duration(given) == expected


def test_frequencies_and_languages():
    assert frequency_code("monthly") == "MONTHLY"
    assert frequency_code("biannually") == "ANNUAL_2"  # ISO 19115: twice a year
    assert frequency_code("http://publications.europa.eu/resource/authority/frequency/DAILY") == (
        "DAILY"
    )
    assert frequency_code("jährlich") == "ANNUAL"
    assert frequency_code("whenever") is None
    assert language_code("ger") == language_code("de-DE") == language_code("Deutsch") == "DEU"
    assert language_code("klingon") is None


@pytest.mark.parametrize(
    ("given", "value", "datatype"),
    [
        ("2021-03-19T05:28:27.811301", "2021-03-19T05:28:27Z", XSD.dateTime),
        ("2021-03-19T05:28:27+01:00", "2021-03-19T05:28:27+01:00", XSD.dateTime),
        ("2021-03-04", "2021-03-04", XSD.date),
        ("04.03.2021", "2021-03-04", XSD.date),
        ("2021", "2021", XSD.gYear),
        ("2021-03", "2021-03", XSD.gYearMonth),
    ],
)
def test_dates(given, value, datatype):
    assert date_literal(given) == Literal(value, datatype=datatype)


@pytest.mark.parametrize("given", ["2021-02-30", "unbekannt", "", None, 2021])
def test_what_is_no_date(given):
    assert date_literal(given) is None


def test_every_code_is_in_the_shipped_vocabularies():
    text = VOCABULARIES.read_text(encoding="utf-8")
    known = set(re.findall(r"<([^>\s]+)>", text))
    eu = "http://publications.europa.eu/resource/authority/"
    wanted = (
        {LICENCES + c for c in ckan_vocab.LICENCE_CODES}
        | {LICENCES + c for c in ckan_vocab.LICENCE_ALIASES.values()}
        | {LICENCES + c for c in ckan_vocab.LICENCE_URLS.values()}
        | {THEME + c for c in ckan_vocab.THEME_CODES}
        | {THEME + c for c in ckan_vocab.GROUP_THEMES.values()}
        | {FILE_TYPE + c for c in ckan_vocab.FILE_TYPES}
        | {FILE_TYPE + c for c in ckan_vocab.FORMAT_ALIASES.values()}
        | {FILE_TYPE + c for c in ckan_vocab.MEDIA_FILE_TYPES.values()}
        | {FILE_TYPE + c for c in ckan_vocab.EXTENSION_FILE_TYPES.values()}
        | {eu + "frequency/" + c for c in ckan_vocab.FREQUENCY_CODES}
        | {eu + "frequency/" + c for c in ckan_vocab.FREQUENCY_WORDS.values()}
        | {eu + "language/" + c for c in ckan_vocab.LANGUAGES}
    )
    assert wanted - known == set()


# -- Synthetic packages, one oddity each -----------------------------------------------


def test_a_package_without_resources_and_notes():
    record = record_of(package(notes="", resources=[]))
    entry = project_entry(record.subject, record.triples)
    assert entry.description == "Baumkataster"  # the title stands in
    assert entry.distributions == []
    assert record.defects == [
        "no description (notes): the title is used as description",
        "no resources: the dataset has no distribution",
    ]


def test_the_subject_is_the_ckan_dataset_page_by_id():
    record = record_of(package(), api_base="https://opendata.example.org/api/3/action/")
    assert record.subject == NamedNode(
        "https://opendata.example.org/dataset/3f1c0d8e-0000-4000-8000-000000000001"
    )
    assert record.identifier == "3f1c0d8e-0000-4000-8000-000000000001"
    assert one(record, record.subject, DCT.identifier) == Literal(record.identifier)
    assert one(record, record.subject, DCT.issued) == Literal(
        "2020-01-02T03:04:05Z", datatype=XSD.dateTime
    )
    (dist,) = distributions(record)
    assert dist == NamedNode(record.subject.value + "/resource/r1")
    assert record.defects == []


@pytest.mark.parametrize(
    ("changes", "words"),
    [
        ({"private": True}, "is private"),
        ({"state": "deleted"}, "is deleted"),
        ({"state": "draft"}, "is draft"),
        ({"type": "harvest"}, "is a harvest, not a dataset"),
    ],
)
def test_packages_that_are_not_public_are_skipped(changes, words):
    with pytest.raises(CkanSkip, match=words):
        record_of(package(**changes))


@pytest.mark.parametrize(
    ("pkg", "words"),
    [
        (package(id=""), "package without id"),
        (package(id=None), "package without id"),
        (package(title="  "), "has no title"),
        (package(title=None), "has no title"),
        (["not", "a", "package"], "must be a JSON object"),
    ],
)
def test_packages_that_cannot_become_a_dataset(pkg, words):
    with pytest.raises(CkanError, match=words) as caught:
        record_of(pkg)
    assert not isinstance(caught.value, CkanSkip)


def test_an_unknown_licence_is_left_out_not_invented():
    record = record_of(package(license_id="foo-licence", license_title="Foo"))
    (dist,) = distributions(record)
    assert objects(record, dist, DCT.license) == []
    assert "unknown licence 'foo-licence': left out" in record.defects
    unspecified = record_of(package(license_id="notspecified"))
    assert "no licence given: the distributions have none" in unspecified.defects


def test_a_resource_licence_wins_over_the_package_licence():
    resource = {"id": "r1", "url": "https://example.org/a.csv", "license": "cc-zero"}
    record = record_of(package(resources=[resource]))
    (dist,) = distributions(record)
    assert one(record, dist, DCT.license) == NamedNode(LICENCES + "cc-zero")


def extras_of(fields: dict) -> list[dict]:
    """CKAN's ``extras`` list for a dict of keys and values."""
    return [{"key": key, "value": value} for key, value in fields.items()]


EU = "http://publications.europa.eu/resource/authority/"
GOVDATA_EXTRAS = extras_of(
    {
        "spatial": '{"type": "Point", "coordinates": [11.5892, 50.9271]}',
        "spatial_text": "Jena",
        "politicalGeocodingURI": json.dumps(
            ["http://dcat-ap.de/def/politicalGeocoding/municipalityKey/160530000000"]
        ),
        "contributorID": '["http://dcat-ap.de/def/contributors/stadtJena"]',
        "temporal_start": "2019-01-01",
        "temporal_end": "2023-12-31T00:00:00",
        "issued": "2019-05-01",
        "modified": "2024-02-01T10:00:00+01:00",
        "frequency": EU + "frequency/ANNUAL",
        "language": json.dumps([EU + "language/DEU"]),
        "conforms_to": '["https://www.w3.org/TR/tabular-data-primer/"]',
        "documentation": "https://example.org/doku.html",
        "theme": json.dumps([EU + "data-theme/ENVI"]),
        "harvest_object_id": "4711",
        "hobby_field": "knitting",
    }
)


def govdata_package() -> dict:
    resources = [
        {
            "id": "r1",
            "url": "https://example.org/baeume.csv",
            "format": "CSV",
            "mimetype": "text/csv; charset=utf-8",
            "size": "2048",
            "name": "Baumkataster CSV",
            "hash": "sha256:" + "ab" * 32,
            "last_modified": "2024-02-01T09:00:00",
            "url_type": None,
        },
        {"id": "r2", "url": "https://example.org/wms", "format": "WMS", "name": "Karte"},
        {"id": "r3", "url": "https://example.org/shp.zip", "format": "zip:SHP"},
    ]
    return package(extras=GOVDATA_EXTRAS, resources=resources, url="https://jena.de/baeume")


def test_extras_of_ckanext_dcat_and_dcatde():
    record = record_of(govdata_package())
    s = record.subject
    entry = project_entry(s, record.triples)
    spatial = objects(record, s, DCT.spatial)
    geocoding = "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/160530000000"
    assert NamedNode(geocoding) in spatial
    assert entry.political_geocoding == geocoding
    assert one(record, s, DCATDE.politicalGeocodingLevelURI) == NamedNode(
        "http://dcat-ap.de/def/politicalGeocoding/Level/municipality"
    )
    place = next(p for p in spatial if isinstance(p, BlankNode))
    assert one(record, place, LOCN.geographicName) == Literal("Jena", language="de")
    assert one(record, place, LOCN.geometry) == Literal(
        '{"type":"Point","coordinates":[11.5892,50.9271]}', datatype=GEO.geoJSONLiteral
    )
    assert one(record, s, DCATDE.contributorID) == NamedNode(
        "http://dcat-ap.de/def/contributors/stadtJena"
    )
    assert (entry.temporal_start.isoformat(), entry.temporal_end.isoformat()) == (
        "2019-01-01",
        "2023-12-31",
    )
    assert one(record, s, DCT.issued) == Literal("2019-05-01", datatype=XSD.date)
    assert one(record, s, DCT.modified).value == "2024-02-01T10:00:00+01:00"
    assert entry.accrual_periodicity.endswith("/frequency/ANNUAL")
    assert entry.themes == [THEME + "ENVI"]  # group umwelt_klima and the theme extra
    assert one(record, s, FOAF.page) == NamedNode("https://example.org/doku.html")
    assert one(record, s, DCAT.landingPage) == NamedNode("https://jena.de/baeume")
    assert record.defects == ["unmapped extras: hobby_field"]  # harvest_object_id is bookkeeping


def test_resource_details():
    record = record_of(govdata_package())
    csv, wms, shp = distributions(record)
    assert one(record, csv, DCAT.byteSize) == Literal("2048", datatype=XSD.nonNegativeInteger)
    assert one(record, csv, DCAT.mediaType).value.endswith("/media-types/text/csv")
    assert one(record, csv, DCT.modified) == Literal("2024-02-01T09:00:00Z", datatype=XSD.dateTime)
    checksum = one(record, csv, SPDX.checksum)
    assert one(record, checksum, SPDX.algorithm) == SPDX.term("checksumAlgorithm_sha256")
    assert one(record, checksum, SPDX.checksumValue) == Literal("ab" * 32, datatype=XSD.hexBinary)
    assert one(record, wms, DCT.format) == NamedNode(FILE_TYPE + "WMS_SRVC")
    assert objects(record, wms, DCAT.downloadURL) == []
    assert one(record, shp, DCT.format) == NamedNode(FILE_TYPE + "SHP")
    assert one(record, shp, DCAT.compressFormat).value.endswith("/application/zip")
    assert one(record, shp, DCAT.downloadURL) == NamedNode("https://example.org/shp.zip")


def test_an_upload_given_by_file_name_points_to_ckan_download():
    upload = {"id": "r9", "url": "daten.csv", "url_type": "upload", "format": ""}
    record = record_of(package(resources=[upload]))
    (dist,) = distributions(record)
    expected = NamedNode(record.subject.value + "/resource/r9/download/daten.csv")
    assert one(record, dist, DCAT.accessURL) == expected
    assert one(record, dist, DCAT.downloadURL) == expected
    assert one(record, dist, DCT.format) == NamedNode(FILE_TYPE + "CSV")  # from the name


def test_invalid_iris_never_crash_and_are_named():
    resources = [
        {"id": "a", "url": "ftp://example.org/file.csv"},
        {"id": "b", "url": ""},
        {"id": "c c", "url": "https://example.org/a file.csv", "size": "12 KB"},
        {"id": "d", "url": "https://[::1/x", "format": "CSV"},
        {"url": "https://example.org/no-id.json", "mimetype": "csv please"},
        "not a resource",
    ]
    pkg = package(
        url="www.example.org",
        maintainer_email="Max Muster",
        author="Erika",
        author_email="Erika <erika@example.org>",
        organization={"name": "amt für umwelt", "title": "Amt für Umwelt"},
        resources=resources,
        extras=[{"key": "spatial", "value": "somewhere"}, {"key": "issued", "value": "bald"}],
    )
    record = record_of(pkg)
    s = record.subject
    assert record.defects[:2] == [
        "url 'www.example.org' is not an http(s) URL: left out",
        "issued 'bald' is no date: left out",
    ]
    for line in [
        "spatial 'somewhere' is no GeoJSON geometry or WKT: left out",
        "maintainer_email 'Max Muster' is not an e-mail address: left out",
        "contact 'Umweltamt' has no e-mail address, URL or phone",
        "resource 1 URL 'ftp://example.org/file.csv' is not an http(s) URL: skipped",
        "resource 2 has no URL: skipped",
        "resource 3 URL 'https://example.org/a file.csv' has characters not allowed in a URL:"
        " encoded",
        "resource 3 size '12 KB' is no number of bytes: left out",
        "resource 4 URL 'https://[::1/x' is not an http(s) URL: skipped",
        "resource 5 has no id: its distribution has no IRI",
        "resource 5 mimetype 'csv please' is not a media type: left out",
        "resource 6 is not an object: skipped",
    ]:
        assert line in record.defects
    # issued falls back to CKAN's metadata_created
    assert one(record, s, DCT.issued).value == "2020-01-02T03:04:05Z"
    assert one(record, s, DCT.publisher) == NamedNode(
        "https://opendata.example.org/organization/amt%20f%C3%BCr%20umwelt"
    )
    encoded, blank = distributions(record)
    assert encoded == NamedNode(s.value + "/resource/c%20c")
    assert one(record, encoded, DCAT.accessURL) == NamedNode("https://example.org/a%20file.csv")
    assert isinstance(blank, BlankNode)
    creator = one(record, s, DCT.creator)
    assert one(record, creator, FOAF.mbox) == NamedNode("mailto:erika@example.org")
    for term in (t for triple in record.triples for t in (triple.subject, triple.object)):
        if isinstance(term, NamedNode):
            assert " " not in term.value


def test_political_geocoding_level_is_derived_and_the_name_kept():
    extras = extras_of(
        {
            "politicalGeocodingURI": "http://dcat-ap.de/def/politicalGeocoding/stateKey/11",
            "geocodingText": "Land Berlin",
        }
    )
    record = record_of(package(extras=extras))
    s = record.subject
    assert one(record, s, DCATDE.politicalGeocodingLevelURI).value.endswith("/Level/state")
    assert objects(record, s, DCATDE.politicalGeocodingURI) == []  # deprecated in 3.0


def test_a_geojson_feature_in_the_spatial_extra_gives_its_geometry():
    feature = {
        "type": "Feature",
        "properties": {},
        "geometry": {"type": "Point", "coordinates": [1, 2]},
    }
    record = record_of(package(extras=[{"key": "spatial", "value": json.dumps(feature)}]))
    place = one(record, record.subject, DCT.spatial)
    assert json.loads(one(record, place, LOCN.geometry).value) == feature["geometry"]


def test_texts_follow_the_package_language():
    pkg = package(
        extras=[{"key": "language", "value": "en"}],
        title_translated={"en": "Tree register", "de": "Baumkataster"},
    )
    record = record_of(pkg)
    s = record.subject
    assert set(objects(record, s, DCT.title)) == {
        Literal("Baumkataster", language="en"),  # CKAN's title, in the package's language
        Literal("Baumkataster", language="de"),
    }
    assert one(record, s, DCT.language).value.endswith("/language/ENG")
    assert Literal("Bäume", language="en") in objects(record, s, DCAT.keyword)


def test_contacts_from_extensions_join_the_maintainer():
    extras = extras_of(
        {
            "contact_name": "Open-Data-Team",
            "contact_email": "opendata@jena.de",
            "responsible-party": '[{"name": "Umweltamt", "roles": ["pointOfContact"]}]',
            "contact-email": "umwelt@jena.de",
        }
    )
    record = record_of(package(extras=extras))
    emails = {
        one(record, card, VCARD.hasEmail).value
        for card in objects(record, record.subject, DCAT.contactPoint)
    }
    assert emails == {"mailto:umwelt@jena.de", "mailto:opendata@jena.de"}  # one per address
    assert project_entry(record.subject, record.triples).contact_email == "umwelt@jena.de"


def test_a_package_without_organisation_uses_the_publisher_extras_or_says_so():
    extras = extras_of({"publisher_name": "Stadt Jena", "publisher_uri": "https://www.jena.de/"})
    record = record_of(package(organization=None, extras=extras))
    assert project_entry(record.subject, record.triples).publisher_iri == "https://www.jena.de/"
    bare = record_of(package(organization=None))
    assert objects(bare, bare.subject, DCT.publisher) == []
    assert "no organization: the dataset has no publisher" in (bare.defects)


def test_lone_surrogates_are_replaced():
    record = record_of(package(title="Bäume \ud800", notes="x"))
    assert one(record, record.subject, DCT.title).value == "Bäume \ufffd"
    assert "text with invalid characters (lone surrogates): replaced" in record.defects


KEYS = ["name", "title", "url", "key", "value"]
json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.floats()
    | st.text(max_size=20)
    | st.sampled_from(["https://x y/", "http://[::1", "a@b", "2021-02-30", "Jahr", "zip:X"]),
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(st.sampled_from(KEYS), children, max_size=3)
    ),
    max_leaves=8,
)
FIELDS = [
    "name", "notes", "url", "license_id", "tags", "groups", "organization", "maintainer",
    "maintainer_email", "author", "metadata_created", "date_released", "temporal_coverage_from",
    "geographical_coverage", "version", "language", "private", "state", "type",
]  # fmt: skip
RESOURCE_FIELDS = ["id", "url", "format", "mimetype", "size", "hash", "created", "url_type"]


@settings(max_examples=150, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    fields=st.dictionaries(st.sampled_from(FIELDS), json_values),
    resources=st.lists(st.dictionaries(st.sampled_from(RESOURCE_FIELDS), json_values), max_size=3),
    extras=st.lists(
        st.fixed_dictionaries({"key": st.sampled_from(FIELDS), "value": json_values}), max_size=4
    ),
)
def test_any_json_gives_a_record_or_a_ckan_error(fields, resources, extras):
    pkg = {"id": "p", "title": "T", **fields, "resources": resources, "extras": extras}
    try:
        record = record_of(pkg)
    except CkanError:
        return
    assert project_entry(record.subject, record.triples).title == "T"


# -- SHACL: what a typical package becomes conforms to DCAT-AP.de ----------------------


@pytest.mark.conformance
def test_every_berlin_record_conforms_to_dcat_ap_de():
    from allmende.catalog.quality.shacl import validate_graph

    for pkg in berlin():
        record = package_to_record(pkg, api_base=API)
        report = validate_graph(canonical_ntriples(record.subject, record.triples)[0])
        assert report.violations == [], pkg["id"]
        assert report.warnings == [], pkg["id"]


@pytest.mark.conformance
def test_a_well_filled_synthetic_package_conforms_to_dcat_ap_de():
    from allmende.catalog.quality.shacl import validate_graph

    record = record_of(govdata_package())
    report = validate_graph(canonical_ntriples(record.subject, record.triples)[0])
    assert report.violations == []


@pytest.mark.conformance
def test_a_licence_left_out_is_what_shacl_reports():
    from allmende.catalog.quality.shacl import validate_graph

    record = record_of(package(license_id="foo"))
    report = validate_graph(canonical_ntriples(record.subject, record.triples)[0])
    assert [r.path for r in report.violations] == ["dct:license"]
