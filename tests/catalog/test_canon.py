"""Canonical N-Triples: blank node labels depend on the graph only, and nothing is lost."""

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from allmende.catalog.dcat.canon import canonical_ntriples, parse_ntriples

pytestmark = pytest.mark.unit

S = NamedNode("http://example.org/dataset/a")
P = [NamedNode(f"http://example.org/p{i}") for i in range(4)]


def _graph(shape: list[tuple[int, int, str]]) -> list[Triple]:
    """A tree of blank nodes: (parent index or -1 for the subject, predicate, literal)."""
    nodes = [BlankNode() for _ in shape]
    triples = []
    for i, (parent, pred, value) in enumerate(shape):
        owner = S if parent < 0 or parent >= i else nodes[parent]
        triples.append(Triple(owner, P[pred], nodes[i]))
        triples.append(Triple(nodes[i], P[(pred + 1) % 4], Literal(value)))
    return triples


def _relabelled(triples: list[Triple]) -> list[Triple]:
    """The same graph with fresh blank node labels, in another order."""
    fresh: dict[BlankNode, BlankNode] = {}

    def swap(term):
        return fresh.setdefault(term, BlankNode()) if isinstance(term, BlankNode) else term

    out = [Triple(swap(t.subject), t.predicate, swap(t.object)) for t in triples]
    random.Random(len(out)).shuffle(out)
    return out


shapes = st.lists(
    st.tuples(st.integers(-1, 5), st.integers(0, 3), st.sampled_from(["x", "y", "z"])),
    max_size=8,
)


@settings(max_examples=80, deadline=None)
@given(shape=shapes)
def test_isomorphic_graphs_get_the_same_text_and_nothing_is_lost(shape):
    triples = _graph(shape)
    text, digest = canonical_ntriples(S, triples)
    assert canonical_ntriples(S, _relabelled(triples)) == (text, digest)
    assert canonical_ntriples(S, parse_ntriples(text)) == (text, digest)
    assert len(text.splitlines()) == len(set(triples))


def test_twin_blank_nodes_stay_two():
    twins = _graph([(-1, 0, "same"), (-1, 0, "same")])
    text, _ = canonical_ntriples(S, twins)
    assert len(text.splitlines()) == 4
    assert len({line.split()[0] for line in text.splitlines() if line.startswith("_:")}) == 2


def test_shared_and_cyclic_blank_nodes_are_labelled_too():
    a, b = BlankNode(), BlankNode()
    shared = [Triple(S, P[0], a), Triple(S, P[1], a), Triple(a, P[2], Literal("v"))]
    cyclic = [Triple(S, P[0], a), Triple(a, P[1], b), Triple(b, P[1], a)]
    for triples in (shared, cyclic):
        text, digest = canonical_ntriples(S, triples)
        assert canonical_ntriples(S, _relabelled(triples)) == (text, digest)
        assert len(text.splitlines()) == len(triples)


def test_labels_differ_between_entries():
    other = NamedNode("http://example.org/dataset/b")
    shape = [(-1, 0, "x")]
    mine, _ = canonical_ntriples(S, _graph(shape))
    theirs, _ = canonical_ntriples(
        other,
        [Triple(other, t.predicate, t.object) if t.subject == S else t for t in _graph(shape)],
    )
    label = next(w for w in mine.split() if w.startswith("_:"))
    assert label not in theirs
