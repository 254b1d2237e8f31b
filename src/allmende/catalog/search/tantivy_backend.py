"""The in-process search engine: a tantivy index in a directory (``ALLMENDE_SEARCH_INDEX``).

Text fields are analysed by :mod:`.analysis` (folding, in Python) and then by tantivy
analyzers registered on the index: ``simple`` tokenizer, lowercase, ASCII folding and the
Snowball stemmer (``de`` for German fields, ``en`` for English ones). Facet values are
``raw`` text fast fields: filters are term-set queries, counts a terms aggregation over
the matching documents. Dates are epoch seconds and the bounding box four float columns,
all fast fields, so ranges, the map filter and sorting never read stored documents.

Several processes share the directory (see ADR 0006): tantivy allows one writer at a time
through a lock file; a write waits up to ``ALLMENDE_SEARCH_LOCK_WAIT`` seconds for it,
commits and lets the writer go at once. Every search first reloads the reader, so it sees
the last commit of any process.
"""

import logging
import threading
import time
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path

import tantivy

from . import analysis
from .base import FACETS, Backend, SearchDocument, SearchQuery, SearchResult
from .spatial import cells

logger = logging.getLogger(__name__)

#: Boosts per text field: a word in the title counts most, then keywords, then description.
BOOSTS = {"title": 4.0, "title_en": 4.0, "keywords": 2.0, "description": 1.0, "desc_en": 1.0}
_TEXT = {"title": "de", "title_en": "en", "keywords": "de", "description": "de", "desc_en": "en"}
_BOUNDS = ("west", "south", "east", "north")
_DATES = ("modified", "issued")
#: Bumped with every change of :func:`_schema` (2: grid cells for the map filter).
SCHEMA_VERSION = 2
#: Writer memory for small writes and for rebuilds.
_SMALL_HEAP, _LARGE_HEAP = 15_000_000, 200_000_000


