"""``$count`` of one Datastream's observations in a time range, answered from the hourly
roll-up (``sta/counting.py``), gives the same numbers as counting the rows in SQL: on
random times with microseconds, at exact hour boundaries, at the observations' own
times, with ``gt``/``ge``/``lt``/``le``, open ranges and intervals."""

import datetime as dt
import random

import pytest

from allmende.sensors.query import parse_query
from allmende.sensors.services.ingest import NewObservation, store_observations
from allmende.sensors.sta.counting import roll_up_count
from allmende.sensors.sta.paths import resolve
from allmende.sensors.sta.values import format_time

from .conftest import THING

START = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)
TICK = dt.timedelta(microseconds=1)


@pytest.fixture
def series(sta, public) -> tuple[int, int, list[dt.datetime]]:
    """Two Datastreams: the first with 1,500 observations at random times (with
    microseconds, some on the hour, some twice, a few intervals across hours), the other
    with observations at the same times, which must not be counted."""
    thing = sta.made("Things", {**THING, "Datastreams": THING["Datastreams"] * 2})
    ids = [s["@iot.id"] for s in public.get(f"Things({thing})/Datastreams").json()["value"]]
    rng = random.Random(7)
    times: list[dt.datetime] = []
    rows = []
    for n in range(1500):
        if n % 10 == 0:
            moment = START + HOUR * rng.randrange(72)
        else:
            moment = START + dt.timedelta(microseconds=rng.randrange(72 * 3600 * 10**6))
        times.append(moment)
        end = moment + dt.timedelta(minutes=rng.randrange(1, 150)) if n % 37 == 0 else None
        rows.append(NewObservation(moment, float(n), datastream_id=ids[0], phenomenon_end=end))
        if n % 3 == 0:
            rows.append(NewObservation(moment, 1.0, datastream_id=ids[1]))
    for start in range(0, len(rows), 400):
        store_observations(rows[start : start + 400])
    return ids[0], ids[1], sorted(times)


def _bounds(rng: random.Random, times: list[dt.datetime]) -> dt.datetime:
    kind = rng.randrange(5)
    if kind == 0:
        return START + HOUR * rng.randrange(-2, 75)
    if kind == 1:
        return rng.choice(times)
    if kind == 2:
        return rng.choice(times) + rng.choice((TICK, -TICK))
    if kind == 3:
        return START + HOUR * rng.randrange(72) + rng.choice((TICK, -TICK))
    return START + dt.timedelta(microseconds=rng.randrange(-3600 * 10**6, 75 * 3600 * 10**6))


def _filter(rng: random.Random, times: list[dt.datetime]) -> str:
    parts = []
    for ops in (("ge", "gt"), ("lt", "le")):
        if rng.random() < 0.85:
            op, moment = rng.choice(ops), format_time(_bounds(rng, times))
            mirrored = {"ge": "le", "gt": "lt", "lt": "gt", "le": "ge"}[op]
            parts.append(
                f"{moment} {mirrored} phenomenonTime"
                if rng.random() < 0.2
                else f"phenomenonTime {op} {moment}"
            )
    return " and ".join(parts)


def _count(public, path: str, condition: str) -> int:
    params = {"$count": "true", "$top": "0"}
    if condition:
        params["$filter"] = condition
    response = public.get(path, **params)
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["value"] == [] and "@iot.nextLink" not in body
    return body["@iot.count"]


def test_the_roll_up_count_equals_the_sql_count(series, public):
    stream, _other, times = series
    rng = random.Random(11)
    for _round in range(120):
        condition = _filter(rng, times)
        slow = f"Datastream/name eq '{THING['Datastreams'][0]['name']}'"  # not taken fast
        expected = _count(
            public,
            f"Datastreams({stream})/Observations",
            f"({condition}) and {slow}" if condition else slow,
        )
        by_path = _count(public, f"Datastreams({stream})/Observations", condition)
        in_filter = f"Datastream/@iot.id eq {stream}" + (f" and {condition}" if condition else "")
        by_filter = _count(public, "Observations", in_filter)
        assert by_path == by_filter == expected, condition


def test_edges_on_the_hour_and_a_microsecond_beside(series, public):
    stream, _other, times = series
    path = f"Datastreams({stream})/Observations"
    for moment in [START + HOUR * 5, times[0], times[-1], times[700], START + HOUR * 71]:
        for delta in (-TICK, dt.timedelta(0), TICK):
            at = format_time(moment + delta)
            for condition in (
                f"phenomenonTime ge {at}",
                f"phenomenonTime gt {at}",
                f"phenomenonTime lt {at}",
                f"phenomenonTime le {at}",
                f"phenomenonTime ge {at} and phenomenonTime le {at}",
                f"phenomenonTime ge {at} and phenomenonTime lt {format_time(moment + HOUR)}",
            ):
                slow = f"({condition}) and Datastream/@iot.id add 0 eq {stream}"
                assert _count(public, path, condition) == _count(public, path, slow), condition


def test_which_requests_take_the_roll_up(series):
    stream, other, _times = series

    def fast(path: str, condition: str) -> int | None:
        query = {"$filter": condition, "$count": "true"} if condition else {"$count": "true"}
        return roll_up_count(resolve(path), parse_query(query))

    window = "phenomenonTime ge 2026-03-01T05:00:00Z and phenomenonTime lt 2026-03-02T05:00:00Z"
    assert fast(f"Datastreams({stream})/Observations", window) is not None
    assert fast(f"Datastreams({stream})/Observations", "") == 1500
    assert fast("Observations", f"Datastream/id eq {stream} and {window}") is not None
    assert fast("Observations", f"{stream} eq Datastream/@iot.id") == 1500
    assert fast("Observations", window) is None  # no single Datastream
    assert fast("Observations", f"Datastream/id eq {stream} or {window}") is None
    assert fast("Observations", f"Datastream/id eq {stream} and Datastream/id eq {other}") is None
    assert fast(f"Datastreams({stream})/Observations", f"{window} and result gt 3") is None
    equal = "phenomenonTime eq 2026-03-01T05:00:00Z"
    assert fast(f"Datastreams({stream})/Observations", equal) is None
    assert fast("Things", "") is None
    assert fast(f"Datastreams({stream})", "") is None
    assert (
        fast(f"Datastreams({stream})/Observations", "phenomenonTime lt 2020-01-01T00:00:00Z") == 0
    )
