"""The catalogue's pages for people: dataset, publishers (the list is in listing.py)."""

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from allmende.core.models import Organisation
from allmende.core.rules import can_edit_for

from .. import preview
from ..models import Dataset
from ..selectors import harvest_last_seen
from .quality import dataset_quality
from .rdf import dataset_rdf, preferred_rdf_extension, rdf_response

PAGE_SIZE = 20


@require_GET
@vary_on_headers("Accept")
def dataset_detail(request: HttpRequest, name: str) -> HttpResponse:
    dataset = get_object_or_404(
        Dataset.objects.visible_to(request.user).select_related("publisher", "harvest_source"),
        name=name,
    )
    ext = preferred_rdf_extension(request)
    if ext:  # content negotiation: RDF clients get the description itself
        return rdf_response(dataset_rdf(dataset, ext), ext)
    distributions = list(dataset.distributions.all())
    language = get_language() or settings.LANGUAGE_CODE
    return render(
        request,
        "catalog/dataset_detail.html",
        {
            "dataset": dataset,
            "title": dataset.title_for(language),
            "description": dataset.description_for(language),
            # The language each is shown in, for lang attributes (WCAG 3.1.2).
            "title_language": _shown_language(dataset.title_en, language),
            "description_language": _shown_language(dataset.description_en, language),
            "distributions": distributions,
            "previews": _previews(distributions),
            "can_edit": can_edit_for(request.user, dataset.publisher),
            "quality": _quality(request, dataset),
            "mqa": dataset_quality(dataset, can_edit=can_edit_for(request.user, dataset.publisher)),
            "last_seen": harvest_last_seen(dataset),
            "tiles": settings.ALLMENDE_MAP_TILE_URL,
            "attribution": settings.ALLMENDE_MAP_TILE_ATTRIBUTION,
        },
    )


def _shown_language(english: str, language: str) -> str:
    """Titles and descriptions are German, with an optional English version shown on
    English pages (see ``Dataset.title_for``)."""
    return "en" if language == "en" and english else "de"


def _previews(distributions: list) -> list[dict]:
    out = []
    for dist in distributions:
        if preview.is_csv(dist) and (rows := preview.csv_preview(dist)):
            out.append({"kind": "table", "distribution": dist, "rows": rows})
        elif preview.is_geojson(dist) and (document := preview.geojson_preview(dist)):
            out.append(
                {
                    "kind": "map",
                    "distribution": dist,
                    "geojson": document,
                    "names": preview.feature_names(document),
                    "id": f"geojson-{dist.pk}",
                }
            )
    return out[:3]


def _quality(request: HttpRequest, dataset: Dataset):
    """The DCAT-AP.de report, for editors of the dataset's publisher."""
    if not can_edit_for(request.user, dataset.publisher):
        return None
    from ..quality.shacl import validate_dataset

    return validate_dataset(dataset)


@require_GET
def publisher_list(request: HttpRequest) -> HttpResponse:
    from django.db.models import Count, Q

    publishers = Organisation.objects.annotate(
        n=Count("datasets", filter=Q(datasets__status=Dataset.Status.PUBLISHED))
    ).order_by("name")
    return render(request, "catalog/publisher_list.html", {"publishers": publishers})


@require_GET
def publisher_detail(request: HttpRequest, slug: str) -> HttpResponse:
    organisation = get_object_or_404(Organisation, slug=slug)
    datasets = Dataset.objects.visible_to(request.user).filter(publisher=organisation)
    page = Paginator(datasets.order_by("title"), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "catalog/publisher_detail.html",
        {
            "organisation": organisation,
            "page": page,
            "query": request.GET,
            "can_edit": can_edit_for(request.user, organisation),
        },
    )


@require_GET
def developers(request: HttpRequest) -> HttpResponse:
    return render(request, "catalog/developers.html", {"site": settings.SITE_URL})
