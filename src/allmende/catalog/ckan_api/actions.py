"""The read actions of CKAN's Action API (``package_search``, ``package_show``, ...).

Each action is ``function(params, user)``: ``params`` as CKAN takes them, ``user`` the
token's user or None; the docstring is what ``help_show`` answers.
"""

from typing import Any

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q

from allmende.core.models import Organisation

from ..labels import THEMES
from ..models import Dataset, DatasetFacet, Distribution
from . import fq
from .errors import NotFound, SearchQueryError
from .package import (
    ckan_time,
    group_dict,
    licence_dict,
    organization_dict,
    package_dict,
    resource_dict,
    stable_id,
)
from .registry import ACTIONS, action, boolean, integer, is_uuid, required, string_list
from .search import _search

ROWS_MAX = 1000
FACET_LIMIT = 50
PUBLISHED = Q(datasets__status=Dataset.Status.PUBLISHED)


def visible(user: Any, *, include_private: bool = True):
    """Datasets ``user`` may read: published ones, and (with ``include_private``) the
    drafts of the organisations the user edits for. Withdrawn ones are gone for CKAN."""
    if not include_private:
        user = None
    queryset = Dataset.objects.visible_to(user or AnonymousUser())
    # The stored graph is the largest column and no package dict needs it.
    queryset = queryset.exclude(status=Dataset.Status.WITHDRAWN).defer("graph")
    return queryset.select_related("publisher")


def find_dataset(user: Any, ident: str) -> Dataset:
    """A visible dataset by name or by its CKAN id."""
    queryset = visible(user)
    dataset = queryset.filter(name=ident).first()
    if dataset is None and is_uuid(ident):
        # Ids are derived from IRIs, not stored: compare them (one narrow column each).
        for pk, iri in queryset.values_list("pk", "iri").iterator():
            if stable_id(iri) == ident:
                dataset = queryset.get(pk=pk)
                break
    if dataset is None:
        raise NotFound("Dataset not found")
    return dataset


def show(dataset: Dataset) -> dict[str, Any]:
    return package_dict(dataset, list(dataset.distributions.all()))


