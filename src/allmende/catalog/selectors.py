"""Reads shared by the HTML pages, the RDF endpoints and the JSON API."""

from django.conf import settings
from django.db import models

from allmende.core.models import Organisation

from .dcat.build import Agent
from .dcat.page import CatalogInfo, PageEntry
from .models import Catalog, Dataset, DatasetFacet
from .services.graphs import agent_for


def catalog_info() -> CatalogInfo:
    """The local dcat:Catalog as the RDF layer needs it."""
    catalog = Catalog.get_local()
    org = catalog.publisher or Organisation.objects.order_by("pk").first()
    publisher = agent_for(org) if org else Agent(iri=settings.SITE_URL, name=settings.SITE_NAME)
    return CatalogInfo(
        iri=catalog.iri,
        title=catalog.title,
        title_en=catalog.title_en,
        description=catalog.description,
        description_en=catalog.description_en,
        publisher=publisher,
        homepage=catalog.homepage,
        language=catalog.language,
        political_geocoding=catalog.political_geocoding,
    )


def public_page(page: int, size: int) -> tuple[list[PageEntry], int]:
    """One page of published entries in stable order (by primary key), and the total."""
    published = Dataset.objects.published()
    total = published.count()
    # Page over keys first (the (status, id) index serves it; no wide rows get sorted),
    # then read the graphs of just those rows.
    ids = list(
        published.order_by("pk").values_list("pk", flat=True)[(page - 1) * size : page * size]
    )
    rows = Dataset.objects.filter(pk__in=ids).order_by("pk").values_list("iri", "kind", "graph")
    return [PageEntry(iri, kind, graph) for iri, kind, graph in rows], total


# The JSON API's filters (the HTML list and the CKAN API use the search engine).
FACETS = ("publisher", "theme", "format", "license", "keyword", "quality")
# Each ends with the key, so pages never overlap or skip rows with equal sort values.
SORTS = {
    "title": ("title", "id"),
    "newest": ("-modified", "-issued", "-id"),
    "updated": ("-updated", "-id"),
}


def search_datasets(
    user,
    *,
    q: str = "",
    filters: dict[str, list[str]] | None = None,
    sort: str = "title",
    harvest: str = "",
):
    """Datasets visible to ``user`` matching a free-text query and facet filters (AND
    across facets, OR within one facet), optionally only those of one harvest source."""
    from django.db.models import Q

    queryset = Dataset.objects.visible_to(user).select_related("publisher")
    if harvest:
        queryset = queryset.filter(harvest_source__name=harvest)
    for word in q.split()[:10]:
        queryset = queryset.filter(
            Q(title__icontains=word)
            | Q(title_en__icontains=word)
            | Q(description__icontains=word)
            | Q(facets__facet="keyword", facets__value__icontains=word)
        )
    for facet, values in (filters or {}).items():
        if facet in FACETS and values:
            queryset = queryset.filter(
                pk__in=DatasetFacet.objects.filter(facet=facet, value__in=values).values("dataset")
            )
    return queryset.distinct().order_by(*SORTS.get(sort, SORTS["title"]))


def home_figures(request) -> dict:
    """Figures and newest datasets for the home page."""
    published = Dataset.objects.published()
    themes = (
        DatasetFacet.objects.filter(facet="theme", dataset__status=Dataset.Status.PUBLISHED)
        .values("value")
        .annotate(n=models.Count("dataset"))
        .order_by("-n")
    )
    return {
        "datasets": published.count(),
        "publishers": published.values("publisher").distinct().count(),
        "latest": list(published.select_related("publisher").order_by("-published_at", "-id")[:5]),
        "themes": [(row["value"], row["n"]) for row in themes],
    }


def harvest_last_seen(dataset: Dataset):
    """When the dataset's source last listed it: the end of the latest successful run
    (unchanged records are not written, so the row alone cannot tell), else when it
    was last written by a run. None for datasets that were not harvested."""
    if dataset.harvest_source_id is None:
        return None
    if dataset.status == Dataset.Status.WITHDRAWN:
        return dataset.last_seen
    from .models import HarvestRun

    finished = (
        HarvestRun.objects.filter(source_id=dataset.harvest_source_id, status="succeeded")
        .order_by("-finished_at")
        .values_list("finished_at", flat=True)
        .first()
    )
    candidates = [d for d in (finished, dataset.last_seen) if d is not None]
    return max(candidates) if candidates else None
