"""Reads for dashboards: latest values of many Datastreams, aggregates from the roll-ups
(checked against the raw observations), counts between two times."""

import datetime as dt
import random

import pytest

from allmende.sensors import selectors
from allmende.sensors.models import Observation
from allmende.sensors.services.ingest import NewObservation, store_observations

from .conftest import THING

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)


def _stream(sta, public) -> int:
    thing = sta.made("Things", THING)
    return public.get(f"Things({thing})/Datastreams").json()["value"][0]["@iot.id"]


@pytest.fixture
def filled(sta, public):
    """A Datastream with 3,000 observations at random times over 5 days (a few texts)."""
    stream = _stream(sta, public)
    rng = random.Random(4)
    rows = []
    for n in range(3000):
        moment = START + dt.timedelta(seconds=rng.randrange(5 * 86400))
        if n % 100 == 0:
            rows.append(NewObservation(moment, result="Sensor gestört", datastream_id=stream))
        else:
            rows.append(NewObservation(moment, rng.uniform(-5, 30), datastream_id=stream))
    for start in range(0, 3000, 700):  # in several batches, as they would come
        store_observations(rows[start : start + 700])
    return stream


def _raw(stream: int, start: dt.datetime, end: dt.datetime) -> list[float | None]:
    return list(
        Observation.objects.filter(
            datastream_id=stream, phenomenon_start__gte=start, phenomenon_start__lt=end
        ).values_list("number", flat=True)
    )


@pytest.mark.parametrize("hours", [1, 6, 24])
def test_aggregates_match_the_raw_observations(filled, public, hours):
    start = START + dt.timedelta(hours=7, minutes=13, seconds=5)  # edges inside hours
    end = START + dt.timedelta(days=4, hours=2, minutes=41)
    response = public.client.get(
        f"/api/v1/sensors/datastreams/{filled}/aggregate",
        {"start": start.isoformat(), "end": end.isoformat(), "interval": hours},
    )
    assert response.status_code == 200, response.content
    buckets = response.json()
    assert sum(b["count"] for b in buckets) == len(_raw(filled, start, end))
    for bucket in buckets:
        begin = dt.datetime.fromisoformat(bucket["start"])
        values = _raw(filled, max(begin, start), min(begin + dt.timedelta(hours=hours), end))
        numbers = [v for v in values if v is not None]
        assert bucket["count"] == len(values)
        assert bucket["min"] == min(numbers) and bucket["max"] == max(numbers)
        assert bucket["mean"] == pytest.approx(sum(numbers) / len(numbers))


def test_counts_between_two_times_use_the_roll_up_and_the_edges(filled):
    start = START + dt.timedelta(hours=30, minutes=59, seconds=59)
    end = START + dt.timedelta(hours=77, microseconds=1)
    assert selectors.count_between(filled, start, end) == len(_raw(filled, start, end))
    assert selectors.count_between(filled, None, None) == 3000
    inside = START + dt.timedelta(hours=5, minutes=10)
    short = selectors.count_between(filled, inside, inside + dt.timedelta(minutes=20))
    assert short == len(_raw(filled, inside, inside + dt.timedelta(minutes=20)))


def test_latest_of_many_datastreams(sta, public, filled):
    other = _stream(sta, public)
    sta.made(
        f"Datastreams({other})/Observations",
        {"result": 1, "phenomenonTime": "2026-01-01T00:00:00Z"},
    )
    sta.made(
        f"Datastreams({other})/Observations",
        {"result": 2, "phenomenonTime": "2026-01-02T00:00:00Z"},
    )
    sta.made(
        f"Datastreams({other})/Observations",
        {"result": 0, "phenomenonTime": "2025-12-31T00:00:00Z"},
    )
    everything = public.client.get("/api/v1/sensors/latest").json()
    assert [e["datastream"] for e in everything] == sorted([filled, other])
    assert (
        everything[1]["result"] == 2 and everything[1]["phenomenonTime"] == "2026-01-02T00:00:00Z"
    )
    newest = Observation.objects.filter(datastream_id=filled).order_by("-phenomenon_start").first()
    assert everything[0]["observation"] == newest.pk
    one = public.client.get("/api/v1/sensors/latest", {"datastreams": str(other)}).json()
    assert [e["datastream"] for e in one] == [other]
    posted = public.client.post(
        "/api/v1/sensors/latest", {"datastreams": [filled]}, content_type="application/json"
    )
    assert [e["datastream"] for e in posted.json()] == [filled]


