"""Reading with query options: ``$filter``, ``$orderby``, ``$top``, ``$skip``,
``$count``, ``$select`` and ``$expand`` (with its own options, nested).

Rows are sorted by the ``$orderby`` keys and then by id, in the direction of the last
key (ascending without ``$orderby``), so pages never overlap and
``Observations($top=1;$orderby=phenomenonTime desc)`` is the Datastream's stored latest
observation. Expansion costs one query per level, not one per row: the expanded
entities of all parents come in one statement, each parent's first rows picked by a
subquery with ``ORDER BY … LIMIT`` (which the (datastream, time) index answers without
reading whole series) and ranked by ``ROW_NUMBER() OVER (PARTITION BY parent …)``;
``$count`` inside adds one grouped count. Expanding only the latest observation of
Datastreams reads the ids they keep.
"""

from dataclasses import dataclass, replace
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.db import connection
from django.db.models import Count, F, Model, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.utils.translation import gettext as _

from ..models import Observation
from ..query import Expand, QueryOptions
from ..query.ast import Path
from . import serialize
from .compile import Compiler, fail
from .entities import ENTITY_SETS, EntityType, Nav
from .sql import IdIn

_ID_NAMES = ("id", "@iot.id", "selfLink", "@iot.selfLink")
_JSON_KINDS = ("object", "array", "any", "result")
_LATEST = (("phenomenonTime",), True)
_PARENTS_PER_QUERY = 100  # parents per statement (SQLite nests the OR of their subqueries)


@dataclass
class Page:
    rows: list[Model]
    count: int | None
    more: bool


def paging(options: QueryOptions) -> tuple[int, int]:
    top = settings.ALLMENDE_STA_DEFAULT_TOP if options.top is None else options.top
    return min(top, settings.ALLMENDE_STA_MAX_TOP), options.skip or 0


def condition(etype: EntityType, options: QueryOptions) -> Q:
    """``$filter`` as a condition on ``etype``'s rows (a to-many path as a subquery, so
    rows do not repeat); an empty Q without one."""
    if options.filter is None:
        return Q()
    compiler = Compiler(etype)
    where = compiler.condition(options.filter)
    if compiler.many:
        return Q(pk__in=etype.model.objects.filter(where).values("pk"))
    return where


def filtered(etype: EntityType, rows: QuerySet, options: QueryOptions) -> QuerySet:
    """``rows`` narrowed by ``$filter``."""
    return rows.filter(condition(etype, options))


def ordering(etype: EntityType, options: QueryOptions) -> list[Any]:
    compiler = Compiler(etype)
    keys = [key for item in options.orderby for key in compiler.order(item)]
    descending = bool(options.orderby) and options.orderby[-1].descending
    keys.append(F("pk").desc() if descending else F("pk").asc())
    return keys


def read_page(etype: EntityType, rows: QuerySet, options: QueryOptions) -> Page:
    """One page of a collection with ``$filter``, ``$orderby``, ``$skip``, ``$top``."""
    check_select(etype, options.select)
    rows = filtered(etype, rows, options)
    top, skip = paging(options)
    order = ordering(etype, options)
    page = list(rows.order_by(*order)[skip : skip + top + 1]) if top else []
    total = rows.count() if options.count else None
    return Page(page[:top], total, 0 < top < len(page))  # $top=0: counts, never links


def next_link(url: str, options: QueryOptions, extra: dict[str, str] | None = None) -> str:
    """The link to the page after the one ``options`` asked for, with every option."""
    top, skip = paging(options)
    params = {**(extra or {}), **replace(options, top=top, skip=skip + top).to_params()}
    return f"{url}?{urlencode(params)}"


def render(etype: EntityType, objs: list[Model], options: QueryOptions, base: str) -> list[dict]:
    """The entities as JSON, with ``$select`` and ``$expand`` applied."""
    expanded: dict[int, dict[str, Any]] = {id(o): {} for o in objs}
    for item in merge_expands(etype, options.expand):
        nav = etype.nav_by_name[item.path[0]]
        for obj, content in expand(etype, nav, objs, item.options, base):
            expanded[id(obj)].update(content)
    select = select_names(etype, options.select)
    out = [serialize.entity_json(etype, o, base, select, expanded[id(o)]) for o in objs]
    if any(len(p.segments) > 1 for p in options.select):
        out = [select_parts(entity, options.select) for entity in out]
    return out


def validate(etype: EntityType, options: QueryOptions) -> None:
    """Check every name in ``options``, nested ones too, where there are no rows to
    expand (spatial functions in ``$filter`` still test their geometries)."""
    check_select(etype, options.select)
    filtered(etype, etype.model.objects.none(), options)
    ordering(etype, options)
    for item in merge_expands(etype, options.expand):
        validate(ENTITY_SETS[etype.nav_by_name[item.path[0]].target], item.options)


