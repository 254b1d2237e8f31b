"""Canonical N-Triples of one description: stable blank node labels and a content hash.

Blank nodes are labelled canonically (RDFC-1.0) and then prefixed with a short hash of
the entry's subject, so descriptions of different entries never share a blank node when
they are served together on one catalogue page, and an unchanged description always
yields the same text and hash.
"""

import hashlib
import re

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
    if "_:" in text:  # cheap test first: only descriptions with blank nodes need relabelling
        text = _relabel(subject, text)
    lines = text.splitlines()
    text = "\n".join(sorted(set(lines))) + "\n" if lines else ""
    return text, hashlib.sha256(text.encode("utf-8")).hexdigest()


# In N-Triples a blank node stands at the start of a line (subject) or right before the
# closing " ." (object); a literal always ends in a quote, language tag or datatype IRI,
# so these anchored patterns never touch the text of a literal.
_SUBJECT_LABEL = re.compile(r"^_:c14n(\d+) ", re.M)
_OBJECT_LABEL = re.compile(r" _:c14n(\d+) \.$", re.M)


def _relabel(subject: Node, text: str) -> str:
    """N-Triples with RDFC-1.0 labels, prefixed per entry so entries never share one."""
    dataset = Dataset(parse(text, format=RdfFormat.N_TRIPLES))
    dataset.canonicalize(CanonicalizationAlgorithm.RDFC_1_0)
    text = serialize(dataset, format=RdfFormat.N_QUADS).decode("utf-8")
    prefix = label_prefix(subject)
    text = _SUBJECT_LABEL.sub(lambda m: f"_:{prefix}{m.group(1)} ", text)
    return _OBJECT_LABEL.sub(lambda m: f" _:{prefix}{m.group(1)} .", text)


def parse_ntriples(text: str) -> list[Triple]:
    """Read stored N-Triples back into triples."""
    return [q.triple for q in parse(text, format=RdfFormat.N_TRIPLES)]


def iri_or_blank(value: str) -> Node:
    return BlankNode(value[2:]) if value.startswith("_:") else NamedNode(value)


__all__ = ["Literal", "canonical_ntriples", "iri_or_blank", "label_prefix", "parse_ntriples"]
