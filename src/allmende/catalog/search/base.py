"""The search interface every backend implements: what is indexed (:class:`SearchDocument`),
what is asked (:class:`SearchQuery`) and what comes back (:class:`SearchResult`).

Backends know nothing of Django models; :mod:`.documents` turns a dataset row into a
:class:`SearchDocument`, and callers load the rows of the ids a search returns.
"""

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal

#: The facets a document carries, each a list of values (AND across facets, OR within).
FACETS = ("publisher", "theme", "keyword", "format", "license", "quality", "source")

Sort = Literal["relevance", "modified", "title"]
#: (west, south, east, north) in WGS 84 degrees.
BBox = tuple[float, float, float, float]


@dataclass
class SearchDocument:
    """One dataset as the search backends index it."""

    id: int
    title: str
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    keywords: list[str] = field(default_factory=list)
    #: facet name (one of :data:`FACETS`) -> values
    facets: dict[str, list[str]] = field(default_factory=dict)
    modified: datetime | None = None
    issued: datetime | None = None
    published: bool = False
    publisher_id: int = 0
    bbox: BBox | None = None


@dataclass
class SearchQuery:
    """A search: free text, facet filters, ranges, sorting, paging and visibility.

    ``filters`` keep documents having, for every facet named, at least one of the values;
    ``exclude`` drops documents having any of the values. Date ranges are inclusive and
    either end may be ``None``. ``bbox`` keeps documents whose bounding box intersects it.
    ``ids``, when not None, keeps only those documents (an empty tuple finds nothing);
    ``exclude_ids`` drops those (for conditions only the database can answer).
    With ``sort="relevance"`` and no text the results come in title order. Facet counts
    are taken over all matching documents (filters included), the ``facet_limit`` most
    frequent values per facet, ties by value.

    Only published documents are found, plus drafts of the ``draft_publishers``
    (organisation ids); ``all_drafts`` shows every draft (superusers).
    """

    text: str = ""
    filters: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    modified_from: datetime | None = None
    modified_until: datetime | None = None
    issued_from: datetime | None = None
    issued_until: datetime | None = None
    bbox: BBox | None = None
    ids: tuple[int, ...] | None = None
    exclude_ids: tuple[int, ...] = ()
    sort: Sort = "relevance"
    offset: int = 0
    limit: int = 20
    facet_fields: tuple[str, ...] = ()
    facet_limit: int = 20
    draft_publishers: tuple[int, ...] = ()
    all_drafts: bool = False


@dataclass
class SearchResult:
    """The total number of matches, the ids of the requested page in order, and facet
    counts: facet -> [(value, count)], most frequent first."""

    total: int
    ids: list[int]
    facets: dict[str, list[tuple[str, int]]] = field(default_factory=dict)


class Backend(ABC):
    """A search engine holding one document per dataset.

    ``index`` adds or replaces documents, ``delete`` removes them; both are visible to
    searches in every process once they return.
    """

    name: str = ""

    @abstractmethod
    def index(self, docs: Iterable[SearchDocument]) -> int:
        """Add or replace the documents; returns how many were written."""

    @abstractmethod
    def delete(self, ids: Iterable[int]) -> None:
        """Remove the documents of these dataset ids (unknown ids are ignored)."""

    @abstractmethod
    def search(self, query: SearchQuery) -> SearchResult:
        """Run a search."""

    @abstractmethod
    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        """Words from published titles and keywords that start with ``prefix`` (folded),
        most frequent first."""

    @abstractmethod
    def clear(self) -> None:
        """Remove every document."""

    def replace_all(self, docs: Iterable[SearchDocument]) -> int:
        """Replace every document by ``docs`` (a rebuild)."""
        self.clear()
        return self.index(docs)

    def count(self) -> int:
        """How many documents the index holds (drafts included)."""
        return self.search(SearchQuery(limit=0, all_drafts=True)).total
