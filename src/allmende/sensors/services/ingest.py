"""Storing observations in bulk: the one path for the API, DataArrays, MQTT and adapters.

``store_observations`` writes a batch in one transaction with a few statements: the rows
(multi-row INSERT … RETURNING), the hourly roll-up (one upsert per Datastream and hour),
and each Datastream's time ranges and latest observation (one UPDATE per Datastream).
Messages that carry a key (MQTT, uplinks) are stored once: the key is written in the
same transaction, and a batch skips keys already stored.

``refresh_series`` recomputes roll-ups, ranges and latest observations from the rows,
after observations were changed or deleted.
"""

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from ..models import ObservationHour
from ..signals import observations_stored

#: Rows per INSERT statement (13 parameters each: well under SQLite's limit).
CHUNK = 500
_COLUMNS = (
    "datastream_id, multi_datastream_id, feature_id, phenomenon_start, phenomenon_end,"
    " result_time, number, integer, result, result_quality, valid_start, valid_end, parameters"
)


@dataclass(slots=True)
class NewObservation:
    """An observation to store, checked already (see ``sensors/sta/writing.py``)."""

    phenomenon_start: dt.datetime
    number: float | None = None
    integer: bool = False
    result: Any = None  # a result that is no number
    datastream_id: int | None = None
    multi_datastream_id: int | None = None
    feature_id: int | None = None
    phenomenon_end: dt.datetime | None = None
    result_time: dt.datetime | None = None
    result_quality: Any = None
    valid_start: dt.datetime | None = None
    valid_end: dt.datetime | None = None
    parameters: Any = None


def store_observations(
    observations: Sequence[NewObservation], keys: Sequence[str | None] | None = None
) -> list[int | None]:
    """Store ``observations`` (with ``keys[i]`` the message key of the i-th, or None) and
    return their ids; an observation whose key was stored before gets None."""
    with transaction.atomic():
        if keys is not None:
            fresh = _claim_keys({k for k in keys if k})
            chosen = []
            for i, key in enumerate(keys):
                if not key:
                    chosen.append(i)
                elif key in fresh:  # stored now, by its first occurrence only
                    fresh.discard(key)
                    chosen.append(i)
        else:
            chosen = list(range(len(observations)))
        rows = [observations[i] for i in chosen]
        ids = _insert(rows) if rows else []
        _roll_up(rows)
        _advance(rows, ids)
        if ids and observations_stored.has_listeners():
            stored = list(zip(ids, rows, strict=True))
            transaction.on_commit(
                lambda: observations_stored.send(sender=NewObservation, observations=stored)
            )
    out: list[int | None] = [None] * len(observations)
    for i, pk in zip(chosen, ids, strict=True):
        out[i] = pk
    return out


def _claim_keys(keys: set[str]) -> set[str]:
    """Write the keys not stored yet and return them."""
    if not keys:
        return set()
    now = connection.ops.adapt_datetimefield_value(dt.datetime.now(dt.UTC))
    fresh: set[str] = set()
    ordered = sorted(keys)
    if connection.vendor == "postgresql":  # one array parameter instead of thousands
        with connection.cursor() as cursor:
            cursor.execute(
                "INSERT INTO sensors_receivedmessage (key, received) SELECT k, %s"
                " FROM unnest(%s::text[]) AS k ON CONFLICT (key) DO NOTHING RETURNING key",
                [now, ordered],
            )
            return {row[0] for row in cursor.fetchall()}
    with connection.cursor() as cursor:
        for start in range(0, len(ordered), CHUNK):
            part = ordered[start : start + CHUNK]
            cursor.execute(
                "INSERT INTO sensors_receivedmessage (key, received) VALUES "  # noqa: S608
                + ", ".join(["(%s, %s)"] * len(part))
                + " ON CONFLICT (key) DO NOTHING RETURNING key",
                [value for key in part for value in (key, now)],
            )
            fresh.update(row[0] for row in cursor.fetchall())
    return fresh


