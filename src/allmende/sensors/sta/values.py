"""Values between JSON and columns: times, time intervals, results and geometries.

Errors raise :class:`ValueError` with one readable line; the API turns it into a 400.
"""

import datetime as dt
import math
from collections.abc import Iterator
from typing import Any

from django.utils.translation import gettext as _

UTC = dt.UTC
_GEOMETRY_TYPES = {
    "Point": 0,
    "MultiPoint": 1,
    "LineString": 1,
    "MultiLineString": 2,
    "Polygon": 2,
    "MultiPolygon": 3,
}


def parse_time(text: Any, name: str = "time") -> dt.datetime:
    """An ISO 8601 date-time with offset (``Z`` or ``±hh:mm``), as an aware datetime."""
    if not isinstance(text, str):
        raise ValueError(_("%(name)s must be an ISO 8601 date and time") % {"name": name})
    try:
        value = dt.datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(
            _("%(name)s: %(value)r is no ISO 8601 date and time") % {"name": name, "value": text}
        ) from None
    if value.tzinfo is None:
        raise ValueError(
            _("%(name)s: %(value)r needs a time zone offset, e.g. Z")
            % {"name": name, "value": text}
        )
    return value.astimezone(UTC)


def parse_span(text: Any, name: str = "time") -> tuple[dt.datetime, dt.datetime]:
    """An ISO 8601 interval ``start/end`` (end not before start)."""
    if not isinstance(text, str) or text.count("/") != 1:
        raise ValueError(_("%(name)s must be an interval start/end") % {"name": name})
    start, end = (parse_time(part, name) for part in text.split("/"))
    if end < start:
        raise ValueError(_("%(name)s: the interval ends before it starts") % {"name": name})
    return start, end


def parse_time_or_span(text: Any, name: str = "time") -> tuple[dt.datetime, dt.datetime | None]:
    """An instant (end None) or an interval."""
    if isinstance(text, str) and "/" in text:
        return parse_span(text, name)
    return parse_time(text, name), None


def format_time(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    value = value.astimezone(UTC)
    spec = "milliseconds" if value.microsecond % 1000 == 0 else "microseconds"
    text = value.isoformat(timespec=spec).replace("+00:00", "Z")
    return text.replace(".000Z", "Z")


def format_span(start: dt.datetime | None, end: dt.datetime | None) -> str | None:
    """``start/end``; an instant when there is no end; None when there is no start."""
    if start is None:
        return None
    if end is None:
        return format_time(start)
    return f"{format_time(start)}/{format_time(end)}"


def encode_result(value: Any) -> tuple[float | None, bool, Any]:
    """(number, was it an integer, JSON) for a result: numbers go into the float column."""
    if isinstance(value, bool) or value is None:
        return None, False, value
    if isinstance(value, int):
        if abs(value) < 2**53:
            return float(value), True, None
        return None, False, value
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(_("result: numbers must be finite"))
        return value, False, None
    return None, False, value


def decode_result(number: float | None, integer: bool, other: Any) -> Any:
    if number is None:
        return other
    return int(number) if integer else number


def check_geometry(value: Any, name: str) -> tuple[float, float, float, float] | None:
    """Check a GeoJSON geometry, Feature or FeatureCollection; return its bounding box
    (west, south, east, north), or None when it has no coordinates."""
    if not isinstance(value, dict) or not isinstance(value.get("type"), str):
        raise ValueError(_("%(name)s must be a GeoJSON object with a type") % {"name": name})
    points = list(_points(value, name))
    if not points:
        return None
    xs, ys = [p[0] for p in points], [p[1] for p in points]
    return min(xs), min(ys), max(xs), max(ys)


def bounds(geometry: Any, name: str, *, optional: bool = False) -> dict[str, float | None]:
    """The bounding-box columns (west, south, east, north) of a geometry, checked; all
    None for one without coordinates, or for None when ``optional``."""
    box = None if optional and geometry is None else check_geometry(geometry, name)
    return dict(zip(("west", "south", "east", "north"), box or (None,) * 4, strict=True))


def _points(value: dict, name: str) -> Iterator[tuple[float, float]]:
    kind = value.get("type")
    if kind == "Feature":
        if value.get("geometry") is not None:
            yield from _points(value["geometry"], name)
        return
    if kind == "FeatureCollection":
        for feature in value.get("features") or []:
            yield from _points(feature, name)
        return
    if kind == "GeometryCollection":
        for geometry in value.get("geometries") or []:
            yield from _points(geometry, name)
        return
    if kind not in _GEOMETRY_TYPES:
        raise ValueError(
            _("%(name)s: unknown GeoJSON type %(type)r") % {"name": name, "type": kind}
        )
    yield from _positions(value.get("coordinates"), _GEOMETRY_TYPES[kind], name)


def _positions(coordinates: Any, depth: int, name: str) -> Iterator[tuple[float, float]]:
    if depth == 0:
        if (
            not isinstance(coordinates, list)
            or len(coordinates) < 2
            or not all(isinstance(c, (int, float)) and not isinstance(c, bool) for c in coordinates)
        ):
            raise ValueError(_("%(name)s: a position needs two or three numbers") % {"name": name})
        yield float(coordinates[0]), float(coordinates[1])
        return
    if not isinstance(coordinates, list):
        raise ValueError(
            _("%(name)s: coordinates are not nested as the type needs") % {"name": name}
        )
    for inner in coordinates:
        yield from _positions(inner, depth - 1, name)
