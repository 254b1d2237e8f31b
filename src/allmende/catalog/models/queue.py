"""Datasets whose derived copies (search index, SPARQL store) still need updating."""

from django.db import models


class PendingDerivation(models.Model):
    """A dataset written by a large import or harvest page. Its search document and
    SPARQL graph are brought up to date by the worker (``catalog.derived``), so bulk
    writes stay fast; single edits update them at once instead."""

    dataset_id = models.BigIntegerField(db_index=True)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]

    def __str__(self) -> str:
        return str(self.dataset_id)