def test_bad_aggregate_requests_are_refused_with_field_messages(filled, public):
    url = f"/api/v1/sensors/datastreams/{filled}/aggregate"
    wrong = public.client.get(url, {"start": "gestern", "end": "2026-03-02T00:00:00Z"})
    assert wrong.status_code == 422 and "start" in wrong.json()["errors"]
    backwards = public.client.get(
        url, {"start": "2026-03-02T00:00:00Z", "end": "2026-03-01T00:00:00Z"}
    )
    assert backwards.status_code == 422 and "end" in backwards.json()["errors"]
    missing = public.client.get(
        "/api/v1/sensors/datastreams/999999/aggregate",
        {"start": "2026-03-01T00:00:00Z", "end": "2026-03-02T00:00:00Z"},
    )
    assert missing.status_code == 404


def _hours_from_rows(stream: int) -> dict:
    counts: dict = {}
    for moment in Observation.objects.filter(datastream_id=stream).values_list(
        "phenomenon_start", flat=True
    ):
        hour = moment.replace(minute=0, second=0, microsecond=0)
        counts[hour] = counts.get(hour, 0) + 1
    return counts


def test_changes_and_deletions_keep_roll_up_and_ranges_exact(filled, sta, public):
    from allmende.sensors.models import ObservationHour

    rows = list(Observation.objects.filter(datastream_id=filled).order_by("phenomenon_start"))
    first, middle, last = rows[0], rows[1500], rows[-1]
    assert sta.send("DELETE", f"Observations({first.pk})").status_code == 200
    assert sta.send("DELETE", f"Observations({last.pk})").status_code == 200
    moved = sta.send(
        "PATCH",
        f"Observations({middle.pk})",
        {"phenomenonTime": "2026-03-09T10:00:00Z/2026-03-09T12:30:00Z", "result": 99.5},
    )
    assert moved.status_code == 200, moved.content
    stored = dict(ObservationHour.objects.filter(datastream_id=filled).values_list("hour", "count"))
    assert stored == _hours_from_rows(filled)
    span = public.get(f"Datastreams({filled})").json()["phenomenonTime"]
    assert span == f"{_z(rows[1].phenomenon_start)}/2026-03-09T12:30:00Z"
    latest = public.client.get("/api/v1/sensors/latest", {"datastreams": str(filled)}).json()
    assert latest[0]["observation"] == middle.pk and latest[0]["result"] == 99.5


def _z(moment: dt.datetime) -> str:
    from allmende.sensors.sta.values import format_time

    return format_time(moment)


def test_the_sensor_reads_are_in_the_openapi_document(public):
    paths = public.client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/sensors/latest",
        "/api/v1/sensors/datastreams/{datastream}/aggregate",
        "/api/v1/sensors/rules/{rule}/areas",
    } <= set(paths)


def test_retention_deletes_old_observations_and_keeps_their_hourly_roll_up(filled):
    from allmende.sensors.models import Datastream, ObservationHour
    from allmende.sensors.services.ingest import apply_retention

    before = dict(ObservationHour.objects.filter(datastream_id=filled).values_list("hour", "count"))
    Datastream.objects.filter(pk=filled).update(keep_days=2)
    now = START + dt.timedelta(days=5)
    deleted = apply_retention(now=now)
    cutoff = now - dt.timedelta(days=2)
    assert deleted > 0
    old = Observation.objects.filter(datastream_id=filled, phenomenon_start__lt=cutoff)
    assert not old.exists()
    after = dict(ObservationHour.objects.filter(datastream_id=filled).values_list("hour", "count"))
    assert after == before  # the hourly sums outlive the rows
    assert selectors.count_between(filled, None, None) == 3000
    first = Observation.objects.filter(datastream_id=filled).order_by("phenomenon_start").first()
    assert Datastream.objects.get(pk=filled).phenomenon_start == first.phenomenon_start
