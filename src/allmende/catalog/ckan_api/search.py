"""``package_search`` through the search engine (``catalog/search/``): ``q`` and the
``fq`` trees become one :class:`~allmende.catalog.search.SearchQuery`.

What the engine holds maps directly: free text, the facets (AND across fields, OR within
one, NOT as exclusion) and the ``metadata_modified`` range. The few fields it does not
hold (``name``, ``metadata_created``, ``capacity:private``) are asked of the database and
passed on as dataset ids. A tree the engine cannot express (OR across different fields,
a negated word, two ANDed value sets of one multi-valued field) is a Search Query Error
saying how to write it instead.
"""

import datetime as dt
import re
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, prefetch_related_objects

from allmende.core.models import Organisation

from ..labels import THEMES
from ..models import Dataset
from ..search import SearchQuery
from ..search.lookup import search_for
from . import fq
from .errors import SearchQueryError
from .package import licence_id, licence_iri

# CKAN's facet and filter fields → the search engine's facets.
FACET_FIELDS = {
    "organization": "publisher",
    "groups": "theme",
    "tags": "keyword",
    "res_format": "format",
    "license_id": "license",
}
# A dataset has one publisher and one licence: two ANDed value sets intersect.
SINGLE_VALUED = {"organization", "license_id"}
TEXT_FIELDS = {None, "text", "title", "notes"}
# Answered by the database (the index does not hold them).
DB_FIELDS = {"name", "metadata_created", "capacity"}
SORT_FIELDS = {
    "score": "relevance",
    "metadata_modified": "modified",
    "metadata_created": None,
    "title_string": "title",
    "title": "title",
    "name": "title",
}
# The directions the engine sorts each in.
SORT_DIRECTIONS = {"relevance": "desc", "modified": "desc", "title": "asc"}
# Fields CKAN itself adds to queries; every dataset here matches them.
ALWAYS_TRUE = {"dataset_type": "dataset", "type": "dataset", "entity_type": "package"}
# facet.limit -1 ("all values") asks for this many.
ALL_VALUES = 10_000


@dataclass
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[tuple[str, str, int]]] = field(default_factory=dict)


@dataclass
class Criteria:
    """What a query tree asks for, in the terms of the search engine."""

    words: list[str] = field(default_factory=list)
    filters: dict[str, list[str]] = field(default_factory=dict)
    exclude: dict[str, list[str]] = field(default_factory=dict)
    modified_from: dt.datetime | None = None
    modified_until: dt.datetime | None = None
    database: list[Q] = field(default_factory=list)
    public_only: bool = False
    nothing: bool = False


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


# -- the fields the database answers -----------------------------------------------------


def _is_database(node: fq.Node) -> bool:
    if isinstance(node, fq.Term | fq.Range):
        return node.field in DB_FIELDS
    if isinstance(node, fq.Not):
        return _is_database(node.child)
    if isinstance(node, fq.And | fq.Or):
        return all(_is_database(child) for child in node.children)
    return False


def _database_q(node: fq.Node) -> Q:
    """The database filter of a tree of ``name``, ``metadata_created`` and ``capacity``."""
    if isinstance(node, fq.Not):
        return ~_database_q(node.child)
    if isinstance(node, fq.And | fq.Or):
        combined = Q()
        for child in node.children:
            q = _database_q(child)
            combined = combined & q if isinstance(node, fq.And) else combined | q
        return combined
    if isinstance(node, fq.Range):
        return _created(node)
    if node.value == "*":
        return Q()
    if node.field == "capacity":
        public = Q(status=Dataset.Status.PUBLISHED)
        return public if node.value == "public" else ~public
    if node.field == "name":
        return Q(name=node.value)
    raise SearchQueryError(f"{node.field} takes a range [X TO Y] or *")


def _created(node: fq.Range) -> Q:
    if node.field != "metadata_created":
        raise SearchQueryError(f"cannot search a range of {node.field}")
    low, high = parse_date(node.low), parse_date(node.high)
    q = Q()
    if low is not None:
        q &= Q(**{f"created__{'gte' if node.include_low else 'gt'}": low})
    if high is not None:
        q &= Q(**{f"created__{'lte' if node.include_high else 'lt'}": high})
    return q


# -- the tree as search criteria ----------------------------------------------------------


