"""Write ``shapes/vocabularies/vocabularies.ttl``: the controlled vocabularies the
DCAT-AP.de shapes check with ``skos:inScheme``, so validation needs no network.

Run by a developer when a vocabulary changes (``python -m
allmende.catalog.quality.build_vocabularies PATH_TO_SHARED_VOCABULARIES``); the output
is committed. The EU data-theme and file-type tables are read from the Publications
Office SKOS files; the other tables are written from their published codes.
"""

import sys
from pathlib import Path

from rdflib import RDF, SKOS, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS

OUT = Path(__file__).resolve().parent.parent / "shapes" / "vocabularies" / "vocabularies.ttl"
EU = "http://publications.europa.eu/resource/authority/"
DE = "http://dcat-ap.de/def/"

# Codes of EU authority tables that are not shipped as files (published facts).
EU_TABLES: dict[str, dict[str, tuple[str, str]]] = {
    "frequency": {
        "ANNUAL": ("jährlich", "annual"),
        "ANNUAL_2": ("halbjährlich", "semiannual"),
        "ANNUAL_3": ("dreimal im Jahr", "three times a year"),
        "BIENNIAL": ("zweijährlich", "biennial"),
        "BIMONTHLY": ("zweimonatlich", "bimonthly"),
        "BIWEEKLY": ("zweiwöchentlich", "biweekly"),
        "CONT": ("kontinuierlich", "continuous"),
        "DAILY": ("täglich", "daily"),
        "DAILY_2": ("zweimal täglich", "twice a day"),
        "HOURLY": ("stündlich", "hourly"),
        "IRREG": ("unregelmäßig", "irregular"),
        "MONTHLY": ("monatlich", "monthly"),
        "MONTHLY_2": ("zweimal im Monat", "semimonthly"),
        "MONTHLY_3": ("dreimal im Monat", "three times a month"),
        "NEVER": ("nie", "never"),
        "OP_DATPRO": ("vorläufige Daten", "provisional data"),
        "QUARTERLY": ("vierteljährlich", "quarterly"),
        "TRIENNIAL": ("dreijährlich", "triennial"),
        "QUADRENNIAL": ("vierjährlich", "quadrennial"),
        "QUINQUENNIAL": ("fünfjährlich", "quinquennial"),
        "DECENNIAL": ("alle zehn Jahre", "decennial"),
        "UNKNOWN": ("unbekannt", "unknown"),
        "UPDATE_CONT": ("laufend aktualisiert", "continuously updated"),
        "WEEKLY": ("wöchentlich", "weekly"),
        "WEEKLY_2": ("zweimal pro Woche", "semiweekly"),
        "WEEKLY_3": ("dreimal pro Woche", "three times a week"),
        "OTHER": ("andere", "other"),
        "1MIN": ("jede Minute", "every minute"),
        "5MIN": ("alle fünf Minuten", "every five minutes"),
        "10MIN": ("alle zehn Minuten", "every ten minutes"),
        "15MIN": ("alle fünfzehn Minuten", "every fifteen minutes"),
        "30MIN": ("alle dreißig Minuten", "every thirty minutes"),
        "12HRS": ("alle zwölf Stunden", "every twelve hours"),
    },
    "language": {
        "DEU": ("Deutsch", "German"),
        "ENG": ("Englisch", "English"),
        "FRA": ("Französisch", "French"),
        "POL": ("Polnisch", "Polish"),
        "CES": ("Tschechisch", "Czech"),
        "DAN": ("Dänisch", "Danish"),
        "NLD": ("Niederländisch", "Dutch"),
        "ITA": ("Italienisch", "Italian"),
        "SPA": ("Spanisch", "Spanish"),
        "TUR": ("Türkisch", "Turkish"),
        "RUS": ("Russisch", "Russian"),
        "UKR": ("Ukrainisch", "Ukrainian"),
        "ARA": ("Arabisch", "Arabic"),
        "DSB": ("Niedersorbisch", "Lower Sorbian"),
        "HSB": ("Obersorbisch", "Upper Sorbian"),
        "FRR": ("Nordfriesisch", "Northern Frisian"),
        "NDS": ("Niederdeutsch", "Low German"),
    },
    "access-right": {
        "PUBLIC": ("öffentlich", "public"),
        "RESTRICTED": ("eingeschränkt", "restricted"),
        "NON_PUBLIC": ("nicht öffentlich", "non-public"),
        "CONFIDENTIAL": ("vertraulich", "confidential"),
        "SENSITIVE": ("sensibel", "sensitive"),
        "OP_DATPRO": ("vorläufige Daten", "provisional data"),
    },
    "planned-availability": {
        "AVAILABLE": ("verfügbar", "available"),
        "EXPERIMENTAL": ("experimentell", "experimental"),
        "STABLE": ("stabil", "stable"),
        "TEMPORARY": ("vorübergehend", "temporary"),
        "OP_DATPRO": ("vorläufige Daten", "provisional data"),
    },
    "distribution-status": {
        "COMPLETED": ("abgeschlossen", "completed"),
        "DEPRECATED": ("veraltet", "deprecated"),
        "DEVELOP": ("in Entwicklung", "under development"),
        "WITHDRAWN": ("zurückgezogen", "withdrawn"),
    },
    "dataset-type": {
        "STATISTICAL": ("statistische Daten", "statistical data"),
        "GEOSPATIAL": ("Geodaten", "geospatial data"),
        "CODE_LIST": ("Codeliste", "code list"),
        "TEST_DATA": ("Testdaten", "test data"),
        "SYNTHETIC_DATA": ("synthetische Daten", "synthetic data"),
        "HVD": ("hochwertige Datensätze", "high-value dataset"),
        "OP_DATPRO": ("vorläufige Daten", "provisional data"),
    },
}

