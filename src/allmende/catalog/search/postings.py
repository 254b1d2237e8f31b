"""The in-memory half of the PostgreSQL backend: one compressed bitmap (pyroaring) of
dataset ids per *key*, and the set algebra answering a :class:`SearchQuery` from them.

A document is filed under these keys (:func:`document_keys`):

- ``A:<stem>`` / ``B:<stem>`` / ``C:<stem>``: a word stem in the title (German and English
  title), the keywords, the description (German and English). Stems come from PostgreSQL's
  ``german``/``english`` configurations, so they are the stems the old tsvector held;
- ``F:<facet>:<value>``: a facet value;
- ``M:<yyyy-mm>`` / ``I:<yyyy-mm>``: the month (UTC) of the modified / issued date;
- ``G:<x>:<y>``: the cells of a 0.25° grid the bounding box touches (``G:wide`` when it
  touches many; :mod:`.spatial`);
- ``T:<two letters>``: the beginning of the folded title (pages in title order);
- ``V`` (published), ``P:<publisher id>``, ``*`` (every document);
- ``S:<folded>|<Original>``: suggestion words (published documents only).

Ranges (dates, box) are answered by whole months and whole cells first; documents in the
months and cells at the edge of a range are checked one by one against the dates and box
kept per document in :attr:`Postings.columns` (arrays indexed by id). Everything here is
exact: totals are cardinalities, facet counts intersection cardinalities.
"""

import heapq
import math
from array import array
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime

from pyroaring import BitMap

from .analysis import fold, suggestion_terms
from .base import FACETS, BBox, SearchDocument, SearchQuery
from .spatial import cell_in_box, cells

#: Weights of a word found in the title, the keywords, the description.
TIERS = {"A": 4, "B": 2, "C": 1}
_RANGE_KEYS = {"modified": "M", "issued": "I"}
#: The values kept per document for exact range checks (NaN when missing).
COLUMNS = ("west", "south", "east", "north", "modified", "issued")
_NAN = float("nan")


def month(value: datetime) -> str:
    """``yyyy-mm`` of a date in UTC."""
    value = value.astimezone(UTC) if value.tzinfo else value
    return f"{value.year:04d}-{value.month:02d}"


def title_start(title: str) -> str:
    """The bucket of a title in title order: its first two letters, folded."""
    return fold(title)[:2]


def document_values(doc: SearchDocument) -> list[float | None]:
    """The :data:`COLUMNS` of a document: box and dates (epoch seconds)."""
    box = list(doc.bbox) if doc.bbox else [None] * 4
    return [*box, *(d.timestamp() if d else None for d in (doc.modified, doc.issued))]


def document_keys(doc: SearchDocument, stems: tuple[list[str], list[str], list[str]]) -> set[str]:
    """Every key ``doc`` is filed under; ``stems`` are the stems of the title, keyword and
    description text (see the module docstring)."""
    keys = {"*", f"P:{doc.publisher_id}", f"T:{title_start(doc.title)}"}
    for tier, found in zip("ABC", stems, strict=True):
        keys.update(f"{tier}:{stem}" for stem in found)
    for name in FACETS:
        keys.update(f"F:{name}:{value}" for value in doc.facets.get(name, ()))
    for name, prefix in _RANGE_KEYS.items():
        if (value := getattr(doc, name)) is not None:
            keys.add(f"{prefix}:{month(value)}")
    if doc.bbox:
        keys.update(cells(doc.bbox))
    if doc.published:
        keys.add("V")
        keys.update(f"S:{entry}" for entry in suggestion_terms([doc.title, *doc.keywords]))
    return keys


