"""Clients of the SensorThings API: anonymous, and with an editor's API token."""

import json
from typing import Any

import pytest
from django.test import Client

from allmende.core.services.tokens import create_api_token

BASE = "http://testserver/sta/v1.1"


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
