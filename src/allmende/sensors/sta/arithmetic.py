"""``add sub mul div mod`` and unary minus on compiled terms.

Constants are computed in Python (``now() sub duration'P1D'`` is one value). In SQL,
``div`` always divides as floats and a division by zero gives null on both databases
(PostgreSQL would raise an error); ``mod`` keeps the sign of the dividend, as
``math.fmod``. A time plus or minus a duration is a time.
"""

import datetime as dt
import math
import operator
from typing import Any

from django.db.models import DateTimeField, ExpressionWrapper, FloatField, Value
from django.db.models.functions import Mod
from django.utils.translation import gettext as _

from .terms import Term, as_float, coerce, constant, expect, fail, safe_divisor

_PYTHON = {"add": operator.add, "sub": operator.sub, "mul": operator.mul}


def arithmetic(op: str, left: Term, right: Term) -> Term:
    if left.kind in ("time", "interval") or right.kind in ("time", "interval"):
        return _time_arithmetic(op, left, right)
    left, right = _number(left, op), _number(right, op)
    if left.constant and right.constant:
        return constant(_python(op, left.const, right.const))
    if op == "div":
        expr: Any = as_float(left) / safe_divisor(right)
    elif op == "mod":
        expr = Mod(as_float(left), safe_divisor(right))
    else:
        expr = _PYTHON[op](left.expr, right.expr)
    return Term("number", ExpressionWrapper(expr, output_field=FloatField()))


def negate(term: Term) -> Term:
    term = _number(term, "-")
    if term.constant:
        return constant(-term.const)
    return Term("number", ExpressionWrapper(Value(-1.0) * term.expr, output_field=FloatField()))


def _number(term: Term, op: str) -> Term:
    return expect(term, "number", op)


def _python(op: str, a: float, b: float) -> float | int | None:
    if op in _PYTHON:
        return _PYTHON[op](a, b)
    if b == 0:
        return None
    if op == "div":
        return a / b
    return math.fmod(a, b)


def _time_arithmetic(op: str, left: Term, right: Term) -> Term:
    """time ± duration (and duration + time)."""
    if op == "add" and left.kind == "duration":
        left, right = right, left
    if op not in ("add", "sub") or right.kind != "duration":
        raise fail(_("a time can only be added to or reduced by a duration"))
    left = coerce(left, "time")
    if left.constant:
        value: dt.datetime = left.const
        return constant(value + right.const if op == "add" else value - right.const)
    expr = left.expr + right.expr if op == "add" else left.expr - right.expr
    return Term("time", ExpressionWrapper(expr, output_field=DateTimeField()))
