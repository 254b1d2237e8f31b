"""Pages of the sensor hub: the sensor map (Things at their Locations, with their
Datastreams and latest values) and a page per Datastream with a chart over a chosen
range. Data for the map is embedded as GeoJSON; the map script is ours, Leaflet is served
by us, background tiles only when configured."""

import datetime as dt

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import selectors
from .charts import series_chart
from .models import Datastream, DerivedRule, Location, Thing
from .sta.values import decode_result

RANGES = {
    "day": (_("last 24 hours"), dt.timedelta(days=1), 1),
    "week": (_("last 7 days"), dt.timedelta(days=7), 3),
    "month": (_("last 30 days"), dt.timedelta(days=30), 12),
    "year": (_("last 12 months"), dt.timedelta(days=365), 24 * 7),
}


def sensor_map(request: HttpRequest) -> HttpResponse:
    things = list(Thing.objects.order_by("name")[:2000])
    streams: dict[int, list[Datastream]] = {}
    for stream in Datastream.objects.filter(thing__in=things).order_by("name"):
        streams.setdefault(stream.thing_id, []).append(stream)
    latest = {
        entry.datastream: entry
        for entry in selectors.latest([s.pk for group in streams.values() for s in group])
    }
    features = []
    for location in Location.objects.filter(things__in=things).values("things", "name", "location"):
        geometry = location["location"]
        if isinstance(geometry, dict) and geometry.get("type") == "Feature":
            geometry = geometry.get("geometry")
        if not isinstance(geometry, dict):
            continue
        thing = next(t for t in things if t.pk == location["things"])
        features.append(
            {"type": "Feature", "geometry": geometry, "properties": {"name": thing.name}}
        )
    rows = [(thing, [(s, latest.get(s.pk)) for s in streams.get(thing.pk, [])]) for thing in things]
    return render(
        request,
        "sensors/map.html",
        {
            "rows": rows,
            "geojson": {"type": "FeatureCollection", "features": features},
            "rules": DerivedRule.objects.filter(enabled=True).order_by("name"),
            "tiles": settings.ALLMENDE_MAP_TILE_URL,
            "attribution": settings.ALLMENDE_MAP_TILE_ATTRIBUTION,
        },
    )


def datastream_detail(request: HttpRequest, pk: int) -> HttpResponse:
    stream = (
        Datastream.objects.select_related("thing", "sensor", "observed_property")
        .filter(pk=pk)
        .first()
    )
    if stream is None:
        raise Http404
    chosen = request.GET.get("range", "week")
    if chosen not in RANGES:
        chosen = "week"
    _label, span, hours = RANGES[chosen]
    end = (stream.latest_start or dt.datetime.now(dt.UTC)) + dt.timedelta(hours=1)
    buckets = selectors.aggregate(stream.pk, end - span, end, dt.timedelta(hours=hours))
    rows = [(b.start, b.mean, b.minimum, b.maximum) for b in buckets if b.mean is not None]
    latest = None
    if stream.latest_id:
        row = (
            stream.observations.filter(pk=stream.latest_id)
            .values_list("phenomenon_start", "number", "integer", "result")
            .first()
        )
        if row:
            latest = (row[0], decode_result(row[1], row[2], row[3]))
    return render(
        request,
        "sensors/datastream.html",
        {
            "stream": stream,
            "unit": (stream.unit_of_measurement or {}).get("symbol", ""),
            "latest": latest,
            "chart": series_chart(rows),
            "rows": rows,
            "ranges": [(key, label) for key, (label, _s, _h) in RANGES.items()],
            "chosen": chosen,
            "hours": hours,
            "sta_url": f"/sta/v1.1/Datastreams({stream.pk})",
        },
    )


#: The classes' colours on the map, dark enough for 3:1 against white (WCAG 1.4.11);
#: the class is also written out, in the table and the tooltip.
CLASS_COLOURS = {"blue": "#1f5fa8", "green": "#2e7d32", "yellow": "#9a6a00", "red": "#b3261e"}
CLASS_NAMES = {
    "blue": _("wet"),
    "green": _("fine"),
    "yellow": _("dry: water soon"),
    "red": _("very dry: water now"),
}


def tree_watering(request: HttpRequest, rule: int) -> HttpResponse:
    """The reference areas of a rule, coloured by the class of their sensors' mean."""
    from .services.derived import area_status

    found = DerivedRule.objects.filter(pk=rule).first()
    if found is None:
        raise Http404
    status = area_status(found)
    for feature in status["features"]:
        props = feature["properties"]
        klass = props.get("class")
        props["colour"] = CLASS_COLOURS.get(klass, "#6b7280")
        props["label"] = f"{props['name']}: {CLASS_NAMES.get(klass, _('no sensor'))}"
        props["class_name"] = CLASS_NAMES.get(klass, "")
    return render(
        request,
        "sensors/tree_watering.html",
        {
            "rule": found,
            "geojson": status,
            "areas": [f["properties"] for f in status["features"]],
            "legend": [(CLASS_COLOURS[k], CLASS_NAMES[k]) for k in CLASS_COLOURS],
            "tiles": settings.ALLMENDE_MAP_TILE_URL,
            "attribution": settings.ALLMENDE_MAP_TILE_ATTRIBUTION,
        },
    )