LICENCES: dict[str, str] = {
    "apache": "Apache License",
    "bsd": "BSD License",
    "cc-by": "Creative Commons Namensnennung (CC-BY)",
    "cc-by/4.0": "Creative Commons Namensnennung – 4.0 International (CC BY 4.0)",
    "cc-by-de/3.0": "Creative Commons Namensnennung 3.0 Deutschland (CC BY 3.0 DE)",
    "cc-by-nc": "Creative Commons Namensnennung – Nicht kommerziell (CC BY-NC)",
    "cc-by-nc-de/3.0": "Creative Commons Namensnennung – Nicht kommerziell 3.0 Deutschland",
    "cc-by-nc/4.0": "Creative Commons Namensnennung – Nicht kommerziell 4.0 International",
    "cc-by-nd": "Creative Commons Namensnennung – Keine Bearbeitung (CC BY-ND)",
    "cc-by-nd/3.0": "Creative Commons Namensnennung – Keine Bearbeitung 3.0 Unported",
    "cc-by-nd/4.0": "Creative Commons Namensnennung – Keine Bearbeitung 4.0 International",
    "cc-by-sa": "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen (CC BY-SA)",
    "cc-by-sa-de/3.0": "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 3.0 DE",
    "cc-by-sa/4.0": "Creative Commons Namensnennung – Weitergabe unter gleichen Bedingungen 4.0",
    "ccpdm/1.0": "Public Domain Mark 1.0",
    "cc-zero": "Creative Commons CC Zero License (cc-zero)",
    "dl-by-de/1.0": "Datenlizenz Deutschland Namensnennung 1.0",
    "dl-by-de/2.0": "Datenlizenz Deutschland – Namensnennung – Version 2.0",
    "dl-by-nc-de/1.0": "Datenlizenz Deutschland Namensnennung nicht-kommerziell 1.0",
    "dl-zero-de/2.0": "Datenlizenz Deutschland – Zero – Version 2.0",
    "geonutz/20130319": "Nutzungsbestimmungen für die Bereitstellung von Geodaten des Bundes",
    "geoNutz/20131001": "Nutzungsbestimmungen für die Bereitstellung von Geodaten des Landes Berlin",
    "gfdl": "GNU Free Documentation License",
    "gpl/3.0": "GNU General Public License version 3.0",
    "mozilla": "Mozilla Public License 2.0",
    "odbl": "Open Data Commons Open Database License (ODbL)",
    "odby": "Open Data Commons Attribution License (ODC-BY 1.0)",
    "odcpddl": "Open Data Commons Public Domain Dedication and Licence (ODC PDDL)",
    "officialWork": "Amtliches Werk, lizenzfrei nach §5 Abs. 1 UrhG",
    "other-closed": "Andere geschlossene Lizenz",
    "other-commercial": "Andere kommerzielle Lizenz",
    "other-freeware": "Andere Freeware Lizenz",
    "other-open": "Andere offene Lizenz",
    "other-opensource": "Andere Open Source Lizenz",
}

