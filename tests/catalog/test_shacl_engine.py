"""Our SHACL engine gives exactly the results of pySHACL, the reference implementation.

Compared on (focus node, path, value, severity, constraint component, messages) as a
multiset, for: every entry of the demo catalogue, the DCAT-AP.de example files, generated
benchmark records, named broken variants, and random records built from the compiled
shapes themselves, until every constraint of the shipped shapes has failed at least once.
pySHACL is used here only; production code never imports it.
"""

import os
import random
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from benchmarks.generate import catalogue
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize
from pyshacl import validate as pyshacl_validate
from rdflib import BNode, Namespace, URIRef
from rdflib import Graph as RdflibGraph
from rdflib import Literal as RdflibLiteral
from rdflib.collection import Collection

from allmende.catalog.dcat.canon import canonical_ntriples
from allmende.catalog.dcat.extract import split_document
from allmende.catalog.dcat.rdfio import format_for, parse_rdf
from allmende.catalog.quality import shacl
from allmende.catalog.quality.shacl_engine import (
    COMPONENTS,
    ShapesGraph,
    UnsupportedShapes,
    compile_shapes,
)
from allmende.catalog.quality.shacl_graph import (
    RDF_LANGSTRING,
    XSD_STRING,
    Graph,
    InversePath,
    Lit,
    sparql,
    triples_from_oxigraph,
)
from allmende.catalog.quality.shacl_xsd import lexical_check

pytestmark = pytest.mark.conformance

SH = Namespace("http://www.w3.org/ns/shacl#")
ROOT = Path(__file__).resolve().parents[2]
DEMO = ROOT / "src" / "allmende" / "catalog" / "demo"
DATA = ROOT / "tests" / "data" / "dcat"
XSD = "http://www.w3.org/2001/XMLSchema#"
TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"


# --- the two implementations, reduced to comparable keys ----------------------------------


def _rdflib_term(term):
    if type(term) is str:
        return BNode(term[2:]) if term.startswith("_:") else URIRef(term)
    if term.language:
        return RdflibLiteral(term.value, lang=term.language, normalize=False)
    datatype = None if term.datatype == XSD_STRING else URIRef(term.datatype)
    return RdflibLiteral(term.value, datatype=datatype, normalize=False)


def _key(term) -> str | None:
    """One spelling for terms of both libraries: <iri>, _:label, "lexical"@lang/^^<dt>."""
    if term is None:
        return None
    if isinstance(term, Lit | RdflibLiteral):
        lexical, language = str(term[0] if isinstance(term, Lit) else term), term.language
        datatype = term.datatype if isinstance(term, Lit) else (term.datatype or XSD_STRING)
        return f'"{lexical}"@{language}' if language else f'"{lexical}"^^<{datatype}>'
    text = str(term)
    return f"_:{text}" if isinstance(term, BNode) else text if text[:2] == "_:" else f"<{text}>"


def _path_key(graph, path) -> str:
    if isinstance(path, URIRef):
        return f"<{path}>"
    if (inverse := graph.value(path, SH.inversePath)) is not None:
        return "^" + _path_key(graph, inverse)
    members = Collection(graph, graph.value(path, SH.alternativePath))
    return "|".join(_path_key(graph, p) for p in members)


def engine(graph: Graph, shapes: ShapesGraph | None = None) -> Counter:
    found = Counter()
    for r in (shapes or shacl.shapes()).validate(graph):
        path = sparql(r.path) if r.path is not None else None
        severity = r.severity.rsplit("#", 1)[-1]
        messages = frozenset(_key(m) for m in r.messages)
        found[_key(r.focus), path, _key(r.value), severity, r.component, messages] += 1
    return found


