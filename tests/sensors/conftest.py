"""Clients of the SensorThings API: anonymous, and with an editor's API token."""

import json
import threading
import time
import uuid
from typing import Any

import paho.mqtt.client as mqtt
import pytest
from django.db import OperationalError
from django.test import Client

from allmende.core.services.tokens import create_api_token
from allmende.sensors.mqtt.connection import broker_from_url
from allmende.sensors.mqtt.subscriber import Subscriber

BASE = "http://testserver/sta/v1.1"
#: the machine's Mosquitto
BROKER = "mqtt://127.0.0.1:1883"


class Sta:
    """A small client: paths relative to /sta/v1.1/, JSON in and out."""

    def __init__(self, client: Client):
        self.client = client

    def get(self, path: str, **params: Any):
        return self.client.get(f"/sta/v1.1/{path}", params)

    def send(self, method: str, path: str, body: Any = None, raw: bytes | None = None):
        data = raw if raw is not None else json.dumps(body)
        return self.client.generic(
            method, f"/sta/v1.1/{path}", data, content_type="application/json"
        )

    def post(self, path: str, body: Any):
        return self.send("POST", path, body)

    def made(self, path: str, body: Any) -> int:
        """POST and return the new entity's id (fails the test unless 201)."""
        response = self.post(path, body)
        assert response.status_code == 201, response.content
        return response.json()["@iot.id"]


@pytest.fixture
def sta_token(editor) -> str:
    return create_api_token(user=editor, name="sensors")[1]


#: Messages are asserted in English; German is the default (see test_sta_entities.py).
ENGLISH = {"Accept-Language": "en"}


@pytest.fixture
def sta(sta_token) -> Sta:
    headers = {"Authorization": f"Bearer {sta_token}", **ENGLISH}
    return Sta(Client(headers=headers, enforce_csrf_checks=True))


@pytest.fixture
def public(db) -> Sta:
    return Sta(Client(headers=ENGLISH, enforce_csrf_checks=True))


THING = {
    "name": "Bodenfeuchte Baum 17",
    "description": "Tensiometer an einer Linde im Paradiespark",
    "properties": {"district": "Zentrum"},
    "Locations": [
        {
            "name": "Paradiespark",
            "description": "Linde 17",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [11.5849, 50.9241]},
        }
    ],
    "Datastreams": [
        {
            "name": "Bodenwasserspannung 30 cm",
            "description": "Saugspannung in 30 cm Tiefe",
            "observationType": (
                "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
            ),
            "unitOfMeasurement": {
                "name": "Hektopascal",
                "symbol": "hPa",
                "definition": "http://qudt.org/vocab/unit/HectoPA",
            },
            "Sensor": {
                "name": "Tensiometer",
                "description": "Watermark 200SS",
                "encodingType": "text/html",
                "metadata": "https://example.org/watermark",
            },
            "ObservedProperty": {
                "name": "Bodenwasserspannung",
                "definition": "https://example.org/soil-water-tension",
                "description": "Matrixpotential des Bodens",
            },
        }
    ],
}


# -- a small city for the query options -----------------------------------------------------

_SQUARE = [[11.60, 50.90], [11.62, 50.90], [11.62, 50.92], [11.60, 50.92], [11.60, 50.90]]


def _location(name: str, geometry: dict) -> dict:
    return {
        "name": name,
        "description": f"Ort {name}",
        "encodingType": "application/geo+json",
        "location": geometry,
    }


def _stream(name: str, unit: str, sensor: int, observed: int) -> dict:
    return {
        "name": name,
        "description": f"Reihe {name}",
        "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        "unitOfMeasurement": {"name": unit, "symbol": unit, "definition": "https://example.org"},
        "Sensor": {"@iot.id": sensor},
        "ObservedProperty": {"@iot.id": observed},
    }


