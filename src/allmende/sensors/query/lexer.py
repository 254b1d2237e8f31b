"""Split an option value into tokens; literals come out as finished AST nodes.

Kinds: "word" (names, keywords, ``geo.distance``, ``@iot.id``), "literal" (``value`` is
the node), "punct" (one of ``( ) , / -``) and a final "end". Positions are offsets in
the whole option value (``base`` plus the offset in ``text``).
"""

import re
from datetime import date, datetime, time, timedelta, timezone
from decimal import Decimal
from typing import NamedTuple

from .ast import (
    DateLiteral,
    DateTimeLiteral,
    DecimalLiteral,
    DurationLiteral,
    GeometryLiteral,
    IntegerLiteral,
    Literal,
    StringLiteral,
    TimeOfDayLiteral,
)
from .errors import QueryError
from .wkt import parse_wkt

INT64_MAX = 2**63 - 1
MAX_EXPONENT_DIGITS = 4  # 1e9999 is far beyond any measurement; keeps Decimal within bounds
_CLOCK = r"(?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.(?P<fraction>\d+))?)?"
_DAY = r"(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
_ZONE = r"(?P<zone>Z|[+-]\d{2}:\d{2})?"
_DATETIME = re.compile(_DAY + "T" + _CLOCK + _ZONE, re.ASCII)
_DATE = re.compile(_DAY, re.ASCII)
_TIME = re.compile(_CLOCK, re.ASCII)
_NUMBER = re.compile(r"\d+(?P<decimal>\.\d+)?(?P<exponent>[eE][+-]?\d+)?", re.ASCII)
_WORD = re.compile(r"@?[^\W\d]\w*(?:\.[^\W\d]\w*)*")
_QUOTED = re.compile(r"'([^']*(?:''[^']*)*)'")
_SPACE = re.compile(r"\s*")
_DURATION = re.compile(
    r"(?P<sign>-?)P(?:(?P<days>\d{1,12})D)?(?:T(?=\d)(?:(?P<hours>\d{1,12})H)?"
    r"(?:(?P<minutes>\d{1,12})M)?(?:(?P<seconds>\d{1,12})(?:\.(?P<fraction>\d+))?S)?)?",
    re.ASCII,
)
TYPED_PREFIXES = ("duration", "geography", "geometry")
PUNCTUATION = "(),/-"


class Token(NamedTuple):
    kind: str
    text: str
    pos: int
    value: Literal | None = None


def describe(token: Token) -> str:
    """How an error message names a token: ``'and'``, ``a string``, ``the end``."""
    if token.kind == "end":
        return "the end"
    if token.kind == "literal":
        return "a string" if isinstance(token.value, StringLiteral) else f"'{token.text[:30]}'"
    return f"'{token.text[:30]}'"


