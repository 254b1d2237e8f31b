"""The SPARQL store on disk: one writer at a time, readers on immutable snapshots.

Layout of the store directory (ADR 5)::

    lock            flock: exclusive for writers, so processes take turns
    primary/        the read-write RocksDB store, opened only while the lock is held
    snapshots/GEN/  checkpoints of primary (hard links), never written again
    current         the name of the newest snapshot, replaced atomically

Readers open ``snapshots/<current>`` read-only; a snapshot is removed only once it has
been superseded for longer than a query may run. Nothing here knows Django's models.
"""

import fcntl
import itertools
import os
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from pyoxigraph import DefaultGraph, NamedNode, Quad, Store, Triple

#: A snapshot superseded this many seconds ago may still serve a running query.
KEEP_SUPERSEDED_SECONDS = 300


class StoreMissing(Exception):
    """The store has not been built yet (``allmende catalog reindex``)."""


@contextmanager
def _locked(directory: Path) -> Iterator[None]:
    directory.mkdir(parents=True, exist_ok=True)
    with open(directory / "lock", "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def current_snapshot(directory: Path) -> Path:
    """The newest snapshot to read; raises StoreMissing when there is none."""
    try:
        name = (directory / "current").read_text(encoding="ascii").strip()
    except FileNotFoundError:
        raise StoreMissing(str(directory)) from None
    return directory / "snapshots" / name


def write(directory: Path, change: Callable[[Store], None]) -> None:
    """Apply ``change`` to the primary store under the lock, then publish a snapshot."""
    with _locked(directory):
        store = Store(str(directory / "primary"))
        try:
            change(store)
            _publish(directory, store)
        finally:
            del store


def replace_primary(directory: Path, built: Path, catch_up: Callable[[Store], None]) -> None:
    """Swap in a store built aside (``built``), let ``catch_up`` apply what changed while
    it was built, and publish it."""
    with _locked(directory):
        old = directory / "primary"
        if old.exists():
            trash = directory / f"old-{time.time_ns()}"
            old.rename(trash)
            shutil.rmtree(trash, ignore_errors=True)
        built.rename(old)
        store = Store(str(old))
        try:
            catch_up(store)
            _publish(directory, store)
        finally:
            del store


def _publish(directory: Path, store: Store) -> None:
    store.flush()
    snapshots = directory / "snapshots"
    snapshots.mkdir(exist_ok=True)
    name = str(time.time_ns())
    store.backup(str(snapshots / name))
    tmp = directory / "current.tmp"
    tmp.write_text(name, encoding="ascii")
    os.replace(tmp, directory / "current")
    _prune(snapshots, name)


def _prune(snapshots: Path, current: str) -> None:
    names = sorted((p.name for p in snapshots.iterdir() if p.name.isdigit()), key=int)
    cutoff = time.time_ns() - KEEP_SUPERSEDED_SECONDS * 10**9
    # A snapshot is removable once its successor is older than the cutoff.
    for name, successor in itertools.pairwise(names):
        if name != current and int(successor) < cutoff:
            shutil.rmtree(snapshots / name, ignore_errors=True)


def put_graph(store: Store, iri: str, triples: Iterable[Triple]) -> None:
    """Replace named graph ``iri``; the default graph holds the union of all graphs."""
    drop_graph(store, iri)
    graph = NamedNode(iri)
    triples = list(triples)
    store.extend(Quad(t.subject, t.predicate, t.object, graph) for t in triples)
    store.extend(Quad(t.subject, t.predicate, t.object, DefaultGraph()) for t in triples)


def drop_graph(store: Store, iri: str) -> None:
    """Remove named graph ``iri`` and those of its triples no other graph states."""
    graph = NamedNode(iri)
    if not store.contains_named_graph(graph):
        return
    quads = list(store.quads_for_pattern(None, None, None, graph))
    store.remove_graph(graph)
    default = DefaultGraph()
    for quad in quads:
        still = store.quads_for_pattern(quad.subject, quad.predicate, quad.object, None)
        if not any(q.graph_name != default for q in still):
            store.remove(Quad(quad.subject, quad.predicate, quad.object, default))


def graph_names(store: Store) -> set[str]:
    return {g.value for g in store.named_graphs() if isinstance(g, NamedNode)}
