"""All SensorThings query options of one request: ``parse_query(params) -> QueryOptions``.

``$filter`` and ``$orderby`` go through the expression parser; ``$expand`` is split at
its top-level commas and semicolons (outside string literals and parentheses) and each
part is parsed with its offset, so every error names a position in the value the client
sent. Expansion depth counts navigation segments: ``Datastreams/Sensor`` is two levels.
"""

import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from .ast import Expr, Path
from .errors import QueryError
from .filter import MAX_DEPTH, MAX_LENGTH, Parser, check_length, parse_filter

MAX_EXPAND_DEPTH = 10
MAX_NUMBER = 10**18 - 1  # $top and $skip: at most 18 digits
RESULT_FORMATS = ("dataArray",)


@dataclass(frozen=True)
class OrderBy:
    """One ``$orderby`` item: an expression and its direction."""

    expr: Expr
    descending: bool = False
    pos: int = field(default=0, compare=False, kw_only=True)

    def to_text(self) -> str:
        return self.expr.to_text() + (" desc" if self.descending else "")


@dataclass(frozen=True)
class Expand:
    """One ``$expand`` item: a navigation path and the options for what it reaches."""

    path: tuple[str, ...]
    options: "QueryOptions"
    pos: int = field(default=0, compare=False, kw_only=True)

    def to_text(self) -> str:
        nested = ";".join(f"{k}={v}" for k, v in self.options.to_params().items())
        return "/".join(self.path) + (f"({nested})" if nested else "")


@dataclass(frozen=True)
class QueryOptions:
    """The parsed query options; a field the request did not set keeps its default.

    ``select`` empty means all properties; ``skip``/``top``/``count`` None means the
    server's default. Options nested in ``$expand`` never set ``result_format``.
    """

    filter: Expr | None = None
    expand: tuple[Expand, ...] = ()
    select: tuple[Path, ...] = ()
    orderby: tuple[OrderBy, ...] = ()
    top: int | None = None
    skip: int | None = None
    count: bool | None = None
    result_format: str | None = None

    def to_params(self) -> dict[str, str]:
        """The options as canonical query parameters (not URL-encoded), e.g. for nextLinks."""
        joined = {
            "$filter": None if self.filter is None else self.filter.to_text(),
            "$expand": ",".join(e.to_text() for e in self.expand),
            "$select": ",".join(p.to_text() for p in self.select),
            "$orderby": ",".join(o.to_text() for o in self.orderby),
            "$top": None if self.top is None else str(self.top),
            "$skip": None if self.skip is None else str(self.skip),
            "$count": None if self.count is None else str(self.count).lower(),
            "$resultFormat": self.result_format,
        }
        return {name: value for name, value in joined.items() if value}


@dataclass(frozen=True)
class _Context:
    option: str  # the top-level option the text belongs to, for error messages
    max_depth: int
    max_length: int
    max_expand_depth: int

    def fail(self, message: str, position: int | None, **params: str) -> QueryError:
        return QueryError(message, position, option=self.option, **params)

    def parser(self, text: str, base: int) -> Parser:
        return Parser(text, base=base, option=self.option, max_depth=self.max_depth)


def _filter(text: str, base: int, ctx: _Context, level: int) -> Expr:
    return parse_filter(
        text, max_depth=ctx.max_depth, max_length=ctx.max_length, option=ctx.option, base=base
    )


def _orderby(text: str, base: int, ctx: _Context, level: int) -> tuple[OrderBy, ...]:
    parser = ctx.parser(text, base)
    items = []
    while True:
        start = parser.token.pos
        expr = parser.checked_expression()
        descending = False
        if parser.token.kind == "word" and parser.token.text in ("asc", "desc"):
            descending = parser.advance().text == "desc"
        items.append(OrderBy(expr, descending, pos=start))
        if not parser.at_punct(","):
            parser.expect_end("'asc', 'desc', ',' or the end")
            return tuple(items)
        parser.advance()


def _select(text: str, base: int, ctx: _Context, level: int) -> tuple[Path, ...]:
    parser = ctx.parser(text, base)
    paths = [parser.path()]
    while parser.at_punct(","):
        parser.advance()
        paths.append(parser.path())
    parser.expect_end("',' or the end")
    return tuple(paths)


def _word(text: str, base: int) -> tuple[str, int]:
    """``text`` without surrounding spaces, and where it starts."""
    stripped = text.lstrip()
    return stripped.rstrip(), base + len(text) - len(stripped)


def _number(text: str, base: int, ctx: _Context, level: int) -> int:
    text, base = _word(text, base)
    if not re.fullmatch(r"[0-9]{1,18}", text):
        raise ctx.fail(
            "expected a whole number from 0 to {limit}, found '{found}'",
            base,
            limit=str(MAX_NUMBER),
            found=text[:30],
        )
    return int(text)


def _count(text: str, base: int, ctx: _Context, level: int) -> bool:
    text, base = _word(text, base)
    if text not in ("true", "false"):
        raise ctx.fail("expected 'true' or 'false', found '{found}'", base, found=text[:30])
    return text == "true"


def _result_format(text: str, base: int, ctx: _Context, level: int) -> str:
    text, base = _word(text, base)
    if text not in RESULT_FORMATS:
        raise ctx.fail("expected 'dataArray', found '{found}'", base, found=text[:30])
    return text


_SYNTAX = re.compile(r"[(),;']")


