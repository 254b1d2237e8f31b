"""Keep the search index in step with the catalogue: receivers of the catalog signals
(sent after commit), connected in ``CatalogConfig.ready``.

A failing index write is logged and never undoes or fails the catalogue write that caused
it; ``allmende catalog reindex`` repairs the index.
"""

import logging

from ..signals import (
    dataset_changed,
    dataset_deleted,
    dataset_published,
    dataset_unpublished,
    datasets_imported,
)

logger = logging.getLogger(__name__)


def _safely(action, pks) -> None:
    try:
        action(pks)
    except Exception:
        logger.exception("search index not updated for datasets %s", sorted(pks)[:20])


def on_dataset(sender, dataset, **kwargs) -> None:
    from . import index_datasets

    _safely(index_datasets, [dataset.pk])


def on_deleted(sender, pk, **kwargs) -> None:
    from . import remove_datasets

    _safely(remove_datasets, [pk])


def on_imported(sender, created=(), updated=(), **kwargs) -> None:
    from ..services import derived
    from . import index_datasets

    pks = [*created, *updated]
    if derived.is_bulk(pks):
        return  # queued for the worker by services/derived.py
    _safely(index_datasets, pks)


def on_measured(pks) -> None:
    """Quality measurements changed the rating facet of these datasets."""
    from . import index_datasets

    _safely(index_datasets, list(pks))


def connect() -> None:
    dataset_published.connect(on_dataset, dispatch_uid="search.published")
    dataset_unpublished.connect(on_dataset, dispatch_uid="search.unpublished")
    dataset_changed.connect(on_dataset, dispatch_uid="search.changed")
    dataset_deleted.connect(on_deleted, dispatch_uid="search.deleted")
    datasets_imported.connect(on_imported, dispatch_uid="search.imported")
