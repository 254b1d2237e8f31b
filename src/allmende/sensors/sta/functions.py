"""The built-in functions of ``$filter`` on compiled terms.

Indexes follow FROST-Server, the reference implementation most clients are tested
against: ``indexof`` is 1-based (``indexof('Linde','n')`` is 3; 0 when not found), while
``substring``'s start is 0-based (``substring('Linde',1,2)`` is ``'in'``).
``substringof(a, b)`` is true when ``a`` occurs in ``b``; ``contains(a, b)`` when ``b``
occurs in ``a``. Date parts are taken in UTC, the zone times are kept in, so
``totaloffsetminutes`` of a stored time is 0 (of a literal: its offset).
``round`` rounds halves away from zero on both databases.
"""

import datetime as dt
import math
from collections.abc import Callable
from typing import Any

from django.db.models import (
    Case,
    ExpressionWrapper,
    FloatField,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.functions import (
    Ceil,
    Concat,
    ExtractDay,
    ExtractHour,
    ExtractMinute,
    ExtractMonth,
    ExtractSecond,
    ExtractYear,
    Floor,
    Greatest,
    Left,
    Length,
    Right,
    Substr,
    Trim,
    TruncDate,
    TruncTime,
)
from django.db.models.lookups import Exact, GreaterThan
from django.utils import timezone
from django.utils.translation import gettext as _

from ..query import FUNCTIONS, ast
from .geo import spatial
from .sql import CaseMap, CodePoints, FractionalSeconds, StrPos
from .terms import Term, coerce, constant, expect, fail

UTC = dt.UTC
MIN_TIME = dt.datetime(1, 1, 1, tzinfo=UTC)
MAX_TIME = dt.datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
GEO_FUNCTIONS = frozenset(n for n in FUNCTIONS if n.startswith(("geo.", "st_")))


def call(term_of: Callable[[ast.Expr], Term], node: ast.FunctionCall) -> Term:
    """The term of a function call; ``term_of`` compiles its arguments."""
    args = [term_of(a) for a in node.args]
    if node.name in GEO_FUNCTIONS:
        return spatial(node.name, args)
    handler = _HANDLERS.get(node.name)
    if handler is None:
        raise fail(_("unknown function %(name)s"), name=node.name)
    return handler(node.name, args)


def _text(term: Term, name: str) -> Term:
    return expect(term, "text", name)


def _whole(term: Term, name: str) -> Term:
    return expect(term, "number", name)


def _contains(text: Term, part: Term) -> Term:
    if text.constant and part.constant:
        return constant(part.const in text.const)
    return Term("bool", Q(GreaterThan(StrPos(text.expr, part.expr), Value(0))))


def _string_test(name: str, args: list[Term]) -> Term:
    first, second = (_text(a, name) for a in args)
    if name == "substringof":
        return _contains(second, first)
    if name == "contains":
        return _contains(first, second)
    if first.constant and second.constant:
        test = str.startswith if name == "startswith" else str.endswith
        return constant(test(first.const, second.const))
    cut = Left if name == "startswith" else Right
    if second.constant and second.const == "":
        return constant(True)
    piece = cut(first.expr, Length(second.expr))
    return Term("bool", Q(Exact(CodePoints(piece), CodePoints(second.expr))))


def _indexof(name: str, args: list[Term]) -> Term:
    text, part = (_text(a, name) for a in args)
    if text.constant and part.constant:
        return constant(text.const.find(part.const) + 1)
    return Term("number", StrPos(text.expr, part.expr))


def _substring(name: str, args: list[Term]) -> Term:
    text = _text(args[0], name)
    start = _whole(args[1], name)
    length = _whole(args[2], name) if len(args) == 3 else None
    if start.constant and (start.const < 0 or start.const != int(start.const)):
        raise fail(_("substring: the start must be a whole number from 0"))
    if length is not None and length.constant and length.const < 0:
        raise fail(_("substring: the length must not be negative"))
    if text.constant and start.constant and (length is None or length.constant):
        begin = int(start.const)
        end = None if length is None else begin + int(length.const)
        return constant(text.const[begin:end])
    position = ExpressionWrapper(start.expr + 1, output_field=IntegerField())
    if length is None:
        return Term("text", Substr(text.expr, position))
    count = Greatest(length.expr, Value(0))
    return Term("text", Substr(text.expr, position, count))


def _one_text(name: str, args: list[Term]) -> Term:
    text = _text(args[0], name)
    if text.constant:
        return constant(_TEXT_PYTHON[name](text.const))
    if name == "length":
        return Term("number", Length(text.expr))
    if name == "trim":
        return Term("text", Trim(text.expr))
    return Term("text", CaseMap(text.expr, upper=name == "toupper"))


_TEXT_PYTHON: dict[str, Callable[[str], Any]] = {
    "length": len,
    "trim": lambda s: s.strip(" "),
    "tolower": lambda s: "".join(c.lower() if len(c.lower()) == 1 else c for c in s),
    "toupper": lambda s: "".join(c.upper() if len(c.upper()) == 1 else c for c in s),
}


def _concat(name: str, args: list[Term]) -> Term:
    first, second = (_text(a, name) for a in args)
    if first.constant and second.constant:
        return constant(first.const + second.const)
    return Term("text", Concat(first.expr, second.expr, output_field=TextField()))


_PARTS = {
    "year": ExtractYear,
    "month": ExtractMonth,
    "day": ExtractDay,
    "hour": ExtractHour,
    "minute": ExtractMinute,
    "second": ExtractSecond,
}


def _time_of(term: Term, name: str) -> Term:
    if term.kind in ("time", "interval"):
        return coerce(term, "time")
    raise fail(_("%(name)s needs a date and time"), name=name)


def _date_part(name: str, args: list[Term]) -> Term:
    moment = args[0]
    if moment.kind == "date" and name in ("year", "month", "day") and moment.constant:
        return constant(getattr(moment.const, name))
    moment = _time_of(moment, name)
    if moment.constant:
        return constant(_python_part(name, moment.const))
    if name == "fractionalseconds":
        return Term("number", FractionalSeconds(moment.expr))
    if name == "totaloffsetminutes":
        return constant(0)
    if name == "date":
        return Term("date", TruncDate(moment.expr, tzinfo=UTC))
    if name == "time":
        return Term("clock", TruncTime(moment.expr, tzinfo=UTC))
    part = _PARTS[name](moment.expr, tzinfo=UTC)
    if name == "second":  # PostgreSQL's EXTRACT gives the fraction too
        part = Floor(part)
    return Term("number", part)


def _python_part(name: str, value: dt.datetime) -> Any:
    if name == "totaloffsetminutes":
        offset = value.utcoffset() or dt.timedelta(0)
        return int(offset.total_seconds() // 60)
    value = value.astimezone(UTC)
    if name == "fractionalseconds":
        return value.microsecond / 1_000_000
    if name == "date":
        return value.date()
    if name == "time":
        return value.time()
    return getattr(value, name)


def _no_argument(name: str, args: list[Term]) -> Term:
    values = {"now": timezone.now, "mindatetime": lambda: MIN_TIME, "maxdatetime": lambda: MAX_TIME}
    return constant(values[name]())


def _math(name: str, args: list[Term]) -> Term:
    number = _whole(args[0], name)
    if number.constant:
        value = number.const
        if name == "round":
            return constant(math.floor(abs(value) + 0.5) * (1 if value >= 0 else -1))
        return constant(math.floor(value) if name == "floor" else math.ceil(value))
    if name == "floor":
        return Term("number", Floor(number.expr))
    if name == "ceiling":
        return Term("number", Ceil(number.expr))
    value = ExpressionWrapper(number.expr, output_field=FloatField())
    rounded = Case(
        When(
            Q(GreaterThan(value, Value(0.0))) | Q(Exact(value, Value(0.0))), then=Floor(value + 0.5)
        ),
        default=Ceil(value - 0.5),
        output_field=FloatField(),
    )
    return Term("number", rounded)


_HANDLERS: dict[str, Callable[[str, list[Term]], Term]] = {
    "substringof": _string_test,
    "startswith": _string_test,
    "endswith": _string_test,
    "contains": _string_test,
    "indexof": _indexof,
    "substring": _substring,
    "length": _one_text,
    "tolower": _one_text,
    "toupper": _one_text,
    "trim": _one_text,
    "concat": _concat,
    **dict.fromkeys(
        (*_PARTS, "fractionalseconds", "date", "time", "totaloffsetminutes"), _date_part
    ),
    "now": _no_argument,
    "mindatetime": _no_argument,
    "maxdatetime": _no_argument,
    "round": _math,
    "floor": _math,
    "ceiling": _math,
}
