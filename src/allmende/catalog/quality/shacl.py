"""Validate DCAT-AP.de records against the official shapes, offline, with messages in words.

Shapes: the DCAT-AP 3.0.1 core shapes (mandatory properties, cardinalities, datatypes)
and the DCAT-AP.de 3.0 shapes (German additions, controlled vocabularies, deprecated
properties, German messages), shipped in ``catalog/shapes/``. The controlled
vocabularies they check with ``skos:inScheme`` are in ``shapes/vocabularies/``; only the
concepts a record uses are added to the graph being validated.
"""

import threading
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pyshacl import validate
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.term import Node

SH = Namespace("http://www.w3.org/ns/shacl#")
SHAPES_DIR = Path(__file__).resolve().parent.parent / "shapes"
SHAPE_FILES = [
    "dcat-ap-3.0.1-shapes.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap-spec-german-additions.ttl",
]
_lock = threading.Lock()


@dataclass
class Result:
    """One failing rule."""

    severity: str  # "Violation", "Warning" or "Info"
    focus: str
    path: str
    value: str
    message: str


@dataclass
class Report:
    conforms: bool
    results: list[Result] = field(default_factory=list)

    @property
    def violations(self) -> list[Result]:
        return [r for r in self.results if r.severity == "Violation"]

    @property
    def warnings(self) -> list[Result]:
        return [r for r in self.results if r.severity != "Violation"]


@cache
def _shapes() -> Graph:
    graph = Graph()
    for name in SHAPE_FILES:
        graph.parse(SHAPES_DIR / name, format="turtle")
    return graph


@cache
def _vocabulary() -> dict[Node, list[tuple[Node, Node, Node]]]:
    """Vocabulary triples by subject (concepts and their schemes)."""
    graph = Graph().parse(SHAPES_DIR / "vocabularies" / "vocabularies.ttl", format="turtle")
    index: dict[Node, list[tuple[Node, Node, Node]]] = {}
    for triple in graph:
        index.setdefault(triple[0], []).append(triple)
    return index


def _with_vocabulary(data: Graph) -> Graph:
    vocabulary = _vocabulary()
    used = {o for o in data.objects() if isinstance(o, URIRef) and o in vocabulary}
    schemes = {t[2] for concept in used for t in vocabulary[concept] if t[1] == _IN_SCHEME}
    for node in used | schemes:
        for triple in vocabulary.get(node, ()):
            data.add(triple)
    return data


_IN_SCHEME = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")


def validate_graph(data: str | bytes, *, fmt: str = "nt") -> Report:
    """Validate an RDF document (N-Triples by default; ``fmt`` as rdflib names it)."""
    graph = Graph()
    graph.parse(data=data, format=fmt)
    _with_vocabulary(graph)
    with _lock:  # pySHACL's shape caches are not thread-safe
        conforms, results, _text = validate(
            graph,
            shacl_graph=_shapes(),
            inference="none",
            allow_warnings=True,
            abort_on_first=False,
        )
    return Report(conforms=bool(conforms), results=_results(results))


def validate_dataset(dataset) -> Report:
    """Validate one dataset row's stored graph (canonical N-Triples)."""
    return validate_graph(dataset.graph, fmt="nt")


def _results(graph: Graph) -> list[Result]:
    out = []
    for node in graph.subjects(RDF.type, SH.ValidationResult):
        severity = str(graph.value(node, SH.resultSeverity) or SH.Violation).rsplit("#", 1)[-1]
        path = graph.value(node, SH.resultPath)
        out.append(
            Result(
                severity=severity,
                focus=str(graph.value(node, SH.focusNode) or ""),
                path=_short(path),
                value=str(graph.value(node, SH.value) or ""),
                message=_message(graph, node, path),
            )
        )
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    return sorted(out, key=lambda r: (order.get(r.severity, 3), r.focus, r.path))


def _message(graph: Graph, node: Node, path: Node | None) -> str:
    """The shape's own message in the active language, else one composed in words."""
    messages = [m for m in graph.objects(node, SH.resultMessage) if isinstance(m, Literal)]
    language = (get_language() or "de")[:2]
    for lit in messages:
        if lit.language == language:
            return str(lit)
    component = str(graph.value(node, SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1]
    label = _label(path)
    composed = {
        "MinCountConstraintComponent": _("Required information is missing: %(label)s."),
        "MaxCountConstraintComponent": _("%(label)s is given more often than allowed."),
        "DatatypeConstraintComponent": _("%(label)s has a value of the wrong type."),
        "NodeKindConstraintComponent": _("%(label)s must be a link (IRI) or text as specified."),
        "ClassConstraintComponent": _("%(label)s points to something of the wrong kind."),
        "HasValueConstraintComponent": _("%(label)s must use the prescribed vocabulary."),
    }.get(component)
    if composed:
        return composed % {"label": label}
    return (
        str(messages[0]) if messages else _("%(label)s does not meet the rule.") % {"label": label}
    )


PATH_LABELS = {
    "dct:title": gettext_lazy("Title"),
    "dct:description": gettext_lazy("Description"),
    "dct:publisher": gettext_lazy("Publisher"),
    "dcat:accessURL": gettext_lazy("Access URL"),
    "dct:license": gettext_lazy("Licence"),
    "foaf:name": gettext_lazy("Name"),
}


def _label(path: Node | None) -> str:
    short = _short(path)
    return str(PATH_LABELS.get(short, short or _("a property")))


_PREFIXES = {
    "http://purl.org/dc/terms/": "dct:",
    "http://www.w3.org/ns/dcat#": "dcat:",
    "http://xmlns.com/foaf/0.1/": "foaf:",
    "http://dcat-ap.de/def/dcatde/": "dcatde:",
    "http://data.europa.eu/r5r/": "dcatap:",
    "http://www.w3.org/2006/vcard/ns#": "vcard:",
    "http://www.w3.org/ns/adms#": "adms:",
    "http://spdx.org/rdf/terms#": "spdx:",
    "http://www.w3.org/2004/02/skos/core#": "skos:",
    "http://www.w3.org/ns/locn#": "locn:",
}


def _short(path: Node | None) -> str:
    if path is None:
        return ""
    text = str(path)
    for base, prefix in _PREFIXES.items():
        if text.startswith(base):
            return prefix + text[len(base) :]
    return text
