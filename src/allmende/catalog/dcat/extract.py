"""Split a parsed RDF document into the descriptions of its catalogue entries.

A description is everything the document says about one dataset, series or data service:
its own triples, and those of every node it reaches (distributions, contact points,
agents, periods, locations, ...) that is not itself a catalogue or another entry.
Catalogue records (``foaf:primaryTopic``) of an entry belong to it too. Nodes that two
entries share (a publisher) are copied into both, so each description stands alone.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .namespaces import DCAT, FOAF, RDF

Node = NamedNode | BlankNode

ENTRY_KINDS: dict[NamedNode, str] = {
    DCAT.Dataset: "dataset",
    DCAT.DatasetSeries: "series",
    DCAT.DataService: "service",
}
KIND_TYPES: dict[str, NamedNode] = {kind: type_ for type_, kind in ENTRY_KINDS.items()}


@dataclass
class Description:
    """One catalogue entry and the triples that describe it."""

    subject: Node
    kind: str
    triples: list[Triple]


@dataclass
class Document:
    """What a parsed document holds: its entries and its catalogues' own triples."""

    entries: list[Description]
    catalogs: list[Node] = field(default_factory=list)
    catalog_triples: list[Triple] = field(default_factory=list)


def index_by_subject(triples: Iterable[Triple]) -> dict[Node, list[Triple]]:
    by_subject: dict[Node, list[Triple]] = defaultdict(list)
    for triple in triples:
        by_subject[triple.subject].append(triple)
    return by_subject


def entry_kind(types: Iterable[object]) -> str | None:
    """The entry kind for a set of rdf:type values (a series wins over a dataset)."""
    kinds = {ENTRY_KINDS[t] for t in types if t in ENTRY_KINDS}
    for kind in ("series", "service", "dataset"):
        if kind in kinds:
            return kind
    return None


def split_document(triples: list[Triple]) -> Document:
    """Find every dataset, series and service in ``triples`` with its description."""
    by_subject = index_by_subject(triples)
    types: dict[Node, set] = defaultdict(set)
    records: dict[Node, list[Node]] = defaultdict(list)
    for triple in triples:
        if triple.predicate == RDF.type:
            types[triple.subject].add(triple.object)
        elif triple.predicate == FOAF.primaryTopic and not isinstance(triple.object, Literal):
            records[triple.object].append(triple.subject)
    catalogs = [s for s, t in types.items() if DCAT.Catalog in t and entry_kind(t) is None]
    entries: dict[Node, str] = {}
    for subject, subject_types in types.items():
        kind = entry_kind(subject_types)
        if kind is not None:
            entries[subject] = kind
    stop = set(entries) | set(catalogs)
    result = [
        Description(subject, kind, _reach(subject, by_subject, stop, records.get(subject, [])))
        for subject, kind in entries.items()
    ]
    catalog_triples = [t for c in catalogs for t in by_subject.get(c, [])]
    return Document(entries=result, catalogs=catalogs, catalog_triples=catalog_triples)


def _reach(
    root: Node, by_subject: dict[Node, list[Triple]], stop: set[Node], extra: list[Node]
) -> list[Triple]:
    seen: set[Node] = {root}
    queue: list[Node] = [root, *extra]
    seen.update(extra)
    out: list[Triple] = []
    while queue:
        node = queue.pop()
        for triple in by_subject.get(node, ()):
            out.append(triple)
            obj = triple.object
            if isinstance(obj, Literal) or obj in seen or obj in stop:
                continue
            if obj in by_subject:
                seen.add(obj)
                queue.append(obj)
    return out
