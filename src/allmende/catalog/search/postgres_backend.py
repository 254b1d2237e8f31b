"""PostgreSQL search: compressed bitmaps kept in the database, answered in the process.

(ADR 0009.) Each document is filed under keys (:mod:`.postings`: word stems per field,
facet values, months, grid cells, visibility). The database holds

- ``catalog_search``: one row per document with its keys (joined by U+001F), facet values,
  dates and box (the truth that range edges, small facet counts and sorting read);
- ``catalog_search_postings``: a serialized roaring bitmap per key as of the *snapshot*
  generation;
- ``catalog_search_log``: what each later write changed (document, keys left, keys joined,
  its box and dates);
- ``catalog_search_state``: the current generation and a random token per write.

Every process keeps the bitmaps in memory. Before each search it reads the state row (one
indexed read); when the generation moved it applies the log entries since its own, or loads
the snapshot again when it cannot follow (a rollback, a rebuild, a compaction). Writes lock
the state row, so generations commit in order, and every write is seen by every process at
its next search. After :data:`COMPACT_AFTER` log entries a write folds them into the
snapshot. Stems come from PostgreSQL's ``german`` and ``english`` configurations.
"""

import heapq
import secrets
import threading
from collections.abc import Iterable
from itertools import islice

from django.db import connection, transaction
from pyroaring import BitMap

from . import analysis
from .base import FACETS, Backend, SearchDocument, SearchQuery, SearchResult
from .postings import COLUMNS, Postings, document_keys, document_values

TABLE = "catalog_search"
#: Log entries after which a write folds the log into the stored bitmaps.
COMPACT_AFTER = 20_000
#: Bitmaps read per statement when a process loads the index.
LOAD_KEYS = 50
#: Joins the keys of a document in its row (text: much faster to write than text[]).
SEPARATOR = "\x1f"
#: Up to this many matches in a title bucket, their titles are read and sorted here.
SORT_IN_PYTHON = 500
_COLUMNS = (
    "id, published, publisher_id, keys, title_sort, publisher, theme, keyword, format,"
    " license, quality, source, modified, issued, west, south, east, north"
)
_NAMES = [c.strip() for c in _COLUMNS.split(",")]
_UPSERT = (
    f"INSERT INTO {TABLE} ({_COLUMNS}) VALUES ({', '.join(['%s'] * len(_NAMES))})"  # noqa: S608
    " ON CONFLICT (id) DO UPDATE SET " + ", ".join(f"{c} = EXCLUDED.{c}" for c in _NAMES[1:])
)
_STEMS = (
    "SELECT tsvector_to_array(to_tsvector('german', a) || to_tsvector('english', b)),"
    " tsvector_to_array(to_tsvector('german', c)),"
    " tsvector_to_array(to_tsvector('german', d) || to_tsvector('english', e))"
    " FROM unnest(%s::text[], %s::text[], %s::text[], %s::text[], %s::text[])"
    " WITH ORDINALITY AS x(a, b, c, d, e, n) ORDER BY n"
)
_STATE = "SELECT generation, token, snapshot, snapshot_token, floor FROM catalog_search_state"


def _row(doc: SearchDocument, keys: set[str]) -> tuple:
    return (
        doc.id,
        doc.published,
        doc.publisher_id,
        SEPARATOR.join(sorted(keys)),
        analysis.fold(doc.title)[:200],
        *(doc.facets.get(name, []) for name in FACETS),
        doc.modified,
        doc.issued,
        *(doc.bbox or (None, None, None, None)),
    )


def _keys(cursor, docs: list[SearchDocument]) -> list[set[str]]:
    """The keys of each document, stems from PostgreSQL's text configurations."""
    fold = analysis.fold
    columns = [
        [fold(d.title) for d in docs],
        [fold(d.title_en) for d in docs],
        [fold(" ".join(d.keywords)) for d in docs],
        [fold(d.description) for d in docs],
        [fold(d.description_en) for d in docs],
    ]
    cursor.execute(_STEMS, columns)
    return [document_keys(d, stems) for d, stems in zip(docs, cursor.fetchall(), strict=True)]


def _ids(bits: BitMap) -> str:
    """Ids as an array literal (psycopg adapts a long list of ints far more slowly)."""
    return "{" + ",".join(map(str, bits)) + "}"


def _facet(name: str) -> str:
    if name not in FACETS:
        raise ValueError(f"unknown facet {name!r}")
    return name


