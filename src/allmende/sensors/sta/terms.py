"""Compiled sub-expressions of ``$filter`` and ``$orderby``: :class:`Term` (a kind and a
Django expression) and the conversions between kinds.

JSON values and results have no kind of their own: they take the kind of what they are
compared with (``properties/height gt 3`` reads the number at that key, null where the
key holds text), ``result`` is the float column for numbers and the JSON column
otherwise. Intervals stand for their start where an instant is needed; a date literal
compared with a time is midnight UTC.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import (
    DateField,
    DateTimeField,
    DurationField,
    Expression,
    F,
    FloatField,
    IntegerField,
    Q,
    TextField,
    TimeField,
    Value,
)
from django.db.models.functions import Cast, NullIf
from django.db.models.lookups import Exact
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .errors import bad_request
from .sql import JsonValue

#: kinds of terms whose values SQL can compare
ORDERED = ("number", "text", "time", "date", "clock")
_NO_VALUE = object()


@dataclass(frozen=True)
class Term:
    """A compiled sub-expression.

    ``kind``: bool (``expr`` is a Q), number, text, time, date, clock, duration, null,
    json (``expr`` is (column, keys)), result (``expr`` is the ORM prefix), interval
    (``expr`` is (start, end)), geometry (``expr`` is a ``geo.GeoRef``), measure (a
    geo.distance/geo.length waiting for its comparison). ``const`` holds the Python
    value of a constant.
    """

    kind: str
    expr: Any
    const: Any = _NO_VALUE

    @property
    def constant(self) -> bool:
        return self.const is not _NO_VALUE


def fail(message: str, **params: Any) -> Exception:
    return bad_request(message % params if params else message)


def constant(value: Any) -> Term:
    """The term of a Python value (the kinds literals have)."""
    if value is None:
        return Term("null", Value(None), None)
    if isinstance(value, bool):
        return Term("bool", Q(pk__isnull=False) if value else Q(pk__in=[]), value)
    if isinstance(value, int):
        return Term("number", Value(value, output_field=IntegerField()), value)
    if isinstance(value, float | Decimal):
        return Term("number", Value(float(value), output_field=FloatField()), float(value))
    if isinstance(value, str):
        return Term("text", Value(value, output_field=TextField()), value)
    if isinstance(value, dt.datetime):
        return Term("time", Value(value, output_field=DateTimeField()), value)
    if isinstance(value, dt.date):
        return Term("date", Value(value, output_field=DateField()), value)
    if isinstance(value, dt.time):
        return Term("clock", Value(value, output_field=TimeField()), value)
    if isinstance(value, dt.timedelta):
        return Term("duration", Value(value, output_field=DurationField()), value)
    raise fail(_("unsupported value %(value)s"), value=value)


def coerce(term: Term, kind: str) -> Term:
    """``term`` as ``kind``: JSON values and results take the kind they are compared with;
    intervals become their start; dates become midnight UTC."""
    if term.kind == kind:
        return term
    if term.kind == "json":
        column, keys = term.expr
        want = {"number": "number", "bool": "boolean"}.get(kind, "text")
        value = JsonValue(column, keys, want)
        if kind == "bool":
            return Term("bool", Q(Exact(value, Value(True))))
        return Term(want if want != "boolean" else "bool", value)
    if term.kind == "result":
        if kind == "number":
            return Term("number", F(term.expr + "number"))
        return coerce(Term("json", (F(term.expr + "result"), ())), kind)
    if term.kind == "interval" and kind == "time":
        return Term("time", term.expr[0])
    if term.kind == "date" and kind == "time" and term.constant:
        return constant(dt.datetime.combine(term.const, dt.time(), dt.UTC))
    raise fail(
        _("expected %(expected)s, found %(found)s"),
        expected=_(_KIND_NAMES.get(kind, kind)),
        found=kind_name(term),
    )


def expect(term: Term, kind: str, name: str) -> Term:
    """``term`` as ``kind`` for the operator or function ``name`` (JSON values and
    results are converted), else a 400 naming what was found."""
    if term.kind in ("json", "result"):
        return coerce(term, kind)
    if term.kind != kind:
        raise fail(
            _("%(name)s needs %(kind)s, not %(found)s"),
            name=name,
            kind=_(_KIND_NAMES[kind]),
            found=kind_name(term),
        )
    return term


def unify(left: Term, right: Term) -> tuple[Term, Term]:
    """Bring two terms to one comparable kind."""
    if left.kind in ("json", "result") and right.kind in ("json", "result"):
        return coerce(left, "text"), coerce(right, "text")
    if left.kind in ("json", "result", "date", "interval") and right.kind in ORDERED:
        return coerce(left, right.kind), right
    if right.kind in ("json", "result", "date", "interval") and left.kind in ORDERED:
        return left, coerce(right, left.kind)
    if left.kind != right.kind:
        raise fail(
            _("cannot compare %(left)s with %(right)s"),
            left=kind_name(left),
            right=kind_name(right),
        )
    return left, right


def as_float(term: Term) -> Expression:
    return Cast(term.expr, FloatField())


def safe_divisor(term: Term) -> Expression:
    return NullIf(as_float(term), Value(0.0))


_KIND_NAMES = {
    "bool": gettext_noop("a condition"),
    "number": gettext_noop("a number"),
    "text": gettext_noop("a text"),
    "time": gettext_noop("a date and time"),
    "date": gettext_noop("a date"),
    "clock": gettext_noop("a time of day"),
    "duration": gettext_noop("a duration"),
    "null": gettext_noop("null"),
    "json": gettext_noop("a JSON value"),
    "result": gettext_noop("a result"),
    "interval": gettext_noop("a time interval"),
    "geometry": gettext_noop("a geometry"),
    "measure": gettext_noop("a spatial measure"),
}


def kind_name(term: Term) -> str:
    return _(_KIND_NAMES.get(term.kind, term.kind))