def _schema() -> tantivy.Schema:
    builder = tantivy.SchemaBuilder()
    builder.add_integer_field("id", indexed=True, fast=True)
    builder.add_integer_field("published", indexed=True, fast=True)
    builder.add_integer_field("publisher_id", indexed=True, fast=True)
    for name, language in _TEXT.items():
        builder.add_text_field(name, tokenizer_name=language)
    for name in FACETS:
        builder.add_text_field(name, fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("title_sort", fast=True, tokenizer_name="raw", index_option="basic")
    builder.add_text_field("suggest", tokenizer_name="raw", index_option="basic")
    builder.add_text_field("cells", tokenizer_name="raw", index_option="basic")
    for name in _DATES:
        builder.add_integer_field(name, indexed=True, fast=True)
    for name in _BOUNDS:
        builder.add_float_field(name, indexed=True, fast=True)
    return builder.build()


def _analyzer(language: str) -> tantivy.TextAnalyzer:
    return (
        tantivy.TextAnalyzerBuilder(tantivy.Tokenizer.simple())
        .filter(tantivy.Filter.remove_long(60))
        .filter(tantivy.Filter.lowercase())
        .filter(tantivy.Filter.ascii_fold())
        .filter(tantivy.Filter.stemmer({"de": "german", "en": "english"}[language]))
        .build()
    )


def _seconds(value: datetime | None) -> int | None:
    return int(value.timestamp()) if value is not None else None


def to_tantivy(doc: SearchDocument) -> tantivy.Document:
    out = tantivy.Document()
    out.add_integer("id", doc.id)
    out.add_integer("published", int(doc.published))
    out.add_integer("publisher_id", doc.publisher_id)
    texts = {
        "title": doc.title,
        "title_en": doc.title_en,
        "keywords": " ".join(doc.keywords),
        "description": doc.description,
        "desc_en": doc.description_en,
    }
    for name, text in texts.items():
        if text:
            out.add_text(name, analysis.fold(text))
    for name in FACETS:
        for value in doc.facets.get(name, ()):
            out.add_text(name, value)
    out.add_text("title_sort", analysis.fold(doc.title)[:200])
    for entry in analysis.suggestion_terms([doc.title, *doc.keywords]) if doc.published else ():
        out.add_text("suggest", entry)
    for name in _DATES:
        if (seconds := _seconds(getattr(doc, name))) is not None:
            out.add_integer(name, seconds)
    for name, value in zip(_BOUNDS, doc.bbox or (), strict=False):
        out.add_float(name, value)
    for cell in cells(doc.bbox) if doc.bbox else ():
        out.add_text("cells", cell)
    return out


class TantivyBackend(Backend):
    """Search in a tantivy index on disk, shared by the processes of one machine."""

    name = "tantivy"

    def __init__(self, path: Path, *, lock_wait: float = 30.0) -> None:
        self.root = path
        # Each schema version has a folder of its own: a new version starts empty (run
        # `allmende catalog reindex`) instead of failing on the old index's schema.
        self.path = path / f"v{SCHEMA_VERSION}"
        self.path.mkdir(parents=True, exist_ok=True)
        self.schema = _schema()
        self.lock_wait = lock_wait
        self.ix = tantivy.Index(self.schema, str(self.path), reuse=True)
        for language in ("de", "en"):
            self.ix.register_tokenizer(language, _analyzer(language))
        self._lock = threading.Lock()

    # -- writing --------------------------------------------------------------------------

    def _write(self, work: Callable[[tantivy.IndexWriter], int], heap: int = _SMALL_HEAP) -> int:
        """Run ``work`` with the index writer and commit; waits for another process's lock."""
        with self._lock:
            writer = self._writer(heap)
            try:
                done = work(writer)
                writer.commit()
                writer.wait_merging_threads()
            except BaseException:
                writer.rollback()
                raise
            finally:
                del writer
            self.ix.reload()
            return done

    def _writer(self, heap: int) -> tantivy.IndexWriter:
        deadline = time.monotonic() + self.lock_wait
        pause = 0.02
        while True:
            try:
                return self.ix.writer(heap, 1)
            except ValueError as error:  # LockBusy: another process is writing
                if time.monotonic() >= deadline:
                    raise TimeoutError(f"search index {self.path} stays locked") from error
                time.sleep(pause)
                pause = min(pause * 2, 0.5)

    def index(self, docs: Iterable[SearchDocument]) -> int:
        def work(writer: tantivy.IndexWriter) -> int:
            count = 0
            for doc in docs:
                writer.delete_documents_by_term("id", doc.id)
                writer.add_document(to_tantivy(doc))
                count += 1
            return count

        small = isinstance(docs, (list, tuple)) and len(docs) < 1000
        return self._write(work, _SMALL_HEAP if small else _LARGE_HEAP)

    def replace_all(self, docs: Iterable[SearchDocument]) -> int:
        """Swap the whole index for ``docs`` in one commit: searches see the old index
        until the new one is complete."""

        def work(writer: tantivy.IndexWriter) -> int:
            writer.delete_all_documents()
            count = 0
            for doc in docs:
                writer.add_document(to_tantivy(doc))
                count += 1
            return count

        return self._write(work, _LARGE_HEAP)

    def delete(self, ids: Iterable[int]) -> None:
        def work(writer: tantivy.IndexWriter) -> int:
            for pk in ids:
                writer.delete_documents_by_term("id", pk)
            return 0

        self._write(work)

    def clear(self) -> None:
        self._write(lambda writer: writer.delete_all_documents() or 0)

    # -- reading --------------------------------------------------------------------------

    def _searcher(self) -> tantivy.Searcher:
        """A searcher on the last commit of any process: the reader's own reload on commit
        lags (a file watcher), reading meta.json again takes 0.1 ms."""
        self.ix.reload()
        return self.ix.searcher()

    def search(self, query: SearchQuery) -> SearchResult:
        from .tantivy_query import build_query, facet_counts, page

        searcher = self._searcher()
        built = build_query(self.ix, self.schema, query)
        total, ids = page(searcher, built, query)
        facets = {}
        if query.facet_fields:
            facets = facet_counts(searcher, self.schema, built, query, total)
        return SearchResult(total=total, ids=ids, facets=facets)

    def suggest(self, prefix: str, limit: int = 10) -> list[str]:
        folded = analysis.fold(prefix.strip())
        if not folded:
            return []
        terms = self._searcher().terms_with_prefix("suggest", folded, limit=limit)
        return [analysis.display(term) for term, _count in terms]