def _scan(text: str, base: int, ctx: _Context) -> Iterator[tuple[int, str, int]]:
    """(index, char, depth) of each parenthesis, ',' and ';' outside string literals.

    ``depth`` is the parenthesis depth outside the character. Fails on an unterminated
    string or unbalanced parentheses.
    """
    depth, quote = 0, None
    for match in _SYNTAX.finditer(text):
        at, char = match.start(), match.group()
        if quote is not None:
            quote = None if char == "'" else quote
            continue
        if char == "'":
            quote = at
            continue
        if char == ")":
            if depth == 0:
                raise ctx.fail("unexpected ')'", base + at)
            depth -= 1
        yield at, char, depth
        if char == "(":
            depth += 1
    if quote is not None:
        raise ctx.fail("unterminated string: a closing quote (') is missing", base + quote)
    if depth:
        raise ctx.fail("expected ')', found the end", base + len(text))


def _split(text: str, separator: str, base: int, ctx: _Context) -> list[tuple[int, int]]:
    """(start, end) of the parts of ``text`` between top-level ``separator`` characters."""
    cuts = [at for at, char, depth in _scan(text, base, ctx) if char == separator and not depth]
    starts = [0, *(c + 1 for c in cuts)]
    return list(zip(starts, [*cuts, len(text)], strict=True))


def _expand(text: str, base: int, ctx: _Context, level: int) -> tuple[Expand, ...]:
    return tuple(
        _expand_item(text[start:end], base + start, ctx, level)
        for start, end in _split(text, ",", base, ctx)
    )


_NAVIGATION = re.compile(r"\s*([^\W\d]\w*(?:\s*/\s*[^\W\d]\w*)*)\s*")


def _expand_item(text: str, base: int, ctx: _Context, level: int) -> Expand:
    match = _NAVIGATION.match(text)
    if not match:
        at = len(text) - len(text.lstrip())
        found = f"'{text[at : at + 30]}'" if text[at:] else "the end"
        raise ctx.fail("expected a navigation property, found {found}", base + at, found=found)
    path = tuple(re.split(r"\s*/\s*", match.group(1)))
    if level + len(path) > ctx.max_expand_depth:
        raise ctx.fail(
            "nested more than {limit} levels deep",
            base + match.start(1),
            limit=str(ctx.max_expand_depth),
        )
    at = match.end()
    options = QueryOptions()
    if text[at:].startswith("("):
        close = next(i for i, char, depth in _scan(text, base, ctx) if char == ")" and not depth)
        options = _nested(text[at + 1 : close], base + at + 1, ctx, level + len(path))
        at = close + 1 + len(text[close + 1 :]) - len(text[close + 1 :].lstrip())
    if at < len(text):
        raise ctx.fail(
            "expected '(', ',' or the end, found '{found}'", base + at, found=text[at : at + 30]
        )
    return Expand(path, options, pos=base + match.start(1))


def _nested(text: str, base: int, ctx: _Context, level: int) -> QueryOptions:
    fields: dict[str, Any] = {}
    for start, end in _split(text, ";", base, ctx):
        part = text[start:end]
        match = re.match(r"\s*(\$\w+)=", part)
        if not match:
            raise ctx.fail("expected a query option such as $filter=", base + start)
        name = match.group(1)
        if name not in NESTED_OPTIONS:
            raise ctx.fail(
                "'{name}' is not allowed inside $expand", base + start + match.start(1), name=name
            )
        attribute, handler = NESTED_OPTIONS[name]
        if attribute in fields:
            raise ctx.fail("'{name}' is given twice", base + start + match.start(1), name=name)
        fields[attribute] = handler(part[match.end() :], base + start + match.end(), ctx, level)
    return QueryOptions(**fields)


Handler = Callable[[str, int, _Context, int], Any]
NESTED_OPTIONS: dict[str, tuple[str, Handler]] = {
    "$filter": ("filter", _filter),
    "$expand": ("expand", _expand),
    "$select": ("select", _select),
    "$orderby": ("orderby", _orderby),
    "$top": ("top", _number),
    "$skip": ("skip", _number),
    "$count": ("count", _count),
}
OPTIONS: dict[str, tuple[str, Handler]] = {
    **NESTED_OPTIONS,
    "$resultFormat": ("result_format", _result_format),
}


def parse_query(
    params: Mapping[str, str],
    *,
    max_expand_depth: int = MAX_EXPAND_DEPTH,
    max_depth: int = MAX_DEPTH,
    max_length: int = MAX_LENGTH,
) -> QueryOptions:
    """Parse the query parameters of a request (already URL-decoded).

    Parameters not starting with ``$`` are ignored; an unknown ``$`` option is an
    error. ``max_length`` limits each value, ``max_depth`` the nesting of expressions,
    ``max_expand_depth`` the levels of ``$expand``. Raises ``QueryError``.
    """
    fields: dict[str, Any] = {}
    for name, value in params.items():
        if not name.startswith("$"):
            continue
        if name not in OPTIONS:
            raise QueryError(
                "unknown query option '{name}' (known: {known})",
                None,
                name=name,
                known=", ".join(OPTIONS),
            )
        check_length(value, name, max_length)
        ctx = _Context(name, max_depth, max_length, max_expand_depth)
        attribute, handler = OPTIONS[name]
        fields[attribute] = handler(value, 0, ctx, 0)
    return QueryOptions(**fields)
