"""Signals the catalog sends, always after the transaction has committed.

- ``dataset_published(sender=Dataset, dataset)``: a dataset became public.
- ``dataset_unpublished(sender=Dataset, dataset)``: a public dataset went back to draft.
- ``dataset_changed(sender=Dataset, dataset)``: a dataset's metadata or distributions changed.
- ``dataset_deleted(sender=Dataset, pk, iri)``: a dataset was deleted.
- ``datasets_imported(sender=Dataset, created, updated)``: an import wrote datasets
  (lists of primary keys).
"""

from django.dispatch import Signal

dataset_published = Signal()
dataset_unpublished = Signal()
dataset_changed = Signal()
dataset_deleted = Signal()
datasets_imported = Signal()