def reference(graph: Graph, shapes_graph: RdflibGraph | None = None) -> Counter:
    shapes_graph = shapes_graph if shapes_graph is not None else _official_shapes()
    data = RdflibGraph()
    for triple in graph.triples():
        data.add(tuple(_rdflib_term(t) for t in triple))
    _conforms, report, _text = pyshacl_validate(
        data, shacl_graph=shapes_graph, inference="none", allow_warnings=True
    )
    found = Counter()
    # The report's sh:result values; pySHACL also types the sh:detail of a failed sh:node
    # as sh:ValidationResult, but those are no results of the report (SHACL 3.6.2).
    for r in report.objects(None, SH.result):
        path = report.value(r, SH.resultPath)
        source = report.value(r, SH.sourceShape)
        # pySHACL writes a message of its own where the shape has none; we write none.
        own = any(True for _ in shapes_graph.objects(source, SH.message))
        messages = frozenset(_key(m) for m in report.objects(r, SH.resultMessage) if own)
        found[
            _key(report.value(r, SH.focusNode)),
            _path_key(report, path) if path is not None else None,
            _key(report.value(r, SH.value)),
            str(report.value(r, SH.resultSeverity)).rsplit("#", 1)[-1],
            str(report.value(r, SH.sourceConstraintComponent)).rsplit("#", 1)[-1],
            messages,
        ] += 1
    return found


_cache: dict[str, RdflibGraph] = {}


def _official_shapes() -> RdflibGraph:
    if "official" not in _cache:
        graph = RdflibGraph()
        for name in shacl.SHAPE_FILES:
            graph.parse(shacl.SHAPES_DIR / name, format="turtle")
        _cache["official"] = graph
    return _cache["official"]


def assert_same(triples, shapes=None, shapes_graph=None) -> Counter:
    graph = Graph(triples, shacl.vocabulary() if shapes is None else None)
    ours, theirs = engine(graph, shapes), reference(graph, shapes_graph)
    assert ours == theirs, f"only ours: {ours - theirs}\nonly pySHACL: {theirs - ours}"
    return ours


# --- corpus: demo catalogue, example files, generated records ------------------------------


def _documents() -> list[tuple[str, list]]:
    docs = []
    for name in ("jena-opendata.ttl", "jena-real.ttl"):
        text = (DEMO / name).read_text("utf-8").replace("{SITE}", "https://allmende.example")
        text = text.replace("{FILES}", "https://allmende.example/media/demo/")
        docs.append((name, parse_rdf(text, RdfFormat.TURTLE)))
    files = sorted((DEMO / "records").iterdir()) + sorted((ROOT / "tests/data/dcat").iterdir())
    for path in files:
        if path.name != "dcat-ap-de-3.0-example-DataService.ttl":  # not valid Turtle
            docs.append((path.name, parse_rdf(path.read_bytes(), format_for(path.name))))
    return docs


DOCUMENTS = _documents()


@pytest.mark.parametrize(("name", "triples"), DOCUMENTS, ids=[name for name, _ in DOCUMENTS])
def test_every_document_and_every_entry_as_stored_match_pyshacl(name, triples):
    assert_same(triples_from_oxigraph(triples))
    for entry in split_document(triples).entries:
        text, _digest = canonical_ntriples(entry.subject, entry.triples)
        assert_same(triples_from_oxigraph(parse(text, format=RdfFormat.N_TRIPLES)))


def test_validate_graph_reads_each_format_alike():
    formats = {"TTL": "turtle", "RDF": "xml", "JSONLD": "json-ld"}
    shown = []
    for name, fmt in formats.items():
        path = next(DATA.glob(f"*RefImp_{name}_ADVANCED.*"))
        report = shacl.validate_graph(path.read_bytes(), fmt=fmt)
        shown.append(sorted((r.path, r.message) for r in report.results))
    assert shown[0] == shown[1] == shown[2] and shown[0]


def _stored(turtle: str) -> list[tuple[str, str]]:
    entries = split_document(parse_rdf(turtle, RdfFormat.TURTLE)).entries
    return [(e.subject.value, canonical_ntriples(e.subject, e.triples)[0]) for e in entries]


def test_generated_records_and_their_catalogue_match_pyshacl():
    assert_same(triples_from_oxigraph(parse(catalogue(20, seed=7), format=RdfFormat.TURTLE)))
    for _iri, text in _stored(catalogue(20, seed=7)):
        assert_same(triples_from_oxigraph(parse(text, format=RdfFormat.N_TRIPLES)))


