"""Spatial functions of ``$filter`` without PostGIS: narrowed in SQL, decided in Python.

A spatial test compares a geometry property (``location``, ``feature``,
``observedArea``, also along a path: ``Locations/location``) with a geometry literal.
The rows of the entity holding the geometry are first narrowed by the bounding box
columns where the predicate allows it (``st_within``: the row's box inside the
literal's; ``st_contains``: around it; ``st_intersects``, ``st_equals``, ``st_touches``,
``st_overlaps``, ``st_crosses``, ``geo.intersects``: the boxes meet; ``geo.distance(…)
lt d``: the boxes meet once the literal's is widened by d), then tested exactly with
shapely. The ids that pass enter the SQL query as one condition, so ``$top``, ``$skip``
and ``$count`` count only rows that passed the exact test. ``st_disjoint``,
``st_relate`` and other distance comparisons read every row that has a geometry.

Coordinates are taken as plane coordinates, as FROST-Server does with PostGIS
geometries: ``geo.distance`` and ``geo.length`` are in degrees for WGS 84 data.
"""

import operator
from dataclasses import dataclass
from typing import Any

import shapely
from django.db.models import F, Q
from django.utils.translation import gettext as _
from shapely.geometry import GeometryCollection, shape
from shapely.geometry.base import BaseGeometry

from ..models import FeatureOfInterest, Location
from ..query import ast
from .entities import EntityType
from .sql import IdIn
from .terms import Term, coerce, fail

_PREDICATES = {
    "geo.intersects": "intersects",
    "st_intersects": "intersects",
    "st_equals": "equals",
    "st_disjoint": "disjoint",
    "st_touches": "touches",
    "st_within": "within",
    "st_overlaps": "overlaps",
    "st_crosses": "crosses",
    "st_contains": "contains",
    "st_relate": "relate",
}
_SWAPPED = {"within": "contains", "contains": "within"}
_COMPARE = {
    "eq": operator.eq,
    "ne": operator.ne,
    "gt": operator.gt,
    "ge": operator.ge,
    "lt": operator.lt,
    "le": operator.le,
}
_MIRROR = {"eq": "eq", "ne": "ne", "gt": "lt", "ge": "le", "lt": "gt", "le": "ge"}
_BOXED = (Location, FeatureOfInterest)
_PATTERN = frozenset("TF012*")


@dataclass(frozen=True)
class GeoRef:
    """A geometry column reached by the ORM path ``prefix`` from the filtered entity."""

    prefix: str
    etype: EntityType
    column: str

    def column_expr(self) -> F:
        return F(self.prefix + self.column)

    def matching(self, test: Any, narrow: Q) -> Q:
        """The condition "the geometry passes ``test``" (a function of an array of
        geometries giving an array of booleans), over the rows ``narrow`` leaves."""
        model = self.etype.model
        rows = list(
            model.objects.filter(narrow)
            .exclude(**{f"{self.column}__isnull": True})
            .values_list("pk", self.column)
        )
        shapes = [to_shape(value) for _pk, value in rows]
        passed = test(shapes) if rows else []
        ids = [pk for (pk, _value), ok in zip(rows, passed, strict=True) if ok]
        return Q(IdIn(F(self.prefix + "pk"), ids))

    def boxed(self) -> bool:
        return self.etype.model in _BOXED


def to_shape(value: Any) -> BaseGeometry | None:
    """A shapely geometry from stored GeoJSON (a geometry, Feature or FeatureCollection)."""
    try:
        if value.get("type") == "Feature":
            return to_shape(value.get("geometry") or {})
        if value.get("type") == "FeatureCollection":
            parts = [to_shape(f) for f in value.get("features") or []]
            return GeometryCollection([p for p in parts if p is not None])
        return shape(value)
    except (AttributeError, TypeError, ValueError, KeyError, shapely.errors.ShapelyError):
        return None


def literal_term(node: ast.GeometryLiteral) -> Term:
    geometry = shape(node.value.as_geojson())
    if not geometry.is_valid and geometry.geom_type in ("Polygon", "MultiPolygon"):
        raise fail(_("the geometry %(wkt)s is not valid"), wkt=node.value.to_wkt())
    return Term("geometry", geometry, geometry)


