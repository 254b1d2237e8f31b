"""``package_search`` over the catalogue: ``fq`` trees as database filters, sorting and
facet counts.

``_search`` asks the search engine (``catalog/search/``, through :mod:`.engine`) when the
query has an equivalent there, else the catalogue's selectors with database filters.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Count, Q, QuerySet

from allmende.core.models import Organisation

from ..labels import THEMES
from ..models import Dataset, DatasetFacet
from ..search import SearchQuery, get_backend
from ..selectors import search_datasets
from . import fq
from .errors import SearchQueryError
from .package import licence_id, licence_iri

# CKAN's facet and filter fields → our facet rows.
FACET_FIELDS = {
    "organization": "publisher",
    "groups": "theme",
    "tags": "keyword",
    "res_format": "format",
    "license_id": "license",
}
DATE_FIELDS = {"metadata_modified": "updated", "metadata_created": "created"}
SORT_FIELDS = {
    "score": None,
    "metadata_modified": "updated",
    "metadata_created": "created",
    "title_string": "title",
    "title": "title",
    "name": "name",
}
# Fields CKAN itself adds to queries; every dataset here matches them.
ALWAYS_TRUE = {"dataset_type": "dataset", "type": "dataset", "entity_type": "package"}


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


def _text(word: str) -> Q:
    keyword = DatasetFacet.objects.filter(facet="keyword", value__icontains=word)
    return (
        Q(title__icontains=word)
        | Q(title_en__icontains=word)
        | Q(description__icontains=word)
        | Q(pk__in=keyword.values("dataset"))
    )


def _facet_value(name: str, value: str) -> Q:
    facet = FACET_FIELDS[name]
    rows = DatasetFacet.objects.filter(facet=facet)
    if value == "*":
        pass
    elif name == "license_id":
        rows = rows.filter(value=value if "://" in value else (licence_iri(value) or value))
    elif name in ("groups", "res_format"):
        rows = rows.filter(value__iexact=value)
    else:
        rows = rows.filter(value=value)
    return Q(pk__in=rows.values("dataset"))


def _term(node: fq.Term) -> Q:
    name, value = node.field, node.value
    if name is None or name == "text":
        return _text(value) if value != "*" else Q()
    if name in FACET_FIELDS:
        return _facet_value(name, value)
    if name == "name":
        return Q(name=value)
    if name in ("title", "notes"):
        column = "title" if name == "title" else "description"
        return Q(**{f"{column}__icontains": value})
    if name == "capacity":
        return Q(status="published") if value == "public" else ~Q(status="published")
    if name == "state":
        return Q() if value == "active" else Q(pk__in=[])
    if name in ALWAYS_TRUE:
        return Q() if value in (ALWAYS_TRUE[name], "*") else Q(pk__in=[])
    if name == "site_id":
        return Q()
    if name in DATE_FIELDS and value == "*":
        return Q()
    raise SearchQueryError(f"cannot search field {name!r}: see /api/3/action/help_show")


_MATH = re.compile(r"([+-]\d+)(YEAR|MONTH|DAY|HOUR|MINUTE|SECOND)S?")
_SECONDS = {"DAY": 86400, "HOUR": 3600, "MINUTE": 60, "SECOND": 1}


def _now(text: str, now: dt.datetime) -> dt.datetime:
    """Solr date math on NOW: ``NOW-1DAY``, ``NOW/DAY``, ``NOW-2YEARS/MONTH``."""
    rest, _, rounding = text[3:].partition("/")
    for amount, unit in _MATH.findall(rest):
        n = int(amount)
        if unit == "YEAR":
            now = now.replace(year=now.year + n, day=min(now.day, 28))
        elif unit == "MONTH":
            months = now.year * 12 + now.month - 1 + n
            now = now.replace(year=months // 12, month=months % 12 + 1, day=min(now.day, 28))
        else:
            now += dt.timedelta(seconds=n * _SECONDS[unit])
    if _MATH.sub("", rest) or rounding.rstrip("S") not in ("", *_SECONDS, "MONTH", "YEAR"):
        raise SearchQueryError(f"cannot read the date {text!r}")
    if rounding:
        keep = ["YEAR", "MONTH", "DAY", "HOUR", "MINUTE", "SECOND"].index(rounding.rstrip("S"))
        parts = [now.year, now.month, now.day, now.hour, now.minute, now.second]
        defaults = [1, 1, 1, 0, 0, 0]
        now = dt.datetime(*(parts[: keep + 1] + defaults[keep + 1 :]), tzinfo=dt.UTC)
    return now


def parse_date(text: str, now: dt.datetime | None = None) -> dt.datetime | None:
    """A range bound: ``*`` (None), ``NOW`` with date math, or an ISO date or time."""
    if text == "*":
        return None
    if text.startswith("NOW"):
        return _now(text, now or dt.datetime.now(dt.UTC))
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise SearchQueryError(f"cannot read the date {text!r} (use ISO 8601 or NOW)") from None
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _range(node: fq.Range) -> Q:
    if node.field not in DATE_FIELDS:
        raise SearchQueryError("ranges work on metadata_modified and metadata_created only")
    column = DATE_FIELDS[node.field]
    low, high = parse_date(node.low), parse_date(node.high)
    q = Q()
    if low is not None:
        q &= Q(**{f"{column}__{'gte' if node.include_low else 'gt'}": low})
    if high is not None:
        q &= Q(**{f"{column}__{'lte' if node.include_high else 'lt'}": high})
    return q


def node_q(node: fq.Node | None) -> Q:
    """The database filter of a query tree."""
    if node is None or isinstance(node, fq.MatchAll):
        return Q()
    if isinstance(node, fq.Term):
        return _term(node)
    if isinstance(node, fq.Range):
        return _range(node)
    if isinstance(node, fq.Not):
        return ~node_q(node.child)
    combined = Q()
    for child in node.children:
        combined = (
            combined & node_q(child) if isinstance(node, fq.And) else combined | node_q(child)
        )
    return combined


def sort_order(sort: str) -> list[str]:
    """``score desc, metadata_modified desc`` → model ordering (score is not computed:
    free-text matches are not ranked yet)."""
    order: list[str] = []
    for clause in filter(None, (c.strip() for c in sort.split(","))):
        parts = clause.split()
        if len(parts) > 2 or parts[0] not in SORT_FIELDS:
            raise SearchQueryError(f"cannot sort by {clause!r}")
        direction = parts[1].lower() if len(parts) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise SearchQueryError(f"sort direction must be asc or desc, not {parts[1]!r}")
        column = SORT_FIELDS[parts[0]]
        if column:
            order.append(("-" if direction == "desc" else "") + column)
    return [*(order or ["-updated"]), "-pk"]


def _labels(name: str, values: list[str]) -> dict[str, tuple[str, str]]:
    """Facet value → (CKAN name, display name)."""
    if name == "organization":
        titles = dict(Organisation.objects.filter(slug__in=values).values_list("slug", "name"))
        return {v: (v, titles.get(v, v)) for v in values}
    if name == "groups":
        return {v: (v.lower(), str(THEMES.get(v, v))) for v in values}
    if name == "license_id":
        return {v: (licence_id(v) or v, licence_id(v) or v) for v in values}
    return {v: (v, v) for v in values}


def facet_counts(
    queryset: QuerySet, names: list[str], limit: int, mincount: int
) -> dict[str, list[tuple[str, str, int]]]:
    """Per CKAN facet field: (name, display name, count), most frequent first."""
    out: dict[str, list[tuple[str, str, int]]] = {}
    for name in names:
        if name not in FACET_FIELDS:
            raise SearchQueryError(f"cannot facet on {name!r}")
        rows = (
            DatasetFacet.objects.filter(
                facet=FACET_FIELDS[name], dataset__in=queryset.order_by().values("pk")
            )
            .values("value")
            .annotate(n=Count("dataset", distinct=True))
            .filter(n__gte=max(mincount, 1))
            .order_by("-n", "value")
        )
        rows = list(rows if limit < 0 else rows[:limit])
        labels = _labels(name, [r["value"] for r in rows])
        out[name] = [(*labels[r["value"]], r["n"]) for r in rows]
    return out


def _search(
    user,
    *,
    q: str,
    filters: list[fq.Node | None],
    sort: str,
    start: int,
    rows: int,
    facet_fields: list[str],
    facet_limit: int,
    facet_mincount: int,
) -> SearchResult:
    """Datasets matching ``q`` and every filter, one page of them, and the facet counts.
    ``user`` None sees published datasets only."""
    for name in facet_fields:
        if name not in FACET_FIELDS:
            raise SearchQueryError(f"cannot facet on {name!r}")
    from .engine import engine_query  # it reads this module's field tables

    query = engine_query(q, filters, sort)
    if query is not None:
        query.offset, query.limit = start, rows
        query.facet_fields = tuple(FACET_FIELDS[name] for name in facet_fields)
        query.facet_limit = facet_limit if facet_limit >= 0 else 100_000
        return _engine_search(user, query, facet_fields, facet_mincount)
    q = q.strip()
    if not q or q == "*:*" or ":" in q:
        queryset = search_datasets(user or AnonymousUser())
        filters = [fq.parse(q) if q else None, *filters]
    else:
        queryset = search_datasets(user or AnonymousUser(), q=q)
    queryset = queryset.exclude(status=Dataset.Status.WITHDRAWN)
    for node in filters:
        queryset = queryset.filter(node_q(node))
    queryset = queryset.order_by(*sort_order(sort))
    count = queryset.count()
    page = list(queryset.prefetch_related("distributions")[start : start + rows]) if rows else []
    facets = facet_counts(queryset, facet_fields, facet_limit, facet_mincount)
    return SearchResult(count, page, facets)


def _engine_search(
    user, query: SearchQuery, facet_fields: list[str], facet_mincount: int
) -> SearchResult:
    """Run ``query`` on the search engine and load its page of datasets."""
    from allmende.core.rules import editable_organisations

    if getattr(user, "is_superuser", False):
        query.all_drafts = True
    elif getattr(user, "is_authenticated", False):
        query.draft_publishers = tuple(o.pk for o in editable_organisations(user))
    found = get_backend().search(query)
    rows = Dataset.objects.select_related("publisher").defer("graph")
    rows = rows.prefetch_related("distributions")
    by_pk = rows.in_bulk(found.ids)
    facets = {}
    for name in facet_fields:
        pairs = [
            (value, count)
            for value, count in found.facets.get(FACET_FIELDS[name], [])
            if count >= max(facet_mincount, 1)
        ]
        labels = _labels(name, [value for value, _count in pairs])
        facets[name] = [(*labels[value], count) for value, count in pairs]
    return SearchResult(found.total, [by_pk[pk] for pk in found.ids if pk in by_pk], facets)
