"""``$count`` of one Datastream's observations in a time range, from the hourly roll-up.

``Datastreams(n)/Observations?$filter=phenomenonTime ge A and phenomenonTime lt B&$count=true``
(or ``Observations?$filter=Datastream/@iot.id eq n and …``) counts whole hours from
``ObservationHour`` and only the partial hours at the edges from the rows
(``selectors.count_between``), so the answer does not grow with the series. This path is
taken when the filter is nothing but ``gt``/``ge``/``lt``/``le`` comparisons of
``phenomenonTime`` with instants (and the Datastream's id); anything else is counted
in SQL.

The roll-up counts observations by the start of their phenomenon time. The filter's
``lt``/``le`` test an interval's end (see ``compile.py``), so the observations whose
interval starts inside the range but ends beyond it are subtracted; a partial index on
the ends of intervals finds them without reading the instants.
"""

import datetime as dt

from django.db.models import Q

from ..models import Datastream, Observation
from ..query import QueryOptions
from ..query.ast import BinaryOp, DateTimeLiteral, Expr, IntegerLiteral, LogicalOp, Path
from ..selectors import count_between
from .entities import ENTITY_SETS
from .paths import Target

_TICK = dt.timedelta(microseconds=1)  # what the databases keep
_MIRROR = {"gt": "lt", "ge": "le", "lt": "gt", "le": "ge", "eq": "eq"}
_TIME = ("phenomenonTime",)
_SERIES = (("Datastream", "@iot.id"), ("Datastream", "id"))


class _Range:
    """A Datastream and the bounds the filter sets: lower on the start (inclusive after
    rounding ``gt`` up by a tick), upper on the end (``lt`` or ``le``)."""

    def __init__(self) -> None:
        self.datastream: int | None = None
        self.lower: dt.datetime | None = None
        self.upper: dt.datetime | None = None
        self.upper_inclusive = False

    def add(self, node: Expr) -> bool:
        """Take one condition of the filter; False if it is none of the kinds known."""
        if not isinstance(node, BinaryOp):
            return False
        op, left, right = node.op, node.left, node.right
        if isinstance(right, Path) and not isinstance(left, Path):
            op, left, right = _MIRROR.get(op, op), right, left
        if not isinstance(left, Path):
            return False
        if left.segments in _SERIES and op == "eq" and isinstance(right, IntegerLiteral):
            if self.datastream not in (None, right.value):
                return False
            self.datastream = right.value
            return True
        if left.segments != _TIME or not isinstance(right, DateTimeLiteral):
            return False
        if right.value.tzinfo is None:
            return False
        return self._bound(op, right.value)

    def _bound(self, op: str, moment: dt.datetime) -> bool:
        if op in ("gt", "ge"):
            try:
                start = moment + _TICK if op == "gt" else moment
            except OverflowError:
                return False
            if self.lower is None or start > self.lower:
                self.lower = start
            return True
        if op in ("lt", "le"):
            inclusive = op == "le"
            if self.upper is None or (moment, inclusive) < (self.upper, self.upper_inclusive):
                self.upper, self.upper_inclusive = moment, inclusive
            return True
        return False


def _conjuncts(node: Expr) -> list[Expr]:
    if isinstance(node, LogicalOp) and node.op == "and":
        return [part for operand in node.operands for part in _conjuncts(operand)]
    return [node]


def roll_up_count(target: Target, options: QueryOptions) -> int | None:
    """The number of observations ``target`` and ``options.filter`` select, from the
    roll-up; None when the request is not of the kind this answers."""
    if target.etype is not ENTITY_SETS["Observations"] or target.single:
        return None
    span = _Range()
    if target.via is not None:
        parent, pk, nav = target.via
        if parent is not ENTITY_SETS["Datastreams"] or nav.name != "Observations":
            return None
        span.datastream = pk
    if options.filter is not None and not all(
        span.add(part) for part in _conjuncts(options.filter)
    ):
        return None
    if span.datastream is None:
        return None
    return _count(span)


def _count(span: _Range) -> int | None:
    series = Datastream.objects.filter(pk=span.datastream).values_list(
        "phenomenon_start", "phenomenon_end"
    )
    found = series.first()
    if found is None:
        return 0
    first, last = found
    if first is None or last is None:
        return 0
    lower = span.lower if span.lower is not None and span.lower > first else first
    upper = span.upper
    try:
        # the roll-up counts by start: [lower, end_of_starts)
        end = last if upper is None else upper
        end = end + _TICK if upper is None or span.upper_inclusive else end
    except OverflowError:
        return None
    if lower >= end:
        return 0
    total = count_between(span.datastream, lower, end)  # type: ignore[arg-type]
    if upper is not None:
        # intervals that start in the range but end after the upper bound; asked first
        # by (datastream, end) alone, which only the partial index answers (a planner
        # without statistics would otherwise read the range by start)
        beyond = (
            Q(phenomenon_end__gt=upper) if span.upper_inclusive else Q(phenomenon_end__gte=upper)
        )
        ending = Observation.objects.filter(
            beyond, datastream_id=span.datastream, phenomenon_end__isnull=False
        )
        if ending.exists():
            total -= ending.filter(phenomenon_start__gte=lower, phenomenon_start__lt=end).count()
    return total
