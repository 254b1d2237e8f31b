"""Rebuilders of derived data, run in order by ``allmende catalog reindex``.

A domain part registers ``register_reindexer(name, rebuild)`` in ``CatalogConfig.ready``;
``rebuild(progress)`` rebuilds everything from the database, calling
``progress(done, total)`` as it goes, and returns the number of entries it wrote.
"""

from collections.abc import Callable

Progress = Callable[[int, int], None]
Reindexer = Callable[[Progress], int]

_reindexers: dict[str, Reindexer] = {}


def register_reindexer(name: str, rebuild: Reindexer) -> None:
    _reindexers[name] = rebuild


def reindexers() -> list[tuple[str, Reindexer]]:
    """The registered rebuilders in the order they were registered."""
    return list(_reindexers.items())
