"""Hydra paging of DCAT-AP catalogue endpoints.

A page names the next one with ``hydra:next`` on a ``hydra:PartialCollectionView`` (the
Hydra Core vocabulary) or, in the older style many portals still serve, ``hydra:nextPage``
on a ``hydra:PagedCollection``. Some portals write the link as a literal: it is read all
the same. ``hydra:totalItems`` tells how many records the whole collection holds.
"""

from dataclasses import dataclass
from urllib.parse import urljoin

from pyoxigraph import Literal, NamedNode, Triple

from ..dcat.namespaces import HYDRA, RDF

VIEW_TYPES = {HYDRA.PartialCollectionView, HYDRA.PagedCollection}
NEXT = (HYDRA.next, HYDRA.nextPage)
TOTAL = (HYDRA.totalItems,)


@dataclass(frozen=True)
class Paging:
    next_url: str | None
    total: int | None


def paging_of(triples: list[Triple], page_url: str) -> Paging:
    """Where the next page is (absolute URL) and how many items the collection has."""
    views = {t.subject for t in triples if t.predicate == RDF.type and t.object in VIEW_TYPES}
    candidates = [t for t in triples if t.predicate in NEXT]
    candidates.sort(key=lambda t: (t.subject not in views, t.predicate != HYDRA.next))
    next_url = None
    for triple in candidates:
        value = _link(triple.object)
        if value:
            next_url = urljoin(page_url, value)
            break
    return Paging(next_url, _total(triples))


def _link(term: object) -> str:
    if isinstance(term, NamedNode):
        return term.value
    if isinstance(term, Literal):
        return term.value.strip()
    return ""


def _total(triples: list[Triple]) -> int | None:
    for triple in triples:
        if triple.predicate in TOTAL and isinstance(triple.object, Literal):
            try:
                return int(float(triple.object.value))
            except ValueError:
                return None
    return None