def _box(geometry: BaseGeometry, grow: float = 0.0) -> tuple[float, float, float, float]:
    west, south, east, north = geometry.bounds
    return west - grow, south - grow, east + grow, north + grow


def _meets(box: tuple[float, float, float, float]) -> Q:
    west, south, east, north = box
    return Q(west__lte=east, east__gte=west, south__lte=north, north__gte=south)


def _narrow(ref: GeoRef, predicate: str, literal: BaseGeometry) -> Q:
    if not ref.boxed() or predicate in ("disjoint", "relate"):
        return Q()
    west, south, east, north = _box(literal)
    if predicate == "within":
        return Q(west__gte=west, east__lte=east, south__gte=south, north__lte=north)
    if predicate == "contains":
        return Q(west__lte=west, east__gte=east, south__lte=south, north__gte=north)
    return _meets((west, south, east, north))


def _sides(args: list[Term], name: str) -> tuple[Term, Term, bool]:
    """(reference, literal, swapped) of a two-geometry function."""
    first, second = args[0], args[1]
    for term in (first, second):
        if term.kind != "geometry":
            raise fail(_("%(name)s needs geometries"), name=name)
    if isinstance(first.expr, GeoRef) and not isinstance(second.expr, GeoRef):
        return first, second, False
    if isinstance(second.expr, GeoRef) and not isinstance(first.expr, GeoRef):
        return second, first, True
    if first.constant and second.constant:
        return first, second, False
    raise fail(_("%(name)s compares a geometry property with a geometry literal"), name=name)


def _relate_pattern(args: list[Term]) -> str:
    pattern = coerce(args[2], "text") if args[2].kind != "text" else args[2]
    text = pattern.const if pattern.constant else None
    if not isinstance(text, str) or len(text) != 9 or not set(text) <= _PATTERN:
        raise fail(_("st_relate needs a DE-9IM pattern of 9 characters from T, F, 0, 1, 2, *"))
    return text


def spatial(name: str, args: list[Term]) -> Term:
    """A spatial predicate (a condition) or measure (a term waiting for its comparison)."""
    if name in ("geo.distance", "geo.length"):
        return _measure(name, args)
    predicate = _PREDICATES[name]
    ref, literal, swapped = _sides(args, name)
    if swapped:
        predicate = _SWAPPED.get(predicate, predicate)
    pattern = _relate_pattern(args) if predicate == "relate" else ""

    def test(shapes: Any) -> Any:
        if predicate == "relate":
            return shapely.relate_pattern(shapes, literal.const, pattern)
        return getattr(shapely, predicate)(shapes, literal.const)

    if ref.constant:
        return Term("bool", Q() if bool(test([ref.const])[0]) else Q(pk__in=[]))
    return Term("bool", ref.expr.matching(test, _narrow(ref.expr, predicate, literal.const)))


def _measure(name: str, args: list[Term]) -> Term:
    if name == "geo.length":
        if args[0].kind != "geometry":
            raise fail(_("%(name)s needs geometries"), name=name)
        return Term("measure", (name, args[0], None))
    ref, literal, _swapped = _sides(args, name)
    return Term("measure", (name, ref, literal))


def compare_measure(op: str, left: Term, right: Term) -> Q:
    """``geo.distance(…) lt 0.01`` and the like: decided per row in Python."""
    if left.kind != "measure":
        left, right, op = right, left, _MIRROR[op]
    if right.kind != "number" or not right.constant:
        raise fail(_("compare %(name)s with a number"), name=left.expr[0])
    name, ref, literal = left.expr
    limit = right.const
    compare = _COMPARE[op]

    def measure(shapes: Any) -> Any:
        if name == "geo.length":
            return shapely.length(shapes)
        return shapely.distance(shapes, literal.const)

    def test(shapes: Any) -> list[bool]:
        return [bool(compare(value, limit)) for value in measure(shapes)]

    if ref.constant:
        return Q() if test([ref.const])[0] else Q(pk__in=[])
    narrow = Q()
    if name == "geo.distance" and op in ("lt", "le") and ref.expr.boxed():
        narrow = _meets(_box(literal.const, grow=limit))
    return ref.expr.matching(test, narrow)