GEOCODING_LEVELS = {
    "international": ("international", "international"),
    "european": ("europäisch", "European"),
    "federal": ("Bund", "federal"),
    "state": ("Land", "state"),
    "administrativeDistrict": ("Kreis", "administrative district"),
    "municipality": ("Gemeinde", "municipality"),
}

PUBLISHER_TYPES = {
    "Academia-ScientificOrganisation": "Academia/Scientific organisation",
    "Company": "Company",
    "IndustryConsortium": "Industry consortium",
    "LocalAuthority": "Local authority",
    "NationalAuthority": "National authority",
    "NonGovernmentalOrganisation": "Non-governmental organisation",
    "NonProfitOrganisation": "Non-profit organisation",
    "PrivateIndividual(s)": "Private individual(s)",
    "RegionalAuthority": "Regional authority",
    "StandardisationBody": "Standardisation body",
    "SupraNationalAuthority": "Supra-national authority",
}


def _scheme(graph: Graph, iri: str, title: str) -> URIRef:
    scheme = URIRef(iri)
    graph.add((scheme, RDF.type, SKOS.ConceptScheme))
    graph.add((scheme, DCTERMS.title, Literal(title, lang="en")))
    graph.add((scheme, SKOS.prefLabel, Literal(title, lang="en")))
    return scheme


def _concept(graph: Graph, iri: str, scheme: URIRef, de: str, en: str) -> None:
    node = URIRef(iri)
    graph.add((node, RDF.type, SKOS.Concept))
    graph.add((node, SKOS.inScheme, scheme))
    graph.add((node, SKOS.prefLabel, Literal(de, lang="de")))
    if en:
        graph.add((node, SKOS.prefLabel, Literal(en, lang="en")))


def _from_eu_file(graph: Graph, path: Path, table: str) -> None:
    source = Graph().parse(path)
    scheme = _scheme(graph, EU + table, table)
    for concept in source.subjects(SKOS.inScheme, URIRef(EU + table)):
        labels = {lit.language: str(lit) for lit in source.objects(concept, SKOS.prefLabel)}
        code = str(concept).rsplit("/", 1)[1]
        _concept(
            graph,
            str(concept),
            scheme,
            labels.get("de") or labels.get("en") or code,
            labels.get("en", ""),
        )


def build(shared_vocabularies: Path) -> Graph:
    graph = Graph()
    graph.bind("skos", SKOS)
    _from_eu_file(graph, shared_vocabularies / "data-theme-skos.rdf", "data-theme")
    _from_eu_file(graph, shared_vocabularies / "filetypes-skos.rdf", "file-type")
    for table, codes in EU_TABLES.items():
        scheme = _scheme(graph, EU + table, table)
        for code, (de, en) in codes.items():
            _concept(graph, f"{EU}{table}/{code}", scheme, de, en)
    scheme = _scheme(graph, DE + "licenses", "DCAT-AP.de licences")
    for code, name in LICENCES.items():
        _concept(graph, f"{DE}licenses/{code}", scheme, name, "")
    scheme = _scheme(graph, DE + "politicalGeocoding/Level", "Political geocoding level")
    for code, (de, en) in GEOCODING_LEVELS.items():
        _concept(graph, f"{DE}politicalGeocoding/Level/{code}", scheme, de, en)
    adms = Namespace("http://purl.org/adms/publishertype/")
    scheme = _scheme(graph, str(adms) + "1.0", "ADMS publisher type")
    for code, label in PUBLISHER_TYPES.items():
        _concept(graph, adms + code, scheme, label, label)
    return graph


if __name__ == "__main__":
    OUT.parent.mkdir(parents=True, exist_ok=True)
    build(Path(sys.argv[1])).serialize(OUT, format="turtle")
    print(OUT)
