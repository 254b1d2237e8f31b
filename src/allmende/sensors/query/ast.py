"""The expression tree of ``$filter`` and ``$orderby``: immutable nodes that print as OData.

Every node carries ``pos``, the 0-based offset in the option value where it starts
(for operators: where the operator word stands). ``pos`` takes no part in ``==`` and
hashing, so trees parsed from differently spaced text compare equal. ``str(node)``
(``node.to_text()``) gives canonical OData text with as few parentheses as the
precedence needs; parsing that text again gives an equal tree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

# Binding strength of the binary operators, weakest first (OData 4.0 URL conventions).
PRECEDENCE: dict[str, int] = {
    "or": 1,
    "and": 2,
    "eq": 3,
    "ne": 3,
    "gt": 4,
    "ge": 4,
    "lt": 4,
    "le": 4,
    "add": 5,
    "sub": 5,
    "mul": 6,
    "div": 6,
    "mod": 6,
}
LOGICAL = frozenset({"and", "or"})
COMPARISON = frozenset({"eq", "ne", "gt", "ge", "lt", "le"})
ARITHMETIC = frozenset({"add", "sub", "mul", "div", "mod"})
UNARY = frozenset({"not", "-"})
_UNARY_PRECEDENCE = 7
_PRIMARY_PRECEDENCE = 8


@dataclass(frozen=True)
class Expr:
    """Base of all expression nodes."""

    pos: int = field(default=0, compare=False, kw_only=True)

    def to_text(self) -> str:
        raise NotImplementedError

    def children(self) -> tuple["Expr", ...]:
        """The direct sub-expressions (empty for literals and paths)."""
        return ()

    def __str__(self) -> str:
        return self.to_text()


def _wrap(node: Expr, minimum: int) -> str:
    """The text of ``node``, in parentheses if it binds weaker than ``minimum``."""
    text = node.to_text()
    return f"({text})" if _precedence(node) < minimum else text


def _precedence(node: Expr) -> int:
    if isinstance(node, BinaryOp | LogicalOp):
        return PRECEDENCE[node.op]
    if isinstance(node, UnaryOp):
        return _UNARY_PRECEDENCE
    return _PRIMARY_PRECEDENCE


# --- literals ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Literal(Expr):
    """Base of the literal nodes; each has a ``value``."""


@dataclass(frozen=True)
class StringLiteral(Literal):
    """``'it''s'``: a string (value without quotes, escapes resolved)."""

    value: str

    def to_text(self) -> str:
        return "'" + self.value.replace("'", "''") + "'"


@dataclass(frozen=True)
class IntegerLiteral(Literal):
    """``42``, ``-7``: an integer that fits in 64 bits (larger ones are decimals)."""

    value: int

    def to_text(self) -> str:
        return str(self.value)


@dataclass(frozen=True)
class DecimalLiteral(Literal):
    """``1.5``, ``-2e-3``: a number with a fraction or exponent, kept exact."""

    value: Decimal

    def to_text(self) -> str:
        text = str(self.value)
        # Keep it a decimal when read back: "5" would come back as an integer.
        return text if "." in text or "E" in text else text + ".0"


@dataclass(frozen=True)
class BooleanLiteral(Literal):
    """``true`` or ``false``."""

    value: bool

    def to_text(self) -> str:
        return "true" if self.value else "false"


@dataclass(frozen=True)
class NullLiteral(Literal):
    """``null``."""

    value: None = None

    def to_text(self) -> str:
        return "null"


def _fraction(microsecond: int) -> str:
    return f".{microsecond:06d}".rstrip("0") if microsecond else ""


def _clock(value: time | datetime) -> str:
    return f"{value.hour:02d}:{value.minute:02d}:{value.second:02d}{_fraction(value.microsecond)}"


def _day(value: date | datetime) -> str:
    return f"{value.year:04d}-{value.month:02d}-{value.day:02d}"


@dataclass(frozen=True)
class DateTimeLiteral(Literal):
    """``2024-01-01T00:00:00Z``: a point in time; ``value`` is always timezone-aware."""

    value: datetime

    def to_text(self) -> str:
        offset = self.value.utcoffset() or timedelta(0)
        minutes = int(offset.total_seconds()) // 60
        if minutes == 0:
            zone = "Z"
        else:
            sign = "-" if minutes < 0 else "+"
            zone = f"{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
        return f"{_day(self.value)}T{_clock(self.value)}{zone}"


@dataclass(frozen=True)
class DateLiteral(Literal):
    """``2024-01-01``: a calendar date."""

    value: date

    def to_text(self) -> str:
        return _day(self.value)


@dataclass(frozen=True)
class TimeOfDayLiteral(Literal):
    """``13:30:00.5``: a time of day without date and zone."""

    value: time

    def to_text(self) -> str:
        return _clock(self.value)


@dataclass(frozen=True)
class DurationLiteral(Literal):
    """``duration'P1DT2H'``: days, hours, minutes and seconds (no months or years)."""

    value: timedelta

    def to_text(self) -> str:
        micros = abs(self.value) // timedelta(microseconds=1)
        seconds, micro = divmod(micros, 1_000_000)
        minutes, second = divmod(seconds, 60)
        hours, minute = divmod(minutes, 60)
        days, hour = divmod(hours, 24)
        clock = "".join(f"{n}{unit}" for n, unit in ((hour, "H"), (minute, "M")) if n)
        if second or micro:
            clock += f"{second}{_fraction(micro)}S"
        text = ("-" if self.value < timedelta(0) else "") + "P" + (f"{days}D" if days else "")
        if clock or not days:
            text += "T" + (clock or "0S")
        return f"duration'{text}'"


@dataclass(frozen=True)
class Geometry:
    """A geometry from WKT, with GeoJSON's type names and coordinate nesting.

    ``type`` is one of Point, LineString, Polygon, MultiPoint, MultiLineString,
    MultiPolygon; ``coordinates`` nests tuples of floats as GeoJSON does (a Point is
    ``(x, y)``, a Polygon a tuple of rings, each a tuple of positions); ``srid`` is the
    ``SRID=n;`` prefix if the literal had one.
    """

    type: str
    coordinates: tuple
    srid: int | None = None

    def to_wkt(self) -> str:
        """Canonical WKT (upper-case type, no spaces around parentheses)."""
        prefix = "" if self.srid is None else f"SRID={self.srid};"
        if self.type == "Point":
            body = f"({_wkt_coordinates(self.coordinates, 0)})"
        elif self.type == "MultiPoint":  # each position in its own parentheses
            body = "(" + ",".join(f"({_wkt_coordinates(p, 0)})" for p in self.coordinates) + ")"
        else:
            body = _wkt_coordinates(self.coordinates, WKT_NESTING[self.type])
        return f"{prefix}{self.type.upper()}{body}"

    def as_geojson(self) -> dict:
        """The geometry as a GeoJSON-like dict (lists instead of tuples)."""
        return {"type": self.type, "coordinates": _lists(self.coordinates)}


# How deep the positions sit in ``coordinates`` for each type (0: it is one position).
WKT_NESTING: dict[str, int] = {
    "Point": 0,
    "LineString": 1,
    "Polygon": 2,
    "MultiPoint": 1,
    "MultiLineString": 2,
    "MultiPolygon": 3,
}


def _number(x: float) -> str:
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def _wkt_coordinates(coordinates: tuple, depth: int) -> str:
    if depth == 0:
        return " ".join(_number(x) for x in coordinates)
    return "(" + ",".join(_wkt_coordinates(c, depth - 1) for c in coordinates) + ")"


def _lists(value: tuple | float) -> list | float:
    return [_lists(v) for v in value] if isinstance(value, tuple) else value


@dataclass(frozen=True)
class GeometryLiteral(Literal):
    """``geography'POINT(11.58 50.92)'`` or ``geometry'…'``.

    ``geography`` tells the two prefixes apart; ``wkt`` is the text as written (not
    compared); ``str()`` prints the canonical WKT of ``value``.
    """

    value: Geometry
    geography: bool = True
    wkt: str = field(default="", compare=False)

    def to_text(self) -> str:
        prefix = "geography" if self.geography else "geometry"
        return f"{prefix}'{self.value.to_wkt()}'"


# --- paths, operators, calls ------------------------------------------------------------


@dataclass(frozen=True)
class Path(Expr):
    """A property or navigation path: ``Datastream/Thing/name`` → segments of three names."""

    segments: tuple[str, ...]

    def to_text(self) -> str:
        return "/".join(self.segments)


@dataclass(frozen=True)
class UnaryOp(Expr):
    """``not x`` (op "not") or ``-x`` (op "-"); a minus before a number is folded into it."""

    op: str
    operand: Expr

    def __post_init__(self) -> None:
        if self.op not in UNARY:
            raise ValueError(f"unknown unary operator {self.op!r}")

    def children(self) -> tuple[Expr, ...]:
        return (self.operand,)

    def to_text(self) -> str:
        sep = " " if self.op == "not" else ""
        return f"{self.op}{sep}{_wrap(self.operand, _UNARY_PRECEDENCE)}"


@dataclass(frozen=True)
class BinaryOp(Expr):
    """A comparison (eq ne gt ge lt le) or arithmetic (add sub mul div mod); left-associative."""

    op: str
    left: Expr
    right: Expr

    def __post_init__(self) -> None:
        if self.op not in COMPARISON | ARITHMETIC:
            raise ValueError(f"unknown binary operator {self.op!r}")

    def children(self) -> tuple[Expr, ...]:
        return (self.left, self.right)

    def to_text(self) -> str:
        strength = PRECEDENCE[self.op]
        return f"{_wrap(self.left, strength)} {self.op} {_wrap(self.right, strength + 1)}"


@dataclass(frozen=True)
class LogicalOp(Expr):
    """``a and b and c`` (op "and") or ``a or b`` (op "or"), flattened: two or more operands."""

    op: str
    operands: tuple[Expr, ...]

    def __post_init__(self) -> None:
        if self.op not in LOGICAL:
            raise ValueError(f"unknown logical operator {self.op!r}")
        if len(self.operands) < 2:
            raise ValueError("a logical operator needs at least two operands")

    def children(self) -> tuple[Expr, ...]:
        return self.operands

    def to_text(self) -> str:
        strength = PRECEDENCE[self.op] + 1
        return f" {self.op} ".join(_wrap(o, strength) for o in self.operands)


@dataclass(frozen=True)
class FunctionCall(Expr):
    """A built-in function: ``substring(name,1,2)`` → name "substring", three args."""

    name: str
    args: tuple[Expr, ...] = ()

    def children(self) -> tuple[Expr, ...]:
        return self.args

    def to_text(self) -> str:
        return f"{self.name}({','.join(a.to_text() for a in self.args)})"


def tree_depth(node: Expr) -> int:
    """The number of nodes on the longest path from ``node`` down, without recursion."""
    deepest = 0
    stack = [(node, 1)]
    while stack:
        current, depth = stack.pop()
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in current.children())
    return deepest