# -- $select ------------------------------------------------------------------------------


def check_select(etype: EntityType, select: tuple[Path, ...]) -> None:
    select_names(etype, select)


def select_names(etype: EntityType, select: tuple[Path, ...]) -> list[str] | None:
    """The top-level names ``$select`` keeps (None: all); checks every path."""
    if not select:
        return None
    names = []
    for path in select:
        name = path.segments[0]
        prop = etype.prop_by_name.get(name)
        if len(path.segments) > 1 and (prop is None or prop.kind not in _JSON_KINDS):
            raise fail(_("$select: only JSON properties have parts: %(path)s"), path=str(path))
        known = prop is not None or name in etype.nav_by_name or name in _ID_NAMES
        if not known:
            raise fail(
                _("%(type)s has no property or navigation %(name)s"),
                type=etype.singular,
                name=name,
            )
        names.append(name)
    return names


def select_parts(entity: dict[str, Any], select: tuple[Path, ...]) -> dict[str, Any]:
    """Cut JSON properties down to the parts ``$select`` names (``properties/owner``):
    ``{"properties": {"owner": …}}``; a property selected whole stays whole."""
    whole = {p.segments[0] for p in select if len(p.segments) == 1}
    parts: dict[str, dict] = {}
    for path in select:
        name = path.segments[0]
        if len(path.segments) == 1 or name in whole:
            continue
        source, target = entity.get(name), parts.setdefault(name, {})
        for key in path.segments[1:-1]:
            source = source.get(key) if isinstance(source, dict) else None
            target = target.setdefault(key, {})
        if isinstance(source, dict) and path.segments[-1] in source:
            target[path.segments[-1]] = source[path.segments[-1]]
    return {**entity, **parts}


# -- $expand ------------------------------------------------------------------------------


def merge_expands(etype: EntityType, items: tuple[Expand, ...]) -> list[Expand]:
    """One item per navigation property: ``Datastreams/Sensor,Datastreams/Thing`` become
    ``Datastreams($expand=Sensor,Thing)``; every name is checked."""
    merged: dict[str, Expand] = {}
    for item in items:
        name = item.path[0]
        nav = etype.nav_by_name.get(name)
        if nav is None:
            raise fail(
                _("%(type)s has no navigation property %(name)s"), type=etype.singular, name=name
            )
        options = item.options
        if len(item.path) > 1:
            options = QueryOptions(expand=(Expand(item.path[1:], item.options),))
        if name in merged:
            options = _merge_options(merged[name].options, options, name)
        merged[name] = Expand((name,), options)
    return list(merged.values())


def _merge_options(first: QueryOptions, second: QueryOptions, name: str) -> QueryOptions:
    fields: dict[str, Any] = {"expand": first.expand + second.expand}
    for field in ("filter", "select", "orderby", "top", "skip", "count"):
        a, b = getattr(first, field), getattr(second, field)
        if a not in (None, ()) and b not in (None, ()) and a != b:
            raise fail(_("%(name)s is expanded twice with different options"), name=name)
        fields[field] = a if a not in (None, ()) else b
    return QueryOptions(**fields)


def expand(
    etype: EntityType, nav: Nav, parents: list[Model], options: QueryOptions, base: str
) -> list[tuple[Model, dict[str, Any]]]:
    """For each parent: the JSON members that its expanded navigation ``nav`` adds."""
    target = ENTITY_SETS[nav.target]
    check_select(target, options.select)
    if not parents:
        validate(target, options)
        return []
    if not nav.many:
        return _expand_one(nav, target, parents, options, base)
    if _latest_only(nav, options):
        pages = _latest_pages(nav, parents)
    else:
        pages = _pages(nav, target, parents, options)
    empty = Page([], 0, False)
    children = [child for p in parents for child in pages.get(p.pk, empty).rows]
    rendered = iter(render(target, children, options, base))
    out = []
    for parent in parents:
        page = pages.get(parent.pk, empty)
        content: dict[str, Any] = {}
        if options.count:
            content[f"{nav.name}@iot.count"] = page.count or 0
        content[nav.name] = [next(rendered) for _child in page.rows]
        if page.more:
            url = f"{serialize.self_link(base, etype, parent.pk)}/{nav.name}"
            content[f"{nav.name}@iot.nextLink"] = next_link(url, options)
        out.append((parent, content))
    return out


def _expand_one(
    nav: Nav, target: EntityType, parents: list[Model], options: QueryOptions, base: str
) -> list[tuple[Model, dict[str, Any]]]:
    ids = {getattr(p, f"{nav.path}_id") for p in parents}
    rows = target.model.objects.filter(IdIn(F("pk"), list(ids - {None})))
    rows = filtered(target, rows, options)
    found = {o.pk: o for o in rows}
    objs = list(found.values())
    by_pk = dict(zip(found, render(target, objs, options, base), strict=True))
    out = []
    for parent in parents:  # no entity (or none that passed $filter): just the link
        entity = by_pk.get(getattr(parent, f"{nav.path}_id"))
        out.append((parent, {} if entity is None else {nav.name: entity}))
    return out


