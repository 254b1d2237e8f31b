"""A parser for the Solr-style queries CKAN's ``package_search`` takes in ``fq`` (and in
``q`` when it names fields).

Grammar (juxtaposed clauses are ANDed, as CKAN's default ``q.op``)::

    query   := or
    or      := and (("OR" | "||") and)*
    and     := unary (("AND" | "&&")? unary)*
    unary   := ("NOT" | "-" | "!" | "+") unary | primary
    primary := "(" query ")" | FIELD ":" (value | "(" query ")") | value
    value   := WORD | '"' phrase '"' | ("[" | "{") bound "TO" bound ("]" | "}")

A backslash escapes the next character. ``*:*`` matches everything, ``field:*`` any value.
Input that does not follow the grammar raises ``SearchQueryError`` naming the problem.
The result is a small tree of frozen dataclasses; ``to_text`` writes one back.
"""

from dataclasses import dataclass

from .errors import SearchQueryError

_SPECIAL = set('()[]{}":\\')
OPERATORS = {"AND", "OR", "NOT", "TO"}


@dataclass(frozen=True)
class Term:
    """``field:value`` (``field`` None for a bare word or phrase)."""

    field: str | None
    value: str
    phrase: bool = False


@dataclass(frozen=True)
class Range:
    field: str | None
    low: str
    high: str
    include_low: bool = True
    include_high: bool = True


@dataclass(frozen=True)
class Not:
    child: "Node"


@dataclass(frozen=True)
class And:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class Or:
    children: tuple["Node", ...]


@dataclass(frozen=True)
class MatchAll:
    pass


Node = Term | Range | Not | And | Or | MatchAll


@dataclass(frozen=True)
class _Token:
    kind: str  # "(", ")", "AND", "OR", "NOT", "FIELD", "TERM", "RANGE"
    field: str | None = None
    value: str = ""
    phrase: bool = False
    range: tuple[str, str, bool, bool] | None = None


def _read_until(text: str, start: int, closing: str, what: str) -> tuple[str, int]:
    """The text up to the unescaped ``closing`` character, and the index after it."""
    out, i = [], start
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == closing:
            return "".join(out), i + 1
        out.append(char)
        i += 1
    raise SearchQueryError(f"unbalanced {what}: no closing {closing!r} in {text!r}")


def _range(text: str, start: int) -> tuple[_Token, int]:
    opening = text[start]
    end = start + 1
    while end < len(text) and text[end] not in "]}":
        end += 1
    if end >= len(text):
        raise SearchQueryError(f"unbalanced brackets: range {opening!r} is not closed in {text!r}")
    parts = text[start + 1 : end].split()
    if len(parts) != 3 or parts[1] != "TO":
        raise SearchQueryError(
            f"a range must read [X TO Y], not {text[start : end + 1]!r} (use * for open ends)"
        )
    bounds = (parts[0], parts[2], opening == "[", text[end] == "]")
    return _Token("RANGE", range=bounds), end + 1


def _word(text: str, start: int) -> tuple[str, str | None, int]:
    """A word (escapes resolved) and, when it has an unescaped colon, the field before it."""
    out, field, i = [], None, start
    while i < len(text) and not text[i].isspace() and text[i] not in '()[]{}"':
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            out.append(text[i + 1])
            i += 2
            continue
        if char == ":" and field is None:
            field, out = "".join(out), []
        else:
            out.append(char)
        i += 1
    return "".join(out), field, i


def tokenize(text: str) -> list[_Token]:
    """The tokens of ``text``; unbalanced quotes or brackets raise SearchQueryError."""
    tokens: list[_Token] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char.isspace():
            i += 1
        elif char in "()":
            tokens.append(_Token(char))
            i += 1
        elif char == '"':
            value, i = _read_until(text, i + 1, '"', "quotes")
            tokens.append(_Token("TERM", value=value, phrase=True))
        elif char in "[{":
            token, i = _range(text, i)
            tokens.append(token)
        elif char in "]}":
            raise SearchQueryError(f"unbalanced brackets: unexpected {char!r} in {text!r}")
        else:
            i = _symbol_or_word(text, i, tokens)
    return tokens