def _time(value: dt.datetime | None) -> Any:
    if value is None:
        return None
    if connection.vendor == "sqlite":  # Django's own text form, without its detours
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(" ")
    return connection.ops.adapt_datetimefield_value(value)


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def _insert(rows: Sequence[NewObservation]) -> list[int]:
    if connection.vendor == "postgresql":
        return _copy(rows)
    ids: list[int] = []
    with connection.cursor() as cursor:
        for start in range(0, len(rows), CHUNK):
            part = rows[start : start + CHUNK]
            params: list[Any] = []
            for o in part:
                params += _values(o, _time)
            values = "(" + ", ".join(["%s"] * 13) + ")"
            cursor.execute(
                f"INSERT INTO sensors_observation ({_COLUMNS}) VALUES "  # noqa: S608
                + ", ".join([values] * len(part))
                + " RETURNING id",
                params,
            )
            ids += [row[0] for row in cursor.fetchall()]
    return ids


def _values(o: NewObservation, t: Any) -> tuple:
    j = _json
    return (
        o.datastream_id,
        o.multi_datastream_id,
        o.feature_id,
        t(o.phenomenon_start),
        t(o.phenomenon_end),
        t(o.result_time),
        o.number,
        o.integer,
        j(o.result),
        j(o.result_quality),
        t(o.valid_start),
        t(o.valid_end),
        j(o.parameters),
    )


def _copy(rows: Sequence[NewObservation]) -> list[int]:
    """PostgreSQL: ids taken from the sequence in one statement, rows sent with COPY."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence('sensors_observation', 'id'))"
            " FROM generate_series(1, %s)",
            [len(rows)],
        )
        ids = [row[0] for row in cursor.fetchall()]
        raw = cursor.cursor  # psycopg's own cursor, for COPY
        with raw.copy(f"COPY sensors_observation (id, {_COLUMNS}) FROM STDIN") as copy:
            for pk, o in zip(ids, rows, strict=True):
                copy.write_row((pk, *_values(o, _same)))
    return ids


def _same(value: Any) -> Any:
    return value


def _hour(value: dt.datetime) -> dt.datetime:
    return value.astimezone(dt.UTC).replace(minute=0, second=0, microsecond=0)


def _count(entry: list, number: float | None) -> None:
    """Add one observation to an hour's [count, numeric, sum, min, max]."""
    entry[0] += 1
    if number is not None:
        entry[1] += 1
        entry[2] = number if entry[2] is None else entry[2] + number
        entry[3] = number if entry[3] is None else min(entry[3], number)
        entry[4] = number if entry[4] is None else max(entry[4], number)


def _roll_up(rows: Iterable[NewObservation]) -> None:
    """Add the rows to the hourly sums of their Datastreams."""
    sums: dict[tuple[int, dt.datetime], list] = {}
    for o in rows:
        if o.datastream_id is None:
            continue
        key = (o.datastream_id, _hour(o.phenomenon_start))
        _count(sums.setdefault(key, [0, 0, None, None, None]), o.number)
    if not sums:
        return
    least, greatest = ("LEAST", "GREATEST") if connection.vendor == "postgresql" else ("MIN", "MAX")
    table = ObservationHour._meta.db_table

    def pick(fn: str, column: str) -> str:
        return (
            f"{column} = CASE WHEN {table}.{column} IS NULL THEN excluded.{column}"
            f" WHEN excluded.{column} IS NULL THEN {table}.{column}"
            f" ELSE {fn}({table}.{column}, excluded.{column}) END"
        )

    sql = (
        f"INSERT INTO {table} (datastream_id, hour, count, numeric, total, minimum, maximum)"  # noqa: S608
        " VALUES (%s, %s, %s, %s, %s, %s, %s) ON CONFLICT (datastream_id, hour) DO UPDATE SET"
        f" count = {table}.count + excluded.count, numeric = {table}.numeric + excluded.numeric,"
        f" total = CASE WHEN excluded.total IS NULL THEN {table}.total"
        f" ELSE COALESCE({table}.total, 0) + excluded.total END, "
        + pick(least, "minimum")
        + ", "
        + pick(greatest, "maximum")
    )
    with connection.cursor() as cursor:
        cursor.executemany(
            sql,
            [(ds, _time(hour), *entry) for (ds, hour), entry in sorted(sums.items())],
        )