def test_validate_many_gives_the_reports_of_validate_graph():
    records = _stored(catalogue(30, seed=3))
    records[4] = (records[4][0], records[4][1].replace("data-theme/", "data-theme/X"))
    many = shacl.validate_many(records)
    assert many == [shacl.validate_graph(text) for _iri, text in records]
    assert not many[4].conforms and all(r.conforms for i, r in enumerate(many) if i != 4)


# --- named broken variants of one generated record -----------------------------------------

D = "https://daten.example.org/dataset/0"
NAMES = {"ds": D, "dist": D + "/d1"}
TURTLE = """@base <https://daten.example.org/dataset/0> .
@prefix dct: <http://purl.org/dc/terms/> . @prefix dcat: <http://www.w3.org/ns/dcat#> .
@prefix dcatde: <http://dcat-ap.de/def/dcatde/> . @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix vcard: <http://www.w3.org/2006/vcard/ns#> . @prefix spdx: <http://spdx.org/rdf/terms#> .
@prefix foaf: <http://xmlns.com/foaf/0.1/> . @prefix owl: <http://www.w3.org/2002/07/owl#> .
@prefix adms: <http://www.w3.org/ns/adms#> . @prefix dcatap: <http://data.europa.eu/r5r/> .
@prefix eu: <http://publications.europa.eu/resource/authority/> .
"""
OWL = "http://www.w3.org/2002/07/owl#"
PERIOD = "dcat:startDate|dcat:endDate|{t}hasBeginning|{t}hasEnd".format(
    t="http://www.w3.org/2006/time#"
)
# name: (what to drop: "subject predicate; ...", Turtle to add (<0> is the dataset, <0/d1>
# a distribution), the result it must give: "focus path component", "?" for any focus).
VARIANTS = {
    "missing title": ("ds dct:title", "", "ds dct:title MinCount"),
    "missing description": ("ds dct:description", "", "ds dct:description MinCount"),
    "two German titles (no sh:uniqueLang in the shapes)": ("", '<0> dct:title "Zwei"@de .', ""),
    "no publisher": ("ds dct:publisher", "", "ds dct:publisher MinCount"),
    "two publishers": ("", "<0> dct:publisher <o2> .", "ds dct:publisher MaxCount"),
    "byteSize as text": ("", '<0/d1> dcat:byteSize "12 MB" .', "dist dcat:byteSize Datatype"),
    "byteSize negative": (
        "", '<0/d1> dcat:byteSize "-5"^^xsd:nonNegativeInteger .', "dist dcat:byteSize Datatype"
    ),
    "spatial resolution no decimal": (
        "", '<0> dcat:spatialResolutionInMeters "1,5"^^xsd:decimal .',
        "ds dcat:spatialResolutionInMeters Datatype",
    ),
    "temporal resolution no duration": (
        "", '<0> dcat:temporalResolution "1 day" .', "ds dcat:temporalResolution Datatype"
    ),
    "theme as text": ("ds dcat:theme", '<0> dcat:theme "ENVI" .', "ds dcat:theme NodeKind"),
    "theme outside the EU vocabulary": (
        "ds dcat:theme", "<0> dcat:theme eu:data-theme\\/NOPE .",
        "http://publications.europa.eu/resource/authority/data-theme/NOPE skos:inScheme HasValue",
    ),
    "licence not in the list": (
        "dist dct:license", "<0/d1> dct:license <lic> .", "? skos:inScheme HasValue"
    ),
    "two licences": (
        "", "<0/d1> dct:license <http://dcat-ap.de/def/licenses/cc-zero> .",
        "dist dct:license MaxCount",
    ),
    "distribution without licence": ("dist dct:license", "", "dist dct:license MinCount"),
    "distribution without access URL": ("dist dcat:accessURL", "", "dist dcat:accessURL MinCount"),
    "access URL as text": (
        "dist dcat:accessURL", '<0/d1> dcat:accessURL "https://x.example/f" .',
        "dist dcat:accessURL NodeKind",
    ),
    "format outside the EU file types": (
        "dist dct:format", "<0/d1> dct:format eu:file-type\\/NOPE .", "? skos:inScheme HasValue"
    ),
    "availability twice": (
        "", "<0/d1> dcatap:availability eu:planned-availability\\/STABLE, "
        "eu:planned-availability\\/AVAILABLE .", "dist dcatap:availability MaxCount",
    ),
    "media type outside IANA": (
        "dist dcat:mediaType", "<0/d1> dcat:mediaType <csv> .", "dist dcat:mediaType Pattern"
    ),
    "media type in capitals (sh:flags i)": (
        "dist dcat:mediaType",
        "<0/d1> dcat:mediaType <HTTPS://WWW.IANA.ORG/assignments/media-types/text/csv> .", "",
    ),
    "issued as text on a distribution": (
        "", '<0/d1> dct:issued "gestern" .', "dist dct:issued Node"
    ),
    "issued as text on a dataset (unchecked: sh:shape)": (
        "ds dct:issued", '<0> dct:issued "gestern" .', ""
    ),
    "issued twice": ("", '<0> dct:issued "2024"^^xsd:gYear .', "ds dct:issued MaxCount"),
    "deprecated dcatde:legalBasis": (
        "", '<0> dcatde:legalBasis "x" .', "ds dcatde:legalBasis MaxCount"
    ),
    "deprecated owl:versionInfo": (
        "", '<0> owl:versionInfo "1" .', f"ds {OWL}versionInfo MaxCount"
    ),
    "deprecated dct:hasVersion": ("", "<0> dct:hasVersion <v1> .", "ds dct:hasVersion MaxCount"),
    "deprecated ADMS status list": (
        "", "<0/d1> adms:status <http://purl.org/adms/status/Completed> .",
        "dist adms:status Not",
    ),
    "deprecated hash algorithm list": (
        "", "<0/d1> spdx:checksum _:c . _:c a spdx:Checksum ; spdx:checksumValue "
        '"zz"^^xsd:hexBinary ; spdx:algorithm <http://dcat-ap.de/def/hashAlgorithms/md5> .',
        "_:c spdx:algorithm Not",
    ),
    "e-mail as text on a vcard:Kind": (
        "ds dcat:contactPoint",
        '<0> dcat:contactPoint _:k . _:k a vcard:Kind ; vcard:hasEmail "a@b" .',
        "_:k vcard:hasEmail NodeKind",
    ),
    "contact point without e-mail, URL or telephone": (
        "ds dcat:contactPoint", '<0> dcat:contactPoint _:k . _:k a vcard:Kind ; vcard:fn "x" .',
        "_:k vcard:hasEmail|vcard:hasURL|vcard:hasTelephone MinCount",
    ),
    "e-mail as text on a vcard:Organization (no subclass stated: unchecked)": (
        "ds dcat:contactPoint",
        '<0> dcat:contactPoint _:k . _:k a vcard:Organization ; vcard:hasEmail "a@b" .', "",
    ),
    "period without dates": (
        "ds dct:temporal", "<0> dct:temporal _:p . _:p a dct:PeriodOfTime .",
        f"_:p {PERIOD} MinCount",
    ),
    "contributor that is no agent": (
        "", "<0> dct:contributor <org> .", "ds dct:contributor Class"
    ),
    "geocoding level as text": (
        "", '<0> dcatde:politicalGeocodingLevelURI "Gemeinde" .',
        "ds dcatde:politicalGeocodingLevelURI NodeKind",
    ),
    "catalogue record about text": (
        "", '_:r a dcat:CatalogRecord ; foaf:primaryTopic "x" ; '
        'dct:modified "2024-01-01"^^xsd:date .', "_:r foaf:primaryTopic Node",
    ),
    "dataset series without members": (
        "", '<s> a dcat:DatasetSeries ; dct:title "S" ; dct:description "S" .',
        "https://daten.example.org/dataset/s ^dcat:inSeries MinCount",
    ),
}  # fmt: skip