@action("package_show")
def package_show(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """Return a dataset (package) and its resources. Parameters: id (name or id)."""
    return show(find_dataset(user, required(params, "id")))


def _filters(params: dict[str, Any]) -> list[fq.Node | None]:
    texts = string_list(params, "fq_list")
    if isinstance(params.get("fq"), str):
        texts.insert(0, params["fq"])
    return [fq.parse(text) for text in texts]


def _facets(params: dict[str, Any]) -> list[str]:
    if str(params.get("facet", "true")).lower() == "false":
        return []
    return string_list(params, "facet.field")


@action("package_search")
def package_search(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """Search datasets. Parameters: q (free text, or field:value), fq and fq_list
    (filters: organization, groups, tags, res_format, license_id, name, text,
    metadata_modified:[X TO Y], metadata_created:[X TO Y], capacity; AND, NOT, -,
    parentheses; OR between values of one field), sort ("score desc, metadata_modified
    desc"; also title_string asc, name asc), rows (default 10, at most 1000), start,
    facet.field (JSON list), facet.limit (default 50, -1 for all), facet.mincount,
    include_private (drafts of your organisations, with a token)."""
    sort = params.get("sort") or "score desc, metadata_modified desc"
    q = params.get("q") or ""
    if not isinstance(q, str) or not isinstance(sort, str):
        raise SearchQueryError("q and sort must be strings")
    fields = _facets(params)
    result = _search(
        user if boolean(params, "include_private") else None,
        q=q,
        filters=_filters(params),
        sort=sort,
        start=integer(params, "start", 0),
        rows=integer(params, "rows", 10, maximum=ROWS_MAX),
        facet_fields=fields,
        facet_limit=_facet_limit(params),
        facet_mincount=integer(params, "facet.mincount", 1),
    )
    return {
        "count": result.count,
        "facets": {k: {name: n for name, _, n in v} for k, v in result.facets.items()},
        "results": [package_dict(d, list(d.distributions.all())) for d in result.datasets],
        "sort": sort,
        "search_facets": {
            key: {
                "title": key,
                "items": [{"name": a, "display_name": b, "count": n} for a, b, n in items],
            }
            for key, items in result.facets.items()
        },
    }


def _facet_limit(params: dict[str, Any]) -> int:
    raw = params.get("facet.limit")
    if str(raw).strip() == "-1":
        return -1
    return integer(params, "facet.limit", FACET_LIMIT)


@action("package_list")
def package_list(params: dict[str, Any], user: Any) -> list[str]:
    """Names of all public datasets, sorted. Parameters: limit, offset."""
    names = visible(None).order_by("name").values_list("name", flat=True)
    offset = integer(params, "offset", 0)
    limit = integer(params, "limit", 0)
    return list(names[offset : offset + limit] if limit else names[offset:])


@action("current_package_list_with_resources")
def current_package_list_with_resources(params: dict[str, Any], user: Any) -> list[dict]:
    """Public datasets with their resources, most recently modified first. Parameters:
    limit (default 10, at most 1000), offset (or page, counted from 1)."""
    limit = integer(params, "limit", 10, maximum=ROWS_MAX)
    offset = integer(params, "offset", 0)
    if params.get("page"):
        offset = (max(integer(params, "page", 1), 1) - 1) * limit
    rows = visible(None).order_by("-updated", "-pk").prefetch_related("distributions")
    return [show(d) for d in rows[offset : offset + limit]]


def _organisations(user: Any):
    counted = Count("datasets", filter=PUBLISHED, distinct=True)
    return Organisation.objects.annotate(n=counted).order_by("slug")


@action("organization_list")
def organization_list(params: dict[str, Any], user: Any) -> list[Any]:
    """Organisations (publishers): names, or with all_fields=true full dicts with
    package_count. Parameters: all_fields, limit, offset."""
    orgs = list(_organisations(user))
    offset = integer(params, "offset", 0)
    limit = integer(params, "limit", 0)
    orgs = orgs[offset : offset + limit] if limit else orgs[offset:]
    if boolean(params, "all_fields"):
        return [organization_dict(o, package_count=o.n) for o in orgs]
    return [o.slug for o in orgs]


def _find_organisation(ident: str) -> Organisation:
    org = _organisations(None).filter(slug=ident).first()
    if org is None and is_uuid(ident):
        org = next((o for o in _organisations(None) if stable_id(o.agent_iri) == ident), None)
    if org is None:
        raise NotFound("Organization not found")
    return org


@action("organization_show")
def organization_show(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """One organisation. Parameters: id (name or id), include_datasets (its public
    datasets, up to 1000)."""
    org = _find_organisation(required(params, "id"))
    out = organization_dict(org, package_count=org.n)
    if boolean(params, "include_datasets"):
        rows = (
            visible(None).filter(publisher=org).order_by("name").prefetch_related("distributions")
        )
        out["packages"] = [show(d) for d in rows[:ROWS_MAX]]
    out.update(users=[], extras=[], tags=[], groups=[])
    return out


def _theme_counts() -> dict[str, int]:
    rows = (
        DatasetFacet.objects.filter(facet="theme", dataset__status=Dataset.Status.PUBLISHED)
        .values("value")
        .annotate(n=Count("dataset", distinct=True))
    )
    return {r["value"]: r["n"] for r in rows}


@action("group_list")
def group_list(params: dict[str, Any], user: Any) -> list[Any]:
    """Groups: the EU data themes. Parameters: all_fields, limit, offset."""
    counts = _theme_counts()
    codes = sorted(THEMES, key=str.lower)
    offset, limit = integer(params, "offset", 0), integer(params, "limit", 0)
    codes = codes[offset : offset + limit] if limit else codes[offset:]
    if boolean(params, "all_fields"):
        return [group_dict(c, package_count=counts.get(c, 0)) for c in codes]
    return [c.lower() for c in codes]


@action("group_show")
def group_show(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """One theme as a group. Parameters: id (name such as "envi", or id),
    include_datasets."""
    ident = required(params, "id")
    code = next(
        (c for c in THEMES if ident in (c.lower(), c, group_dict(c)["id"])),
        None,
    )
    if code is None:
        raise NotFound("Group not found")
    out = group_dict(code, package_count=_theme_counts().get(code, 0))
    if boolean(params, "include_datasets"):
        rows = visible(None).filter(facets__facet="theme", facets__value=code)
        out["packages"] = [show(d) for d in rows.order_by("name")[:ROWS_MAX]]
    out.update(users=[], extras=[], tags=[], groups=[])
    return out


@action("tag_list")
def tag_list(params: dict[str, Any], user: Any) -> list[Any]:
    """Keywords of public datasets. Parameters: query (part of the name), all_fields."""
    rows = DatasetFacet.objects.filter(facet="keyword", dataset__status=Dataset.Status.PUBLISHED)
    if params.get("query"):
        rows = rows.filter(value__icontains=str(params["query"]))
    names = sorted(set(rows.values_list("value", flat=True)))
    if boolean(params, "all_fields"):
        from .package import tag_dict

        return [tag_dict(n) for n in names]
    return names


@action("license_list")
def license_list(params: dict[str, Any], user: Any) -> list[dict[str, Any]]:
    """The licences datasets may carry (the DCAT-AP.de licence list, CKAN-style ids)."""
    from ..harvest.ckan_vocab import LICENCE_CODES

    return [licence_dict(code) for code in sorted(LICENCE_CODES, key=str.lower)]


@action("resource_show")
def resource_show(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """One resource (distribution). Parameters: id."""
    ident = required(params, "id")
    rows = Distribution.objects.filter(dataset__in=visible(user).values("pk"))
    for pk, iri in rows.values_list("pk", "iri").iterator():
        if stable_id(iri) == ident:
            dist = rows.select_related("dataset").get(pk=pk)
            return resource_dict(dist, stable_id(dist.dataset.iri), ckan_time(dist.dataset.created))
    raise NotFound("Resource was not found.")


@action("status_show")
def status_show(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """About this site; ckan_version is the version of the API this one follows."""
    return {
        "site_title": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "site_description": "",
        "ckan_version": "2.10.0",
        "error_emails_to": None,
        "locale_default": "de",
        "extensions": [],
    }


@action("site_read")
def site_read(params: dict[str, Any], user: Any) -> bool:
    """Whether the site may be read: always true."""
    return True


@action("help_show")
def help_show(params: dict[str, Any], user: Any) -> str:
    """The documentation of an action. Parameters: name."""
    name = required(params, "name")
    if name not in ACTIONS:
        raise NotFound(f"Action function not found: {name}")
    return ACTIONS[name].help