class Lexer:
    """Tokens of one option value (or part of it, starting at ``base``)."""

    def __init__(self, text: str, base: int = 0, *, option: str = "$filter") -> None:
        self.text = text
        self.base = base
        self.option = option

    def fail(self, message: str, at: int, **params: str) -> QueryError:
        return QueryError(message, self.base + at, option=self.option, **params)

    def tokens(self) -> list[Token]:
        text, at, out = self.text, 0, []
        while True:
            at = _SPACE.match(text, at).end()
            if at >= len(text):
                out.append(Token("end", "", self.base + at))
                return out
            token, at = self._token(at)
            out.append(token)

    def _token(self, at: int) -> tuple[Token, int]:
        char = self.text[at]
        if "0" <= char <= "9":
            return self._digits(at)
        if char == "'":
            return self._string(at)
        if match := _WORD.match(self.text, at):
            word = match.group()
            if word in TYPED_PREFIXES and self.text.startswith("'", match.end()):
                return self._typed(word, at)
            return Token("word", word, self.base + at), match.end()
        if char in PUNCTUATION:
            return Token("punct", char, self.base + at), at + 1
        raise self.fail("unexpected character '{char}'", at, char=char)

    def _literal(self, node_type: type, value: object, start: int, end: int) -> tuple:
        node = node_type(value, pos=self.base + start)
        return Token("literal", self.text[start:end], self.base + start, node), end

    def _string(self, at: int) -> tuple[Token, int]:
        match = _QUOTED.match(self.text, at)
        if not match:
            raise self.fail("unterminated string: a closing quote (') is missing", at)
        value = match.group(1).replace("''", "'")
        return self._literal(StringLiteral, value, at, match.end())

    def _typed(self, prefix: str, at: int) -> tuple[Token, int]:
        quote = at + len(prefix)
        match = _QUOTED.match(self.text, quote)
        if not match:
            raise self.fail("unterminated string: a closing quote (') is missing", quote)
        content = match.group(1)
        if "''" in content:
            raise self.fail("unexpected quote in a {prefix} literal", quote, prefix=prefix)
        if prefix == "duration":
            value = self._duration(content, quote + 1)
            return self._literal(DurationLiteral, value, at, match.end())
        geometry = parse_wkt(content, self.base + quote + 1, option=self.option)
        node = GeometryLiteral(
            geometry, geography=prefix == "geography", wkt=content, pos=self.base + at
        )
        return Token("literal", self.text[at : match.end()], self.base + at, node), match.end()

    def _duration(self, content: str, at: int) -> timedelta:
        match = _DURATION.fullmatch(content)
        if not match or not any(match.group(g) for g in ("days", "hours", "minutes", "seconds")):
            raise self.fail(
                "invalid duration '{text}': expected days, hours, minutes and seconds "
                "such as P1DT2H30M",
                at,
                text=content[:30],
            )
        parts = {g: int(match.group(g) or 0) for g in ("days", "hours", "minutes", "seconds")}
        micro = int((match.group("fraction") or "0")[:6].ljust(6, "0"))
        try:
            value = timedelta(**parts, microseconds=micro)
        except OverflowError:
            raise self.fail("duration '{text}' is out of range", at, text=content[:30]) from None
        return -value if match.group("sign") else value

    def _digits(self, at: int) -> tuple[Token, int]:
        for pattern, build in ((_DATETIME, _datetime), (_DATE, _date), (_TIME, _time)):
            if match := pattern.match(self.text, at):
                if pattern is _DATETIME and not match.group("zone"):
                    raise self.fail(
                        "the date-time '{text}' needs a time zone: Z or an offset such as "
                        "+01:00 (in a URL, write + as %2B)",
                        at,
                        text=match.group(),
                    )
                try:
                    node_type, value = build(match)
                except ValueError:
                    raise self.fail(
                        "invalid date or time '{text}'", at, text=match.group()
                    ) from None
                return self._literal(node_type, value, at, match.end())
        match = _NUMBER.match(self.text, at)
        text, exponent = match.group(), match.group("exponent") or ""
        if len(exponent.lstrip("eE+-")) > MAX_EXPONENT_DIGITS:
            raise self.fail("the number '{text}' is out of range", at, text=text[:30])
        if match.group("decimal") or exponent:
            return self._literal(DecimalLiteral, Decimal(text), at, match.end())
        if len(text) > 19 or int(text) > INT64_MAX:  # beyond Edm.Int64: a decimal
            return self._literal(DecimalLiteral, Decimal(text), at, match.end())
        return self._literal(IntegerLiteral, int(text), at, match.end())


def _clock(match: re.Match) -> dict[str, int]:
    fraction = (match.group("fraction") or "")[:6].ljust(6, "0")
    return {
        "hour": int(match.group("hour")),
        "minute": int(match.group("minute")),
        "second": int(match.group("second") or 0),
        "microsecond": int(fraction),
    }


def _datetime(match: re.Match) -> tuple[type, datetime]:
    zone = match.group("zone")
    offset = timedelta(0)
    if zone != "Z":
        offset = timedelta(hours=int(zone[1:3]), minutes=int(zone[4:6]))
        offset = -offset if zone[0] == "-" else offset
        if offset >= timedelta(hours=24):
            raise ValueError(zone)
    day = _date(match)[1]
    value = datetime(day.year, day.month, day.day, **_clock(match), tzinfo=timezone(offset))
    return DateTimeLiteral, value


def _date(match: re.Match) -> tuple[type, date]:
    year, month, day = (int(match.group(g)) for g in ("year", "month", "day"))
    return DateLiteral, date(year, month, day)


def _time(match: re.Match) -> tuple[type, time]:
    return TimeOfDayLiteral, time(**_clock(match))
