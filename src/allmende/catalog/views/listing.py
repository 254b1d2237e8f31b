"""The dataset list (words, facets with counts, date range, map area, sorting) and the
suggestions while typing, both through the search engine (``catalog/search/``)."""

from dataclasses import dataclass, replace
from datetime import date
from math import ceil

from django.core.paginator import Page, Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse, QueryDict
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from allmende.core.models import Organisation

from .. import labels
from ..forms import DatasetSearchForm
from ..models import HarvestSource
from ..search import SearchQuery, SearchResult, get_backend
from ..search.lookup import search_for

PAGE_SIZE = 20
SUGGESTIONS = 8
#: URL parameter → (search facet, heading), in the order the page shows them.
FACETS = {
    "theme": ("theme", _("Theme")),
    "publisher": ("publisher", _("Publisher")),
    "format": ("format", _("Format")),
    "license": ("license", _("Licence")),
    "keyword": ("keyword", _("Keyword")),
    "quality": ("quality", _("Metadata quality")),
    "harvest": ("source", _("Harvest source")),
}
#: Values counted per facet; keywords are many, the page shows the most frequent few.
FACET_LIMIT, KEYWORDS_SHOWN = 50, 12
# The rating facet is listed from the best band down, not by count.
_BAND_ORDER = {"excellent": 0, "good": 1, "sufficient": 2, "bad": 3}


@dataclass
class FacetValue:
    value: str
    label: str
    count: int
    checked: bool


@dataclass
class FacetGroup:
    param: str
    title: str
    values: list[FacetValue]


@require_GET
def dataset_list(request: HttpRequest) -> HttpResponse:
    form = DatasetSearchForm(request.GET)
    form.is_valid()  # invalid fields are shown with their error and left out of the search
    data = form.cleaned_data
    chosen = _chosen(request.GET)
    modified_from, modified_until = form.modified_range()
    query = SearchQuery(
        text=data.get("q", ""),
        filters={FACETS[param][0]: values for param, values in chosen.items()},
        modified_from=modified_from,
        modified_until=modified_until,
        bbox=data.get("bbox"),
        sort=data.get("sort") or "relevance",
        limit=PAGE_SIZE,
        facet_fields=tuple(facet for facet, _title in FACETS.values()),
        facet_limit=FACET_LIMIT,
    )
    page, result = _search_page(request, query)
    names = _names(result.facets, chosen)
    return render(
        request,
        "catalog/dataset_list.html",
        {
            "form": form,
            "page": page,
            "q": data.get("q", ""),
            "sort": query.sort,
            "sorts": DatasetSearchForm.SORTS,
            "facets": _groups(result.facets, chosen, names),
            "chosen": [
                *(
                    (param, value, _label(param, value, names))
                    for param, values in chosen.items()
                    for value in values
                ),
                *_range_chips(form),
            ],
            "query": request.GET,
        },
    )


def _chosen(params: QueryDict) -> dict[str, list[str]]:
    """The facet values asked for, per URL parameter (each value at most 500 characters,
    as they are indexed)."""
    out = {}
    for param in FACETS:
        values = list(dict.fromkeys(v[:500] for v in params.getlist(param) if v.strip()))
        if values:
            out[param] = values[:50]
    return out


def _search_page(request: HttpRequest, query: SearchQuery) -> tuple[Page, SearchResult]:
    """One page of results (the last one when the number asked for is beyond it)."""
    try:
        number = max(int(request.GET.get("page", 1)), 1)
    except ValueError:
        number = 1
    rows, result = search_for(request.user, replace(query, offset=(number - 1) * PAGE_SIZE))
    last = max(ceil(result.total / PAGE_SIZE), 1)
    if number > last:
        number = last
        rows, result = search_for(request.user, replace(query, offset=(last - 1) * PAGE_SIZE))
    return Page(rows, number, Paginator(range(result.total), PAGE_SIZE)), result


def _names(facets: dict[str, list[tuple[str, int]]], chosen: dict[str, list[str]]) -> dict:
    """(parameter, value) → name, for publishers and harvest sources (slugs in the index)."""
    slugs = {v for v, _n in facets.get("publisher", [])} | set(chosen.get("publisher", []))
    sources = {v for v, _n in facets.get("source", [])} | set(chosen.get("harvest", []))
    out = {
        ("publisher", slug): name
        for slug, name in Organisation.objects.filter(slug__in=slugs).values_list("slug", "name")
    }
    out |= {
        ("harvest", name): title
        for name, title in HarvestSource.objects.filter(name__in=sources).values_list(
            "name", "title"
        )
    }
    return out


def _label(param: str, value: str, names: dict) -> str:
    return names.get((param, value)) or labels.facet_label(FACETS[param][0], value)


def _range_chips(form: DatasetSearchForm) -> list[tuple[str, str, str]]:
    """(parameter, "", label) of the valid date and map filters (removed as a whole)."""
    data, out = form.cleaned_data, []
    if start := data.get("modified_from"):
        out.append(("modified_from", "", gettext("Modified from %(date)s") % {"date": _day(start)}))
    if end := data.get("modified_until"):
        out.append(("modified_until", "", gettext("Modified until %(date)s") % {"date": _day(end)}))
    if box := data.get("bbox"):
        text = ", ".join(f"{v:g}" for v in box)
        out.append(("bbox", "", gettext("Map area %(box)s") % {"box": text}))
    return out


def _day(value: date) -> str:
    return date_format(value, "SHORT_DATE_FORMAT")


def _groups(
    facets: dict[str, list[tuple[str, int]]], chosen: dict[str, list[str]], names: dict
) -> list[FacetGroup]:
    groups = []
    for param, (facet, title) in FACETS.items():
        pairs = facets.get(facet, [])
        if facet == "keyword":
            pairs = pairs[:KEYWORDS_SHOWN]
        if facet == "quality":
            pairs = sorted(pairs, key=lambda pair: _BAND_ORDER.get(pair[0], 9))
        values = [
            FacetValue(value, _label(param, value, names), count, value in chosen.get(param, ()))
            for value, count in pairs
        ]
        groups.append(FacetGroup(param, str(title), values))
    return groups


@require_GET
def dataset_suggest(request: HttpRequest) -> JsonResponse:
    """``?q=`` → ``{"q": …, "suggestions": […]}``: the text typed so far with its last word
    completed from the words of published titles and keywords, most frequent first."""
    text = " ".join(request.GET.get("q", "")[:200].split())
    head, _space, last = text.rpartition(" ")
    words = get_backend().suggest(last, limit=SUGGESTIONS) if last else []
    response = JsonResponse(
        {"q": text, "suggestions": [f"{head} {word}".strip() for word in words]},
        json_dumps_params={"ensure_ascii": False},
    )
    # The same for everybody (published datasets only); short, as datasets change.
    patch_cache_control(response, public=True, max_age=60)
    return response
