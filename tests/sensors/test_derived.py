"""Derived quantities like Jena's tree watering: pF from soil water tension per device,
classes by threshold, reference areas summarising the sensors in them."""

import json
import math
from pathlib import Path

import pytest
from django.core.management import call_command

from allmende.sensors.adapters import decoder
from allmende.sensors.models import DerivedRule, DeviceProfile, Observation, ReferenceArea
from allmende.sensors.services.derived import area_status, classify, pf, run_rules
from allmende.sensors.services.devices import store_uplinks

DATA = Path(__file__).resolve().parents[1] / "data" / "sensors"
TENSION = "https://example.org/soil-water-tension"


@pytest.mark.parametrize(
    ("value", "colour"),
    [
        (1.0, "blue"),
        (1.79, "blue"),
        (1.8, "green"),
        (3.0, "green"),
        (3.01, "yellow"),
        (3.6, "yellow"),
        (3.61, "red"),
    ],
)
def test_jena_classes(value, colour, db):
    assert classify(value, DerivedRule(name="x").classes) == colour


def test_pf_is_log10_of_the_tension_in_hpa():
    assert pf(-875.9, 10) == round(math.log10(8759), 3)  # kPa → hPa
    assert pf(63.0048, 10) == round(math.log10(630.048), 3)
    assert pf(0.05, 10) == 0.0


def _teros(db_location=None):
    profile = DeviceProfile.objects.create(
        name="Solidos Teros21",
        fields=[
            {
                "path": f"potentialwater_{n}",
                "name": f"Saugspannung {n}",
                "observed_property": {"name": "Saugspannung", "definition": TENSION},
                "unit": {"name": "Kilopascal", "symbol": "kPa", "definition": "ucum:kPa"},
            }
            for n in (1, 2)
        ],
    )
    return profile


def test_a_devices_sensors_are_averaged_and_classed(db):
    _teros()
    rule = DerivedRule.objects.create(name="pF Stadtgrün", source_definition=TENSION, factor=10)
    uplink = json.loads((DATA / "jena-chirpstack-uplink7.json").read_text())
    store_uplinks(decoder("chirpstack").decode("", json.dumps(uplink).encode()))
    assert run_rules() == 1
    derived = Observation.objects.exclude(parameters=None).get()
    expected = round((pf(-1145.6, 10) + pf(-875.9, 10)) / 2, 3)
    assert derived.number == expected  # about 3.99: red, water!
    assert derived.parameters == {"class": "red", "sources": 2}
    assert run_rules() == 0  # nothing new
    rule.refresh_from_db()
    assert (
        rule.last_observation
        == Observation.objects.exclude(parameters__has_key="class").latest("pk").pk
    )


def test_reference_areas_take_the_mean_of_their_sensors(db, tmp_path):
    call_command("sensors", "import-areas", str(DATA / "tree-watering-reference-areas.geojson"))
    assert ReferenceArea.objects.count() == 12
    zw01 = ReferenceArea.objects.get(name="ZW-01")
    from shapely.geometry import shape

    point = shape(zw01.geometry).representative_point()
    inside = [point.x, point.y]
    profile = _teros()
    rule = DerivedRule.objects.create(name="pF", source_definition=TENSION, factor=10)
    from allmende.sensors.models import Device

    for n, (tension, location) in enumerate(
        [(-20.0, inside), (-40.0, inside), (-900.0, [11.0, 50.0])]  # the last lies elsewhere
    ):
        Device.objects.create(
            identifier=f"teros-{n}",
            adapter="chirpstack",
            name=f"Teros {n}",
            profile=profile,
            location={"type": "Point", "coordinates": location},
        )
        uplink = {
            "time": "2026-07-01T06:00:00Z",
            "deviceInfo": {
                "devEui": f"teros-{n}",
                "deviceName": f"Teros {n}",
                "deviceProfileName": "Solidos Teros21",
            },
            "object": {"potentialwater_1": tension, "potentialwater_2": tension},
        }
        store_uplinks(decoder("chirpstack").decode("", json.dumps(uplink).encode()))
    run_rules()
    status = {f["properties"]["name"]: f["properties"] for f in area_status(rule)["features"]}
    mean = round((pf(-20, 10) + pf(-40, 10)) / 2, 3)
    assert status["ZW-01"] == {"name": "ZW-01", "value": mean, "class": "green", "sensors": 2}
    assert status["ZW-02"]["sensors"] == 0 and status["ZW-02"]["class"] is None
    from django.test import Client

    body = Client().get(f"/api/v1/sensors/rules/{rule.pk}/areas").json()
    assert body["type"] == "FeatureCollection" and len(body["features"]) == 12


def test_importing_something_else_than_polygons_fails_with_one_line(tmp_path, db, english):
    bad = tmp_path / "bad.geojson"
    bad.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {"type": "Feature", "geometry": {"type": "Point", "coordinates": [1, 2]}}
                ],
            }
        )
    )
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="no polygon"):
        call_command("sensors", "import-areas", str(bad))
    assert not ReferenceArea.objects.exists()