def variant(name: str) -> list:
    drops, turtle, _expected = VARIANTS[name]
    return changed(drops, turtle)


def changed(drops: str, turtle: str) -> list:
    """The generated record without the (subject, predicate) pairs in ``drops``, plus
    the triples of ``turtle``."""
    gone = {tuple(part.split()) for part in drops.split(";") if part.strip()}
    gone = {(NAMES[s], _expand(p)) for s, p in gone}
    text = _stored(catalogue(1))[0][1]
    base = triples_from_oxigraph(parse(text, format=RdfFormat.N_TRIPLES))
    added = triples_from_oxigraph(parse(TURTLE + turtle, format=RdfFormat.TURTLE))
    return [t for t in base if (t[0], t[1]) not in gone] + added


def _expand(curie: str) -> str:
    prefix, local = curie.split(":")
    return re.search(rf"@prefix {prefix}: <([^>]*)>", TURTLE)[1] + local


@pytest.mark.parametrize("name", VARIANTS)
def test_broken_variant_matches_pyshacl_and_fails_as_named(name):
    triples = variant(name)
    assert_same(triples)
    expected = VARIANTS[name][2]
    report = shacl.validate_graph(_ntriples(triples))
    if not expected:
        assert report.conforms, report.violations
        return
    focus, path, component = expected.split()
    results = shacl.shapes().validate(Graph(triples, shacl.vocabulary()))
    assert any(
        (focus in ("?", r.focus) or NAMES.get(focus) == r.focus)
        and r.path.format(shacl._short) == path
        and r.component == component + "ConstraintComponent"
        for r in results
        if r.path is not None
    ), report.results


