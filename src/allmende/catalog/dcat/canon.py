"""Canonical N-Triples of one description: stable blank node labels and a content hash.

Blank nodes get labels that depend only on the graph, prefixed with a short hash of the
entry's subject, so descriptions of different entries never share a blank node when they
are served together on one catalogue page, and an unchanged description always yields the
same text and hash.

Most descriptions hang their blank nodes off the entry as a tree (a period of time, a
contact point, a location): each blank node is the object of exactly one triple. For such
trees a blank node's label is a hash of its own statements with its children's labels
filled in, computed in one pass over the N-Triples text. Anything else (shared or cyclic
blank nodes, or two blank nodes that say exactly the same) is labelled by the standard
algorithm, RDFC-1.0.
"""

import hashlib
import re
from collections import defaultdict

from pyoxigraph import (
    BlankNode,
    CanonicalizationAlgorithm,
    Dataset,
    Literal,
    NamedNode,
    RdfFormat,
    Triple,
    parse,
    serialize,
)

from .extract import Node


def label_prefix(subject: Node) -> str:
    return "b" + hashlib.sha1(str(subject).encode(), usedforsecurity=False).hexdigest()[:10]


def canonical_ntriples(subject: Node, triples: list[Triple]) -> tuple[str, str]:
    """Return (N-Triples text with sorted lines, sha256 hex of that text)."""
    text = serialize(triples, format=RdfFormat.N_TRIPLES).decode("utf-8")
    lines = list(set(text.splitlines()))
    if "_:" in text:  # cheap test first: only descriptions with blank nodes need relabelling
        prefix = label_prefix(subject)
        relabelled = _tree_relabel(lines, prefix)
        lines = relabelled if relabelled is not None else _rdfc_relabel(prefix, text)
    text = "\n".join(sorted(set(lines))) + "\n" if lines else ""
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


# In N-Triples a blank node stands at the start of a line (subject) or right before the
# closing " ." (object); a literal always ends in a quote, language tag or datatype IRI,
# so these anchored patterns never touch the text of a literal.
_OBJECT = re.compile(r" (_:\S+) \.$")
_SUBJECT_LABEL = re.compile(r"^_:c14n(\d+) ", re.M)
_OBJECT_LABEL = re.compile(r" _:c14n(\d+) \.$", re.M)


def _tree_relabel(lines: list[str], prefix: str) -> list[str] | None:
    """Label tree-shaped blank nodes by the hash of what they say; None if not a tree."""
    statements: dict[str, list[str]] = defaultdict(list)
    parents: dict[str, int] = defaultdict(int)
    blank_lines = [line for line in lines if "_:" in line]  # cheap filter, checked below
    for line in blank_lines:
        if line.startswith("_:"):
            label, rest = line.split(" ", 1)
            statements[label].append(rest)
        if (found := _OBJECT.search(line)) is not None:
            parents[found.group(1)] += 1
    nodes = set(statements) | set(parents)
    if any(parents.get(node, 0) != 1 for node in nodes):
        return None  # a root blank node, or one shared by two statements
    labels: dict[str, str] = {}
    for node in nodes:
        if _tree_label(node, statements, labels, prefix, set()) is None:
            return None
    if len(set(labels.values())) != len(labels):
        return None  # two blank nodes that say the same: let RDFC-1.0 tell them apart
    return [_substitute(line, labels) if "_:" in line else line for line in lines]


def _tree_label(
    node: str, statements: dict, labels: dict[str, str], prefix: str, visiting: set[str]
) -> str | None:
    if node in labels:
        return labels[node]
    if node in visiting:
        return None  # a cycle
    visiting.add(node)
    own = []
    for rest in statements.get(node, ()):
        if (found := _OBJECT.search(rest)) is not None:
            child = _tree_label(found.group(1), statements, labels, prefix, visiting)
            if child is None:
                return None
            rest = rest[: found.start(1)] + child + rest[found.end(1) :]
        own.append(rest)
    digest = hashlib.sha256("\n".join(sorted(own)).encode()).hexdigest()[:16]
    labels[node] = f"_:{prefix}t{digest}"
    return labels[node]


def _substitute(line: str, labels: dict[str, str]) -> str:
    if line.startswith("_:"):
        label, rest = line.split(" ", 1)
        line = f"{labels[label]} {rest}"
    if (found := _OBJECT.search(line)) is not None:
        line = line[: found.start(1)] + labels[found.group(1)] + line[found.end(1) :]
    return line


def _rdfc_relabel(prefix: str, text: str) -> list[str]:
    """N-Triples lines with RDFC-1.0 labels, prefixed per entry so entries never share one."""
    dataset = Dataset(parse(text, format=RdfFormat.N_TRIPLES))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    text = serialize(dataset, format=RdfFormat.N_QUADS).decode("utf-8")
    text = _SUBJECT_LABEL.sub(lambda m: f"_:{prefix}{m.group(1)} ", text)
    return _OBJECT_LABEL.sub(lambda m: f" _:{prefix}{m.group(1)} .", text).splitlines()


def parse_ntriples(text: str) -> list[Triple]:
    """Read stored N-Triples back into triples."""
    return [q.triple for q in parse(text, format=RdfFormat.N_TRIPLES)]


def iri_or_blank(value: str) -> Node:
    return BlankNode(value[2:]) if value.startswith("_:") else NamedNode(value)


__all__ = ["Literal", "canonical_ntriples", "iri_or_blank", "label_prefix", "parse_ntriples"]