def _advance(rows: Sequence[NewObservation], ids: Sequence[int]) -> None:
    """Widen the time ranges of the rows' (Multi)Datastreams and move their latest."""
    spans: dict[tuple[str, int], list] = {}
    for o, pk in zip(rows, ids, strict=True):
        for table, series in (
            ("sensors_datastream", o.datastream_id),
            ("sensors_multidatastream", o.multi_datastream_id),
        ):
            if series is None:
                continue
            end = o.phenomenon_end or o.phenomenon_start
            span = spans.get((table, series))
            if span is None:
                spans[(table, series)] = [
                    o.phenomenon_start,
                    end,
                    o.result_time,
                    o.result_time,
                    o.phenomenon_start,
                    pk,
                ]
                continue
            span[0] = min(span[0], o.phenomenon_start)
            span[1] = max(span[1], end)
            if o.result_time is not None:
                span[2] = o.result_time if span[2] is None else min(span[2], o.result_time)
                span[3] = o.result_time if span[3] is None else max(span[3], o.result_time)
            if (o.phenomenon_start, pk) > (span[4], span[5]):
                span[4], span[5] = o.phenomenon_start, pk
    by_table: dict[str, list] = {}
    for (table, series), (p0, p1, r0, r1, latest_start, latest) in spans.items():
        p0, p1, r0, r1, start = (_time(v) for v in (p0, p1, r0, r1, latest_start))
        by_table.setdefault(table, []).append(
            (p0, p0, p1, p1, r0, r0, r0, r1, r1, r1, start, latest, start, start, series)
        )
    with connection.cursor() as cursor:
        for table, params in by_table.items():
            cursor.executemany(
                f"UPDATE {table} SET"  # noqa: S608 (table names are ours)
                " phenomenon_start = CASE WHEN phenomenon_start IS NULL OR phenomenon_start > %s"
                " THEN %s ELSE phenomenon_start END,"
                " phenomenon_end = CASE WHEN phenomenon_end IS NULL OR phenomenon_end < %s"
                " THEN %s ELSE phenomenon_end END,"
                " result_start = CASE WHEN %s IS NULL THEN result_start"
                " WHEN result_start IS NULL OR result_start > %s THEN %s ELSE result_start END,"
                " result_end = CASE WHEN %s IS NULL THEN result_end"
                " WHEN result_end IS NULL OR result_end < %s THEN %s ELSE result_end END,"
                " latest_id = CASE WHEN latest_start IS NULL OR latest_start <= %s"
                " THEN %s ELSE latest_id END,"
                " latest_start = CASE WHEN latest_start IS NULL OR latest_start <= %s"
                " THEN %s ELSE latest_start END"
                " WHERE id = %s",
                params,
            )


def refresh_series(
    datastream_ids: Iterable[int] = (),
    multi_ids: Iterable[int] = (),
    hours: Iterable[dt.datetime] | None = None,
    scan: bool = True,
) -> None:
    """Recompute time ranges, latest observation and roll-up of these series from their
    rows, after observations were changed or deleted. ``hours``: only these hours of the
    roll-up changed (else all are recomputed); ``scan=False``: the observations changed
    had no interval end and no result time, so those ranges need no full scan."""
    from ..models import Datastream, MultiDatastream, Observation

    touched = None if hours is None else {_hour(h) for h in hours}
    for model, column, pks in (
        (Datastream, "datastream_id", sorted(set(datastream_ids))),
        (MultiDatastream, "multi_datastream_id", sorted(set(multi_ids))),
    ):
        for pk in pks:
            rows = Observation.objects.filter(**{column: pk})
            _refresh_ranges(model, rows, pk, scan)
            if column == "datastream_id":
                _refresh_hours(rows, pk, touched)