def _symbol_or_word(text: str, i: int, tokens: list[_Token]) -> int:
    pair = text[i : i + 2]
    if pair in ("&&", "||"):
        tokens.append(_Token("AND" if pair == "&&" else "OR"))
        return i + 2
    if text[i] in "-!+" and i + 1 < len(text) and not text[i + 1].isspace():
        if text[i] != "+":
            tokens.append(_Token("NOT"))
        return i + 1
    word, field, end = _word(text, i)
    if field is None and word in ("AND", "OR", "NOT"):
        tokens.append(_Token(word))
    elif field == "":
        raise SearchQueryError(f"a field name is missing before ':' in {text!r}")
    elif field is not None and not word:
        tokens.append(_Token("FIELD", field=field))
    elif not word:
        raise SearchQueryError(f"cannot read {text[i:end] or text[i]!r} in {text!r}")
    else:
        tokens.append(_Token("TERM", field=field, value=word))
    return end


class _Parser:
    def __init__(self, text: str) -> None:
        self.text = text
        self.tokens = tokenize(text)
        self.pos = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.peek()
        if token is None:
            raise SearchQueryError(f"the query ends too early: {self.text!r}")
        self.pos += 1
        return token

    def parse_or(self, field: str | None) -> "Node":
        children = [self.parse_and(field)]
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            children.append(self.parse_and(field))
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self, field: str | None) -> "Node":
        children = [self.parse_unary(field)]
        while (token := self.peek()) is not None and token.kind not in ("OR", ")"):
            if token.kind == "AND":
                self.take()
            children.append(self.parse_unary(field))
        return children[0] if len(children) == 1 else And(tuple(children))

    def parse_unary(self, field: str | None) -> "Node":
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.take()
            return Not(self.parse_unary(field))
        return self.parse_primary(field)

    def parse_primary(self, field: str | None) -> "Node":
        token = self.take()
        if token.kind == "(":
            node = self.parse_or(field)
            closing = self.peek()
            if closing is None or closing.kind != ")":
                raise SearchQueryError(f"unbalanced parentheses: missing ')' in {self.text!r}")
            self.take()
            return node
        if token.kind == "FIELD":
            if field is not None:
                raise SearchQueryError(f"field {token.field!r} inside field {field!r}")
            return self.parse_primary(token.field)
        if token.kind == "TERM":
            return self._term(token, field)
        if token.kind == "RANGE" and token.range is not None:
            return Range(field, *token.range)
        if token.kind == ")":
            raise SearchQueryError(f"unbalanced parentheses: unexpected ')' in {self.text!r}")
        raise SearchQueryError(f"{token.kind} needs a clause on both sides in {self.text!r}")

    def _term(self, token: _Token, field: str | None) -> "Node":
        if token.field is not None and field is not None:
            raise SearchQueryError(f"field {token.field!r} inside field {field!r}")
        name = token.field if token.field is not None else field
        if name == "*" and token.value == "*" and not token.phrase:
            return MatchAll()
        return Term(name, token.value, token.phrase)


def parse(text: str) -> Node | None:
    """The query tree of ``text``; None for an empty query (which matches everything)."""
    parser = _Parser(text)
    if not parser.tokens:
        return None
    node = parser.parse_or(None)
    if parser.peek() is not None:
        raise SearchQueryError(f"unbalanced parentheses: unexpected ')' in {text!r}")
    return node


def _escape(value: str) -> str:
    out = "".join("\\" + c if c in _SPECIAL or c.isspace() else c for c in value)
    if out[:1] in ("-", "!", "+") or out in ("AND", "OR", "NOT") or out[:2] in ("&&", "||"):
        out = "\\" + out
    return out


def to_text(node: Node) -> str:
    """Query text that parses back to ``node``."""
    if isinstance(node, MatchAll):
        return "*:*"
    if isinstance(node, Term):
        value = (
            '"' + node.value.replace("\\", "\\\\").replace('"', '\\"') + '"'
            if node.phrase
            else _escape(node.value)
        )
        return f"{node.field}:{value}" if node.field is not None else value
    if isinstance(node, Range):
        text = "{}{} TO {}{}".format(
            "[" if node.include_low else "{",
            node.low,
            node.high,
            "]" if node.include_high else "}",
        )
        return f"{node.field}:{text}" if node.field is not None else text
    if isinstance(node, Not):
        return f"NOT {to_text(node.child)}"
    joiner = " AND " if isinstance(node, And) else " OR "
    return "(" + joiner.join(to_text(c) for c in node.children) + ")"
