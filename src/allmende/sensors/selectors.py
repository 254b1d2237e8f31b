"""Reads for dashboards: the latest observation of many Datastreams, aggregates over time
ranges, counts — answered from the roll-ups the ingest keeps, so their cost does not
grow with the number of observations (see ADR 0007).

Time ranges are half-open, ``[start, end)``. Aggregates come in buckets of whole hours
(``interval``), aligned to the Unix epoch in UTC (so daily buckets are UTC days). Whole
hours inside the range are read from ``ObservationHour``; the parts of hours at the two
edges from the observations themselves.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import Sum

from .models import Datastream, Observation, ObservationHour
from .sta.values import decode_result

HOUR = dt.timedelta(hours=1)
EPOCH = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


@dataclass
class Latest:
    datastream: int
    observation: int
    phenomenon_start: dt.datetime
    phenomenon_end: dt.datetime | None
    result: object


def latest(datastreams: Iterable[int] | None = None) -> list[Latest]:
    """The latest observation (by phenomenon time) of each Datastream that has one; all
    Datastreams when ``datastreams`` is None."""
    series = Datastream.objects.exclude(latest_id=None)
    if datastreams is not None:
        series = series.filter(pk__in=list(datastreams))
    rows = (
        Observation.objects.filter(pk__in=series.values("latest_id"))  # index lookups
        .order_by("datastream_id")
        .values_list(
            "datastream_id",
            "pk",
            "phenomenon_start",
            "phenomenon_end",
            "number",
            "integer",
            "result",
        )
    )
    return [
        Latest(stream, pk, start, end, decode_result(number, integer, other))
        for stream, pk, start, end, number, integer, other in rows
    ]


@dataclass
class Bucket:
    start: dt.datetime
    count: int = 0
    numeric: int = 0
    total: float | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def mean(self) -> float | None:
        return self.total / self.numeric if self.numeric and self.total is not None else None

    def add(self, count: int, numeric: int, total, minimum, maximum) -> None:
        self.count += count
        self.numeric += numeric
        if total is not None:
            self.total = total if self.total is None else self.total + total
        if minimum is not None:
            self.minimum = minimum if self.minimum is None else min(self.minimum, minimum)
        if maximum is not None:
            self.maximum = maximum if self.maximum is None else max(self.maximum, maximum)


def _floor_hour(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _ceil_hour(value: dt.datetime) -> dt.datetime:
    floor = _floor_hour(value)
    return floor if floor == value else floor + HOUR


def aggregate(
    datastream: int, start: dt.datetime, end: dt.datetime, interval: dt.timedelta = HOUR
) -> list[Bucket]:
    """Count, numeric count, sum, min, max (and mean) of the observations of
    ``datastream`` in ``[start, end)``, per bucket of ``interval`` (whole hours);
    buckets without observations are left out."""
    if interval < HOUR or interval % HOUR:
        raise ValueError("the interval must be a whole number of hours")
    buckets: dict[int, Bucket] = {}
    step = int(interval.total_seconds())

    def bucket(moment: dt.datetime) -> Bucket:
        key = int(moment.timestamp()) // step * step
        found = buckets.get(key)
        if found is None:
            found = buckets[key] = Bucket(EPOCH + dt.timedelta(seconds=key))
        return found

    inner_start, inner_end = _ceil_hour(start), _floor_hour(end)
    if inner_start < inner_end:
        for seconds, *figures in _hours(datastream, inner_start, inner_end):
            key = seconds // step * step
            found = buckets.get(key)
            if found is None:
                found = buckets[key] = Bucket(EPOCH + dt.timedelta(seconds=key))
            found.add(*figures)
        edges = [(start, inner_start), (inner_end, end)]
    else:
        edges = [(start, end)]
    for edge_start, edge_end in edges:
        if edge_start >= edge_end:
            continue
        rows = Observation.objects.filter(
            datastream_id=datastream,
            phenomenon_start__gte=edge_start,
            phenomenon_start__lt=edge_end,
        ).values_list("phenomenon_start", "number")
        for moment, number in rows.iterator(chunk_size=10_000):
            bucket(moment).add(1, int(number is not None), number, number, number)
    return [buckets[key] for key in sorted(buckets)]


def _hours(datastream: int, start: dt.datetime, end: dt.datetime) -> list[tuple]:
    """The roll-up rows of ``[start, end)`` with their hour as epoch seconds: a year is
    8,760 rows, and turning each into a datetime would cost more than the rest."""
    table = ObservationHour._meta.db_table
    if connection.vendor == "postgresql":
        epoch = "EXTRACT(EPOCH FROM hour)::bigint"
    else:
        epoch = "CAST(strftime('%%s', hour) AS INTEGER)"
    ops = connection.ops
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {epoch}, count, numeric, total, minimum, maximum FROM {table}"  # noqa: S608
            " WHERE datastream_id = %s AND hour >= %s AND hour < %s ORDER BY hour",
            [datastream, ops.adapt_datetimefield_value(start), ops.adapt_datetimefield_value(end)],
        )
        return cursor.fetchall()


def count_between(datastream: int, start: dt.datetime | None, end: dt.datetime | None) -> int:
    """How many observations of ``datastream`` lie in ``[start, end)`` (open ends: all)."""
    rows = Observation.objects.filter(datastream_id=datastream)
    if start is None or end is None:
        if start is not None:
            rows = rows.filter(phenomenon_start__gte=start)
        if end is not None:
            rows = rows.filter(phenomenon_start__lt=end)
        if start is None and end is None:
            hours = ObservationHour.objects.filter(datastream_id=datastream)
            return hours.aggregate(n=Sum("count"))["n"] or 0
        return rows.count()
    inner_start, inner_end = _ceil_hour(start), _floor_hour(end)
    if inner_start >= inner_end:
        return rows.filter(phenomenon_start__gte=start, phenomenon_start__lt=end).count()
    inner = ObservationHour.objects.filter(
        datastream_id=datastream, hour__gte=inner_start, hour__lt=inner_end
    ).aggregate(n=Sum("count"))["n"]
    left = rows.filter(phenomenon_start__gte=start, phenomenon_start__lt=inner_start).count()
    right = rows.filter(phenomenon_start__gte=inner_end, phenomenon_start__lt=end).count()
    return (inner or 0) + left + right
