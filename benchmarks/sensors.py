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
    QoS-1 messages to ``v1.1/Datastreams(<id>)/Observations`` as fast as it can.

    Two figures: *live* — the device publishes while the worker stores, both on this
    machine's two cores (messages over the seconds from the first publish to the last
    stored); *backlog* — the broker holds the messages for the worker's session while it
    is down, then the worker drains them (the server side alone, as with devices
    elsewhere)."""
    import tempfile
    from pathlib import Path

    from django.conf import settings
    from tests.sensors.processes import Site, broker

    from allmende.sensors.models import Datastream, Observation

    streams = [str(s) for s in Datastream.objects.values_list("pk", flat=True)]
    root = Path(__file__).resolve().parent.parent
    figures: dict = {}
    with tempfile.TemporaryDirectory() as folder, broker(Path(folder)) as mosquitto:
        site = Site(Path(settings.VAR_DIR))
        site.env["ALLMENDE_MQTT_URL"] = mosquitto.url
        site.env["ALLMENDE_MQTT_CLIENT_ID"] = "bench-worker"
        site.env["ALLMENDE_MQTT_PUBLISH"] = "0"
        site.env["ALLMENDE_QUALITY_CHECK_URLS"] = "0"  # no network from the worker here
        if os.environ.get("DATABASE_URL"):
            site.env["DATABASE_URL"] = os.environ["DATABASE_URL"]
        log = site.folder / "worker.log"

        def device(first: int) -> subprocess.Popen:
            command = [sys.executable, "-m", "benchmarks.mqtt_device", mosquitto.url]
            return subprocess.Popen([*command, str(MQTT_MESSAGES), str(first), *streams], cwd=root)

        def started_worker(connections: int) -> subprocess.Popen:
            worker = site.start("worker")
            _until(lambda: _text(log).count("MQTT subscriber connected") >= connections, 60)
            return worker

        # live
        before = Observation.objects.count()
        worker = started_worker(1)
        try:
            sender = device(0)
            started = time.perf_counter()
            _until(lambda: Observation.objects.count() - before >= MQTT_MESSAGES, 600)
            live = time.perf_counter() - started
            sender.wait(60)
        finally:
            _stop(worker)
        # backlog: the session keeps them while the worker is down
        before = Observation.objects.count()
        device(MQTT_MESSAGES).wait(600)
        worker = started_worker(2)
        try:
            started = time.perf_counter()
            _until(lambda: Observation.objects.count() - before >= MQTT_MESSAGES, 600)
            backlog = time.perf_counter() - started
        finally:
            _stop(worker)
        assert Observation.objects.count() - before == MQTT_MESSAGES
    figures.update(
        {
            "mqtt_observations": MQTT_MESSAGES,
            "mqtt_live_seconds": round(live, 2),
            "mqtt_observations_per_second": round(MQTT_MESSAGES / live),
            "mqtt_backlog_seconds": round(backlog, 2),
            "mqtt_backlog_observations_per_second": round(MQTT_MESSAGES / backlog),
        }
    )
    return figures


def _stop(worker: subprocess.Popen) -> None:
    """It may be in the middle of a periodic task: then it is killed."""
    worker.terminate()
    try:
        worker.wait(15)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait(15)


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


SERIES_OBSERVATIONS = int(os.environ.get("BENCH_STA_SERIES", "10000000"))
STREAM_COUNT = 2_000


def bench_series() -> dict:
    """Reads over a big series: one Datastream with ``BENCH_STA_SERIES`` observations
    (one every 3 s: ten million make 347 days), generated in SQL with its hourly roll-up,
    among 2,000 Datastreams with a latest value each. Figures are p95 over 20 requests
    through the whole Django stack (the aggregate and latest) or the selector (counts)."""
    import datetime as dt

    from django.db import connection
    from django.test import Client

    from allmende.sensors import selectors
    from allmende.sensors.models import Datastream, ObservedProperty, Sensor, Thing
    from allmende.sensors.services.ingest import NewObservation, store_observations

    thing = Thing.objects.create(name="Messnetz", description="Bench")
    sensor = Sensor.objects.create(name="S", description="s", encoding_type="t", metadata="m")
    prop = ObservedProperty.objects.create(name="T", definition="T", description="T")
    unit = {"name": "Grad Celsius", "symbol": "°C", "definition": "Cel"}
    streams = Datastream.objects.bulk_create(
        Datastream(
            name=f"Messreihe {n}",
            description="d",
            observation_type="OM_Measurement",
            unit_of_measurement=unit,
            thing=thing,
            sensor=sensor,
            observed_property=prop,
        )
        for n in range(STREAM_COUNT)
    )
    now = dt.datetime(2026, 11, 1, tzinfo=dt.UTC)
    store_observations(
        [NewObservation(now, float(n % 40), datastream_id=d.pk) for n, d in enumerate(streams)]
    )
    big = streams[0].pk
    started = time.perf_counter()
    _generate(connection, big, SERIES_OBSERVATIONS)
    generated = time.perf_counter() - started
    first = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)
    last = first + dt.timedelta(seconds=3 * SERIES_OBSERVATIONS)

    client = Client()

    def timed(call, rounds: int = 20) -> float:
        call()  # warm
        times = []
        for _ in range(rounds):
            begin = time.perf_counter()
            call()
            times.append((time.perf_counter() - begin) * 1000)
        times.sort()
        return round(times[int(len(times) * 0.95) - 1], 1)

    def latest() -> None:
        response = client.get("/api/v1/sensors/latest")
        assert response.status_code == 200 and len(response.json()) == STREAM_COUNT

    def aggregate() -> None:
        response = client.get(
            f"/api/v1/sensors/datastreams/{big}/aggregate",
            {"start": first.isoformat(), "end": last.isoformat(), "interval": 1},
        )
        assert response.status_code == 200, response.content[:200]
        assert sum(b["count"] for b in response.json()) == SERIES_OBSERVATIONS

    def count() -> None:
        start = first + dt.timedelta(days=30, seconds=1234)
        end = first + dt.timedelta(days=200, seconds=77)
        assert selectors.count_between(big, start, end) > 0

    def sta_count() -> None:
        start = first + dt.timedelta(days=30, seconds=1234, microseconds=123456)
        end = first + dt.timedelta(days=200, seconds=77)
        stamp = "%Y-%m-%dT%H:%M:%S.%fZ"
        response = client.get(
            f"/sta/v1.1/Datastreams({big})/Observations",
            {
                "$filter": f"phenomenonTime ge {start.strftime(stamp)} and phenomenonTime lt "
                f"{end.strftime(stamp)}",
                "$count": "true",
                "$top": "0",
            },
        )
        assert response.status_code == 200 and response.json()["@iot.count"] > 0

    return {
        "series_observations": SERIES_OBSERVATIONS,
        "sta_count_time_range_ms_p95": timed(sta_count),
        "series_generate_seconds": round(generated, 1),
        "latest_2000_datastreams_ms_p95": timed(latest),
        "hourly_aggregate_one_year_ms_p95": timed(aggregate),
        "count_time_range_ms_p95": timed(count),
    }


def _generate(connection, stream: int, count: int) -> None:
    """``count`` observations of ``stream`` every 3 s from 2025-01-01, and their
    roll-up, in SQL (the path through Python would take minutes)."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "INSERT INTO sensors_observation (datastream_id, phenomenon_start, number,"
                " integer) SELECT %s, timestamptz '2025-01-01 00:00:00+00' + i * interval"
                " '3 seconds', (i %% 400) / 10.0, false FROM generate_series(0, %s - 1) AS i",
                [stream, count],
            )
            hour = "date_trunc('hour', phenomenon_start)"
        else:
            cursor.execute(
                "WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < %s)"
                " INSERT INTO sensors_observation (datastream_id, phenomenon_start, number,"
                " integer) SELECT %s, datetime('2025-01-01 00:00:00', '+' || (i * 3) ||"
                " ' seconds'), (i %% 400) / 10.0, 0 FROM n",
                [count - 1, stream],
            )
            hour = "strftime('%%Y-%%m-%%d %%H:00:00', phenomenon_start)"
        cursor.execute(
            "INSERT INTO sensors_observationhour (datastream_id, hour, count, numeric, total,"  # noqa: S608
            f" minimum, maximum) SELECT datastream_id, {hour}, count(*), count(number),"
            " sum(number), min(number), max(number) FROM sensors_observation"
            " WHERE datastream_id = %s AND phenomenon_start >= %s GROUP BY 1, 2"
            " ON CONFLICT (datastream_id, hour) DO UPDATE SET count = excluded.count",
            [
                stream,
                "2025-01-01 00:00:00" if connection.vendor == "sqlite" else "2025-01-01T00:00:00Z",
            ],
        )
        cursor.execute(
            "UPDATE sensors_datastream SET phenomenon_start = (SELECT min(phenomenon_start)"
            " FROM sensors_observation WHERE datastream_id = %s) WHERE id = %s",
            [stream, stream],
        )
    if connection.vendor == "postgresql":  # what autovacuum would do soon: measure after it
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE sensors_observation")
            cursor.execute("VACUUM ANALYZE sensors_observationhour")
