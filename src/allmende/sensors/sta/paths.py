"""Resource paths: ``Things``, ``Things(1)``, ``Things(1)/Datastreams``,
``Datastreams(5)/Thing/name``, ``…/name/$value``, ``…/$ref``.

A path resolves to a :class:`Target`: the entity type, the rows (a queryset: the
collection, or the one entity), and, for a property, which one. Navigating from a
missing entity is a 404; an unknown name is a 404 too (the standard's "not found").
"""

import re
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .entities import ENTITY_SETS, EntityType, Nav, Prop
from .errors import bad_request, not_found

_SEGMENT = re.compile(r"^(?P<name>[A-Za-z]+)(?:\((?P<id>[^)]*)\))?$")


@dataclass
class Target:
    etype: EntityType
    rows: QuerySet
    single: bool  # one entity (else a collection)
    pk: int | None = None
    prop: Prop | None = None
    value: bool = False  # /$value
    ref: bool = False  # /$ref
    #: for a collection reached by navigation: (parent type, parent id, navigation)
    via: tuple[EntityType, int, Nav] | None = None


def parse_id(text: str, where: str) -> int:
    try:
        pk = int(text)
    except ValueError:
        raise bad_request(_("%(where)s: the id must be an integer") % {"where": where}) from None
    if pk < 1 or pk > 2**63 - 1:
        raise not_found(_("%(where)s: no such entity") % {"where": where})
    return pk


def resolve(path: str) -> Target:
    segments = [s for s in path.strip("/").split("/") if s]
    if not segments:
        raise not_found(_("empty path"))
    first = _SEGMENT.match(segments[0])
    if not first or first["name"] not in ENTITY_SETS:
        raise not_found(_("no such entity set: %(name)s") % {"name": segments[0]})
    etype = ENTITY_SETS[first["name"]]
    target = Target(etype, etype.model.objects.all(), single=False)
    if first["id"] is not None:
        target = _one(target, parse_id(first["id"], segments[0]), segments[0])
    for index, segment in enumerate(segments[1:], start=1):
        seen = "/".join(segments[:index])
        target = _step(target, segment, seen)
    return target


def _one(target: Target, pk: int, where: str) -> Target:
    rows = target.rows.filter(pk=pk)
    if not rows.exists():
        raise not_found(_("%(where)s: no such entity") % {"where": where})
    return Target(target.etype, rows, True, pk=pk, via=target.via)


def _step(target: Target, segment: str, seen: str) -> Target:
    if target.value or target.ref:
        raise not_found(_("nothing follows %(seen)s") % {"seen": seen})
    if segment in ("$ref", "$value"):
        return _suffix(target, segment)
    if target.prop is not None:
        raise not_found(_("%(seen)s is a property: nothing follows it") % {"seen": seen})
    if not target.single:
        raise bad_request(
            _("%(seen)s is a collection: name one entity of it first") % {"seen": seen}
        )
    match = _SEGMENT.match(segment)
    etype = target.etype
    if match and match["id"] is None and match["name"] in etype.prop_by_name:
        target.prop = etype.prop_by_name[match["name"]]
        return target
    nav = etype.nav_by_name.get(match["name"]) if match else None
    if nav is None or match is None or target.pk is None:
        raise not_found(
            _("%(type)s has no property or navigation %(name)s")
            % {"type": etype.singular, "name": segment}
        )
    return _navigate(target.pk, etype, nav, match["id"], seen, segment)


def _suffix(target: Target, segment: str) -> Target:
    if segment == "$ref":
        if target.prop is not None:
            raise bad_request(_("$ref follows an entity or a collection, not a property"))
        target.ref = True
    else:
        if target.prop is None:
            raise bad_request(_("$value follows a property"))
        target.value = True
    return target


def _navigate(
    pk: int, etype: EntityType, nav: Nav, given_id: str | None, seen: str, segment: str
) -> Target:
    next_type = ENTITY_SETS[nav.target]
    rows = next_type.model.objects.filter(**{nav.back: pk})
    if not nav.many:
        if given_id is not None:
            raise bad_request(_("%(name)s leads to one entity: no id here") % {"name": nav.name})
        found = rows.values_list("pk", flat=True).first()
        if found is None:
            raise not_found(_("%(seen)s has no %(name)s") % {"seen": seen, "name": nav.name})
        return Target(next_type, next_type.model.objects.filter(pk=found), True, pk=found)
    collection = Target(next_type, rows, False, via=(etype, pk, nav))
    if given_id is not None:
        return _one(collection, parse_id(given_id, segment), f"{seen}/{segment}")
    return collection
