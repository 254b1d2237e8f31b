"""Previews of uploaded distribution files: the first rows of a CSV, a GeoJSON document.

Only files in our own storage are read (never a linked URL from a page request), and at
most ``MAX_BYTES`` of them.
"""

import csv
import io
import json

from .models import Distribution

MAX_BYTES = 1024 * 1024
MAX_ROWS = 20


def _read(distribution: Distribution) -> bytes | None:
    if not distribution.file:
        return None
    try:
        with distribution.file.open("rb") as handle:
            return handle.read(MAX_BYTES)
    except OSError:
        return None


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def is_csv(distribution: Distribution) -> bool:
    return distribution.format.endswith("/CSV") or distribution.media_type == "text/csv"


def is_geojson(distribution: Distribution) -> bool:
    return distribution.format.endswith("/GEOJSON") or "geo+json" in distribution.media_type


def csv_preview(distribution: Distribution) -> list[list[str]] | None:
    """Header and up to MAX_ROWS rows, or None when there is nothing to show."""
    data = _read(distribution)
    if not data:
        return None
    text = _decode(data)
    if len(data) == MAX_BYTES:  # cut at the last complete line
        text = text[: text.rfind("\n")]
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=";,\t|")
    except csv.Error:
        dialect = csv.excel
    rows = []
    for row in csv.reader(io.StringIO(text), dialect):
        rows.append([cell[:200] for cell in row[:30]])
        if len(rows) > MAX_ROWS:
            break
    return rows or None


def geojson_preview(distribution: Distribution) -> dict | None:
    """The GeoJSON document (FeatureCollection) when it parses and is small enough."""
    data = _read(distribution)
    if not data or len(data) >= MAX_BYTES:
        return None
    try:
        document = json.loads(_decode(data))
    except ValueError:
        return None
    if not isinstance(document, dict) or not isinstance(document.get("features"), list):
        return None
    return {"type": "FeatureCollection", "features": document["features"]}


def feature_names(document: dict, limit: int = 50) -> list[str]:
    """Readable names of features, for the list beside the map."""
    names = []
    for feature in document["features"][:limit]:
        props = feature.get("properties") or {}
        name = props.get("name") or props.get("Name") or props.get("bezeichnung") or props.get("id")
        names.append(str(name) if name is not None else "–")
    return names
