"""Validate DCAT-AP.de records against the official shapes, offline, with messages in words.

Shapes: the DCAT-AP 3.0.1 core shapes (mandatory properties, cardinalities, datatypes)
and the DCAT-AP.de 3.0 shapes (German additions, controlled vocabularies, deprecated
properties, German messages), shipped in ``catalog/shapes/``. The controlled
vocabularies they check with ``skos:inScheme`` are in ``shapes/vocabularies/``; only the
concepts a record uses (and their schemes) are added to the graph being validated.

Validation runs on our own SHACL Core engine (``shacl_engine``, see ADR 4): the shapes
are compiled once, at first use, and a record then takes a fraction of a millisecond.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from pyoxigraph import RdfFormat, parse

from ..dcat.rdfio import FORMATS, RdfError, parse_rdf
from .shacl_engine import INFO, WARNING, ShapesGraph, ValidationResult, compile_shapes
from .shacl_engine import Path as ShapePath
from .shacl_graph import Graph, Lit, Term, TermTriple, read_ntriples, triples_from_oxigraph

if TYPE_CHECKING:
    from ..models import Dataset

SHAPES_DIR = Path(__file__).resolve().parent.parent / "shapes"
SHAPE_FILES = [
    "dcat-ap-3.0.1-shapes.ttl",
    "dcat-ap-SHACL-DE.ttl",
    "dcat-ap-de-controlledvocabularies.ttl",
    "dcat-ap-de-deprecated.ttl",
    "dcat-ap-spec-german-additions.ttl",
]
VOCABULARIES = SHAPES_DIR / "vocabularies" / "vocabularies.ttl"
# Format names as rdflib knew them (the names this function took before), and ours.
_FORMATS = {**FORMATS, "json-ld": RdfFormat.JSON_LD, "n3": RdfFormat.N3}
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


def shapes() -> ShapesGraph:
    """The compiled shapes; compiled once per process, on first use."""
    with _lock:
        return _compiled()


@cache
def _compiled() -> ShapesGraph:
    triples = (
        quad
        for name in SHAPE_FILES
        for quad in parse(path=SHAPES_DIR / name, format=RdfFormat.TURTLE, rename_blank_nodes=True)
    )
    return compile_shapes(triples)


@cache
def vocabulary() -> dict[str, tuple[TermTriple, ...]]:
    """Vocabulary IRI -> the triples to add when a record uses it: the concept's own
    and those of its concept schemes."""
    by_subject: dict[str, list[TermTriple]] = {}
    for triple in triples_from_oxigraph(parse(path=VOCABULARIES, format=RdfFormat.TURTLE)):
        by_subject.setdefault(triple[0], []).append(triple)
    return {
        subject: tuple(own)
        + tuple(t for _s, p, o in own if p == _IN_SCHEME for t in by_subject.get(o, ()))
        for subject, own in by_subject.items()
    }


_IN_SCHEME = "http://www.w3.org/2004/02/skos/core#inScheme"


def validate_graph(data: str | bytes, *, fmt: str | RdfFormat = "nt") -> Report:
    """Validate an RDF document: N-Triples by default; ``fmt`` is "nt", "turtle", "xml",
    "json-ld" (or another name in ``dcat.rdfio.FORMATS``) or a pyoxigraph RdfFormat."""
    rdf_format = fmt if isinstance(fmt, RdfFormat) else _FORMATS[fmt.lower()]
    triples = triples_from_oxigraph(parse_rdf(data, rdf_format))
    return _report(shapes().validate(Graph(triples, vocabulary())))


def validate_dataset(dataset: "Dataset") -> Report:
    """Validate one dataset row's stored graph (canonical N-Triples)."""
    return validate_graph(dataset.graph, fmt="nt")


def validate_many(records: Iterable[tuple[str, str]]) -> list[Report]:
    """Validate many records, each on its own: (subject IRI, canonical N-Triples) pairs,
    as ``Dataset.iri`` and ``Dataset.graph`` hold them. Returns one Report per record,
    in input order. A record that is not N-Triples raises ``RdfError`` naming its subject.

    Each record is validated as its own graph, exactly as ``validate_dataset`` would; the
    compiled shapes and the vocabulary index are shared, so this is the fast path for
    thousands of records (a few thousand per second on one core).
    """
    compiled, background, reports = shapes(), vocabulary(), []
    for subject, text in records:
        try:
            graph = Graph(read_ntriples(text, lenient=True), background)
        except SyntaxError as exc:
            raise RdfError(
                f"{subject}: N-Triples syntax error: {' '.join(str(exc).split())}"
            ) from None
        reports.append(_report(compiled.validate(graph)))
    return reports


def _report(results: list[ValidationResult]) -> Report:
    language = (get_language() or "de")[:2]
    out = []
    for r in results:
        path, message = _wording(r.shape, r.component, r.path, r.messages, language)
        value = _str(r.value) if r.value is not None else ""
        out.append(Result(r.severity.rsplit("#", 1)[-1], _str(r.focus), path, value, message))
    order = {"Violation": 0, "Warning": 1, "Info": 2}
    out.sort(key=lambda r: (order.get(r.severity, 3), r.focus, r.path))
    # As with pySHACL's allow_warnings before: only warnings and infos let a graph conform.
    return Report(conforms=all(r.severity in (WARNING, INFO) for r in results), results=out)


def _str(term: Term) -> str:
    """An IRI, a blank node's label or a literal's lexical form."""
    if type(term) is Lit:
        return term.value
    return term[2:] if term.startswith("_:") else term


@lru_cache(maxsize=4096)
def _wording(
    shape: str, component: str, path: ShapePath | None, messages: tuple[Lit, ...], language: str
) -> tuple[str, str]:
    """The path as people read it, and the message; the same for every focus node."""
    short = path.format(_short) if path is not None else ""
    return short, _message(component, short, messages, language)


def _message(component: str, path: str, messages: tuple[Lit, ...], language: str) -> str:
    """The shape's own message in the active language, else one composed in words."""
    for lit in messages:
        if lit.language == language:
            return lit.value
    label = _label(path)
    composed = COMPOSED.get(component)
    if composed is not None:
        return str(composed) % {"label": label}
    return (
        messages[0].value if messages else _("%(label)s does not meet the rule.") % {"label": label}
    )


# Messages in words for results whose shape has none in the active language.
COMPOSED = {
    "MinCountConstraintComponent": gettext_lazy("Required information is missing: %(label)s."),
    "MaxCountConstraintComponent": gettext_lazy("%(label)s is given more often than allowed."),
    "DatatypeConstraintComponent": gettext_lazy("%(label)s has a value of the wrong type."),
    "NodeKindConstraintComponent": gettext_lazy(
        "%(label)s must be a link (IRI) or text as specified."
    ),
    "ClassConstraintComponent": gettext_lazy("%(label)s points to something of the wrong kind."),
    "HasValueConstraintComponent": gettext_lazy("%(label)s must use the prescribed vocabulary."),
}
PATH_LABELS = {
    "dct:title": gettext_lazy("Title"),
    "dct:description": gettext_lazy("Description"),
    "dct:publisher": gettext_lazy("Publisher"),
    "dcat:accessURL": gettext_lazy("Access URL"),
    "dct:license": gettext_lazy("Licence"),
    "foaf:name": gettext_lazy("Name"),
}


def _label(short: str) -> str:
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


def _short(iri: str) -> str:
    for base, prefix in _PREFIXES.items():
        if iri.startswith(base):
            return prefix + iri[len(base) :]
    return iri