def _ntriples(triples) -> str:
    def term(t):
        if type(t) is Lit:
            if t.language:
                return Literal(t.value, language=t.language)
            return Literal(t.value, datatype=NamedNode(t.datatype))
        return BlankNode(t[2:]) if t.startswith("_:") else NamedNode(t)

    out = [Triple(term(s), NamedNode(p), term(o)) for s, p, o in triples]
    return serialize(out, format=RdfFormat.N_TRIPLES).decode()


# --- random records built from the compiled shapes -----------------------------------------

EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"
VCARD, SPDX = "http://www.w3.org/2006/vcard/ns#", "http://spdx.org/rdf/terms#"
EXTRA_CLASSES = [
    "http://xmlns.com/foaf/0.1/Organization",
    VCARD + "Organization",
    SPDX + "ChecksumAlgorithm",
    "https://x.example/Thing",
]
FIXED_IRIS = [
    IANA + "text/csv",
    "HTTP://WWW.IANA.ORG/assignments/media-types/text/csv",
    "http://dcat-ap.de/def/hashAlgorithms/md5",
    "http://purl.org/adms/status/Completed",
    "mailto:a@b.example",
    "https://x.example/fixed",
]
# Lexical forms on which XSD and rdflib (under pySHACL) agree, well- and ill-formed.
LEXICAL = {
    "date": ["2020-01-01", "2020-01-01Z", "2020-02-30", "abc"],
    "dateTime": ["2024-01-01T10:00:00Z", "2024-01-01T10:00:00.5+01:00", "2020-01-01T25:00:00"],
    "gYear": ["2020"],
    "gYearMonth": ["2020-05"],
    "decimal": ["1.5", "-2", "abc"],
    "duration": ["P1D", "PT1H", "abc"],
    "nonNegativeInteger": ["0", "42", "-1", "abc"],
    "hexBinary": ["0fb7", "zz"],
    "string": ["dcat", "purl", IANA + "text/csv"],
}


def _paths(shapes: ShapesGraph) -> dict[str, list]:
    """Target (class or predicate) -> the paths its shapes look at, nested ones too."""
    plan: dict[str, list] = {}
    for _kind, target, shape in shapes.targets():
        todo = list(shape.properties)
        while todo:
            prop = todo.pop()
            plan.setdefault(target, []).append(prop.path)
            todo += prop.properties
    return plan


