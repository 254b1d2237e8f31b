"""Bulk writes update the derived copies (search index, SPARQL store) in the worker.

An edit of one dataset updates its search document and SPARQL graph at once, in the
receivers of the catalog signals. An import or harvest page writes hundreds or thousands
of datasets: doing the same there would make bulk writes several times slower, so those
receivers only queue the primary keys (one INSERT) and the worker task
``catalog.derived`` brings the copies up to date within seconds, on the worker's core.
"""

from collections.abc import Iterable

from ..models import PendingDerivation
from .bulk import insert_values

#: Writes of more datasets than this are derived in the worker, not at once.
BULK = 200
#: Datasets the worker brings up to date per round.
ROUND = 5000


def is_bulk(pks: list[int]) -> bool:
    return len(pks) > BULK


def defer(pks: Iterable[int]) -> None:
    """Queue these datasets for the worker (their copies are updated within seconds)."""
    from django.utils import timezone

    now = timezone.now()
    insert_values(PendingDerivation, ["dataset_id", "created"], [(pk, now) for pk in pks])


def catch_up(limit: int = ROUND) -> int:
    """Update the search index and SPARQL store for queued datasets; return how many.
    Idempotent: two workers doing the same rows do no harm."""
    from ..search import index_datasets
    from .sparql_store import sync_datasets

    rows = list(PendingDerivation.objects.values_list("pk", "dataset_id")[:limit])
    if not rows:
        return 0
    pks = sorted({dataset_id for _, dataset_id in rows})
    index_datasets(pks)
    sync_datasets(pks)
    PendingDerivation.objects.filter(pk__lte=rows[-1][0]).delete()
    return len(pks)


def on_imported(sender, created=(), updated=(), **kwargs) -> None:
    """Receiver of ``datasets_imported``: queue a bulk write for the worker."""
    pks = [*created, *updated]
    if is_bulk(pks):
        defer(pks)


def connect() -> None:
    from ..signals import datasets_imported

    datasets_imported.connect(on_imported, dispatch_uid="derived.imported")