def _pages(
    nav: Nav, target: EntityType, parents: list[Model], options: QueryOptions
) -> dict[int, Page]:
    """The expanded entities of all parents, cut per parent: one query per
    ``_PARENTS_PER_QUERY`` parents (one for a default page)."""
    parent_ids = [p.pk for p in parents]
    where, order = condition(target, options), ordering(target, options)
    top, skip = paging(options)
    pages: dict[int, Page] = {}
    for start in range(0, len(parent_ids), _PARENTS_PER_QUERY):
        chunk = parent_ids[start : start + _PARENTS_PER_QUERY]
        for row in _first_rows(nav, target, chunk, where, order, skip + top + 1):
            page = pages.setdefault(row.sta_parent, Page([], None, False))
            if row.sta_rank > skip + top:
                page.more = top > 0  # $top=0: a count, never a link to the same page
            elif row.sta_rank > skip:
                page.rows.append(row)
    if options.count:
        rows = target.model.objects.annotate(sta_parent=F(nav.back))
        rows = rows.filter(IdIn(F("sta_parent"), parent_ids)).filter(where)
        for entry in rows.order_by().values("sta_parent").annotate(n=Count("pk")):
            pages.setdefault(entry["sta_parent"], Page([], None, False)).count = entry["n"]
    return pages


def _first_rows(
    nav: Nav, target: EntityType, parent_ids: list[int], where: Q, order: list, limit: int
) -> QuerySet:
    """The first ``limit`` rows of each parent, ranked (``sta_rank``) per parent.

    Each parent's rows come from a subquery with ``ORDER BY … LIMIT`` that an index such
    as (datastream, phenomenon time) answers without reading the whole series; the
    window function then only ranks the rows picked."""
    model = target.model
    # through a foreign key each row has one parent; through a many-to-many link a row
    # counts for the parent whose subquery picked it (for foreign keys that condition is
    # left out: SQLite would scan the parent's rows to test it)
    shared = model._meta.get_field(nav.back).many_to_many
    firsts = [
        model.objects.filter(**{nav.back: pk}).filter(where).order_by(*order).values("pk")[:limit]
        for pk in parent_ids
    ]
    if not shared and connection.features.supports_slicing_ordering_in_compound:
        # PostgreSQL: one IN over a UNION ALL (an OR of subqueries would scan the table)
        picked = Q(pk__in=firsts[0].union(*firsts[1:], all=True))
    else:  # SQLite answers the OR of subqueries by primary key, one subquery at a time
        picked = Q(pk__in=[])
        for pk, first in zip(parent_ids, firsts, strict=True):
            picked |= Q(pk__in=first, sta_parent=pk) if shared else Q(pk__in=first)
    rows = model.objects.annotate(sta_parent=F(nav.back)).filter(picked)
    rank = Window(RowNumber(), partition_by=[F("sta_parent")], order_by=order)
    return rows.annotate(sta_rank=rank).order_by("sta_parent", "sta_rank")


def _latest_only(nav: Nav, options: QueryOptions) -> bool:
    """``Observations($top=1;$orderby=phenomenonTime desc)`` of (Multi)Datastreams."""
    if nav.name != "Observations" or options.top != 1 or len(options.orderby) != 1:
        return False
    order = options.orderby[0]
    plain = replace(options, select=(), expand=(), orderby=(), top=None)
    return (
        isinstance(order.expr, Path)
        and (order.expr.segments, order.descending) == _LATEST
        and plain == QueryOptions()
    )


def _latest_pages(nav: Nav, parents: list[Model]) -> dict[int, Page]:
    latest = {p.pk: p.latest_id for p in parents if p.latest_id is not None}  # type: ignore[attr-defined]
    found = Observation.objects.in_bulk(list(latest.values()))
    others = Observation.objects.filter(**{nav.back: OuterRef("pk")}).exclude(
        pk=OuterRef("latest_id")
    )
    series = type(parents[0])
    # a scalar subquery with LIMIT 1 is run per series through the index; PostgreSQL
    # would turn an EXISTS into a join over all observations
    more = set(
        series.objects.filter(pk__in=list(latest))
        .annotate(sta_other=Subquery(others.values("pk")[:1]))
        .filter(sta_other__isnull=False)
        .values_list("pk", flat=True)
    )
    return {
        pk: Page([found[obs]] if obs in found else [], None, pk in more)
        for pk, obs in latest.items()
    }
