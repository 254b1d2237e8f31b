"""Sensor hub benchmarks: ingest of observations through CreateObservations (dataArray).

The requests go through the whole Django stack in this process (URL routing, token,
JSON parsing, checks, the bulk writer with its hourly roll-up), without a socket.
"""

import json
import os
import subprocess
import sys
import time

OBSERVATIONS = int(os.environ.get("BENCH_STA_OBSERVATIONS", "200000"))
PER_REQUEST = 10_000
STREAMS = 20


def bench_ingest() -> dict:
    from datetime import UTC, datetime, timedelta

    from django.test import Client

    from allmende.core.models import Membership, Organisation, User
    from allmende.core.services.tokens import create_api_token
    from allmende.sensors.models import Observation, ObservationHour

    organisation = Organisation.objects.create(slug="bench-sensors", name="Bench")
    user = User.objects.create_user(email="bench-sensors@example.org", password=None)
    Membership.objects.create(user=user, organisation=organisation, role=Membership.Role.EDITOR)
    token = create_api_token(user=user, name="bench")[1]
    client = Client(headers={"Authorization": f"Bearer {token}"})
    thing = {
        "name": "Wetterstation",
        "description": "Bench",
        "Locations": [
            {
                "name": "Jena",
                "description": "Marktplatz",
                "encodingType": "application/geo+json",
                "location": {"type": "Point", "coordinates": [11.5892, 50.9279]},
            }
        ],
        "Datastreams": [
            {
                "name": f"Temperatur {n}",
                "description": "Lufttemperatur",
                "observationType": "OM_Measurement",
                "unitOfMeasurement": {"name": "Grad Celsius", "symbol": "°C", "definition": "Cel"},
                "Sensor": {"name": "T", "description": "d", "encodingType": "t", "metadata": "m"},
                "ObservedProperty": {"name": "T", "definition": "T", "description": "T"},
            }
            for n in range(STREAMS)
        ],
    }
    made = client.post("/sta/v1.1/Things", json.dumps(thing), content_type="application/json")
    assert made.status_code == 201, made.content
    streams = [
        d["@iot.id"]
        for d in client.get(f"/sta/v1.1/Things({made.json()['@iot.id']})/Datastreams").json()[
            "value"
        ]
    ]
    start = datetime(2026, 1, 1, tzinfo=UTC)
    bodies = []
    for request in range(OBSERVATIONS // PER_REQUEST):
        stream = streams[request % len(streams)]
        rows = [
            [
                (start + timedelta(seconds=10 * (request * PER_REQUEST + n))).isoformat(),
                n % 400 / 10,
            ]
            for n in range(PER_REQUEST)
        ]
        bodies.append(
            json.dumps(
                [
                    {
                        "Datastream": {"@iot.id": stream},
                        "components": ["phenomenonTime", "result"],
                        "dataArray": rows,
                    }
                ]
            )
        )
    started = time.perf_counter()
    for body in bodies:
        response = client.post(
            "/sta/v1.1/CreateObservations", body, content_type="application/json"
        )
        assert response.status_code == 201, response.content[:300]
    seconds = time.perf_counter() - started
    stored = Observation.objects.count()
    assert stored == len(bodies) * PER_REQUEST, stored
    hours = sum(ObservationHour.objects.values_list("count", flat=True))
    assert hours == stored
    return {
        "sta_data_array_observations": stored,
        "sta_data_array_rows_per_request": PER_REQUEST,
        "sta_data_array_seconds": round(seconds, 2),
        "sta_data_array_observations_per_second": round(stored / seconds),
    }


MQTT_MESSAGES = int(os.environ.get("BENCH_MQTT_OBSERVATIONS", "100000"))


def bench_mqtt() -> dict:
    """Sustained ingest through MQTT: a Mosquitto of our own, ``allmende worker`` as a
    separate process on the benchmark's database, and a device process publishing
    QoS-1 messages to ``v1.1/Datastreams(<id>)/Observations`` as fast as it can. The
    figure is messages over the seconds from the first publish to the last stored."""
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from tests.sensors.processes import Site, broker

    from allmende.sensors.models import Datastream, Observation

    streams = list(Datastream.objects.values_list("pk", flat=True))
    before = Observation.objects.count()
    with tempfile.TemporaryDirectory() as folder, broker(Path(folder)) as mosquitto:
        site = Site(Path(settings.VAR_DIR))
        site.env["ALLMENDE_MQTT_URL"] = mosquitto.url
        site.env["ALLMENDE_MQTT_CLIENT_ID"] = "bench-worker"
        site.env["ALLMENDE_MQTT_PUBLISH"] = "0"
        if os.environ.get("DATABASE_URL"):
            site.env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        worker = site.start("worker")
        try:
            _until(lambda: "MQTT subscriber connected" in _text(site.folder / "worker.log"), 60)
            device = subprocess.Popen(
                [sys.executable, "-m", "benchmarks.mqtt_device", mosquitto.url, str(MQTT_MESSAGES)]
                + [str(s) for s in streams],
                cwd=Path(__file__).resolve().parent.parent,
            )
            started = time.perf_counter()
            _until(lambda: Observation.objects.count() - before >= MQTT_MESSAGES, 600)
            seconds = time.perf_counter() - started
            device.wait(60)
        finally:
            worker.terminate()
            worker.wait(30)
    stored = Observation.objects.count() - before
    assert stored == MQTT_MESSAGES, stored
    return {
        "mqtt_observations": stored,
        "mqtt_seconds": round(seconds, 2),
        "mqtt_observations_per_second": round(stored / seconds),
    }


def _text(path) -> str:
    return path.read_text() if path.exists() else ""


def _until(condition, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise RuntimeError("timed out")
        time.sleep(0.05)


QUERIES = {
    # the latest observation of every Datastream: read from the ids the series keep
    "sta_query_latest_ms": (
        "Datastreams",
        {"$expand": "Observations($top=1;$orderby=phenomenonTime desc)", "$top": "20"},
    ),
    # the same with three per Datastream: one windowed query over their observations
    "sta_query_expand_top3_ms": (
        "Datastreams",
        {"$expand": "Observations($top=3;$orderby=phenomenonTime desc)", "$top": "20"},
    ),
    # a day of one series, newest first (the (datastream, time) index)
    "sta_query_series_day_ms": (
        "Observations",
        {
            "$filter": "Datastream/@iot.id eq {stream} and phenomenonTime ge "
            "2026-01-02T00:00:00Z and phenomenonTime lt 2026-01-03T00:00:00Z",
            "$orderby": "phenomenonTime desc",
            "$top": "1000",
        },
    ),
    # a condition on the results of all series, counted
    "sta_query_result_count_ms": (
        "Observations",
        {"$filter": "result ge 39.5 and hour(phenomenonTime) eq 12", "$count": "true"},
    ),
}


def bench_queries() -> dict:
    """Reading with query options over the observations ``bench_ingest`` stored: the
    median of five requests each, through the whole Django stack."""
    import statistics

    from django.test import Client

    from allmende.sensors.models import Datastream

    client = Client()
    stream = Datastream.objects.order_by("pk").values_list("pk", flat=True).first()
    results: dict = {}
    for name, (path, params) in QUERIES.items():
        params = {k: v.format(stream=stream) for k, v in params.items()}
        times = []
        for _ in range(5):
            started = time.perf_counter()
            response = client.get(f"/sta/v1.1/{path}", params)
            times.append(time.perf_counter() - started)
            assert response.status_code == 200, response.content[:300]
            assert response.json()["value"], name
        results[name] = round(statistics.median(times) * 1000, 1)
    return results