class PostgresBackend(Backend):
    """Search in the database's bitmaps, held and combined in this process."""

    name = "postgres"

    def __init__(self) -> None:
        self.postings = Postings()
        self.seen: tuple[int, str] | None = None  # (generation, token) of self.postings
        self._lock = threading.Lock()
        self._stems: dict[str, list[str]] = {}

    # -- following the writes ---------------------------------------------------------------

    def fresh(self, cursor) -> Postings:
        """The bitmaps as of the last committed write (and this transaction's own)."""
        cursor.execute(_STATE)
        generation, token, snapshot, snapshot_token, floor = cursor.fetchone()
        with self._lock:
            if self.seen != (generation, token):
                if not self._can_follow(cursor, generation, snapshot, snapshot_token, floor):
                    self._load(cursor)
                self._follow(cursor, generation)
                self.seen = (generation, token)
        return self.postings

    def _can_follow(self, cursor, generation, snapshot, snapshot_token, floor) -> bool:
        if self.seen is None or not floor <= self.seen[0] <= generation:
            return False
        mine, token = self.seen
        if mine == snapshot:
            return token == snapshot_token
        cursor.execute("SELECT token FROM catalog_search_log WHERE generation = %s LIMIT 1", [mine])
        row = cursor.fetchone()
        return row is not None and row[0] == token

    def _load(self, cursor) -> None:
        """Load the stored bitmaps a few keys at a time (a large result would be held
        twice, by libpq and by Python, for a moment); again if a compaction came between."""
        while True:
            cursor.execute("SELECT snapshot, snapshot_token FROM catalog_search_state")
            seen = cursor.fetchone()
            postings, last = Postings(), ""
            while True:
                cursor.execute(
                    "SELECT key, bits FROM catalog_search_postings WHERE key > %s"
                    " ORDER BY key LIMIT %s",
                    [last, LOAD_KEYS],
                )
                rows = cursor.fetchall()
                for key, bits in rows:
                    postings.load(key, bits)
                if len(rows) < LOAD_KEYS:
                    break
                last = rows[-1][0]
            cursor.execute("SELECT snapshot, snapshot_token FROM catalog_search_state")
            if cursor.fetchone() == seen:
                self.postings, self.seen = postings, tuple(seen)
                return

    def _follow(self, cursor, generation: int) -> None:
        assert self.seen is not None
        cursor.execute(
            "SELECT id, removed, added, columns FROM catalog_search_log"
            " WHERE generation > %s AND generation <= %s ORDER BY seq",
            [self.seen[0], generation],
        )
        for pk, removed, added, values in cursor.fetchall():
            self.postings.apply(pk, removed, added, values)

    # -- writing ----------------------------------------------------------------------------

    def _lock_state(self, cursor) -> tuple[int, int]:
        cursor.execute("SELECT generation, snapshot FROM catalog_search_state FOR UPDATE")
        return cursor.fetchone()

    def _bump(self, cursor, generation: int, *, snapshot: bool = False) -> str:
        token = secrets.token_hex(8)
        cursor.execute(
            "UPDATE catalog_search_state SET generation = %s, token = %s",
            [generation, token],
        )
        if snapshot:
            cursor.execute(
                "UPDATE catalog_search_state SET snapshot = generation, snapshot_token = token,"
                " floor = generation, pending = 0"
            )
        return token

    def index(self, docs: Iterable[SearchDocument]) -> int:
        count, docs, token = 0, iter(docs), ""
        with transaction.atomic(), connection.cursor() as cursor:
            generation = self._lock_state(cursor)[0] + 1
            while batch := list({d.id: d for d in islice(docs, 1000)}.values()):
                token = token or self._bump(cursor, generation)
                cursor.execute(
                    f"SELECT id, keys FROM {TABLE} WHERE id = ANY(%s)",  # noqa: S608
                    [[d.id for d in batch]],
                )
                old = {pk: set(keys.split(SEPARATOR)) for pk, keys in cursor.fetchall()}
                new = _keys(cursor, batch)
                cursor.executemany(_UPSERT, [_row(d, k) for d, k in zip(batch, new, strict=True)])
                changes = [
                    (d.id, old.get(d.id, set()), k, document_values(d))
                    for d, k in zip(batch, new, strict=True)
                ]
                self._log(cursor, generation, token, changes)
                count += len(batch)
            if token:
                self._compact_if_due(cursor)
        return count

    def delete(self, ids: Iterable[int]) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            generation = self._lock_state(cursor)[0] + 1
            cursor.execute(
                f"DELETE FROM {TABLE} WHERE id = ANY(%s) RETURNING id, keys",  # noqa: S608
                [list(ids)],
            )
            gone = [(pk, set(keys.split(SEPARATOR)), set(), None) for pk, keys in cursor.fetchall()]
            if gone:
                self._log(cursor, generation, self._bump(cursor, generation), gone)

    def _log(self, cursor, generation: int, token: str, changes: list) -> None:
        cursor.executemany(
            "INSERT INTO catalog_search_log (generation, token, id, removed, added, columns)"
            " VALUES (%s, %s, %s, %s, %s, %s)",
            [
                (generation, token, pk, sorted(old - new), sorted(new - old), values)
                for pk, old, new, values in changes
            ],
        )
        cursor.execute("UPDATE catalog_search_state SET pending = pending + %s", [len(changes)])

    def _compact_if_due(self, cursor) -> None:
        """Fold the log into the stored bitmaps once it is long (state row locked)."""
        cursor.execute("SELECT pending, snapshot FROM catalog_search_state")
        pending, snapshot = cursor.fetchone()
        if pending < COMPACT_AFTER:
            return
        postings = self.fresh(cursor)
        cursor.execute(
            "SELECT DISTINCT unnest(removed || added) FROM catalog_search_log"
            " WHERE generation > %s",
            [snapshot],
        )
        keys = [key for (key,) in cursor.fetchall()]
        self._store(cursor, postings, [*keys, *(f"#{name}" for name in COLUMNS)])
        cursor.execute("DELETE FROM catalog_search_log WHERE generation <= %s", [snapshot])
        cursor.execute(
            "UPDATE catalog_search_state SET snapshot = generation, snapshot_token = token,"
            " floor = %s, pending = 0",
            [snapshot],
        )

    def _store(self, cursor, postings: Postings, keys: Iterable[str]) -> None:
        keys = list(keys)
        cursor.execute("DELETE FROM catalog_search_postings WHERE key = ANY(%s)", [keys])
        with cursor.cursor.copy("COPY catalog_search_postings (key, bits) FROM STDIN") as copy:
            for key in keys:
                if (data := postings.dump(key)) is not None:
                    copy.write_row((key, data))

    def clear(self) -> None:
        with transaction.atomic(), connection.cursor() as cursor:
            generation = self._lock_state(cursor)[0] + 1
            cursor.execute(f"TRUNCATE {TABLE}, catalog_search_postings, catalog_search_log")
            self._bump(cursor, generation, snapshot=True)

    def replace_all(self, docs: Iterable[SearchDocument]) -> int:
        """Rebuild in one transaction: searches see the old index until it commits."""
        postings, count, docs = Postings(), 0, iter(docs)
        with transaction.atomic(), connection.cursor() as cursor:
            generation = self._lock_state(cursor)[0] + 1
            cursor.execute(f"TRUNCATE {TABLE}, catalog_search_postings, catalog_search_log")
            while batch := list({d.id: d for d in islice(docs, 2000)}.values()):
                keys = _keys(cursor, batch)
                with cursor.cursor.copy(f"COPY {TABLE} ({_COLUMNS}) FROM STDIN") as copy:
                    for doc, found in zip(batch, keys, strict=True):
                        copy.write_row(_row(doc, found))
                postings.add_many(
                    (d.id, k, document_values(d)) for d, k in zip(batch, keys, strict=True)
                )
                count += len(batch)
            self._store(cursor, postings, [*postings.bits, *(f"#{name}" for name in COLUMNS)])
            token = self._bump(cursor, generation, snapshot=True)
            cursor.execute(f"ANALYZE {TABLE}")
        with self._lock:  # this process need not load what it built (a rollback reloads)
            self.postings, self.seen = postings, (generation, token)
        return count

    # -- reading ----------------------------------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        names = [_facet(name) for name in query.facet_fields]
        for name in [*query.filters, *query.exclude]:
            _facet(name)
        with connection.cursor() as cursor:
            postings = self.fresh(cursor)
            words = [postings.word(stems) for stems in self._query_stems(cursor, query.text)]
            matches = postings.get("*").copy()
            for tiers in words:
                matches &= BitMap.union(*tiers.values())
            matches = postings.restrict(query, matches)
            if query.ids is not None:  # conditions only the database answers
                matches &= BitMap(query.ids)
            if query.exclude_ids:
                matches -= BitMap(query.exclude_ids)
            matches = postings.in_ranges(query, matches)
            ids = self._page(cursor, postings, query, words, matches)
            facets = self._facets(cursor, postings, names, query.facet_limit, matches)
        return SearchResult(total=len(matches), ids=ids, facets=facets)

    def _query_stems(self, cursor, text: str) -> list[list[str]]:
        """The German and English stems of each query word (words both configurations drop
        as stop words are left out)."""
        words = analysis.words(text)
        unknown = [word for word in dict.fromkeys(words) if word not in self._stems]
        if unknown:
            cursor.execute(
                "SELECT w, tsvector_to_array(to_tsvector('german', w))"
                " || tsvector_to_array(to_tsvector('english', w)) FROM unnest(%s::text[]) AS w",
                [unknown],
            )
            if len(self._stems) > 50_000:
                self._stems.clear()
            self._stems.update((word, sorted(set(stems))) for word, stems in cursor.fetchall())
        return [self._stems[word] for word in words if self._stems[word]]

    def _page(self, cursor, postings: Postings, query: SearchQuery, words, matches) -> list[int]:
        end = query.offset + query.limit
        if query.limit <= 0 or not matches:
            return []
        if words and query.sort == "relevance":
            return list(islice(postings.ranked(words, matches), query.offset, end))
        sort = "title" if query.sort == "relevance" else query.sort
        parts = postings.in_order(matches, *(("T:", False) if sort == "title" else ("M:", True)))
        page: list[int] = []
        seen = 0
        for start, part, bucket in parts:  # whole buckets before the page stay unsorted
            if seen + len(part) > query.offset:
                skip = max(0, query.offset - seen)
                need = skip + query.limit - len(page)
                page += self._order(cursor, postings, sort, (start, part, bucket), need)[skip:]
                if len(page) >= query.limit:
                    break
            seen += len(part)
        return page[: query.limit]

    def _order(self, cursor, postings: Postings, sort: str, bucket, need: int) -> list[int]:
        """The first ``need`` matches of one bucket in sort order: newest modified first,
        or by folded title (code point order); then by id."""
        start, part, everything = bucket
        if sort == "modified":
            column = postings.columns["modified"]
            return heapq.nsmallest(need, part, key=lambda pk: (-column[pk], pk))
        if len(part) <= SORT_IN_PYTHON or not start:
            sql = f"SELECT id, title_sort FROM {TABLE} WHERE id = ANY(%s::bigint[])"  # noqa: S608
            cursor.execute(sql, [_ids(part)])
            rows = sorted(cursor.fetchall(), key=lambda row: (row[1], row[0]))
            return [pk for pk, _title in rows[:need]]
        # Many matches in the bucket: walk the title index from its start, keeping matches.
        found: list[int] = []
        scanned, step = 0, max(100, 2 * need * len(everything) // len(part))
        while len(found) < need:
            cursor.execute(
                f'SELECT id FROM {TABLE} WHERE title_sort COLLATE "C" >= %s'  # noqa: S608
                ' ORDER BY title_sort COLLATE "C", id LIMIT %s OFFSET %s',
                [start, step, scanned],
            )
            rows = cursor.fetchall()
            found += [pk for (pk,) in rows if pk in part]
            if len(rows) < step or scanned + step >= len(everything):
                break
            scanned, step = scanned + step, step * 4
        return found[:need]

    def _facets(self, cursor, postings: Postings, names: list[str], limit: int, matches: BitMap):
        """The ``limit`` most frequent values per facet among the matches, exactly."""
        if limit <= 0 or not matches:
            return {name: [] for name in names}
        # Counting by bitmaps costs about a microsecond per value tried, by SQL about ten
        # per match.
        values = sum(postings.facet_size(name) for name in names)
        if values < 10 * len(matches) + 1000:
            return {name: postings.facet_counts(matches, name, limit) for name in names}
        counted: dict[str, list[tuple[str, int]]] = {name: [] for name in names}
        if names:  # names are checked against FACETS
            pairs = ", ".join(f"('{name}', {name})" for name in names)
            cursor.execute(
                f"SELECT f, v, count(*) FROM {TABLE}, LATERAL (VALUES {pairs}) AS x(f, vals),"  # noqa: S608
                " unnest(x.vals) AS v WHERE id = ANY(%s::bigint[]) GROUP BY f, v",
                [_ids(matches)],
            )
            for name, value, count in cursor.fetchall():
                counted[name].append((value, count))
        return {
            name: sorted(pairs, key=lambda pair: (-pair[1], pair[0]))[:limit]
            for name, pairs in counted.items()
        }

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        folded = analysis.fold(prefix.strip())
        if not folded:
            return []
        with connection.cursor() as cursor:
            entries = self.fresh(cursor).suggest(folded, limit)
        return [analysis.display(entry) for entry in entries]
