"""Sensor hub benchmarks: ingest of observations through CreateObservations (dataArray).

The requests go through the whole Django stack in this process (URL routing, token,
JSON parsing, checks, the bulk writer with its hourly roll-up), without a socket.
"""

import json
import os
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