def _value(rng: random.Random, base: str, classes: list, out: list):
    roll = rng.random()
    if roll < 0.25:
        return rng.choice(sorted(shacl.vocabulary()))
    if roll < 0.4:
        return rng.choice(FIXED_IRIS)
    if roll < 0.6:
        node = (base if rng.random() < 0.5 else "_:" + base[8:].replace(".", "")) + str(len(out))
        if rng.random() < 0.8:
            out.append((node, TYPE, rng.choice(classes + EXTRA_CLASSES)))
        if rng.random() < 0.3:
            scheme = rng.choice([EU + "data-theme", "http://dcat-ap.de/def/licenses"])
            out.append((node, "http://www.w3.org/2004/02/skos/core#inScheme", scheme))
        return node
    if roll < 0.7:
        return Lit(rng.choice(["Titel", "purl"]), RDF_LANGSTRING, rng.choice(["de", "en"]))
    datatype = rng.choice(sorted(LEXICAL))
    return Lit(rng.choice(LEXICAL[datatype]), XSD + datatype)


def random_record(rng: random.Random, number: int, plan: dict, classes: list) -> list:
    """Nodes of random target classes with random values on the paths the shapes check."""
    base, out = f"https://r{number}.example/n", []
    for i, target in enumerate(rng.sample(sorted(plan), 3)):
        node = f"{base}{i}" if rng.random() < 0.7 else f"_:r{number}n{i}"
        if target in classes and rng.random() < 0.15:  # a subclass, stated in the data
            out += [(node, TYPE, f"{base}Sub{i}"), (f"{base}Sub{i}", RDFS_SUB, target)]
        elif target in classes:
            out.append((node, TYPE, target))
        for path in plan[target]:
            for _ in range(rng.choice([0, 0, 1, 1, 1, 2, 3])):
                step = rng.choice(getattr(path, "paths", (path,)))
                value = _value(rng, base, classes, out)
                if not isinstance(step, InversePath):
                    out.append((node, step.iri, value))
                elif type(value) is str:  # a literal cannot be a subject
                    out.append((value, step.iri, node))
    return out


RDFS_SUB = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


def _reportable(shapes: ShapesGraph) -> set:
    """(shape, component) for every constraint that can give a result of its own."""
    found, todo = set(), [s for _k, _t, s in shapes.targets()]
    while todo:
        shape = todo.pop()
        found |= {(shape.node, c.component) for c in shape.constraints}
        todo += shape.properties
    return found


# Constraints no data graph can break: the values of an inverse path are subjects.
UNBREAKABLE = {("^<http://www.w3.org/ns/dcat#inSeries>", "NodeKindConstraintComponent")}


def test_random_records_match_pyshacl_and_break_every_constraint():
    shapes = shacl.shapes()
    plan = _paths(shapes)
    classes = sorted({t for kind, t, _s in shapes.targets() if kind == "class"})
    rng, failed = random.Random(20261123), set()
    for batch in range(12):
        triples = [t for n in range(30) for t in random_record(rng, batch * 30 + n, plan, classes)]
        assert_same(triples)
        results = shapes.validate(Graph(triples, shacl.vocabulary()))
        failed |= {(r.shape, r.component) for r in results}
    missing = {
        (sparql(shapes.shapes[s].path) if shapes.shapes[s].path else s, c)
        for s, c in _reportable(shapes) - failed
    }
    assert missing <= UNBREAKABLE, sorted(missing)


@settings(max_examples=25, deadline=None)
@given(rng=st.randoms(use_true_random=False))
def test_hypothesis_records_match_pyshacl(rng):
    shapes = shacl.shapes()
    plan = _paths(shapes)
    classes = sorted({t for kind, t, _s in shapes.targets() if kind == "class"})
    assert_same(random_record(rng, 0, plan, classes))


# --- features the shipped shapes do not use (yet), against pySHACL -----------------------

