"""Well-known text of the six simple geometry types, as OData's geo literals carry it.

``SRID=4326;POINT(11.58 50.92)``, ``LINESTRING(…)``, ``POLYGON((…),(…))``,
``MULTIPOINT((…),(…))`` (or without the inner parentheses), ``MULTILINESTRING``,
``MULTIPOLYGON``; type names in any case, two to four numbers per position. The nesting
is fixed by the type, so the recursion is at most four calls deep whatever the input.
"""

import math
import re

from .ast import WKT_NESTING, Geometry
from .errors import QueryError

_TYPES = {name.upper(): name for name in WKT_NESTING}
_SRID = re.compile(r"\s*SRID=(\d{1,9})\s*;", re.IGNORECASE | re.ASCII)
_TOKEN = re.compile(
    r"\s*(?:(?P<number>[-+]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?)"
    r"|(?P<word>[A-Za-z]+)|(?P<punct>[(),])|(?P<other>\S))",
    re.ASCII,
)


class _Reader:
    def __init__(self, text: str, base: int, option: str) -> None:
        self.text = text
        self.base = base
        self.option = option
        self.at = 0

    def fail(self, message: str, at: int | None = None, **params: str) -> QueryError:
        where = self.base + (self.at if at is None else at)
        return QueryError(message, where, option=self.option, **params)

    def next(self) -> tuple[str, str, int]:
        """(kind, text, offset) of the next token; kind "end" at the end."""
        match = _TOKEN.match(self.text, self.at)
        if not match:
            return "end", "", len(self.text)
        self.at = match.end()
        kind = match.lastgroup or "other"
        return kind, match.group(kind), match.start(kind)

    def expect(self, punct: str) -> None:
        kind, text, offset = self.next()
        if kind != "punct" or text != punct:
            found = "the end" if kind == "end" else f"'{text}'"
            raise self.fail(
                "expected {expected}, found {found}", offset, expected=f"'{punct}'", found=found
            )

    def position(self) -> tuple[float, ...]:
        numbers: list[float] = []
        while True:
            save = self.at
            kind, text, offset = self.next()
            if kind != "number":
                self.at = save
                break
            number = float(text)
            if not math.isfinite(number):
                raise self.fail("the number '{number}' is out of range", offset, number=text)
            numbers.append(number)
        if not 2 <= len(numbers) <= 4:
            raise self.fail("expected a position of 2 to 4 numbers in the WKT")
        return tuple(numbers)

    def peek_punct(self) -> str:
        save = self.at
        kind, text, _ = self.next()
        self.at = save
        return text if kind == "punct" else ""

    def items(self, depth: int, multipoint: bool = False) -> tuple:
        """``(item, item, …)`` where an item nests ``depth - 1`` levels further."""
        self.expect("(")
        items = []
        while True:
            if depth > 1:
                items.append(self.items(depth - 1))
            elif multipoint and self.peek_punct() == "(":
                self.expect("(")
                items.append(self.position())
                self.expect(")")
            else:
                items.append(self.position())
            if self.peek_punct() != ",":
                break
            self.next()
        self.expect(")")
        return tuple(items)


def parse_wkt(text: str, base: int = 0, *, option: str = "$filter") -> Geometry:
    """Parse the WKT ``text``; errors point to ``base`` plus the offset in ``text``."""
    reader = _Reader(text, base, option)
    srid = None
    if match := _SRID.match(text):
        srid = int(match.group(1))
        reader.at = match.end()
    kind, word, offset = reader.next()
    if kind != "word" or word.upper() not in _TYPES:
        raise reader.fail("expected a WKT geometry type such as POINT or POLYGON", offset)
    kind_name = _TYPES[word.upper()]
    start = reader.at
    coordinates = reader.items(max(WKT_NESTING[kind_name], 1), kind_name == "MultiPoint")
    if kind_name == "Point":
        if len(coordinates) != 1:
            raise reader.fail("a POINT has exactly one position", start)
        coordinates = coordinates[0]
    kind, rest, offset = reader.next()
    if kind != "end":
        raise reader.fail("unexpected '{found}' after the WKT geometry", offset, found=rest)
    _check(reader, kind_name, coordinates)
    return Geometry(kind_name, coordinates, srid)


def _check(reader: _Reader, kind: str, coordinates: tuple) -> None:
    lines = {"LineString": [coordinates], "MultiLineString": coordinates}.get(kind, ())
    polygons = {"Polygon": [coordinates], "MultiPolygon": coordinates}.get(kind, ())
    for line in lines:
        if len(line) < 2:
            raise reader.fail("a line needs at least two positions", 0)
    for ring in (r for polygon in polygons for r in polygon):
        if len(ring) < 4 or ring[0] != ring[-1]:
            raise reader.fail(
                "a polygon ring needs four or more positions, the last equal to the first", 0
            )
    if len({len(p) for p in _positions(coordinates, WKT_NESTING[kind])}) > 1:
        raise reader.fail("all positions need the same number of coordinates", 0)


def _positions(coordinates: tuple, depth: int) -> list[tuple]:
    if depth == 0:
        return [coordinates]
    return [p for c in coordinates for p in _positions(c, depth - 1)]
