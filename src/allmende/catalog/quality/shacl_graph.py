"""The data graph of the SHACL engine: plain Python terms, indexed once, and paths.

Terms are plain values, so that dictionary look-ups hash strings that cache their hash:

- an IRI is a ``str`` (the IRI itself),
- a blank node is a ``str`` starting with ``_:`` (no IRI can: an IRI starts with a scheme),
- a literal is a ``Lit`` (lexical form, datatype IRI, lower-case language tag or "").

pyoxigraph parses; ``triples_from_oxigraph`` converts its terms once. Paths (SHACL
2.3.1) read the index: what a property shape reaches from a focus node.
"""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from pyoxigraph import Literal, NamedNode, RdfFormat, parse

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANGSTRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
RDFS_SUBCLASS_OF = "http://www.w3.org/2000/01/rdf-schema#subClassOf"


class Lit(NamedTuple):
    """An RDF literal."""

    value: str
    datatype: str = XSD_STRING
    language: str = ""


Term = str | Lit
TermTriple = tuple[str, str, Term]


def is_blank(term: Term) -> bool:
    return type(term) is str and term.startswith("_:")


def is_iri(term: Term) -> bool:
    return type(term) is str and not term.startswith("_:")


def triples_from_oxigraph(triples: Iterable[Any]) -> list[TermTriple]:
    """pyoxigraph triples or quads (their default graph) as engine triples."""
    out = []
    for triple in triples:
        s, o = triple.subject, triple.object
        subject = s.value if type(s) is NamedNode else "_:" + s.value
        kind = type(o)
        if kind is NamedNode:
            obj: Term = o.value
        elif kind is Literal:
            obj = Lit(o.value, o.datatype.value, o.language or "")
        else:
            obj = "_:" + o.value
        out.append((subject, triple.predicate.value, obj))
    return out


def read_ntriples(text: str | bytes, *, lenient: bool = False) -> list[TermTriple]:
    """N-Triples as engine triples; ``lenient`` skips IRI validation (for text that
    pyoxigraph wrote itself). Raises SyntaxError if the text is not N-Triples."""
    return triples_from_oxigraph(parse(text, format=RdfFormat.N_TRIPLES, lenient=lenient))


class Graph:
    """A data graph indexed once: subject -> predicate -> objects (a set in input order).

    ``background`` maps IRIs to triples that describe them (a controlled vocabulary):
    the triples of every IRI that occurs as an object in the data are added.
    """

    __slots__ = ("_by_object", "_supers", "out")

    def __init__(
        self,
        triples: Iterable[TermTriple] = (),
        background: Mapping[str, Sequence[TermTriple]] | None = None,
    ) -> None:
        self.out: dict[str, dict[str, list[Term]]] = {}
        self._by_object: dict[tuple[str, Term], list[str]] | None = None
        self._supers: dict[Term, set[Term]] | None = None
        used = self._add(triples, background)
        for iri in used:
            self._add(background[iri], None)

    def _add(self, triples: Iterable[TermTriple], background: Mapping | None) -> list[str]:
        out: dict[str, dict[str, list[Term]]] = self.out
        used: dict[str, None] = {}
        for s, p, o in triples:
            if background is not None and o in background:
                used[o] = None
            predicates = out.get(s)
            if predicates is None:
                out[s] = {p: [o]}
            elif (objects := predicates.get(p)) is None:
                predicates[p] = [o]
            elif o not in objects:
                objects.append(o)
        return list(used)

    def __len__(self) -> int:
        return sum(len(objects) for ps in self.out.values() for objects in ps.values())

    def triples(self) -> Iterable[TermTriple]:
        for s, predicates in self.out.items():
            for p, objects in predicates.items():
                for o in objects:
                    yield s, p, o

    def objects(self, subject: Term, predicate: str) -> Sequence[Term]:
        predicates = self.out.get(subject)
        return predicates.get(predicate, ()) if predicates else ()

    def subjects(self, predicate: str, obj: Term) -> Sequence[str]:
        if self._by_object is None:
            index: dict[tuple[str, Term], list[str]] = {}
            for s, p, o in self.triples():
                index.setdefault((p, o), []).append(s)
            self._by_object = index
        return self._by_object.get((predicate, obj), ())

    def superclasses(self) -> dict[Term, set[Term]]:
        """Each class with a rdfs:subClassOf statement -> all its superclasses."""
        if self._supers is None:
            direct = {
                s: ps[RDFS_SUBCLASS_OF] for s, ps in self.out.items() if RDFS_SUBCLASS_OF in ps
            }
            self._supers = {c: _closure(c, direct) for c in direct}
        return self._supers

    def is_instance(self, node: Term, cls: Term) -> bool:
        """SHACL instance: rdf:type cls, or a type that is a subclass of cls."""
        types = self.objects(node, RDF_TYPE)
        if cls in types:
            return True
        supers = self.superclasses() if types else None
        return bool(supers) and any(cls in supers.get(t, ()) for t in types)


def _closure(start: Term, direct: Mapping[Term, Sequence[Term]]) -> set[Term]:
    seen: set[Term] = set()
    todo = list(direct.get(start, ()))
    while todo:
        cls = todo.pop()
        if cls not in seen:
            seen.add(cls)
            todo.extend(direct.get(cls, ()))
    return seen


@dataclass(frozen=True, slots=True)
class PredicatePath:
    iri: str

    def values(self, graph: Graph, node: Term) -> Sequence[Term]:
        return graph.objects(node, self.iri)

    def format(self, name: Callable[[str], str]) -> str:
        return name(self.iri)


@dataclass(frozen=True, slots=True)
class InversePath:
    iri: str

    def values(self, graph: Graph, node: Term) -> Sequence[Term]:
        return graph.subjects(self.iri, node)

    def format(self, name: Callable[[str], str]) -> str:
        return "^" + name(self.iri)


@dataclass(frozen=True, slots=True)
class AlternativePath:
    paths: tuple[PredicatePath | InversePath, ...]

    def values(self, graph: Graph, node: Term) -> Sequence[Term]:
        found: dict[Term, None] = {}
        for path in self.paths:
            found.update(dict.fromkeys(path.values(graph, node)))
        return tuple(found)

    def format(self, name: Callable[[str], str]) -> str:
        return "|".join(path.format(name) for path in self.paths)


Path = PredicatePath | InversePath | AlternativePath


def sparql(path: Path) -> str:
    """The path in SPARQL property path syntax with full IRIs."""
    return path.format(lambda iri: f"<{iri}>")
