"""PostgreSQL full-text search over the table ``catalog_search`` (migration 0006_search).

One row per dataset: a weighted ``tsvector`` (A: title, B: keywords, C: description; German
text with the ``german`` configuration, English title and description with ``english``),
built from text folded in Python (:mod:`.analysis`; the unaccent extension is not needed),
with a GIN index. Every facet is a ``text[]`` column with a GIN index: filters are array
overlaps (``&&``), counts one aggregation of the (facet, value) pairs of the matching
rows. Dates and the bounding box are plain indexed columns. Relevance is
``ts_rank_cd`` with PostgreSQL's default weights (A 1.0, B 0.4, C 0.2).
"""

from collections.abc import Iterable
from itertools import islice

from django.db import connection, transaction

from . import analysis
from .base import FACETS, Backend, SearchDocument, SearchQuery, SearchResult

TABLE = "catalog_search"
_COLUMNS = (
    "id, published, publisher_id, document, title_sort, publisher, theme, keyword, format,"
    " license, quality, source, suggest, modified, issued, west, south, east, north"
)
_DOCUMENT = (
    "setweight(to_tsvector('german', %s), 'A') || setweight(to_tsvector('english', %s), 'A')"
    " || setweight(to_tsvector('german', %s), 'B') || setweight(to_tsvector('german', %s), 'C')"
    " || setweight(to_tsvector('english', %s), 'C')"
)
_INSERT = (
    f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES (%s, %s, %s, {_DOCUMENT},"  # noqa: S608 (constants)
    " %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)"
    " ON CONFLICT (id) DO UPDATE SET "
    + ", ".join(f"{c} = EXCLUDED.{c}" for c in _COLUMNS.replace(" ", "").split(",")[1:])
)
_ORDER = {
    "relevance": "ts_rank_cd(document, q) DESC, id",
    "title": "title_sort, id",
    "modified": "modified DESC NULLS LAST, id",
}


def _row(doc: SearchDocument) -> tuple:
    fold = analysis.fold
    texts = (doc.title, doc.title_en, " ".join(doc.keywords), doc.description)
    suggest = analysis.suggestion_terms([doc.title, *doc.keywords]) if doc.published else []
    return (
        doc.id,
        doc.published,
        doc.publisher_id,
        *(fold(text) for text in texts),
        fold(doc.description_en),
        fold(doc.title)[:200],
        *(doc.facets.get(name, []) for name in FACETS),
        suggest,
        doc.modified,
        doc.issued,
        *(doc.bbox or (None, None, None, None)),
    )


def _where(query: SearchQuery) -> tuple[str, str, list]:
    """The text query expression, the WHERE clause and their parameters."""
    words = analysis.words(query.text)
    params: list = [word for word in words for _language in (1, 2)]
    parts = ["(plainto_tsquery('german', %s) || plainto_tsquery('english', %s))"] * len(words)
    tsquery = " && ".join(parts) if words else "NULL::tsquery"
    where = ["document @@ q"] if words else []
    _filters(query, where, params)
    for name in ("modified", "issued"):
        for suffix, op in (("from", ">="), ("until", "<=")):
            if (value := getattr(query, f"{name}_{suffix}")) is not None:
                where.append(f"{name} {op} %s")
                params.append(value)
    if query.bbox:
        west, south, east, north = (float(v) for v in query.bbox)
        where.append("west <= %s AND east >= %s AND south <= %s AND north >= %s")
        params += [east, west, north, south]
    if query.ids is not None:
        where.append("id = ANY(%s)")
        params.append(list(query.ids))
    if query.exclude_ids:
        where.append("NOT (id = ANY(%s))")
        params.append(list(query.exclude_ids))
    if not query.all_drafts:
        where.append("(published OR publisher_id = ANY(%s))")
        params.append(list(query.draft_publishers))
    return tsquery, " AND ".join(where) or "TRUE", params


def _filters(query: SearchQuery, where: list[str], params: list) -> None:
    """Facet filters (any of the values) and exclusions (none of them)."""
    for template, chosen in (
        ("{} && %s::text[]", query.filters),
        ("NOT ({} && %s::text[])", query.exclude),
    ):
        for name, values in chosen.items():
            if values:
                where.append(template.format(_facet(name)))
                params.append(list(values))


def _facet(name: str) -> str:
    if name not in FACETS:
        raise ValueError(f"unknown facet {name!r}")
    return name


class PostgresBackend(Backend):
    """Search in the database itself (PostgreSQL only)."""

    name = "postgres"

    def index(self, docs: Iterable[SearchDocument]) -> int:
        count = 0
        docs = iter(docs)
        with connection.cursor() as cursor:
            while batch := list(islice(docs, 1000)):
                cursor.executemany(_INSERT, [_row(doc) for doc in batch])
                count += len(batch)
        return count

    def replace_all(self, docs: Iterable[SearchDocument]) -> int:
        """Rebuild in one transaction: searches see the old rows until it commits."""
        with transaction.atomic():
            with connection.cursor() as cursor:
                cursor.execute("DELETE FROM catalog_search")
            return self.index(docs)

    def delete(self, ids: Iterable[int]) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM catalog_search WHERE id = ANY(%s)", [list(ids)])

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute("TRUNCATE catalog_search")

    def search(self, query: SearchQuery) -> SearchResult:
        tsquery, where, params = _where(query)
        source = f"{TABLE}, (SELECT {tsquery} AS q) AS query"
        sort = query.sort if analysis.words(query.text) or query.sort != "relevance" else "title"
        with connection.cursor() as cursor:
            ids: list[int] = []
            if query.limit > 0:
                cursor.execute(
                    f"SELECT id FROM {source} WHERE {where} ORDER BY {_ORDER[sort]}"  # noqa: S608
                    " LIMIT %s OFFSET %s",
                    [*params, query.limit, query.offset],
                )
                ids = [row[0] for row in cursor.fetchall()]
            total, facets = self._counts(cursor, source, where, params, query)
        return SearchResult(total=total, ids=ids, facets=facets)

    def _counts(
        self, cursor, source: str, where: str, params: list, query: SearchQuery
    ) -> tuple[int, dict]:
        """The number of matches and the facet counts: one scan of the matching rows,
        one aggregation over (facet, value) pairs; the facet "" with value "" counts the
        rows themselves."""
        names = [_facet(name) for name in query.facet_fields]
        # names are checked against FACETS
        pairs = ", ".join(["('', ARRAY['']::text[])", *(f"('{n}', {n})" for n in names)])
        cursor.execute(
            "SELECT f, v, c FROM (SELECT f, v, count(*) AS c, row_number() OVER"  # noqa: S608
            " (PARTITION BY f ORDER BY count(*) DESC, v) AS rn"
            f" FROM {source}, LATERAL (VALUES {pairs}) AS x(f, vals), unnest(x.vals) AS v"
            f" WHERE {where}"
            " GROUP BY f, v) AS counted WHERE rn <= %s",
            [*params, max(query.facet_limit, 1)],
        )
        total, facets = 0, {name: [] for name in names}
        for name, value, count in cursor.fetchall():
            if not name:
                total = count
            elif query.facet_limit > 0:
                facets[name].append((value, count))
        for values in facets.values():
            values.sort(key=lambda pair: (-pair[1], pair[0]))
        return total, facets

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        folded = analysis.fold(prefix.strip())
        if not folded:
            return []
        pattern = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT e, count(*) AS c FROM catalog_search, unnest(suggest) AS e"
                " WHERE published AND e LIKE %s GROUP BY e ORDER BY c DESC, e LIMIT %s",
                [pattern, limit],
            )
            return [analysis.display(entry) for entry, _count in cursor.fetchall()]