@pytest.fixture
def city(sta) -> dict[str, int]:
    """Four Things, three Datastreams and twelve Observations with numbers, text,
    booleans, objects, an interval and parameters; the names are the ids' keys."""
    ids: dict[str, int] = {}
    ids["Tensiometer"] = sta.made(
        "Sensors",
        {
            "name": "Tensiometer",
            "description": "Watermark",
            "encodingType": "text/html",
            "metadata": "https://example.org/watermark",
        },
    )
    ids["Thermometer"] = sta.made(
        "Sensors",
        {
            "name": "Thermometer",
            "description": "PT100",
            "encodingType": "text/html",
            "metadata": "https://example.org/pt100",
        },
    )
    ids["Saugspannung"] = sta.made(
        "ObservedProperties",
        {"name": "Saugspannung", "definition": "https://example.org/s", "description": "Boden"},
    )
    ids["Lufttemperatur"] = sta.made(
        "ObservedProperties",
        {"name": "Lufttemperatur", "definition": "https://example.org/t", "description": "Luft"},
    )
    things = [
        (
            "Linde 17",
            {"district": "Zentrum", "height": 12, "protected": True},
            _location("Paradiespark", {"type": "Point", "coordinates": [11.5849, 50.9241]}),
            [
                ("Bodenfeuchte", "hPa", "Tensiometer", "Saugspannung"),
                ("Temperatur Linde", "°C", "Thermometer", "Lufttemperatur"),
            ],
        ),
        (
            "Eiche am Markt",
            {"district": "Lobeda", "height": 30.5, "protected": False},
            _location("Markt", {"type": "Point", "coordinates": [11.5890, 50.9275]}),
            [("Temperatur Markt", "°C", "Thermometer", "Lufttemperatur")],
        ),
        (
            "Ahorn Ämterweg",
            {"district": "Zentrum", "height": "hoch"},
            _location("Ämterweg", {"type": "Polygon", "coordinates": [_SQUARE]}),
            [],
        ),
        ("  Birke  ", None, None, []),
    ]
    for name, properties, location, streams in things:
        body: dict = {"name": name, "description": f"Baum {name.strip()}"}
        if properties is not None:
            body["properties"] = properties
        if location is not None:
            body["Locations"] = [location]
        body["Datastreams"] = [
            _stream(s, unit, ids[sensor], ids[observed]) for s, unit, sensor, observed in streams
        ]
        ids[name.strip()] = sta.made("Things", body)
        for stream in sta.get(f"Things({ids[name.strip()]})/Datastreams").json()["value"]:
            ids[stream["name"]] = stream["@iot.id"]
    observations = {
        "Bodenfeuchte": [
            ("2026-06-01T10:00:00Z", 10, {"quality": "good"}),
            ("2026-06-01T11:30:15.250Z", 20.5, {"quality": "good", "depth": 30}),
            ("2026-06-02T00:00:00Z", 30, {"quality": "bad"}),
            ("2025-12-31T23:59:59Z", -4, None),
        ],
        "Temperatur Linde": [
            ("2026-06-01T09:00:00Z", "warm", None),
            ("2026-06-01T09:10:00Z", "kalt", None),
            ("2026-06-01T09:20:00Z", True, None),
            ("2026-06-01T00:00:00Z/2026-06-01T06:00:00Z", {"value": 7, "ok": True}, None),
        ],
        "Temperatur Markt": [
            ("2026-06-01T08:00:00Z", 17.25, None),
            ("2026-06-01T09:00:00Z", 18.5, None),
            ("2026-06-01T10:00:00Z", 19, None),
            ("2026-06-01T10:00:00Z", 21, None),
        ],
    }
    for stream, rows in observations.items():
        for moment, result, parameters in rows:
            body = {"phenomenonTime": moment, "result": result}
            if parameters is not None:
                body["parameters"] = parameters
            ids[f"{stream}@{moment}={result}"] = sta.made(
                f"Datastreams({ids[stream]})/Observations", body
            )
    return ids


def _client(prefix: str) -> mqtt.Client:
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=f"{prefix}-{uuid.uuid4().hex[:8]}",
        protocol=mqtt.MQTTv5,
    )
    client.connect("127.0.0.1", 1883)
    client.loop_start()
    return client


def _wait(condition, seconds: float = 10.0) -> bool:
    """Poll ``condition``. The test database is SQLite's shared in-memory one, whose
    table locks refuse a read while the subscriber thread writes: that counts as "not
    yet" (files in WAL mode, as in production, do not do that)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if condition():
                return True
        except OperationalError:
            pass
        time.sleep(0.05)
    return condition()


@pytest.fixture
def subscriber(settings):
    """The worker's subscriber in a thread, on a session of its own (dropped after)."""
    settings.ALLMENDE_MQTT_URL = BROKER
    client_id = f"allmende-test-{uuid.uuid4().hex[:8]}"
    running = Subscriber(broker_from_url(BROKER), client_id)
    stop = threading.Event()
    thread = threading.Thread(target=running.run, args=(stop,), daemon=True)
    thread.start()
    assert running.connected.wait(10), "subscriber did not connect"
    time.sleep(0.2)  # the subscription is acknowledged
    yield running
    stop.set()
    thread.join(10)
    end = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id, protocol=mqtt.MQTTv5)
    end.connect("127.0.0.1", 1883, clean_start=True)  # forget the session
    end.disconnect()


def weather(city: dict[str, int]) -> dict:
    """A MultiDatastream of the city: temperature and humidity at the Eiche am Markt."""
    measurement = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
    return {
        "name": "Wetter",
        "description": "Temperatur und Feuchte",
        "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/"
        "OM_ComplexObservation",
        "multiObservationDataTypes": [measurement, measurement],
        "unitOfMeasurements": [
            {"name": "Grad Celsius", "symbol": "°C", "definition": "ucum:Cel"},
            {"name": "Prozent", "symbol": "%", "definition": "ucum:%"},
        ],
        "Thing": {"@iot.id": city["Eiche am Markt"]},
        "Sensor": {"@iot.id": city["Thermometer"]},
        "ObservedProperties": [
            {"@iot.id": city["Lufttemperatur"]},
            {"name": "Feuchte", "definition": "h", "description": "relative Luftfeuchte"},
        ],
    }