class Postings:
    """Bitmaps by key, with the sorted views searches need, rebuilt when keys change."""

    def __init__(self) -> None:
        self.bits: dict[str, BitMap] = {}
        self.columns: dict[str, array] = {name: array("d") for name in COLUMNS}
        self._views: dict[str, list] = {}

    # -- changing ---------------------------------------------------------------------------

    def load(self, key: str, data: bytes) -> None:
        """Load a stored bitmap, or a column (keys ``#<column>``)."""
        if key.startswith("#"):
            self.columns[key[1:]] = array("d", data)
        else:
            self.bits[key] = BitMap.deserialize(data)
        self._views.clear()

    def dump(self, key: str) -> bytes | None:
        """What :meth:`load` reads back (None for an empty bitmap)."""
        if key.startswith("#"):
            return self.columns[key[1:]].tobytes()
        if bits := self.bits.get(key):
            bits.run_optimize()
            return bits.serialize()
        return None

    def set_values(self, pk: int, values: Iterable[float | None]) -> None:
        """The box and dates of a document (None for each when it is gone)."""
        for name, value in zip(COLUMNS, values, strict=True):
            column = self.columns[name]
            if pk >= len(column):
                column.extend([_NAN] * (pk + 1 - len(column) + len(column) // 4))
            column[pk] = _NAN if value is None else value

    def apply(
        self, pk: int, removed: Iterable[str], added: Iterable[str], values: Iterable | None
    ) -> None:
        """One document left the ``removed`` keys and joined the ``added`` ones; ``values``
        are its :data:`COLUMNS` (None when it was deleted)."""
        self.set_values(pk, values or [None] * len(COLUMNS))
        for key in removed:
            if (bits := self.bits.get(key)) is not None:
                bits.discard(pk)
                if not bits:
                    del self.bits[key]
        for key in added:
            self.bits.setdefault(key, BitMap()).add(pk)
        self._views.clear()

    def add_many(self, docs: Iterable[tuple[int, Iterable[str], Iterable]]) -> None:
        """File many new documents at once (a rebuild): (id, keys, values) each."""
        grouped: dict[str, list[int]] = {}
        for pk, keys, values in docs:
            self.set_values(pk, values)
            for key in keys:
                grouped.setdefault(key, []).append(pk)
        for key, pks in grouped.items():
            self.bits.setdefault(key, BitMap()).update(pks)
        self._views.clear()

    def get(self, key: str) -> BitMap:
        return self.bits.get(key) or BitMap()

    def _view(self, prefix: str) -> list[tuple[str, BitMap]]:
        """Keys starting with ``prefix`` and their bitmaps, sorted by key."""
        if prefix not in self._views:
            self._views[prefix] = sorted(
                (key, bits) for key, bits in self.bits.items() if key.startswith(prefix)
            )
        return self._views[prefix]

    def _by_size(self, facet: str) -> list[tuple[int, str, BitMap]]:
        """The values of a facet, most documents first."""
        view = f"size:{facet}"
        if view not in self._views:
            start = len(f"F:{facet}:")
            values = [(len(b), k[start:], b) for k, b in self._view(f"F:{facet}:")]
            self._views[view] = sorted(values, key=lambda item: (-item[0], item[1]))
        return self._views[view]

    # -- answering --------------------------------------------------------------------------

    def union(self, keys: Iterable[str]) -> BitMap:
        found = [self.bits[key] for key in keys if key in self.bits]
        return BitMap.union(*found) if len(found) > 1 else BitMap(found[0] if found else ())

    def word(self, stems: Iterable[str]) -> dict[str, BitMap]:
        """Per tier, the documents having one of the stems of a query word there."""
        stems = list(stems)
        return {tier: self.union(f"{tier}:{stem}" for stem in stems) for tier in TIERS}

    def restrict(self, query: SearchQuery, base: BitMap) -> BitMap:
        """``base`` narrowed by visibility and facet filters and exclusions."""
        if not query.all_drafts:
            owners = (f"P:{pk}" for pk in query.draft_publishers)
            base &= self.union(["V", *owners])
        for name, values in query.filters.items():
            if values:
                base &= self.union(f"F:{name}:{value}" for value in values)
        for name, values in query.exclude.items():
            if values:
                base -= self.union(f"F:{name}:{value}" for value in values)
        return base

    def in_ranges(self, query: SearchQuery, matches: BitMap) -> BitMap:
        """The matches within the date ranges and the box of the query: whole months and
        cells by bitmap, the documents in edge months and cells checked one by one."""
        checks = self._ranges(query)
        if not checks:
            return matches
        certain, candidates = matches.copy(), matches.copy()
        for sure, maybe in checks:
            certain &= sure
            candidates &= sure | maybe
        doubtful = list(candidates - certain)
        for column, low, high in self._bounds(query):  # NaN (no value) fails every test
            size = len(column)
            doubtful = [pk for pk in doubtful if pk < size and low <= column[pk] <= high]
        certain.update(doubtful)
        return certain

    def in_order(
        self, matches: BitMap, prefix: str, reverse: bool = False
    ) -> Iterator[tuple[str, BitMap, BitMap]]:
        """The matches by bucket (``M:`` months, ``T:`` title beginnings) in key order
        (``reverse``: descending), then those in no bucket (key ""): (key, the matches
        there, the whole bucket)."""
        covered = BitMap()
        view = self._view(prefix)
        for key, bits in reversed(view) if reverse else view:
            if part := matches & bits:
                covered |= part
                yield key[len(prefix) :], part, bits
        if rest := matches - covered:
            yield "", rest, rest

    def _bounds(self, query: SearchQuery) -> list[tuple[array, float, float]]:
        """(column, low, high) for every range of the query."""
        bounds: list[tuple[array, float, float]] = []
        inf = math.inf
        for name in _RANGE_KEYS:
            low, high = getattr(query, f"{name}_from"), getattr(query, f"{name}_until")
            if low is not None or high is not None:
                bounds.append(
                    (
                        self.columns[name],
                        low.timestamp() if low else -inf,
                        high.timestamp() if high else inf,
                    )
                )
        if query.bbox:
            west, south, east, north = (float(v) for v in query.bbox)
            columns = self.columns
            bounds += [
                (columns["west"], -inf, east),
                (columns["east"], west, inf),
                (columns["south"], -inf, north),
                (columns["north"], south, inf),
            ]
        return bounds

    def _ranges(self, query: SearchQuery) -> list[tuple[BitMap, BitMap]]:
        """Per range asked for (dates, box): the documents surely in it and those that may
        be (in an edge month or cell)."""
        out = []
        for name, prefix in _RANGE_KEYS.items():
            low, high = getattr(query, f"{name}_from"), getattr(query, f"{name}_until")
            if low is None and high is None:
                continue
            first, last = month(low) if low else "", month(high) if high else "~"
            sure, maybe = [], []
            for key, bits in self._view(f"{prefix}:"):
                value = key[2:]
                if first < value < last:
                    sure.append(bits)
                elif value in (first, last):
                    maybe.append(bits)
            out.append((BitMap.union(BitMap(), *sure), BitMap.union(BitMap(), *maybe)))
        if query.bbox:
            out.append(self._box(query.bbox))
        return out

    def _cells(self) -> list[tuple[int, int, BitMap]]:
        if "cells" not in self._views:
            self._views["cells"] = [
                (*(int(part) for part in key[2:].split(":")), bits)
                for key, bits in self._view("G:")
                if key != "G:wide"
            ]
        return self._views["cells"]

    def _box(self, box: BBox) -> tuple[BitMap, BitMap]:
        box = tuple(float(v) for v in box)  # type: ignore[assignment]
        sure, edge = [], [self.get("G:wide")]
        for x, y, bits in self._cells():
            if where := cell_in_box(x, y, box):
                (sure if where == "sure" else edge).append(bits)
        return BitMap.union(BitMap(), *sure), BitMap.union(BitMap(), *edge)

    def facet_size(self, facet: str) -> int:
        """How many values a facet has."""
        return len(self._by_size(facet))

    def facet_counts(self, matches: BitMap, facet: str, limit: int) -> list[tuple[str, int]]:
        """The ``limit`` most frequent values of ``facet`` among ``matches``, exactly:
        values are tried most frequent overall first, and the search stops when no further
        value could enter the top ``limit``."""
        best: list[int] = []  # the counts of the top ``limit`` so far (a min-heap)
        top: list[tuple[str, int]] = []
        for size, value, bits in self._by_size(facet):
            if len(best) >= limit and size < best[0]:
                break
            count = matches.intersection_cardinality(bits)
            if count:
                top.append((value, count))
                heapq.heappush(best, count)
                if len(best) > limit:
                    heapq.heappop(best)
        top.sort(key=lambda pair: (-pair[1], pair[0]))
        return top[:limit]

    def ranked(self, words: list[dict[str, BitMap]], matches: BitMap) -> Iterator[int]:
        """``matches`` by field tiers: the sum over the query words of the weight of the best
        field holding the word (title 4, keywords 2, description 1), highest first; equal
        sums by id."""
        levels: dict[int, BitMap] = {0: matches}
        for tiers in words:
            seen, step = BitMap(), {}
            for tier, weight in TIERS.items():
                here = tiers[tier] - seen
                seen |= tiers[tier]
                for score, bits in levels.items():
                    part = bits & here
                    if part:
                        step[score + weight] = step.get(score + weight, BitMap()) | part
            levels = step
        for score in sorted(levels, reverse=True):
            yield from levels[score]

    def suggest(self, folded: str, limit: int) -> list[str]:
        """Suggestion entries starting with ``folded``, most documents first."""
        view = self._view("S:")
        start = _bisect(view, f"S:{folded}")
        found = []
        for key, bits in view[start:]:
            if not key.startswith(f"S:{folded}"):
                break
            found.append((-len(bits), key[2:]))
        return [entry for _count, entry in sorted(found)[:limit]]


def _bisect(view: list[tuple[str, BitMap]], key: str) -> int:
    low, high = 0, len(view)
    while low < high:
        middle = (low + high) // 2
        if view[middle][0] < key:
            low = middle + 1
        else:
            high = middle
    return low