def criteria_for(nodes: list[fq.Node | None]) -> Criteria:
    """The criteria of query trees that must all hold (``q`` and each ``fq``)."""
    out = Criteria()
    for node in nodes:
        _add(out, node, negated=False)
    return out


def _add(out: Criteria, node: fq.Node | None, negated: bool) -> None:
    if node is None or isinstance(node, fq.MatchAll):
        out.nothing |= negated
    elif _is_database(node):
        _add_database(out, node, negated)
    elif isinstance(node, fq.Not):
        _add(out, node.child, not negated)
    elif isinstance(node, fq.And | fq.Or) and negated == isinstance(node, fq.Or):
        for child in node.children:  # a AND b; NOT (a OR b) is NOT a AND NOT b
            _add(out, child, negated)
    elif isinstance(node, fq.And):
        raise SearchQueryError(f"cannot search NOT {fq.to_text(node)}: use NOT on each part")
    elif isinstance(node, fq.Or):
        _add_values(out, node)
    elif isinstance(node, fq.Range):
        _add_range(out, node, negated)
    else:
        _add_term(out, node, negated)


def _add_database(out: Criteria, node: fq.Node, negated: bool) -> None:
    capacity = isinstance(node, fq.Term) and node.field == "capacity" and node.value != "*"
    if capacity and (node.value == "public") != negated:
        out.public_only = True  # as anonymous callers see it
        return
    q = _database_q(node)
    out.database.append(~q if negated else q)


def _add_values(out: Criteria, node: fq.Or) -> None:
    """``tags:(a OR b)``: any of the values."""
    terms = [child for child in node.children if isinstance(child, fq.Term)]
    fields = {term.field for term in terms}
    if len(terms) < len(node.children) or len(fields) != 1 or not fields <= set(FACET_FIELDS):
        raise SearchQueryError(
            f"cannot search {fq.to_text(node)!r}: OR joins values of one field, such as "
            "tags:(a OR b); AND, NOT and ranges go outside the parentheses"
        )
    (name,) = fields
    values = [v for term in terms for v in _facet_values(name, term.value)]
    _facet(out, name, values, negated=False)


def _add_range(out: Criteria, node: fq.Range, negated: bool) -> None:
    if node.field != "metadata_modified":
        raise SearchQueryError("ranges work on metadata_modified and metadata_created only")
    low, high = parse_date(node.low), parse_date(node.high)
    # The index keeps times to the second: an excluded bound moves by one second.
    if low is not None and not node.include_low:
        low = low.replace(microsecond=0) + dt.timedelta(seconds=1)
    if high is not None and not node.include_high:
        high -= dt.timedelta(microseconds=1)
    if negated:
        if low is not None and high is not None:
            raise SearchQueryError(
                "cannot search outside a closed metadata_modified range: use an open end (*)"
            )
        if low is None and high is None:
            out.nothing = True
            return
        low, high = (None, low - dt.timedelta(microseconds=1)) if low else (_after(high), None)
    if low is not None:
        out.modified_from = max(low, out.modified_from or low)
    if high is not None:
        out.modified_until = min(high, out.modified_until or high)


def _after(moment: dt.datetime) -> dt.datetime:
    return moment.replace(microsecond=0) + dt.timedelta(seconds=1)


def _add_term(out: Criteria, node: fq.Term, negated: bool) -> None:
    name, value = node.field, node.value
    if name in TEXT_FIELDS:
        if negated:
            raise SearchQueryError(f"cannot search for datasets without the word {value!r}")
        if value != "*":
            out.words.append(value)
    elif name in FACET_FIELDS:
        if value == "*":
            raise SearchQueryError(f"cannot search {name}:* (any value): name the values")
        _facet(out, name, _facet_values(name, value), negated)
    elif name == "state":
        out.nothing |= (value in ("active", "*")) == negated
    elif name in ALWAYS_TRUE:
        out.nothing |= (value in (ALWAYS_TRUE[name], "*")) == negated
    elif name == "site_id" or (name == "metadata_modified" and value == "*"):
        out.nothing |= negated
    else:
        raise SearchQueryError(f"cannot search field {name!r}: see /api/3/action/help_show")


def _facet_values(name: str, value: str) -> list[str]:
    """A CKAN filter value → the facet values it stands for."""
    if name == "license_id":
        return [value if "://" in value else (licence_iri(value) or value)]
    if name in ("groups", "res_format"):  # codes, matched in any case
        return list(dict.fromkeys([value.upper(), value]))
    return [value]


