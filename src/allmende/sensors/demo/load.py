"""The sensor hub's demo content, from Jena's real data (see NOTICE): the 51 soil-moisture
sensor sites of the tree watering (soil-moisture-sensor-sites.kml) with two weeks of
made-up hourly water tension each, the pF rule and the twelve reference areas; and the
car parks (car-parks.geojson) with the real DATEX II status of 2023-12-31 from Kommunal
Service Jena. Idempotent: a second run finds the Things and writes nothing.
"""

import datetime as dt
import json
import random
from pathlib import Path

from defusedxml import ElementTree
from django.db import transaction

from allmende.core.models import Organisation

from .. import models as m
from ..adapters import decoder
from ..services.derived import import_areas, run_rule
from ..services.devices import store_uplinks
from ..services.entities import saved
from ..services.ingest import NewObservation, store_observations
from ..sta.entities import ENTITY_SETS

HERE = Path(__file__).resolve().parent
KML = "{http://www.opengis.net/kml/2.2}"
TENSION = "https://w3id.org/allmende/demo/soil-water-tension"
RULE = "pF Stadtgrün (Demo)"


def load(now: dt.datetime | None = None) -> int:
    """Load the demo; returns how many Things were made (0 when already there)."""
    if m.Thing.objects.filter(properties__demo=True).exists():
        return 0
    now = (now or dt.datetime.now(dt.UTC)).replace(minute=0, second=0, microsecond=0)
    with transaction.atomic():
        ksj, _made = Organisation.objects.get_or_create(
            slug="kommunalservice-jena", defaults={"name": "Kommunalservice Jena"}
        )
        made = _soil_sensors(ksj, now)
        made += _car_parks(ksj)
    rule = m.DerivedRule.objects.filter(name=RULE).first()
    if rule is not None:
        run_rule(rule)
    return made


def _soil_sensors(owner: Organisation, now: dt.datetime) -> int:
    sites = _sites()
    sensor = m.Sensor.objects.create(
        name="SENSOTERRA Single Depth",
        description="Bodenfeuchtesensor (Saugspannung) in 30 bzw. 60 cm Tiefe",
        encoding_type="text/html",
        metadata="https://www.sensoterra.com/",
        organisation=owner,
    )
    prop, _made = m.ObservedProperty.objects.get_or_create(
        definition=TENSION,
        defaults={
            "name": "Bodenwasserspannung",
            "description": "Saugspannung des Bodens (Matrixpotential)",
            "organisation": owner,
        },
    )
    rng = random.Random(16053)  # noqa: S311 (made-up demo values, not secrets)
    hours = 14 * 24
    rows = []
    for site in sites:
        name = f"Bodenfeuchte {site['standort']} (Baum {site['bnr'] or '?'})"
        thing = m.Thing.objects.create(
            name=name,
            description=f"Sensor {site['sensor_nr']} in {site['in_tiefe']} Tiefe, eingesetzt "
            f"{site['eingesetzt']}",
            properties={"demo": True, "gid": site["gid"], "depth": site["in_tiefe"]},
            organisation=owner,
        )
        location = m.Location.objects.create(
            name=site["standort"] or name,
            description=name,
            encoding_type="application/geo+json",
            location={"type": "Point", "coordinates": site["point"]},
            west=site["point"][0],
            east=site["point"][0],
            south=site["point"][1],
            north=site["point"][1],
            organisation=owner,
        )
        thing.locations.add(location)
        stream = m.Datastream.objects.create(
            name=f"{name}: Saugspannung",
            description="Saugspannung, stündlich (Demowerte)",
            observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
            unit_of_measurement={"name": "Hektopascal", "symbol": "hPa", "definition": "ucum:hPa"},
            thing=thing,
            sensor=sensor,
            observed_property=prop,
            organisation=owner,
        )
        saved(ENTITY_SETS["Datastreams"], stream.pk)  # into the catalogue, as any
        feature = m.FeatureOfInterest.objects.create(
            name=name,
            description=f"Boden an Baum {site['bnr']}",
            encoding_type="application/geo+json",
            feature=location.location,
            organisation=owner,
        )
        level = rng.uniform(1.6, 3.4)  # pF the site starts at; it dries out, rain resets
        for hour in range(hours):
            level += rng.uniform(-0.004, 0.012)
            if rng.random() < 0.004:
                level -= rng.uniform(0.5, 1.0)
            level = min(max(level, 1.2), 4.2)
            rows.append(
                NewObservation(
                    phenomenon_start=now - dt.timedelta(hours=hours - hour),
                    number=round(10**level, 1),
                    datastream_id=stream.pk,
                    feature_id=feature.pk,
                )
            )
    store_observations(rows)
    m.DerivedRule.objects.get_or_create(
        name=RULE, defaults={"source_definition": TENSION, "factor": 1.0, "organisation": owner}
    )
    areas = json.loads((HERE / "tree-watering-reference-areas.geojson").read_text())
    if not m.ReferenceArea.objects.exists():
        import_areas(areas)
    return len(sites)


def _sites() -> list[dict]:
    root = ElementTree.parse(HERE / "soil-moisture-sensor-sites.kml").getroot()
    sites = []
    for placemark in root.iter(f"{KML}Placemark"):
        data = {
            d.get("name"): (d.findtext(f"{KML}value") or "").strip()
            for d in placemark.iter(f"{KML}Data")
        }
        text = placemark.findtext(f".//{KML}coordinates") or ""
        lon, lat, *_rest = (float(v) for v in text.strip().split(","))
        sites.append(
            {
                "gid": data.get("sensorstandort_gid", ""),
                "standort": data.get("standort", ""),
                "bnr": data.get("bnr", ""),
                "sensor_nr": data.get("sensor_nr", ""),
                "in_tiefe": data.get("in_tiefe", ""),
                "eingesetzt": data.get("eingesetzt", ""),
                "point": [lon, lat],
            }
        )
    return sites


def _car_parks(owner: Organisation) -> int:
    places = json.loads((HERE / "car-parks.geojson").read_text())["features"]
    by_name = {_key(f["properties"].get("name", "")): f for f in places}
    uplinks = decoder("datex2").decode("", (HERE / "car-parks-occupancy-datex2.xml").read_bytes())
    profile = m.DeviceProfile.objects.filter(name=uplinks[0].profile).first()
    if profile is None:
        fields = decoder("datex2").default_profile or []
        profile = m.DeviceProfile.objects.create(
            name=uplinks[0].profile, fields=fields, organisation=owner
        )
    for uplink in uplinks:
        place = by_name.get(_key(uplink.name))
        m.Device.objects.get_or_create(
            identifier=uplink.identifier,
            defaults={
                "adapter": uplink.adapter,
                "name": f"Parken {uplink.name}",
                "profile": profile,
                "location": place["geometry"] if place else None,
            },
        )
    store_uplinks(uplinks)
    for thing in m.Thing.objects.filter(properties__adapter="datex2"):
        thing.properties = {**thing.properties, "demo": True}
        thing.save(update_fields=["properties"])
    return len(uplinks)


def _key(name: str) -> str:
    return "".join(ch for ch in name.lower() if ch.isalnum())
