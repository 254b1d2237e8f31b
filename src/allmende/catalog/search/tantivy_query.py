"""Turn a :class:`SearchQuery` into tantivy queries, and read pages and facet counts."""

import heapq
from collections.abc import Iterator

import tantivy

from . import analysis
from .base import FACETS, BBox, SearchQuery
from .spatial import box_cells

Occur = tantivy.Occur
Query = tantivy.Query
_TEXT_FIELDS = ["title", "title_en", "keywords", "description", "desc_en"]


def build_query(ix: tantivy.Index, schema: tantivy.Schema, query: SearchQuery) -> tantivy.Query:
    """One boolean query: text (every word in some field, boosted), filters, ranges,
    bounding box and visibility."""
    from .tantivy_backend import BOOSTS

    clauses: list[tuple[tantivy.Occur, tantivy.Query]] = []
    words = analysis.words(query.text)
    if words:
        text = ix.parse_query(" ".join(words), _TEXT_FIELDS, BOOSTS, conjunction_by_default=True)
        clauses.append((Occur.Must, text))
    else:
        clauses.append((Occur.Must, Query.all_query()))
    for name, values in query.filters.items():
        if values:
            clauses.append((Occur.Must, Query.term_set_query(schema, _facet(name), values)))
    for name, values in query.exclude.items():
        if values:
            clauses.append((Occur.MustNot, Query.term_set_query(schema, _facet(name), values)))
    clauses += [(Occur.Must, q) for q in _ranges(schema, query)]
    if query.ids is not None:
        clauses.append((Occur.Must, Query.term_set_query(schema, "id", list(query.ids))))
    if query.exclude_ids:
        clauses.append((Occur.MustNot, Query.term_set_query(schema, "id", list(query.exclude_ids))))
    if not query.all_drafts:
        clauses.append((Occur.Must, _visibility(schema, query.draft_publishers)))
    return Query.boolean_query(clauses)


def _facet(name: str) -> str:
    if name not in FACETS:
        raise ValueError(f"unknown facet {name!r}")
    return name


def _ranges(schema: tantivy.Schema, query: SearchQuery) -> list[tantivy.Query]:
    out = []
    for name in ("modified", "issued"):
        low, high = getattr(query, f"{name}_from"), getattr(query, f"{name}_until")
        if low is not None or high is not None:
            out.append(
                Query.range_query(
                    schema,
                    name,
                    tantivy.FieldType.Integer,
                    int(low.timestamp()) if low else None,
                    int(high.timestamp()) if high else None,
                )
            )
    if query.bbox:
        out.append(_box(schema, tuple(float(v) for v in query.bbox)))  # type: ignore[arg-type]
    return out


def _box(schema: tantivy.Schema, box: BBox) -> tantivy.Query:
    """Boxes meeting ``box``: those in grid cells inside it, and those in cells on its edge
    whose coordinates meet it (range queries over all documents are slow)."""
    west, south, east, north = box
    bounds = {"west": (None, east), "east": (west, None)}
    bounds |= {"south": (None, north), "north": (south, None)}
    exact = [
        (Occur.Must, Query.range_query(schema, name, tantivy.FieldType.Float, low, high))
        for name, (low, high) in bounds.items()
    ]
    grid = box_cells(box)
    if grid is None:
        return Query.boolean_query(exact)
    sure, edge = grid
    on_edge = Query.boolean_query(
        [(Occur.Must, Query.term_set_query(schema, "cells", edge)), *exact]
    )
    if not sure:
        return on_edge
    inside = Query.term_set_query(schema, "cells", sure)
    return Query.boolean_query([(Occur.Should, inside), (Occur.Should, on_edge)])


def _visibility(schema: tantivy.Schema, publishers: tuple[int, ...]) -> tantivy.Query:
    published = Query.term_query(schema, "published", 1)
    if not publishers:
        return published
    own = Query.term_set_query(schema, "publisher_id", list(publishers))
    return Query.boolean_query([(Occur.Should, published), (Occur.Should, own)])


