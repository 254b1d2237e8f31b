"""Device adapters with the real payloads of Jena's network (tests/data/sensors, see
NOTICE): ChirpStack uplinks over the real broker, TTN uplinks, DATEX II parking pulled
from a real local HTTP server; provisioning, dead letters and replay."""

import datetime as dt
import json
from pathlib import Path

import pytest

from allmende.sensors.adapters import DecodeError, decoder
from allmende.sensors.models import (
    Datastream,
    DeadLetter,
    Device,
    DeviceProfile,
    Observation,
    PullSource,
    Thing,
)
from allmende.sensors.services.devices import replay, run_due_pulls, store_uplinks

from ..localsite import serve
from .conftest import _client, _wait

DATA = Path(__file__).resolve().parents[1] / "data" / "sensors"
pytestmark = pytest.mark.django_db(transaction=True)


def _uplink(n: int) -> dict:
    return json.loads((DATA / f"jena-chirpstack-uplink{n}.json").read_text())


def _value(field: str, name: str, definition: str, symbol: str) -> dict:
    return {
        "path": field,
        "name": name,
        "observed_property": {"name": name, "definition": definition, "description": name},
        "unit": {"name": name, "symbol": symbol, "definition": f"ucum:{symbol}"},
    }


@pytest.fixture
def dragino(db) -> DeviceProfile:
    return DeviceProfile.objects.create(
        name="Dragino_LSE01",
        fields=[
            _value("water_SOIL_f", "Bodenfeuchte", "https://example.org/soil-moisture", "%"),
            _value("temp_SOIL", "Bodentemperatur", "https://example.org/soil-temp", "Cel"),
            _value("conduct_SOIL_f", "Leitfähigkeit", "https://example.org/ec", "uS/cm"),
        ],
    )


def test_chirpstack_uplinks_over_mqtt_provision_the_device_and_are_stored_once(subscriber, dragino):
    uplink = _uplink(1)
    topic = f"application/{uplink['deviceInfo']['applicationId']}/device/a8404187d187106e/event/up"
    sender = _client("chirpstack")
    for _ in range(2):  # the network server sends it again: stored once
        sender.publish(topic, json.dumps(uplink), qos=1).wait_for_publish(5)
    assert _wait(lambda: Observation.objects.count() == 3)
    device = Device.objects.get(identifier="a8404187d187106e")
    assert device.name == "LST25628782" and device.adapter == "chirpstack"
    assert Thing.objects.get(pk=device.thing_id).properties["deviceId"] == "a8404187d187106e"
    values = {
        Datastream.objects.get(pk=stream).unit_of_measurement["symbol"]: Observation.objects.get(
            datastream_id=stream
        )
        for stream in device.datastreams.values()
    }
    assert values["%"].number == 13.74 and values["Cel"].number == 13.25  # "13.25" was text
    assert values["uS/cm"].number == 35.0
    moment = values["%"].phenomenon_start
    assert moment == dt.datetime(2024, 6, 20, 8, 48, 38, 863512, tzinfo=dt.UTC)
    sender.disconnect()


def test_an_unknown_profile_waits_in_the_dead_letters_until_replayed(subscriber, db):
    uplink = _uplink(3)  # EM310-UDL waste-bin sensor
    topic = "application/x/device/24e124713c401785/event/up"
    sender = _client("chirpstack")
    sender.publish(topic, json.dumps(uplink), qos=1).wait_for_publish(5)
    assert _wait(lambda: DeadLetter.objects.filter(topic=topic).exists())
    letter = DeadLetter.objects.get(topic=topic)
    assert letter.source == "chirpstack" and "EM310-UDL" in letter.reason
    assert not Observation.objects.exists()
    DeviceProfile.objects.create(
        name="EM310-UDL",
        fields=[_value("distance", "Abstand", "https://example.org/distance", "mm")],
    )
    assert replay([letter]) == (1, 0)
    letter.refresh_from_db()
    assert letter.replayed is not None
    assert list(Observation.objects.values_list("number", flat=True)) == [594.0]
    sender.disconnect()


def test_paths_select_from_lists_of_measurements(db):
    DeviceProfile.objects.create(
        name="SenseCAP Wetterstation 2.0",
        fields=[
            _value(
                "messages.[type=Air Temperature].measurementValue",
                "Lufttemperatur",
                "https://example.org/air-temp",
                "Cel",
            ),
            _value(
                "messages.[type=Air Humidity].measurementValue",
                "Luftfeuchte",
                "https://example.org/humidity",
                "%",
            ),
            _value("messages.[type=Snow Depth].measurementValue", "Schnee", "x:snow", "mm"),
        ],
    )
    uplinks = decoder("chirpstack").decode("", json.dumps(_uplink(2)).encode())
    assert store_uplinks(uplinks) == 2  # the payload has no snow depth: skipped
    assert sorted(Observation.objects.values_list("number", flat=True)) == [24.4, 36.0]


def test_ttn_uplinks_are_read_too(db):
    DeviceProfile.objects.create(
        name="dragino lse01",
        fields=[_value("water_SOIL", "Bodenfeuchte", "https://example.org/soil-moisture", "%")],
    )
    message = {
        "end_device_ids": {
            "device_id": "baum-17",
            "application_ids": {"application_id": "jena-baeume"},
            "dev_eui": "A84041000181C5A1",
        },
        "correlation_ids": ["as:up:01HX"],
        "received_at": "2026-06-01T10:00:00.123456789Z",
        "uplink_message": {
            "f_port": 2,
            "f_cnt": 42,
            "decoded_payload": {"water_SOIL": "21.5"},
            "version_ids": {"brand_id": "dragino", "model_id": "lse01"},
        },
    }
    uplinks = decoder("ttn").decode(
        "v3/jena-baeume@ttn/devices/baum-17/up", json.dumps(message).encode()
    )
    assert store_uplinks(uplinks) == 1
    assert store_uplinks(uplinks) == 0  # the same message again
    assert Observation.objects.get().number == 21.5
    assert Device.objects.get().identifier == "a84041000181c5a1"


def test_datex2_parking_is_pulled_from_a_url(settings, db):
    settings.ALLMENDE_FETCH_ALLOWED_HOSTS = ["127.0.0.1"]
    with serve() as site:
        site.set("/parken.xml", (DATA / "car-parks-occupancy-datex2.xml").read_bytes())
        PullSource.objects.create(name="KSJ Parken", adapter="datex2", url=f"{site.url}/parken.xml")
        stored = run_due_pulls()
        assert stored == 10 * 4  # ten car parks, four values each
        assert run_due_pulls() == 0  # not due yet
        source = PullSource.objects.get()
        assert source.last_error == "" and source.next_run > source.last_run
        PullSource.objects.update(next_run=None)
        assert run_due_pulls() == 0  # due, same publication: nothing new
    seidel = Device.objects.get(identifier="datex2:Seidelparkplatz")
    occupied = Observation.objects.get(datastream_id=seidel.datastreams["occupied"])
    assert occupied.number == 20 and occupied.integer
    assert occupied.phenomenon_start == dt.datetime(2023, 12, 31, 15, 5, 45, 504000, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("payload", "reason"),
    [
        (b"<kaputt", "no readable XML"),
        (
            b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
            b"<d>&x;</d>",
            "no readable XML",
        ),
        (b"<d2LogicalModel/>", "no parkingFacilityStatus"),
    ],
)
def test_bad_datex2_publications_are_refused_and_store_nothing(payload, reason, db):
    with pytest.raises(DecodeError, match=reason):
        decoder("datex2").decode("", payload)
    assert not Observation.objects.exists()