def _facet(out: Criteria, name: str, values: list[str], negated: bool) -> None:
    facet = FACET_FIELDS[name]
    if negated:
        out.exclude.setdefault(facet, []).extend(values)
        return
    earlier = out.filters.get(facet)
    if earlier is None:
        out.filters[facet] = values
    elif name in SINGLE_VALUED:
        out.filters[facet] = [v for v in earlier if v in values]
        out.nothing |= not out.filters[facet]
    elif set(earlier) != set(values):
        raise SearchQueryError(
            f"cannot ask for several {name} at once: the search finds datasets having "
            f"any of the values of one field, {name}:(a OR b)"
        )


# -- sorting, facets, the search -----------------------------------------------------------


def sort_for(sort: str, has_text: bool) -> str:
    """``score desc, metadata_modified desc`` → the engine's sort ("relevance",
    "modified" or "title"). ``score`` without words to rank by gives way to the next
    field; ``name`` sorts like the title (names are made from titles)."""
    chosen: list[str] = []
    for clause in filter(None, (c.strip() for c in sort.split(","))):
        parts = clause.split()
        if len(parts) > 2 or parts[0] not in SORT_FIELDS:
            raise SearchQueryError(f"cannot sort by {clause!r}")
        direction = parts[1].lower() if len(parts) == 2 else "asc"
        if direction not in ("asc", "desc"):
            raise SearchQueryError(f"sort direction must be asc or desc, not {parts[1]!r}")
        engine = SORT_FIELDS[parts[0]]
        if engine is None:
            raise SearchQueryError(f"cannot sort by {parts[0]}: use metadata_modified")
        if parts[0] != "score" and direction != SORT_DIRECTIONS[engine]:
            raise SearchQueryError(f"{parts[0]} sorts {SORT_DIRECTIONS[engine]} only")
        chosen.append(engine)
    ranked = [s for s in chosen if s != "relevance" or has_text]
    return (ranked or ["relevance"])[0]


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


def _ckan_facets(
    counted: dict[str, list[tuple[str, int]]], names: list[str], mincount: int
) -> dict[str, list[tuple[str, str, int]]]:
    """Per CKAN facet field: (name, display name, count), most frequent first."""
    out = {}
    for name in names:
        pairs = [(v, n) for v, n in counted.get(FACET_FIELDS[name], []) if n >= max(mincount, 1)]
        labels = _labels(name, [v for v, _n in pairs])
        out[name] = [(*labels[v], n) for v, n in pairs]
    return out


def _query_trees(q: str, filters: list[fq.Node | None]) -> tuple[str, list[fq.Node | None]]:
    """Free text, and the trees: a ``q`` naming fields is read like ``fq``."""
    q = q.strip()
    if not q or q == "*:*" or ":" in q:
        return "", [fq.parse(q) if q else None, *filters]
    return q, list(filters)


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
    ``user`` None sees published datasets only; withdrawn datasets are gone for CKAN."""
    for name in facet_fields:
        if name not in FACET_FIELDS:
            raise SearchQueryError(f"cannot facet on {name!r}")
    text, trees = _query_trees(q, filters)
    found = criteria_for(trees)
    text = " ".join([text, *found.words]).strip()
    if found.public_only:
        user = None
    ids = None
    if found.nothing:
        ids = ()
    elif found.database:
        ids = tuple(Dataset.objects.filter(*found.database).values_list("pk", flat=True))
    withdrawn = Dataset.objects.visible_to(user).filter(status=Dataset.Status.WITHDRAWN)
    query = SearchQuery(
        text=text,
        filters=found.filters,
        exclude=found.exclude,
        modified_from=found.modified_from,
        modified_until=found.modified_until,
        ids=ids,
        exclude_ids=tuple(withdrawn.values_list("pk", flat=True)) if user else (),
        sort=sort_for(sort, bool(text)),
        offset=start,
        limit=rows,
        facet_fields=tuple(FACET_FIELDS[name] for name in facet_fields),
        facet_limit=ALL_VALUES if facet_limit < 0 else facet_limit,
    )
    datasets, result = search_for(user or AnonymousUser(), query)
    prefetch_related_objects(datasets, "distributions")
    return SearchResult(
        result.total, datasets, _ckan_facets(result.facets, facet_fields, facet_mincount)
    )