def page(
    searcher: tantivy.Searcher, built: tantivy.Query, query: SearchQuery
) -> tuple[int, list[int]]:
    """The number of matches and the ids of the requested page, in order."""
    if query.limit <= 0:
        return searcher.search(built, 1, count=True).count, []
    sort = query.sort
    if sort == "relevance" and not analysis.words(query.text):
        sort = "title"
    options: dict = {}
    if sort == "title":
        options = {"order_by_field": "title_sort", "order": tantivy.Order.Asc}
    elif sort == "modified":
        options = {"order_by_field": "modified", "order": tantivy.Order.Desc}
    result = searcher.search(built, query.limit, count=True, offset=query.offset, **options)
    ids = searcher.fast_field_values("id", [address for _key, address in result.hits])
    return result.count, list(ids)


def facet_counts(
    searcher: tantivy.Searcher,
    schema: tantivy.Schema,
    built: tantivy.Query,
    query: SearchQuery,
    total: int,
) -> dict[str, list[tuple[str, int]]]:
    """The most frequent values of each requested facet among the ``total`` matches.

    Counting reads every value of every match, so when most documents match, the values of
    those that do not are counted instead and subtracted from each value's count in the
    whole index (:func:`_by_complement`)."""
    if 2 * total > searcher.num_docs and query.facet_limit > 0:
        return _by_complement(searcher, schema, built, query)
    size = query.facet_limit
    spec = {
        name: {"terms": {"field": _facet(name), "size": size, "segment_size": max(size * 20, 2000)}}
        for name in query.facet_fields
    }
    answer = searcher.aggregate(built, spec)
    return {name: _pairs(answer, name) for name in query.facet_fields}


def _pairs(answer: dict, name: str) -> list[tuple[str, int]]:
    buckets = answer.get(name, {}).get("buckets", [])
    pairs = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def _by_complement(
    searcher: tantivy.Searcher, schema: tantivy.Schema, built: tantivy.Query, query: SearchQuery
) -> dict[str, list[tuple[str, int]]]:
    """Exact counts as (documents with the value) - (non-matching documents with it).

    Values are tried in the order of their document frequency, which bounds their count
    among the matches, and the search stops once no further value can enter the top
    ``facet_limit``. Document frequencies count deleted documents until tantivy merges
    their segments: then each value tried is counted by a term query instead."""
    others = Query.boolean_query([(Occur.Must, Query.all_query()), (Occur.MustNot, built)])
    every = {"size": 1_000_000, "segment_size": 1_000_000}
    spec = {name: {"terms": {"field": _facet(name), **every}} for name in query.facet_fields}
    outside = searcher.aggregate(others, spec)
    stored = sum(searcher.doc_freq("published", flag) for flag in (0, 1))
    exact = stored == searcher.num_docs  # no deleted documents
    out = {}
    for name in query.facet_fields:
        missing = dict(_pairs(outside, name))
        best: list[int] = []  # the counts of the top facet_limit so far (a min-heap)
        found: list[tuple[str, int]] = []
        for value, frequency in _by_frequency(searcher, name, query.facet_limit):
            if len(best) >= query.facet_limit and frequency < best[0]:
                break
            if not exact:
                term = Query.term_query(schema, name, value)
                frequency = searcher.search(term, 1, count=True).count
            if count := frequency - missing.get(value, 0):
                found.append((value, count))
                heapq.heappush(best, count)
                if len(best) > query.facet_limit:
                    heapq.heappop(best)
        found.sort(key=lambda pair: (-pair[1], pair[0]))
        out[name] = found[: query.facet_limit]
    return out


def _by_frequency(searcher: tantivy.Searcher, name: str, limit: int) -> Iterator[tuple[str, int]]:
    """The values of a facet with their document frequencies, most frequent first."""
    done, size = 0, 4 * limit + 16
    while True:
        terms = searcher.terms_with_prefix(name, "", limit=size)
        yield from terms[done:]
        if len(terms) < size:
            return
        done, size = size, size * 8
