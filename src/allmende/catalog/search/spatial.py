"""Bounding boxes from a dataset's spatial coverage, for the search's map filter.

Understood, in this order:

- ``Dataset.spatial`` holding a ``locn:geometry`` literal as WKT (``POINT``, ``POLYGON``,
  ``MULTIPOLYGON``, ``LINESTRING``, ``ENVELOPE(west, east, north, south)``, optionally
  prefixed by ``<CRS-IRI>`` or ``SRID=4326;``) or GeoJSON (any geometry; the box is taken
  over all coordinates);
- a political geocoding IRI (``Dataset.political_geocoding`` or ``Dataset.spatial``) whose
  last segment is a known key in :data:`KNOWN_PLACES` (e.g. Jena's municipality key
  16053000).

Anything else (a GeoNames IRI, say) gives no box: the dataset is then never found by a map
filter. Coordinates are taken as WGS 84 longitude/latitude, as DCAT-AP asks.
"""

import json
import re

from .base import BBox

#: Official keys (Amtlicher Gemeinde-/Kreis-/Länderschlüssel) -> (west, south, east, north).
KNOWN_PLACES: dict[str, BBox] = {
    "16053000": (11.4900, 50.8200, 11.6850, 50.9950),  # Jena (kreisfreie Stadt)
    "16": (9.8770, 50.2040, 12.6540, 51.6490),  # Thüringen
}

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_ENVELOPE = re.compile(r"^\s*ENVELOPE\s*\(([^)]*)\)", re.IGNORECASE)


def bbox_from_geometry(text: str) -> BBox | None:
    """The box around a WKT or GeoJSON geometry, or None if it is neither."""
    text = text.strip()
    if not text:
        return None
    if text.startswith("{"):
        return _geojson_bbox(text)
    text = re.sub(r"^(<[^>]*>|SRID=\d+;)\s*", "", text)
    envelope = _ENVELOPE.match(text)
    if envelope:
        numbers = [float(n) for n in _NUMBER.findall(envelope.group(1))]
        if len(numbers) == 4:
            west, east, north, south = numbers
            return _checked((west, south, east, north))
        return None
    if not re.match(r"^\s*(MULTI)?(POINT|LINESTRING|POLYGON)\b", text, re.IGNORECASE):
        return None
    return _box([float(n) for n in _NUMBER.findall(text)])


def _geojson_bbox(text: str) -> BBox | None:
    try:
        data = json.loads(text)
    except ValueError:
        return None
    numbers: list[float] = []
    _flatten(data.get("coordinates") if isinstance(data, dict) else None, numbers)
    return _box(numbers)


def _flatten(value, out: list[float]) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        out.append(float(value))
    elif isinstance(value, list):
        if value and all(isinstance(v, (int, float)) for v in value):
            out.extend(float(v) for v in value[:2])  # x, y; a third value is the height
        else:
            for item in value:
                _flatten(item, out)


def _box(numbers: list[float]) -> BBox | None:
    if len(numbers) < 2 or len(numbers) % 2:
        return None
    xs, ys = numbers[0::2], numbers[1::2]
    return _checked((min(xs), min(ys), max(xs), max(ys)))


def _checked(box: BBox) -> BBox | None:
    west, south, east, north = box
    if -180 <= west <= east <= 180 and -90 <= south <= north <= 90:
        return box
    return None


def bbox_for(spatial: str, political_geocoding: str = "") -> BBox | None:
    """The box of a dataset's spatial coverage (see the module docstring), or None."""
    box = bbox_from_geometry(spatial) if not spatial.startswith("http") else None
    if box:
        return box
    for iri in (political_geocoding, spatial):
        key = iri.rstrip("/").rsplit("/", 1)[-1] if iri.startswith("http") else ""
        if key in KNOWN_PLACES:
            return KNOWN_PLACES[key]
    return None