PREFIXES = """@prefix sh: <http://www.w3.org/ns/shacl#> . @prefix ex: <https://x.example/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
"""
CUSTOM_SHAPES = (
    PREFIXES
    + """
ex:ByNode a sh:NodeShape ; sh:targetNode ex:a, ex:missing ;
  sh:property [ sh:path ex:p ; sh:minCount 1 ; sh:severity sh:Info ] .
ex:ByObject a sh:NodeShape ; sh:targetObjectsOf ex:knows ; sh:class ex:Person ;
  sh:message "kennt nur Personen"@de, "knows people only"@en .
ex:Person a sh:NodeShape, rdfs:Class ;
  sh:property [ sh:path ex:age ; sh:datatype xsd:integer ; sh:maxCount 1 ] ;
  sh:property [ sh:path ex:name ; sh:nodeKind sh:Literal ; sh:pattern "^[A-Z]" ] .
ex:Off a sh:NodeShape ; sh:targetClass ex:Person ; sh:deactivated true ;
  sh:property [ sh:path ex:never ; sh:minCount 1 ] .
ex:Adult a sh:NodeShape ; sh:targetClass ex:Adult ;
  sh:property [ sh:path ex:age ; sh:node ex:Grown ; sh:not [ sh:hasValue 0 ] ] .
ex:Grown a sh:NodeShape ; sh:or ( [ sh:datatype xsd:integer ] [ sh:datatype xsd:decimal ] ) .
"""
)
CUSTOM_DATA = (
    PREFIXES
    + """
ex:a ex:q 1 . ex:b ex:knows ex:c, ex:d, "e" . ex:d a ex:Adult .
ex:Adult rdfs:subClassOf ex:Grownup . ex:Grownup rdfs:subClassOf ex:Person .
ex:c a ex:Person ; ex:age 1, "zwei" ; ex:name "anna", <https://x.example/Anna> .
ex:d ex:age "2.5"^^xsd:decimal, 0, "x" ; ex:name "Bert" .
"""
)


def test_custom_shapes_with_other_targets_and_subclasses_match_pyshacl():
    shapes = compile_shapes(parse(CUSTOM_SHAPES, format=RdfFormat.TURTLE))
    data = triples_from_oxigraph(parse(CUSTOM_DATA, format=RdfFormat.TURTLE))
    reference_shapes = RdflibGraph().parse(data=CUSTOM_SHAPES, format="turtle")
    found = assert_same(data, shapes, reference_shapes)
    assert {key[4].removesuffix("ConstraintComponent") for key in found} == {
        "MinCount", "MaxCount", "Class", "Datatype", "NodeKind", "Pattern", "Node", "Not"
    }  # fmt: skip
    assert {key[3] for key in found} == {"Violation", "Info"}


# Each snippet follows "ex:S sh:targetNode ex:a ; "; PROP wraps a property shape on ex:p.
PROP = "sh:property [ sh:path ex:p ; {} ] ."
REFUSED = {
    "sh:minLength": PROP.format("sh:minLength 2"),
    "sh:in": "sh:in ( ex:b ) .",
    "sh:and": "sh:and ( [ sh:class ex:C ] ) .",
    "sh:xone": "sh:xone ( [ sh:class ex:C ] ) .",
    "sh:closed": "sh:closed true .",
    "sh:uniqueLang": PROP.format("sh:uniqueLang true"),
    "sh:qualifiedValueShape": PROP.format("sh:qualifiedValueShape [ sh:class ex:C ]"),
    "sh:sparql": "sh:sparql [ sh:select 'SELECT $this {}' ] .",
    "sh:zeroOrMorePath": "sh:property [ sh:path [ sh:zeroOrMorePath ex:p ] ] .",
    "sequence": "sh:property [ sh:path ( ex:p ex:q ) ; sh:minCount 1 ] .",
    "gDay": PROP.format("sh:datatype xsd:gDay"),
    "pattern": PROP.format("sh:pattern '\\\\p{L}'"),
    "flags": PROP.format("sh:pattern 'a' ; sh:flags 'x'"),
    "recursive": "sh:node ex:S .",
    "sh:SPARQLConstraintComponent": ". ex:C a sh:SPARQLConstraintComponent .",
}


@pytest.mark.parametrize("named", REFUSED)
def test_shapes_with_a_feature_we_do_not_implement_are_refused(named):
    text = PREFIXES + "ex:S sh:targetNode ex:a ; " + REFUSED[named]
    with pytest.raises(UnsupportedShapes, match=named):
        compile_shapes(parse(text, format=RdfFormat.TURTLE))


