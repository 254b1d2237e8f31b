"""``$filter`` expressions (OData 4.0 as SensorThings 1.1 uses it) parsed into ``ast`` nodes.

A precedence-climbing parser over the tokens of ``lexer``. Nesting (parentheses, ``not``,
minus, function arguments) and the depth of the finished tree are limited, and so is
the length of the text, so hostile input fails fast with a ``QueryError``.
"""

from .ast import (
    LOGICAL,
    PRECEDENCE,
    BinaryOp,
    BooleanLiteral,
    DecimalLiteral,
    Expr,
    FunctionCall,
    IntegerLiteral,
    LogicalOp,
    NullLiteral,
    Path,
    UnaryOp,
    tree_depth,
)
from .errors import QueryError
from .lexer import Lexer, Token, describe

MAX_LENGTH = 16_384  # characters in one option value
MAX_DEPTH = 50  # nesting of parentheses/operators/calls, and depth of the tree

# The built-in functions of SensorThings 1.1 and the numbers of arguments each takes.
FUNCTIONS: dict[str, tuple[int, ...]] = {
    **dict.fromkeys(["substringof", "endswith", "startswith", "contains", "indexof"], (2,)),
    **dict.fromkeys(["length", "tolower", "toupper", "trim"], (1,)),
    "substring": (2, 3),
    "concat": (2,),
    **dict.fromkeys(
        ["year", "month", "day", "hour", "minute", "second", "fractionalseconds"], (1,)
    ),
    **dict.fromkeys(["date", "time", "totaloffsetminutes"], (1,)),
    **dict.fromkeys(["now", "mindatetime", "maxdatetime"], (0,)),
    **dict.fromkeys(["round", "floor", "ceiling"], (1,)),
    "geo.distance": (2,),
    "geo.length": (1,),
    "geo.intersects": (2,),
    **dict.fromkeys(
        [
            "st_equals",
            "st_disjoint",
            "st_touches",
            "st_within",
            "st_overlaps",
            "st_crosses",
            "st_intersects",
            "st_contains",
        ],
        (2,),
    ),
    "st_relate": (3,),
}
KEYWORDS = frozenset(PRECEDENCE) | {"not"}
CONSTANTS = {"true": True, "false": False}


