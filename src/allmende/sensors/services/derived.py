"""Computing derived quantities (see ``models/derived.py``) and summarising areas.

``run_rules`` (a worker task, every minute) takes each rule's new source observations
(ids above its watermark, at most ``BATCH`` per run), groups them per Thing and time,
computes the value (pF = log10 of the tension in hPa, averaged over the Thing's
sources), classes it and stores it as an observation of the Thing's derived Datastream
(``parameters.class`` holds the class). ``area_status`` gives each reference area the
mean of the latest values of the Things located in it, with its class, as GeoJSON.
"""

import math
from collections import defaultdict
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import models as m
from ..sta.entities import ENTITY_SETS
from ..sta.values import check_geometry
from .entities import saved
from .ingest import NewObservation, store_observations

BATCH = 50_000


def classify(value: float, classes: list[dict]) -> str:
    """The class of ``value``: the first whose ``below`` (<) or ``upto`` (≤) holds, or
    the first without either."""
    for entry in classes:
        if "below" in entry and value < entry["below"]:
            return entry["class"]
        if "upto" in entry and value <= entry["upto"]:
            return entry["class"]
        if "below" not in entry and "upto" not in entry:
            return entry["class"]
    return ""


def pf(tension: float, factor: float) -> float:
    """pF: log10 of the absolute soil water tension in hPa (0 below 1 hPa)."""
    hpa = abs(tension) * factor
    return round(math.log10(hpa), 3) if hpa >= 1 else 0.0


def run_rules() -> int:
    """Process the new source observations of every enabled rule; returns how many
    derived observations were stored."""
    stored = 0
    for rule in m.DerivedRule.objects.filter(enabled=True):
        stored += run_rule(rule)
    return stored


def run_rule(rule: m.DerivedRule) -> int:
    sources = dict(
        m.Datastream.objects.filter(
            observed_property__definition=rule.source_definition
        ).values_list("pk", "thing_id")
    )
    if not sources:
        return 0
    rows = list(
        m.Observation.objects.filter(
            datastream_id__in=list(sources), pk__gt=rule.last_observation, number__isnull=False
        )
        .order_by("pk")
        .values_list("pk", "datastream_id", "phenomenon_start", "number")[:BATCH]
    )
    if not rows:
        return 0
    groups: dict[tuple[int, Any], list[float]] = defaultdict(list)
    for _pk, stream, moment, number in rows:
        groups[(sources[stream], moment)].append(pf(number, rule.factor))
    with transaction.atomic():
        streams = {thing: _stream(rule, thing) for thing in {t for t, _m in groups}}
        new = []
        for (thing, moment), values in sorted(groups.items(), key=lambda item: item[0][1]):
            value = round(sum(values) / len(values), 3)
            new.append(
                NewObservation(
                    phenomenon_start=moment,
                    number=value,
                    datastream_id=streams[thing],
                    parameters={"class": classify(value, rule.classes), "sources": len(values)},
                )
            )
        store_observations(new)
        m.DerivedRule.objects.filter(pk=rule.pk).update(last_observation=rows[-1][0])
    return len(new)


def _stream(rule: m.DerivedRule, thing_id: int) -> int:
    """The Datastream the rule writes for this Thing (made on first use)."""
    found = m.DerivedStream.objects.filter(rule=rule, thing_id=thing_id).first()
    if found is not None:
        return found.datastream_id
    thing = m.Thing.objects.get(pk=thing_id)
    sensor, _made = m.Sensor.objects.get_or_create(
        name=_("derived: %(rule)s") % {"rule": rule.name},
        defaults={
            "description": _("computed by the platform from other Datastreams"),
            "encoding_type": "text/plain",
            "metadata": rule.get_kind_display(),
            "organisation": rule.organisation,
        },
    )
    observed, _made = m.ObservedProperty.objects.get_or_create(
        definition=f"https://w3id.org/allmende/derived/{rule.kind}",
        defaults={"name": "pF", "description": rule.get_kind_display()},
    )
    stream = m.Datastream.objects.create(
        name=f"{thing.name}: {rule.name}",
        description=rule.get_kind_display(),
        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        unit_of_measurement={"name": "pF", "symbol": "pF", "definition": "ucum:1"},
        thing=thing,
        sensor=sensor,
        observed_property=observed,
        organisation=thing.organisation,
    )
    m.DerivedStream.objects.create(rule=rule, thing=thing, datastream=stream)
    saved(ENTITY_SETS["Datastreams"], stream.pk)
    return stream.pk


def import_areas(collection: Any, *, replace: bool = False) -> int:
    """Store the features of a GeoJSON FeatureCollection as reference areas (name from
    ``properties.name``); returns how many. Raises ValueError on bad GeoJSON."""
    features = collection.get("features") if isinstance(collection, dict) else None
    if not isinstance(features, list):
        raise ValueError(_("a GeoJSON FeatureCollection is needed"))
    areas = []
    for n, feature in enumerate(features, start=1):
        geometry = (feature or {}).get("geometry")
        box = check_geometry(geometry, f"feature {n}")
        if box is None or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            raise ValueError(_("feature %(n)s is no polygon") % {"n": n})
        properties = feature.get("properties") or {}
        name = str(properties.get("name") or properties.get("tourName") or f"#{n}")
        areas.append(
            m.ReferenceArea(
                name=name,
                geometry=geometry,
                properties=properties,
                **dict(zip(("west", "south", "east", "north"), box, strict=True)),
            )
        )
    with transaction.atomic():
        if replace:
            m.ReferenceArea.objects.all().delete()
        m.ReferenceArea.objects.bulk_create(areas)
    return len(areas)


def area_status(rule: m.DerivedRule) -> dict:
    """Each reference area with the mean of the latest derived values of the Things
    located in it, their count and the class, as a GeoJSON FeatureCollection."""
    from shapely.geometry import Point, shape

    latest: dict[int, float] = {}
    streams = m.DerivedStream.objects.filter(rule=rule).select_related("datastream")
    ids = {s.datastream.latest_id: s.thing_id for s in streams if s.datastream.latest_id}
    for pk, number in m.Observation.objects.filter(pk__in=list(ids)).values_list("pk", "number"):
        if number is not None:
            latest[ids[pk]] = number
    places: list[tuple[int, Any]] = []
    for location in m.Location.objects.filter(things__in=list(latest)).values("things", "location"):
        geometry = location["location"]
        if isinstance(geometry, dict) and geometry.get("type") == "Point":
            places.append((location["things"], Point(geometry["coordinates"][:2])))
    features = []
    for area in m.ReferenceArea.objects.all():
        polygon = shape(area.geometry)
        inside = sorted({thing for thing, point in places if polygon.covers(point)})
        values = [latest[thing] for thing in inside]
        mean = round(sum(values) / len(values), 3) if values else None
        features.append(
            {
                "type": "Feature",
                "geometry": area.geometry,
                "properties": {
                    "name": area.name,
                    "value": mean,
                    "class": classify(mean, rule.classes) if mean is not None else None,
                    "sensors": len(values),
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}
