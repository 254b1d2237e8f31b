"""Searching on behalf of a person: visibility from their roles, rows for the ids found.

For views and APIs (the HTML list, the CKAN ``package_search``): build the query with
:func:`query_for`, run it with :func:`search_for`, and get the dataset rows of the page
in the order found.
"""

from dataclasses import replace
from typing import Any

from ..models import Dataset
from . import get_backend
from .base import SearchQuery, SearchResult


def query_for(user: Any, query: SearchQuery) -> SearchQuery:
    """``query`` with the visibility of ``user``: published datasets, plus drafts of the
    organisations they edit for (all drafts for superusers)."""
    if getattr(user, "is_superuser", False):
        return replace(query, all_drafts=True, draft_publishers=())
    if not getattr(user, "is_authenticated", False):
        return replace(query, all_drafts=False, draft_publishers=())
    from allmende.core.rules import editable_organisations

    own = tuple(editable_organisations(user).values_list("pk", flat=True))
    return replace(query, all_drafts=False, draft_publishers=own)


def search_for(user: Any, query: SearchQuery) -> tuple[list[Dataset], SearchResult]:
    """Run ``query`` as ``user`` sees the catalogue; the rows of the page come in the
    order of the result (ids whose row is gone meanwhile are left out)."""
    result = get_backend().search(query_for(user, query))
    # the stored graph is the largest column; no list or package dict needs it
    rows = Dataset.objects.select_related("publisher").defer("graph").in_bulk(result.ids)
    return [rows[pk] for pk in result.ids if pk in rows], result
