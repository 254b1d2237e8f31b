"""Generate a DCAT-AP.de catalogue in Turtle with N datasets, for benchmarks."""

import random

THEMES = ["ENVI", "TRAN", "GOVE", "ECON", "SOCI", "REGI", "EDUC", "HEAL"]
FORMATS = [("CSV", "text/csv"), ("JSON", "application/json"), ("PDF", "application/pdf")]
WORDS = ["Bäume", "Parken", "Verkehr", "Haushalt", "Bevölkerung", "Schulen", "Wahlen"]

HEAD = """@prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dct: <http://purl.org/dc/terms/> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .

<https://daten.example.org/catalog> a dcat:Catalog ; dct:title "Benchmark-Katalog"@de ;
  dct:description "Generierte Datensätze"@de ; dct:publisher <https://daten.example.org/org/stadt> .
<https://daten.example.org/org/stadt> a foaf:Agent ; foaf:name "Stadt Beispiel"@de .
"""


def dataset(n: int, rng: random.Random) -> str:
    theme = rng.choice(THEMES)
    words = rng.sample(WORDS, 3)
    fmt, media = rng.choice(FORMATS)
    return f"""
<https://daten.example.org/dataset/{n}> a dcat:Dataset ;
  dct:identifier "bench-{n}" ;
  dct:title "{words[0]} {n}"@de , "Dataset {n}"@en ;
  dct:description "Beschreibung {n}: {" ".join(words)} in der Stadt."@de ;
  dcat:keyword "{words[0]}"@de , "{words[1]}"@de ;
  dcat:theme <http://publications.europa.eu/resource/authority/data-theme/{theme}> ;
  dct:publisher <https://daten.example.org/org/stadt> ;
  dct:issued "2024-01-{1 + n % 28:02d}T10:00:00Z"^^xsd:dateTime ;
  dct:temporal [ a dct:PeriodOfTime ; dcat:startDate "2020-01-01"^^xsd:date ] ;
  dcat:contactPoint [ a vcard:Organization ; vcard:fn "Open Data" ;
    vcard:hasEmail <mailto:opendata@example.org> ] ;
  dcatde:politicalGeocodingURI <http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000> ;
  dcat:distribution <https://daten.example.org/dataset/{n}/d1> ,
    <https://daten.example.org/dataset/{n}/d2> .
<https://daten.example.org/dataset/{n}/d1> a dcat:Distribution ;
  dcat:accessURL <https://daten.example.org/files/{n}.{fmt.lower()}> ;
  dcat:downloadURL <https://daten.example.org/files/{n}.{fmt.lower()}> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/{fmt}> ;
  dcat:mediaType <https://www.iana.org/assignments/media-types/{media}> ;
  dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> .
<https://daten.example.org/dataset/{n}/d2> a dcat:Distribution ;
  dcat:accessURL <https://daten.example.org/api/{n}> ;
  dct:format <http://publications.europa.eu/resource/authority/file-type/JSON> ;
  dct:license <http://dcat-ap.de/def/licenses/dl-by-de/2.0> .
"""


def catalogue(count: int, seed: int = 1) -> str:
    rng = random.Random(seed)
    return HEAD + "".join(dataset(n, rng) for n in range(count))
