"""Search over the catalogue: one interface (:mod:`.base`), two engines.

- :mod:`.tantivy_backend`: an in-process index on disk, the embedded default;
- :mod:`.postgres_backend`: PostgreSQL full-text search in the database itself.

``ALLMENDE_SEARCH_BACKEND`` picks one ("auto": PostgreSQL when the database is, else
tantivy). The index follows every write through the catalog signals (:mod:`.receivers`)
and is rebuilt by ``allmende catalog reindex``. See the "Search" section of
docs/catalog.md and ADR 0006.
"""

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

from django.conf import settings
from django.db import connection

from .base import Backend, SearchDocument, SearchQuery, SearchResult

__all__ = [
    "Backend",
    "SearchDocument",
    "SearchQuery",
    "SearchResult",
    "get_backend",
    "index_datasets",
    "rebuild",
    "remove_datasets",
]

logger = logging.getLogger(__name__)
_backends: dict[tuple, Backend] = {}


def backend_name() -> str:
    """The backend the settings and the database ask for: "postgres" or "tantivy"."""
    wanted = settings.ALLMENDE_SEARCH_BACKEND
    if wanted == "auto":
        return "postgres" if connection.vendor == "postgresql" else "tantivy"
    if wanted not in ("postgres", "tantivy"):
        raise ValueError(f"ALLMENDE_SEARCH_BACKEND={wanted!r}: use auto, postgres or tantivy")
    if wanted == "postgres" and connection.vendor != "postgresql":
        raise ValueError("the postgres search backend needs a PostgreSQL database")
    return wanted


def get_backend(name: str | None = None) -> Backend:
    """The search backend of this process (one instance per backend and index path)."""
    name = name or backend_name()
    key = (name, str(settings.ALLMENDE_SEARCH_INDEX))
    if key not in _backends:
        if name == "postgres":
            from .postgres_backend import PostgresBackend

            _backends[key] = PostgresBackend()
        else:
            from .tantivy_backend import TantivyBackend

            path = Path(settings.ALLMENDE_SEARCH_INDEX)
            _backends[key] = TantivyBackend(path, lock_wait=settings.ALLMENDE_SEARCH_LOCK_WAIT)
    return _backends[key]


def reset_backends() -> None:
    """Forget the backends made so far (tests changing settings)."""
    _backends.clear()


def index_datasets(pks: Iterable[int], backend: Backend | None = None) -> int:
    """(Re)index these datasets from their rows; ids without a row are removed."""
    from .documents import document_for, rows

    pks = set(pks)
    if not pks:
        return 0
    backend = backend or get_backend()
    docs = [document_for(dataset) for dataset in rows(pks)]
    gone = pks - {doc.id for doc in docs}
    if gone:
        backend.delete(gone)
    return backend.index(docs) if docs else 0


def remove_datasets(pks: Iterable[int], backend: Backend | None = None) -> None:
    """Remove these datasets from the index."""
    pks = list(pks)
    if pks:
        (backend or get_backend()).delete(pks)


def rebuild(
    backend: Backend | None = None, progress: Callable[[int, int], None] | None = None
) -> int:
    """Index every dataset anew; ``progress(done, total)`` is called as it goes."""
    from ..models import Dataset
    from .documents import document_for, rows

    backend = backend or get_backend()
    total = Dataset.objects.count()

    def docs() -> Iterable[SearchDocument]:
        for done, dataset in enumerate(rows(), start=1):
            yield document_for(dataset)
            if progress and (done % 1000 == 0 or done == total):
                progress(done, total)

    return backend.replace_all(docs())
