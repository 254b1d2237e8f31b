"""Turn a :class:`SearchQuery` into tantivy queries, and read pages and facet counts."""

import tantivy

from . import analysis
from .base import FACETS, SearchQuery

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
        west, south, east, north = (float(v) for v in query.bbox)
        bounds = {"west": (None, east), "east": (west, None)}
        bounds |= {"south": (None, north), "north": (south, None)}
        out += [
            Query.range_query(schema, name, tantivy.FieldType.Float, low, high)
            for name, (low, high) in bounds.items()
        ]
    return out


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
    searcher: tantivy.Searcher, built: tantivy.Query, query: SearchQuery
) -> dict[str, list[tuple[str, int]]]:
    """The most frequent values of each requested facet among the matches."""
    size = query.facet_limit
    spec = {
        name: {"terms": {"field": _facet(name), "size": size, "segment_size": max(size * 20, 2000)}}
        for name in query.facet_fields
    }
    answer = searcher.aggregate(built, spec)
    out = {}
    for name in query.facet_fields:
        buckets = answer.get(name, {}).get("buckets", [])
        pairs = [(str(b["key"]), int(b["doc_count"])) for b in buckets]
        out[name] = sorted(pairs, key=lambda pair: (-pair[1], pair[0]))
    return out