def test_the_shipped_shapes_use_exactly_the_implemented_components():
    shapes = shacl.shapes()
    used = {c.component for s in shapes.shapes.values() for c in s.constraints}
    used |= (
        {"PropertyConstraintComponent"}
        if any(s.properties for s in shapes.shapes.values())
        else set()
    )
    assert used == set(COMPONENTS.values())
    assert {kind for kind, _t, _s in shapes.targets()} == {"class", "subjectsOf"}


@pytest.mark.parametrize(
    ("datatype", "good", "bad"),
    [
        # Where rdflib (so pySHACL) differs from XSD, the second or third column says so.
        (
            "date",
            ["2020-02-29", "-0044-03-15", "2020-01-01+14:00"],
            ["2021-02-29", "2020-01-01T10:00:00", "20200101", " 2020-01-01"],
        ),
        (
            "dateTime",
            ["2020-01-01T24:00:00", "2020-01-01T10:00:00.5Z"],
            ["2020-01-01", "2020-01-01T10:00", "2020-01-01 10:00:00"],
        ),
        ("gYear", ["2020", "-0001", "12020"], ["20", "abc", "02020"]),
        ("gYearMonth", ["2020-01", "2020-12Z"], ["2020-1", "2020-13"]),
        ("decimal", ["1", "-1.5", ".5", "5.", "+1"], ["1e5", "NaN", " 1", "1_000", ""]),
        ("nonNegativeInteger", ["0", "+5", "-0"], ["-1", " 5", "1_000", "٣", "1.0"]),
        (
            "duration",
            ["P1D", "PT1H", "P1Y2M", "-P1D", "PT1.5S"],
            ["P", "PT", "P1.5D", "P1W", "P1DT"],
        ),
        ("hexBinary", ["0fb7", "0FB7", ""], ["abc", "0 f"]),
    ],
)
def test_lexical_spaces_follow_xml_schema(datatype, good, bad):
    check = lexical_check(XSD + datatype)
    assert [g for g in good if not check(g)] == []
    assert [b for b in bad if check(b)] == []


def test_messages_are_the_shapes_own_in_the_language_else_composed_in_words(settings):
    turtle = '<0/d1> dct:issued "gestern" . <0> dcatde:legalBasis "x" ; dcat:theme eu:x .'
    text = _ntriples(changed("ds dct:title; ds dcat:theme", turtle))
    messages = {}
    for language in ("en", "de"):
        settings.LANGUAGE_CODE = language
        messages[language] = {r.path: r.message for r in shacl.validate_graph(text).results}
    assert messages["en"]["dct:title"] == "Required information is missing: Title."
    assert messages["de"]["dct:title"] == "Eine Pflichtangabe fehlt: Titel."
    # The shape's German message, in German only; composed in English.
    assert messages["de"]["skos:inScheme"].startswith("dcat:Dataset: dcat:theme MUSS")
    assert messages["en"]["skos:inScheme"] == "skos:inScheme must use the prescribed vocabulary."
    # A message without language tag is in no language: composed for cardinalities ...
    assert messages["de"]["dcatde:legalBasis"] == (
        "dcatde:legalBasis ist öfter angegeben als erlaubt."
    )
    # ... and the generic sentence for a component we have no words for (no sh:message).
    assert messages["en"]["dct:issued"] == "dct:issued does not meet the rule."


def _imported_after(code: str) -> list[str]:
    probe = "; print(sorted(m for m in ('pyshacl', 'rdflib', 'django') if m in sys.modules))"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "allmende.settings"}
    run = subprocess.run(
        [sys.executable, "-c", "import sys; " + code + probe],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    return eval(run.stdout)  # noqa: S307 (our own print of a list of names)


def test_the_engine_is_pure_and_production_never_imports_pyshacl():
    engine_only = "import allmende.catalog.quality.shacl_engine"
    assert _imported_after(engine_only) == []
    validating = (
        "import django; django.setup(); from allmende.catalog.quality import shacl; "
        f"shacl.validate_graph('<https://x.example/d> <{TYPE}> <https://x.example/C> .')"
    )
    assert "pyshacl" not in _imported_after(validating)
