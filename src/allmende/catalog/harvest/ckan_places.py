"""Time and place of a CKAN package: dct:temporal, dcat:temporalResolution, dct:spatial.

CKAN core has no fields for either; portals use extras (ckanext-dcat: ``temporal_start``,
``spatial``, ``spatial_uri``; ckanext-spatial: ``temporal-extent-begin``, ``spatial``,
``bbox-*``; ckanext-dcatde: ``politicalGeocodingURI``) or top-level fields (Berlin:
``temporal_coverage_from``, ``geographical_coverage``, ``temporal_granularity``).
"""

import json
import re

from pyoxigraph import BlankNode, Literal, NamedNode

from ..dcat.build import GEOCODING_LEVELS
from ..dcat.namespaces import DCAT, DCATDE, DCT, GEO, LOCN, POLITICAL_GEOCODING, RDF, XSD
from .ckan_terms import (
    Context,
    date_literal,
    date_of,
    iri,
    load_json,
    short,
    text_literal,
    values,
    web_iri,
)
from .ckan_vocab import NO_RESOLUTION, duration, fold

START_KEYS = ("temporal_coverage_from", "temporal_start", "temporal-extent-begin")
END_KEYS = ("temporal_coverage_to", "temporal_end", "temporal-extent-end")
PLACE_NAME_KEYS = ("geographical_coverage", "spatial_text", "geocodingText")
NO_PLACE = frozenset({"keine", "none", "-"})
# fmt: off
GEOMETRY_TYPES = frozenset([
    "Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon",
    "GeometryCollection",
])
# fmt: on
_WKT = re.compile(
    r"^\s*(<[^>]+>\s*)?(POINT|MULTIPOINT|LINESTRING|MULTILINESTRING|POLYGON|MULTIPOLYGON"
    r"|GEOMETRYCOLLECTION)\s*(Z|M|ZM)?\s*\(",
    re.I,
)
BBOX_KEYS = ("bbox-west-long", "bbox-south-lat", "bbox-east-long", "bbox-north-lat")


def add_temporal(ctx: Context) -> None:
    """dct:temporal as a dct:PeriodOfTime with dcat:startDate/endDate, and
    dcat:temporalResolution from a granularity word ("Jahr" -> P1Y)."""
    start, end = _first_date(ctx, START_KEYS), _first_date(ctx, END_KEYS)
    if start is not None or end is not None:
        period = BlankNode()
        ctx.add(DCT.temporal, period)
        ctx.sink.add(period, RDF.type, DCT.PeriodOfTime)
        ctx.sink.add(period, DCAT.startDate, start)
        ctx.sink.add(period, DCAT.endDate, end)
    if start is not None and end is not None and date_of(end) < date_of(start):
        ctx.defect(f"temporal coverage ends ({end.value}) before it starts ({start.value})")
    granularity = ctx.fields.text("temporal_granularity", "temporal_resolution")
    if granularity and fold(granularity) not in NO_RESOLUTION:
        found = duration(granularity)
        ctx.add(DCAT.temporalResolution, Literal(found, datatype=XSD.duration) if found else None)
        if found is None:
            ctx.defect(f"temporal granularity {short(granularity)!r} is no duration: left out")


def _first_date(ctx: Context, keys: tuple[str, ...]) -> Literal | None:
    for key, raw in ctx.fields.all(*keys):
        moment = date_literal(raw)
        if moment is not None:
            return moment
        ctx.defect(f"{key} {short(raw)!r} is no date: left out")
    return None


def add_spatial(ctx: Context) -> None:
    """dct:spatial: political geocoding IRIs (with their level), other place IRIs, and one
    dct:Location with the place's name, geometry and bounding box."""
    _add_geocoding(ctx)
    for value in values(ctx.fields.get("spatial_uri")):
        node = iri(value)
        ctx.add(DCT.spatial, node)
        if node is None:
            ctx.defect(f"spatial_uri {short(value)!r} is not an IRI: left out")
    name = ctx.fields.text(*PLACE_NAME_KEYS)
    raw = ctx.fields.get("spatial")
    if isinstance(raw, str) and raw.strip().startswith(("http://", "https://")):
        ctx.add(DCT.spatial, web_iri(raw, "spatial", ctx.sink))  # a place IRI
        raw = None
    geometry = _geometry(ctx, raw)
    bbox = _bbox(ctx)
    if fold(name) in NO_PLACE:
        name = ""
    if not (name or geometry or bbox):
        return
    place = BlankNode()
    ctx.add(DCT.spatial, place)
    ctx.sink.add(place, RDF.type, DCT.Location)
    ctx.sink.add(place, LOCN.geographicName, text_literal(name, ctx.language))
    ctx.sink.add(place, LOCN.geometry, geometry)
    ctx.sink.add(place, DCAT.bbox, bbox)


def _add_geocoding(ctx: Context) -> None:
    """DCAT-AP.de 3.0 writes political geocoding IRIs as dct:spatial (the older
    dcatde:politicalGeocodingURI is deprecated); the level stays
    dcatde:politicalGeocodingLevelURI, derived from the key type when not given."""
    levels = {v for v in values(ctx.fields.get("politicalGeocodingLevelURI")) if iri(v)}
    for value in values(ctx.fields.get("politicalGeocodingURI")):
        node = iri(value)
        if node is None:
            ctx.defect(f"politicalGeocodingURI {short(value)!r} is not an IRI: left out")
            continue
        ctx.add(DCT.spatial, node)
        key = value.removeprefix(POLITICAL_GEOCODING).split("/", 1)[0]
        if not levels and value.startswith(POLITICAL_GEOCODING) and key in GEOCODING_LEVELS:
            levels.add(f"{POLITICAL_GEOCODING}Level/{GEOCODING_LEVELS[key]}")
    for level in sorted(levels):
        ctx.add(DCATDE.politicalGeocodingLevelURI, NamedNode(level))


def _geometry(ctx: Context, raw: object) -> Literal | None:
    """A GeoJSON geometry (a Feature's geometry is taken) as geo:geoJSONLiteral, or WKT
    as geo:wktLiteral."""
    if raw is None:
        return None
    if isinstance(raw, str) and _WKT.match(raw):
        return Literal(raw.strip(), datatype=GEO.wktLiteral)
    data = load_json(raw)
    if isinstance(data, dict) and data.get("type") == "Feature":
        data = data.get("geometry")
    if isinstance(data, dict) and str(data.get("type")) in GEOMETRY_TYPES:
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        return Literal(text, datatype=GEO.geoJSONLiteral)
    ctx.defect(f"spatial {short(raw)!r} is no GeoJSON geometry or WKT: left out")
    return None


def _bbox(ctx: Context) -> Literal | None:
    """ckanext-spatial's bbox-west-long, -south-lat, -east-long, -north-lat as a WKT
    polygon (dcat:bbox)."""
    given = dict(ctx.fields.all(*BBOX_KEYS))
    if not given:
        return None
    try:
        west, south, east, north = (float(str(given[k]).strip()) for k in BBOX_KEYS)
    except (KeyError, ValueError):
        ctx.defect("bounding box (bbox-*) incomplete or not numeric: left out")
        return None
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        ctx.defect("bounding box (bbox-*) outside the coordinate ranges: left out")
        return None
    ring = f"{west} {south}, {east} {south}, {east} {north}, {west} {north}, {west} {south}"
    return Literal(f"POLYGON(({ring}))", datatype=GEO.wktLiteral)