class Parser:
    """Expressions and paths from one option value; used by ``options`` too."""

    def __init__(
        self, text: str, *, base: int = 0, option: str = "$filter", max_depth: int = MAX_DEPTH
    ) -> None:
        self.option = option
        self.max_depth = max_depth
        self.tokens = Lexer(text, base, option=option).tokens()
        self.index = 0
        self.nesting = 0

    # --- token handling ---

    @property
    def token(self) -> Token:
        return self.tokens[self.index]

    def advance(self) -> Token:
        token = self.tokens[self.index]
        if token.kind != "end":
            self.index += 1
        return token

    def at_punct(self, char: str) -> bool:
        return self.token.kind == "punct" and self.token.text == char

    def at_end(self) -> bool:
        return self.token.kind == "end"

    def fail(self, expected: str, token: Token | None = None, hint: str = "") -> QueryError:
        token = token or self.token
        return QueryError(
            "expected {expected}, found {found}{hint}",
            token.pos,
            option=self.option,
            expected=expected,
            found=describe(token),
            hint=hint,
        )

    def expect_punct(self, char: str) -> Token:
        if not self.at_punct(char):
            raise self.fail(f"'{char}'")
        return self.advance()

    def expect_end(self, expected: str) -> None:
        """Fail unless all tokens are used; hint at upper-case operators such as AND."""
        token = self.token
        if token.kind == "end":
            return
        lower = token.text.lower() if token.kind == "word" else ""
        upper = lower in KEYWORDS | {"asc", "desc"} and token.text != lower
        hint = " (keywords are lower-case)" if upper else ""
        raise self.fail(expected, hint=hint)

    def enter(self, token: Token) -> None:
        self.nesting += 1
        if self.nesting > self.max_depth:
            raise self.too_deep(token.pos)

    def too_deep(self, position: int) -> QueryError:
        return QueryError(
            "the expression is nested more than {limit} levels deep",
            position,
            option=self.option,
            limit=str(self.max_depth),
        )

    # --- grammar ---

    def expression(self, minimum: int = 1) -> Expr:
        """A full expression; stops before a token that is no binary operator.

        Once ``and``/``or`` occurs at this level, only ``and``/``or`` can follow (the
        right operands took everything binding tighter), so a chain of one of them is
        collected in a list and flattened into one ``LogicalOp``.
        """
        left = self.unary()
        chain: Token | None = None  # the first operator of the and/or chain in progress
        operands: list[Expr] = []
        while self.token.kind == "word" and PRECEDENCE.get(self.token.text, 0) >= minimum:
            operator = self.advance()
            right = self.expression(PRECEDENCE[operator.text] + 1)
            if operator.text not in LOGICAL:
                left = BinaryOp(operator.text, left, right, pos=operator.pos)
                continue
            if chain is None or chain.text != operator.text:
                if chain is not None:
                    left = LogicalOp(chain.text, tuple(operands), pos=chain.pos)
                chain, operands = operator, list(_flat(left, operator.text))
            operands.extend(_flat(right, operator.text))
        if chain is not None:
            left = LogicalOp(chain.text, tuple(operands), pos=chain.pos)
        return left

    def checked_expression(self) -> Expr:
        """An expression whose finished tree is within the depth limit."""
        start = self.token
        node = self.expression()
        if tree_depth(node) > self.max_depth:
            raise self.too_deep(start.pos)
        return node

    def unary(self) -> Expr:
        token = self.token
        if (token.kind == "word" and token.text == "not") or (
            token.kind == "punct" and token.text == "-"
        ):
            self.advance()
            self.enter(token)
            operand = self.unary()
            self.nesting -= 1
            return _negate(token, operand)
        return self.primary()

    def primary(self) -> Expr:
        token = self.token
        if token.kind == "literal":
            self.advance()
            return token.value
        if token.kind == "punct" and token.text == "(":
            self.advance()
            self.enter(token)
            node = self.expression()
            self.expect_punct(")")
            self.nesting -= 1
            return node
        if token.kind == "word" and token.text not in KEYWORDS:
            return self.word()
        raise self.fail("an expression")

    def word(self) -> Expr:
        token = self.token
        if token.text in CONSTANTS:
            self.advance()
            return BooleanLiteral(CONSTANTS[token.text], pos=token.pos)
        if token.text == "null":
            self.advance()
            return NullLiteral(pos=token.pos)
        if self.tokens[self.index + 1].text == "(" and self.tokens[self.index + 1].kind == "punct":
            return self.call()
        return self.path()

    def path(self) -> Path:
        """``segment('/'segment)*``; a dot is allowed only in ``@iot.…`` annotations."""
        first = self.token
        segments = []
        while True:
            token = self.advance()
            if token.kind != "word" or (segments == [] and token.text in KEYWORDS):
                raise self.fail("a property name", token)
            if "." in token.text and not token.text.startswith("@"):
                raise QueryError(
                    "'{name}' is not a property name (only functions contain a dot)",
                    token.pos,
                    option=self.option,
                    name=token.text,
                )
            segments.append(token.text)
            if not self.at_punct("/"):
                return Path(tuple(segments), pos=first.pos)
            self.advance()

    def call(self) -> FunctionCall:
        name = self.advance()
        arities = FUNCTIONS.get(name.text)
        if arities is None:
            lower = name.text.lower()
            hint = f" (function names are lower-case: '{lower}')" if lower in FUNCTIONS else ""
            raise QueryError(
                "unknown function '{name}'{hint}",
                name.pos,
                option=self.option,
                name=name.text,
                hint=hint,
            )
        opening = self.advance()
        self.enter(opening)
        args: list[Expr] = []
        if not self.at_punct(")"):
            args.append(self.expression())
            while self.at_punct(","):
                self.advance()
                args.append(self.expression())
        if not self.at_punct(")"):
            raise self.fail("',' or ')'")
        self.advance()
        self.nesting -= 1
        if len(args) not in arities:
            raise QueryError(
                "{name}() takes {expected}, not {count}",
                name.pos,
                option=self.option,
                name=name.text,
                expected=_arguments(arities),
                count=str(len(args)),
            )
        return FunctionCall(name.text, tuple(args), pos=name.pos)


def _arguments(arities: tuple[int, ...]) -> str:
    if arities == (0,):
        return "no arguments"
    return " or ".join(str(a) for a in arities) + (" argument" if arities == (1,) else " arguments")


def _flat(node: Expr, op: str) -> tuple[Expr, ...]:
    """The operands ``node`` adds to an ``op`` chain: its own if it is such a chain too."""
    return node.operands if isinstance(node, LogicalOp) and node.op == op else (node,)


def _negate(operator: Token, operand: Expr) -> Expr:
    if operator.text == "-" and isinstance(operand, IntegerLiteral):
        return IntegerLiteral(-operand.value, pos=operator.pos)
    if operator.text == "-" and isinstance(operand, DecimalLiteral):  # exact, no rounding
        return DecimalLiteral(operand.value.copy_negate(), pos=operator.pos)
    return UnaryOp(operator.text, operand, pos=operator.pos)


def check_length(text: str, option: str, max_length: int) -> None:
    """Refuse a value longer than ``max_length`` before any work is done on it."""
    if len(text) > max_length:
        raise QueryError(
            "the value is {length} characters long; at most {limit} are allowed",
            None,
            option=option,
            length=str(len(text)),
            limit=str(max_length),
        )


def parse_filter(
    text: str,
    *,
    max_depth: int = MAX_DEPTH,
    max_length: int = MAX_LENGTH,
    option: str = "$filter",
    base: int = 0,
) -> Expr:
    """Parse a ``$filter`` value (already URL-decoded) into an expression tree.

    Raises ``QueryError`` for a syntax error, an unknown function or wrong number of
    arguments, a value longer than ``max_length`` or nested deeper than ``max_depth``.
    ``option`` and ``base`` place errors when the text is part of a larger value.
    """
    check_length(text, option, max_length)
    parser = Parser(text, base=base, option=option, max_depth=max_depth)
    node = parser.checked_expression()
    parser.expect_end("an operator or the end")
    return node
