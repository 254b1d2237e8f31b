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

Both search engines also file a box under the cells of a 0.25° grid it touches
(:func:`cells`), so a map filter takes whole cells inside it at once and checks only the
boxes in cells on its edge (:func:`cell_in_box`).
"""

import json
import math
import re

from .base import BBox

#: Official keys (Amtlicher Gemeinde-/Kreis-/Länderschlüssel) -> (west, south, east, north).
KNOWN_PLACES: dict[str, BBox] = {
    "16053000": (11.4900, 50.8200, 11.6850, 50.9950),  # Jena (kreisfreie Stadt)
    "16": (9.8770, 50.2040, 12.6540, 51.6490),  # Thüringen
}

#: Grid cell size in degrees, and the most cells a box is filed under (else "G:wide").
CELL, MAX_CELLS = 0.25, 64


def _span(low: float, high: float) -> range:
    return range(math.floor(low / CELL), math.floor(high / CELL) + 1)


def cells(box: BBox) -> list[str]:
    """The grid keys of a bounding box (``G:<x>:<y>``, or ``G:wide`` for a large box)."""
    west, south, east, north = box
    xs, ys = _span(west, east), _span(south, north)
    if len(xs) * len(ys) > MAX_CELLS:
        return ["G:wide"]
    return [f"G:{x}:{y}" for x in xs for y in ys]


def cell_in_box(x: int, y: int, box: BBox) -> str:
    """Whether every box filed under cell (x, y) meets ``box`` ("sure"), some may ("edge"),
    or none does (""). A box reaching into ``box`` from a cell left out is also filed
    under a cell further on."""
    west, south, east, north = box
    if x not in _span(west, east) or y not in _span(south, north):
        return ""
    inside = x * CELL >= west and (x + 1) * CELL <= east
    return "sure" if inside and y * CELL >= south and (y + 1) * CELL <= north else "edge"


def box_cells(box: BBox, limit: int = 4096) -> tuple[list[str], list[str]] | None:
    """The keys of the cells surely in ``box`` and on its edge (with ``G:wide``); None
    when the box spans more than ``limit`` cells."""
    west, south, east, north = box
    xs, ys = _span(west, east), _span(south, north)
    if len(xs) * len(ys) > limit:
        return None
    sure, edge = [], ["G:wide"]
    for x in xs:
        for y in ys:
            (sure if cell_in_box(x, y, box) == "sure" else edge).append(f"G:{x}:{y}")
    return sure, edge


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
