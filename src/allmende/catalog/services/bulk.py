"""Fast inserts for imports: COPY on PostgreSQL, one prepared INSERT with executemany else.

Django's bulk_create compiles SQL for every small batch (SQLite allows few parameters per
statement), which dominates the cost of a large import. Here each model's statement is
built once and the values are prepared with one converter per field.
"""

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from django.conf import settings
from django.db import connection, models


def _converter(field: models.Field) -> Callable[[Any], Any] | None:
    """The function that adapts a Python value for the database (None: none needed)."""
    ops = connection.ops
    internal = field.get_internal_type()
    if internal == "DateTimeField":
        if connection.vendor == "sqlite" and settings.USE_TZ:
            return _remembering(_sqlite_datetime)
        return _remembering(ops.adapt_datetimefield_value)
    if internal == "DateField":
        return _remembering(ops.adapt_datefield_value)
    if internal == "JSONField":
        return lambda value: ops.adapt_json_value(value, field.encoder)  # type: ignore[attr-defined]
    if internal == "FileField":
        return lambda value: (value.name if hasattr(value, "name") else value) or ""
    return None


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    """What Django stores for an aware datetime on SQLite (naive UTC text), done directly."""
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def insert_rows(model: type[models.Model], objs: Sequence[models.Model]) -> None:
    """INSERT model instances (without primary keys) in one executemany; pks are not set."""
    if not objs:
        return
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    insert_values(
        model,
        [f.attname for f in fields],
        [tuple(getattr(obj, f.attname) for f in fields) for obj in objs],
    )


def insert_values(model: type[models.Model], names: list[str], rows: Sequence[tuple]) -> None:
    """INSERT plain value tuples for the fields ``names`` (attnames) of ``model``."""
    if not rows:
        return
    by_name = {f.attname: f for f in model._meta.concrete_fields}
    fields = [by_name[name] for name in names]
    converters = [_converter(f) for f in fields]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    table = connection.ops.quote_name(model._meta.db_table)
    prepared = _adapt(converters, rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY is PostgreSQL's bulk path: one stream instead of a statement per row.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in prepared:
                    copy.write_row(row)
            return
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", prepared)  # noqa: S608


def assign_pks(model: type[models.Model], objs: Iterable[models.Model], key: str) -> None:
    """Set the primary keys of freshly inserted ``objs`` by looking them up on ``key``."""
    by_key = {getattr(obj, key): obj for obj in objs}
    keys = list(by_key)
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        for pk, value in model.objects.filter(**{f"{key}__in": chunk}).values_list("pk", key):
            by_key[value].pk = pk


def _adapt(converters: list, rows: Sequence[tuple]) -> Sequence[tuple]:
    """Apply the converters column by column, touching only columns that need one."""
    needed = [(i, conv) for i, conv in enumerate(converters) if conv is not None]
    if not needed:
        return rows
    out = []
    for row in rows:
        values = list(row)
        for i, conv in needed:
            values[i] = conv(values[i])
        out.append(tuple(values))
    return out


def _remembering(conv: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """A date converter that converts each distinct value once: a bulk write repeats the
    same timestamps in every row."""
    seen: dict = {}

    def convert(value: Any) -> Any:
        if value not in seen:
            seen[value] = conv(value)
        return seen[value]

    return convert