def _refresh_ranges(model, rows, pk: int, scan: bool) -> None:
    """First and latest observation through the (series, time) index; the ends of
    intervals and result times only when the series has them (those need a scan)."""
    from django.db.models import Max, Min

    stored = model.objects.filter(pk=pk).values("phenomenon_end", "latest_start", "result_start")
    before = stored.first() or {}
    first = rows.order_by("phenomenon_start").values_list("phenomenon_start", flat=True).first()
    latest = rows.order_by("-phenomenon_start", "-id").values_list("id", "phenomenon_start").first()
    end = latest[1] if latest else None
    intervals = before.get("latest_start") != before.get("phenomenon_end")
    if scan or intervals:
        longest = rows.aggregate(end=Max("phenomenon_end"))["end"]
        end = max(v for v in (end, longest) if v is not None) if end or longest else None
    result = (None, None)
    if scan or before.get("result_start") is not None:
        found = rows.aggregate(r0=Min("result_time"), r1=Max("result_time"))
        result = (found["r0"], found["r1"])
    model.objects.filter(pk=pk).update(
        phenomenon_start=first,
        phenomenon_end=end,
        result_start=result[0],
        result_end=result[1],
        latest_id=latest[0] if latest else None,
        latest_start=latest[1] if latest else None,
    )


def _refresh_hours(rows, pk: int, hours: set[dt.datetime] | None) -> None:
    old = ObservationHour.objects.filter(datastream_id=pk)
    if hours is None:  # all hours that still have observations (older ones outlive them)
        first = rows.order_by("phenomenon_start").values_list("phenomenon_start", flat=True)
        oldest = first.first()
        old = old.filter(hour__gte=_hour(oldest)) if oldest is not None else old.none()
        windows = [rows]
    else:
        old = old.filter(hour__in=list(hours))
        windows = [
            rows.filter(phenomenon_start__gte=h, phenomenon_start__lt=h + dt.timedelta(hours=1))
            for h in sorted(hours)
        ]
    old.delete()
    sums: dict[dt.datetime, list] = {}
    for window in windows:
        values = window.values_list("phenomenon_start", "number")
        for start, number in values.iterator(chunk_size=5000):
            _count(sums.setdefault(_hour(start), [0, 0, None, None, None]), number)
    ObservationHour.objects.bulk_create(
        ObservationHour(
            datastream_id=pk,
            hour=hour,
            count=e[0],
            numeric=e[1],
            total=e[2],
            minimum=e[3],
            maximum=e[4],
        )
        for hour, e in sums.items()
    )


def apply_retention(now: dt.datetime | None = None, chunk: int = 50_000) -> int:
    """Delete the observations older than their Datastream's ``keep_days`` (a worker
    task, hourly); the hourly roll-up stays, so long-range aggregates keep working.
    Returns how many were deleted."""
    from ..models import Datastream, Observation

    now = now or dt.datetime.now(dt.UTC)
    deleted = 0
    for pk, days in Datastream.objects.exclude(keep_days=None).values_list("pk", "keep_days"):
        cutoff = now - dt.timedelta(days=days)
        while True:
            ids = list(
                Observation.objects.filter(datastream_id=pk, phenomenon_start__lt=cutoff)
                .order_by("phenomenon_start")
                .values_list("pk", flat=True)[:chunk]
            )
            if not ids:
                break
            with transaction.atomic():
                Observation.objects.filter(pk__in=ids).delete()
                deleted += len(ids)
        _refresh_ranges(Datastream, Observation.objects.filter(datastream_id=pk), pk, False)
    return deleted


def forget_old_keys() -> int:
    """Forget message keys older than ``ALLMENDE_MQTT_KEY_DAYS`` (a worker task)."""
    from django.conf import settings

    from ..models import ReceivedMessage

    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=settings.ALLMENDE_MQTT_KEY_DAYS)
    deleted, _ = ReceivedMessage.objects.filter(received__lt=cutoff).delete()
    return deleted
