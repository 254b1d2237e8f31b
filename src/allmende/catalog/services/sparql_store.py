"""Keep the SPARQL store in step with the published catalogue.

The store is derived data (ADR 5): each published entry's canonical graph in a named
graph of its own (the entry's IRI), the catalogue node in the graph named by the
catalogue's IRI, and the union of all of them in the default graph. Signal receivers
apply each change after commit; ``rebuild_store`` builds it from scratch.
"""

import atexit
import logging
import shutil
import threading
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from pyoxigraph import NamedNode, Store, Triple

from ..dcat.canon import parse_ntriples
from ..dcat.page import KIND_LINKS
from ..models import Dataset
from ..selectors import catalog_info
from ..sparql import store as sparql_store

logger = logging.getLogger(__name__)
BATCH = 1000


def store_directory() -> Path:
    return Path(settings.ALLMENDE_SPARQL_STORE)


def _entry_triples(catalog_iri: str, iri: str, kind: str, graph: str) -> list[Triple]:
    link = Triple(NamedNode(catalog_iri), KIND_LINKS[kind], NamedNode(iri))
    return [link, *parse_ntriples(graph)]


def _put_catalog(store: Store) -> str:
    info = catalog_info()
    sparql_store.put_graph(store, info.iri, info.triples())
    return info.iri


def _sync(store: Store, pks: list[int]) -> None:
    catalog_iri = _put_catalog(store)
    for start in range(0, len(pks), BATCH):
        rows = Dataset.objects.filter(pk__in=pks[start : start + BATCH]).values_list(
            "iri", "kind", "status", "graph"
        )
        for iri, kind, status, graph in rows:
            if status == Dataset.Status.PUBLISHED:
                sparql_store.put_graph(store, iri, _entry_triples(catalog_iri, iri, kind, graph))
            else:
                sparql_store.drop_graph(store, iri)


def sync_datasets(pks: Iterable[int]) -> None:
    """Bring these entries up to date in the store: published ones in, others out."""
    pks = list(pks)
    wait_for_writes()  # what the writer thread holds is older: it goes first
    sparql_store.write(store_directory(), lambda store: _sync(store, pks))


def rebuild_store(progress: Callable[[int, int], None] | None = None) -> int:
    """Build the store from the database aside, then swap it in; returns the number of
    entries. Changes committed while it is built are applied before the swap ends."""
    wait_for_writes()
    directory = store_directory()
    directory.mkdir(parents=True, exist_ok=True)
    built = directory / f"build-{time.time_ns()}"
    started = datetime.now(tz=UTC)
    published = Dataset.objects.published()
    pks = list(published.order_by("pk").values_list("pk", flat=True))
    store = Store(str(built))
    try:
        catalog_iri = _put_catalog(store)
        for start in range(0, len(pks), BATCH):
            rows = Dataset.objects.filter(pk__in=pks[start : start + BATCH]).values_list(
                "iri", "kind", "graph"
            )
            for iri, kind, graph in rows:
                sparql_store.put_graph(store, iri, _entry_triples(catalog_iri, iri, kind, graph))
            if progress:
                progress(min(start + BATCH, len(pks)), len(pks))
        store.flush()
    finally:
        del store
    try:
        sparql_store.replace_primary(directory, built, lambda s: _catch_up(s, started))
    finally:
        shutil.rmtree(built, ignore_errors=True)
    return len(pks)


def _catch_up(store: Store, since: datetime) -> None:
    """Apply what changed while the store was built: entries no longer published go,
    entries published or changed since come in."""
    published = dict(Dataset.objects.published().values_list("iri", "pk"))
    catalog_iri = catalog_info().iri
    for iri in sparql_store.graph_names(store) - set(published) - {catalog_iri}:
        sparql_store.drop_graph(store, iri)
    missing = set(published) - sparql_store.graph_names(store)
    changed = Dataset.objects.filter(updated__gte=since).values_list("pk", flat=True)
    _sync(store, sorted({published[iri] for iri in missing} | set(changed)))


# Single changes (a publish, a harvest withdrawing 500 entries one signal each) go to a
# writer thread that applies what gathered in one store write: a write costs 0.1-0.2 s
# (open, flush, snapshot) however small it is.
_changes: dict[str, list[Triple] | None] = {}  # graph IRI -> triples, or None: drop it
_condition = threading.Condition()
_writer: threading.Thread | None = None
_writing = False
COLLECT_SECONDS = 0.05


def _enqueue(changes: dict[str, list[Triple] | None]) -> None:
    global _writer
    with _condition:
        _changes.update(changes)
        if _writer is None or not _writer.is_alive():  # none yet, or lost in a fork
            _writer = threading.Thread(target=_write_loop, name="sparql-store", daemon=True)
            _writer.start()
        _condition.notify_all()


def _write_loop() -> None:
    global _writing
    while True:
        with _condition:
            _condition.wait_for(lambda: bool(_changes))
            _writing = True
        time.sleep(COLLECT_SECONDS)
        with _condition:
            batch = dict(_changes)
            _changes.clear()
        try:
            sparql_store.write(store_directory(), lambda store, batch=batch: _apply(store, batch))
        except Exception:
            logger.exception("SPARQL store update failed; run 'allmende catalog reindex'")
        finally:
            with _condition:
                _writing = False
                _condition.notify_all()


def _apply(store: Store, batch: dict[str, list[Triple] | None]) -> None:
    for iri, triples in batch.items():
        if triples is None:
            sparql_store.drop_graph(store, iri)
        else:
            sparql_store.put_graph(store, iri, triples)


def wait_for_writes(timeout: float = 60) -> None:
    """Return once the changes this process signalled are in the store."""
    with _condition:
        _condition.wait_for(lambda: not _changes and not _writing, timeout)


atexit.register(wait_for_writes)


def _changes_for(pks: list[int]) -> dict[str, list[Triple] | None]:
    info = catalog_info()
    changes: dict[str, list[Triple] | None] = {info.iri: info.triples()}
    rows = Dataset.objects.filter(pk__in=pks).values_list("iri", "kind", "status", "graph")
    for iri, kind, status, graph in rows:
        published = status == Dataset.Status.PUBLISHED
        changes[iri] = _entry_triples(info.iri, iri, kind, graph) if published else None
    return changes


def _safely(action: Callable[[], None]) -> None:
    # A failed store update must not fail the request that committed the change: the
    # store is derived, and ``allmende catalog reindex`` rebuilds it.
    try:
        action()
    except Exception:
        logger.exception("SPARQL store update failed; run 'allmende catalog reindex'")


def on_dataset(sender, dataset: Dataset, **kwargs) -> None:
    _safely(lambda: _enqueue(_changes_for([dataset.pk])))


def on_dataset_deleted(sender, pk: int, iri: str, **kwargs) -> None:
    _safely(lambda: _enqueue({iri: None}))


def on_datasets_imported(sender, created: list[int], updated: list[int], **kwargs) -> None:
    from . import derived

    pks = [*created, *updated]
    if derived.is_bulk(pks):
        return  # queued for the worker by services/derived.py
    _safely(lambda: _enqueue(_changes_for(pks)))


def connect_receivers() -> None:
    from .. import signals

    for signal in (signals.dataset_published, signals.dataset_unpublished, signals.dataset_changed):
        signal.connect(on_dataset, dispatch_uid=f"sparql-{id(signal)}")
    signals.dataset_deleted.connect(on_dataset_deleted, dispatch_uid="sparql-deleted")
    signals.datasets_imported.connect(on_datasets_imported, dispatch_uid="sparql-imported")
