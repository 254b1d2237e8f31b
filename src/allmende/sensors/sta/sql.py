"""SQL pieces that read the same on SQLite and PostgreSQL, for the compiled ``$filter``.

Django's own functions cover most of the grammar; these fill the gaps where the two
databases differ: typed values inside JSON (``properties/height gt 3`` must not fail on
a row whose height is text), a 1-based substring position, fractional seconds, text
comparison by code point (PostgreSQL's collations would sort ``'a' < 'B'``), case
mapping beyond ASCII (SQLite's ``lower()`` knows only ASCII) and a large id set bound as
one parameter instead of thousands.
"""

import json
from typing import Any

from django.db.backends.signals import connection_created
from django.db.models import BooleanField, Expression, FloatField, Func, IntegerField, TextField

JSON_WANTS = ("number", "text", "boolean", "type")


def _upper(text: str | None) -> str | None:
    """Upper case, one character for one (as PostgreSQL's ``upper``: ``ß`` stays)."""
    if text is None:
        return None
    return "".join(c.upper() if len(c.upper()) == 1 else c for c in text)


def _lower(text: str | None) -> str | None:
    if text is None:
        return None
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in text)


def _register_sqlite_functions(sender: Any, connection: Any, **kwargs: Any) -> None:
    if connection.vendor == "sqlite":
        raw = connection.connection
        raw.create_function("sta_upper", 1, _upper, deterministic=True)
        raw.create_function("sta_lower", 1, _lower, deterministic=True)
        connection.sta_functions = raw


def _ensure_sqlite_functions(connection: Any) -> None:
    """Register the functions on a connection opened before this module was imported."""
    if getattr(connection, "sta_functions", None) is not connection.connection:
        _register_sqlite_functions(None, connection)


connection_created.connect(_register_sqlite_functions, dispatch_uid="sta_sqlite_functions")


class JsonValue(Func):
    """A value inside a JSON column, NULL unless it has the wanted JSON type.

    ``want``: ``number`` (a float), ``text``, ``boolean``, or ``type`` (the JSON type's
    name, NULL when the key is missing; ``'null'`` for a JSON null on both databases).
    """

    def __init__(self, column: Any, keys: tuple[str, ...], want: str) -> None:
        if want not in JSON_WANTS:
            raise ValueError(want)
        output = {"number": FloatField(), "boolean": BooleanField()}.get(want, TextField())
        super().__init__(column, output_field=output)
        self.keys = tuple(keys)
        self.want = want

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        column, params = compiler.compile(self.source_expressions[0])
        path = "$" + "".join("." + json.dumps(k) for k in self.keys)
        kind = f"json_type({column}, %s)"
        value = f"json_extract({column}, %s)"
        both = [*params, path, *params, path]
        if self.want == "type":
            return kind, [*params, path]
        if self.want == "number":
            return f"(CASE WHEN {kind} IN ('integer', 'real') THEN {value} END)", both
        if self.want == "text":
            return f"(CASE WHEN {kind} = 'text' THEN {value} END)", both
        return f"(CASE {kind} WHEN 'true' THEN 1 WHEN 'false' THEN 0 END)", [*params, path]

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        column, params = compiler.compile(self.source_expressions[0])
        keys = list(self.keys)
        kind = f"jsonb_typeof(({column})::jsonb #> %s::text[])"
        text = f"(({column})::jsonb #>> %s::text[])"
        both = [*params, keys, *params, keys]
        if self.want == "type":
            return kind, [*params, keys]
        if self.want == "number":
            return f"(CASE WHEN {kind} = 'number' THEN {text}::double precision END)", both
        if self.want == "text":
            return f"(CASE WHEN {kind} = 'string' THEN {text} END)", both
        return f"(CASE WHEN {kind} = 'boolean' THEN {text}::boolean END)", both


class StrPos(Func):
    """1-based position of ``needle`` in ``text``, 0 when it does not occur."""

    output_field = IntegerField()

    def __init__(self, text: Any, needle: Any) -> None:
        super().__init__(text, needle)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return self.as_sql(compiler, connection, function="INSTR", **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return self.as_sql(compiler, connection, function="STRPOS", **extra)


class CaseMap(Func):
    """``upper`` or ``lower`` with the same result on both databases."""

    output_field = TextField()

    def __init__(self, text: Any, upper: bool) -> None:
        super().__init__(text)
        self.upper = upper

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        _ensure_sqlite_functions(connection)
        name = "sta_upper" if self.upper else "sta_lower"
        return self.as_sql(compiler, connection, function=name, **extra)

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        name = "UPPER" if self.upper else "LOWER"
        return self.as_sql(compiler, connection, function=name, **extra)


class CodePoints(Func):
    """Text compared and sorted by code point: ``COLLATE "C"`` on PostgreSQL; SQLite's
    default BINARY collation already does so."""

    output_field = TextField()

    def __init__(self, text: Any) -> None:
        super().__init__(text)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f'(({sql})::text COLLATE "C")', params


class FractionalSeconds(Func):
    """The fraction of the second of a time (0 ≤ f < 1), to the microsecond."""

    output_field = FloatField()

    def __init__(self, moment: Any) -> None:
        super().__init__(moment)

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        # SQLite keeps times as 'YYYY-MM-DD HH:MM:SS[.ffffff]' (in UTC).
        sql, params = compiler.compile(self.source_expressions[0])
        return f"CAST('0' || substr({sql}, 20) AS REAL)", params

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.source_expressions[0])
        return f"(MOD(EXTRACT(MICROSECONDS FROM {sql})::bigint, 1000000) / 1000000.0)", params


class IdIn(Expression):
    """``column IN (ids)`` with the ids bound as one parameter (a JSON array on SQLite,
    an array on PostgreSQL), so a spatial test that matched 100,000 rows still makes a
    statement of normal size."""

    conditional = True
    output_field = BooleanField()

    def __init__(self, column: Any, ids: list[int]) -> None:
        super().__init__(output_field=BooleanField())
        self.column = column
        self.ids = sorted(ids)

    def get_source_expressions(self) -> list:
        return [self.column]

    def set_source_expressions(self, exprs: list) -> None:
        (self.column,) = exprs

    def as_sqlite(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.column)
        ids = json.dumps(self.ids)
        return f"({sql} IN (SELECT value FROM json_each(%s)))", [*params, ids]  # noqa: S608

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> tuple[str, list]:
        sql, params = compiler.compile(self.column)
        return f"({sql} = ANY(%s::bigint[]))", [*params, self.ids]
