"""The $filter grammar: literals, precedence, functions, errors, limits and the round trip."""

import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allmende.sensors.query import FUNCTIONS, QueryError, parse_filter
from allmende.sensors.query.ast import (
    BinaryOp,
    BooleanLiteral,
    DateLiteral,
    DateTimeLiteral,
    DecimalLiteral,
    DurationLiteral,
    FunctionCall,
    Geometry,
    GeometryLiteral,
    IntegerLiteral,
    LogicalOp,
    NullLiteral,
    Path,
    StringLiteral,
    TimeOfDayLiteral,
    UnaryOp,
)

pytestmark = pytest.mark.unit


def p(*segments: str) -> Path:
    return Path(segments)


def b(op: str, left, right) -> BinaryOp:
    return BinaryOp(op, left, right)


def i(value: int) -> IntegerLiteral:
    return IntegerLiteral(value)


def error(text: str, **kwargs) -> QueryError:
    with pytest.raises(QueryError) as caught:
        parse_filter(text, **kwargs)
    return caught.value


# --- literals ---------------------------------------------------------------------------

CET = timezone(timedelta(hours=1))


@pytest.mark.parametrize(
    ("text", "literal"),
    [
        ("'abc'", StringLiteral("abc")),
        ("'it''s'", StringLiteral("it's")),
        ("''''", StringLiteral("'")),
        ("''", StringLiteral("")),
        ("'Jena, Löbdergraben (Süd)'", StringLiteral("Jena, Löbdergraben (Süd)")),
        ("'a eq b and (c'", StringLiteral("a eq b and (c")),
        ("42", i(42)),
        ("-42", i(-42)),
        ("0", i(0)),
        ("9223372036854775807", i(2**63 - 1)),
        ("9223372036854775808", DecimalLiteral(Decimal("9223372036854775808"))),
        ("1.5", DecimalLiteral(Decimal("1.5"))),
        ("-0.25", DecimalLiteral(Decimal("-0.25"))),
        ("1.5e3", DecimalLiteral(Decimal("1500"))),
        ("2E-3", DecimalLiteral(Decimal("0.002"))),
        ("6.02e+23", DecimalLiteral(Decimal("6.02e23"))),
        ("-1e9999", DecimalLiteral(Decimal("-1e9999"))),
        ("-" + "9" * 40 + ".5", DecimalLiteral(Decimal("-" + "9" * 40 + ".5"))),
        ("true", BooleanLiteral(True)),
        ("false", BooleanLiteral(False)),
        ("null", NullLiteral()),
        ("2024-01-01T00:00:00Z", DateTimeLiteral(datetime(2024, 1, 1, tzinfo=UTC))),
        ("2024-01-01T00:00Z", DateTimeLiteral(datetime(2024, 1, 1, tzinfo=UTC))),
        ("2024-01-01T01:00:00+01:00", DateTimeLiteral(datetime(2024, 1, 1, 1, tzinfo=CET))),
        (
            "2016-11-24T13:00:00.123Z",
            DateTimeLiteral(datetime(2016, 11, 24, 13, 0, 0, 123000, tzinfo=UTC)),
        ),
        (
            "2016-11-24T13:00:00.1234567-05:30",
            DateTimeLiteral(
                datetime(2016, 11, 24, 13, 0, 0, 123456, tzinfo=timezone(-timedelta(minutes=330)))
            ),
        ),
        ("2024-02-29", DateLiteral(date(2024, 2, 29))),
        ("13:30", TimeOfDayLiteral(datetime(1, 1, 1, 13, 30).time())),
        ("13:30:05.5", TimeOfDayLiteral(datetime(1, 1, 1, 13, 30, 5, 500000).time())),
        ("duration'P1DT2H'", DurationLiteral(timedelta(days=1, hours=2))),
        ("duration'PT1.5S'", DurationLiteral(timedelta(seconds=1.5))),
        ("duration'-P2D'", DurationLiteral(timedelta(days=-2))),
        ("duration'PT10M'", DurationLiteral(timedelta(minutes=10))),
        (
            "geography'POINT(11.58 50.92)'",
            GeometryLiteral(Geometry("Point", (11.58, 50.92)), geography=True),
        ),
        (
            "geometry'SRID=4326;Point (11.58 50.92 150)'",
            GeometryLiteral(Geometry("Point", (11.58, 50.92, 150.0), 4326), geography=False),
        ),
        (
            "geography'LINESTRING(0 0, 1 1, 2 0)'",
            GeometryLiteral(Geometry("LineString", ((0, 0), (1, 1), (2, 0)))),
        ),
        (
            "geography'POLYGON ((30 10, 40 40, 20 40, 10 20, 30 10))'",
            GeometryLiteral(
                Geometry("Polygon", (((30, 10), (40, 40), (20, 40), (10, 20), (30, 10)),))
            ),
        ),
        (
            "geography'MULTIPOINT((1 2),(3 4))'",
            GeometryLiteral(Geometry("MultiPoint", ((1, 2), (3, 4)))),
        ),
        (
            "geography'MULTIPOINT(1 2, 3 4)'",
            GeometryLiteral(Geometry("MultiPoint", ((1, 2), (3, 4)))),
        ),
        (
            "geography'MULTILINESTRING((1 2,3 4),(5 6,7 8))'",
            GeometryLiteral(Geometry("MultiLineString", (((1, 2), (3, 4)), ((5, 6), (7, 8))))),
        ),
        (
            "geography'MULTIPOLYGON(((0 0,1 0,1 1,0 0)),((5 5,6 5,6 6,5 5),(5 5,6 5,6 6,5 5)))'",
            GeometryLiteral(
                Geometry(
                    "MultiPolygon",
                    (
                        (((0, 0), (1, 0), (1, 1), (0, 0)),),
                        (((5, 5), (6, 5), (6, 6), (5, 5)), ((5, 5), (6, 5), (6, 6), (5, 5))),
                    ),
                )
            ),
        ),
    ],
)
def test_literal(text, literal):
    tree = parse_filter(f"x eq {text}")
    assert tree == b("eq", p("x"), literal)
    assert type(tree.right) is type(literal)
    assert parse_filter(str(tree)) == tree


def test_literal_details():
    point = parse_filter("geography'POINT(11.58 50.92)'")
    assert point.wkt == "POINT(11.58 50.92)"
    assert point.value.as_geojson() == {"type": "Point", "coordinates": [11.58, 50.92]}
    assert point.pos == 0
    stamp = parse_filter("2024-01-01T01:00:00+01:00").value
    assert stamp.utcoffset() == timedelta(hours=1)
    assert str(parse_filter("2024-01-01T01:00:00+01:00")) == "2024-01-01T01:00:00+01:00"
    assert str(parse_filter("2024-01-01T00:00:00.500Z")) == "2024-01-01T00:00:00.5Z"
    assert str(parse_filter("duration'PT36H'")) == "duration'P1DT12H'"
    assert str(parse_filter("duration'PT0S'")) == "duration'PT0S'"
    assert str(parse_filter("geometry'Polygon((0 0, 1 0, 1 1, 0 0))'")) == (
        "geometry'POLYGON((0 0,1 0,1 1,0 0))'"
    )
    assert str(DecimalLiteral(Decimal(5))) == "5.0"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("'abc", "$filter: unterminated string: a closing quote (') is missing at position 0"),
        (
            "x eq 'it's'",
            "$filter: unterminated string: a closing quote (') is missing at position 10",
        ),
        ("2024-13-01", "$filter: invalid date or time '2024-13-01' at position 0"),
        ("2024-02-30T00:00:00Z", "$filter: invalid date or time '2024-02-30T00:00:00Z' at"),
        ("25:00", "$filter: invalid date or time '25:00' at position 0"),
        ("2024-01-01T00:00:00", "needs a time zone: Z or an offset such as +01:00"),
        # A "+" not encoded as %2B arrives as a space.
        ("2024-01-01T00:00:00 01:00", "(in a URL, write + as %2B) at position 0"),
        ("duration'P1Y'", "invalid duration 'P1Y'"),
        ("duration'P'", "invalid duration 'P'"),
        ("duration'PT'", "invalid duration 'PT'"),
        ("duration'P99999999999D'", "duration 'P99999999999D' is out of range at position 9"),
        ("geography'CIRCLE(1 2)'", "expected a WKT geometry type such as POINT or POLYGON"),
        ("geography'POINT(1)'", "expected a position of 2 to 4 numbers in the WKT"),
        ("geography'POINT(1 2, 3 4)'", "a POINT has exactly one position at position 15"),
        ("geography'LINESTRING(1 2)'", "a line needs at least two positions"),
        ("geography'POLYGON((0 0, 1 0, 1 1, 2 2))'", "a polygon ring needs four or more"),
        ("geography'POINT(1 2'", "$filter: expected ')', found the end at position 19"),
        ("geography'POINT(1 2) x'", "unexpected 'x' after the WKT geometry at position 21"),
        ("geography'LINESTRING(1 2, 3 4 5)'", "all positions need the same number"),
        ("geography'POINT(1e999 2)'", "the number '1e999' is out of range at position 16"),
        ("geography'POINT(1 2)", "unterminated string"),
        ("x eq 1 # 2", "$filter: unexpected character '#' at position 7"),
        ("x eq -1e12345", "$filter: the number '1e12345' is out of range at position 6"),
    ],
)
def test_literal_errors(text, message):
    assert message in str(error(text))


# --- paths, precedence ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("result", p("result")),
        ("Datastream/Thing/name", p("Datastream", "Thing", "name")),
        ("properties/owner/name", p("properties", "owner", "name")),
        ("@iot.id", p("@iot.id")),
        ("Datastream/@iot.id", p("Datastream", "@iot.id")),
        ("Datastream / name", p("Datastream", "name")),
        ("properties/and", p("properties", "and")),
        ("Straße", p("Straße")),
        ("now", p("now")),  # a function name without parentheses is a property
    ],
)
def test_paths(text, tree):
    assert parse_filter(text) == tree


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("a add b mul c", b("add", p("a"), b("mul", p("b"), p("c")))),
        ("a mul b add c", b("add", b("mul", p("a"), p("b")), p("c"))),
        ("a sub b sub c", b("sub", b("sub", p("a"), p("b")), p("c"))),
        ("a sub (b sub c)", b("sub", p("a"), b("sub", p("b"), p("c")))),
        ("a div b mod c", b("mod", b("div", p("a"), p("b")), p("c"))),
        ("a add 1 gt b", b("gt", b("add", p("a"), i(1)), p("b"))),
        ("a gt 1 eq b lt 2", b("eq", b("gt", p("a"), i(1)), b("lt", p("b"), i(2)))),
        ("a eq b ne c", b("ne", b("eq", p("a"), p("b")), p("c"))),
        (
            "a eq 1 and b eq 2 or c eq 3",
            LogicalOp(
                "or",
                (
                    LogicalOp("and", (b("eq", p("a"), i(1)), b("eq", p("b"), i(2)))),
                    b("eq", p("c"), i(3)),
                ),
            ),
        ),
        (
            "a or b and c",
            LogicalOp("or", (p("a"), LogicalOp("and", (p("b"), p("c"))))),
        ),
        (
            "(a or b) and c",
            LogicalOp("and", (LogicalOp("or", (p("a"), p("b"))), p("c"))),
        ),
        ("a or b or c", LogicalOp("or", (p("a"), p("b"), p("c")))),
        ("a or (b or c) or ((d))", LogicalOp("or", (p("a"), p("b"), p("c"), p("d")))),
        (
            "a and b or c or d and e",
            LogicalOp(
                "or",
                (LogicalOp("and", (p("a"), p("b"))), p("c"), LogicalOp("and", (p("d"), p("e")))),
            ),
        ),
        # OData: "not" binds tighter than every binary operator.
        ("not a eq b", b("eq", UnaryOp("not", p("a")), p("b"))),
        ("not (a eq b)", UnaryOp("not", b("eq", p("a"), p("b")))),
        ("not not a", UnaryOp("not", UnaryOp("not", p("a")))),
        ("-a mul b", b("mul", UnaryOp("-", p("a")), p("b"))),
        ("-(a mul b)", UnaryOp("-", b("mul", p("a"), p("b")))),
        ("a sub -1", b("sub", p("a"), i(-1))),
        ("- 1", i(-1)),
        ("-(1)", i(-1)),
        ("--1", i(1)),
        ("- -a", UnaryOp("-", UnaryOp("-", p("a")))),
        ("((((a))))", p("a")),
        ("  a\teq\n1 ", b("eq", p("a"), i(1))),
    ],
)
def test_precedence(text, tree):
    assert parse_filter(text) == tree


def test_positions():
    tree = parse_filter("name eq 'x' and Datastream/id gt -5")
    assert tree.pos == 12
    left, right = tree.operands
    assert (left.pos, left.left.pos, left.right.pos) == (5, 0, 8)
    assert (right.pos, right.left.pos, right.right.pos) == (30, 16, 33)
    call = parse_filter("x eq substring(name, 2)").right
    assert (call.pos, call.args[0].pos, call.args[1].pos) == (5, 15, 21)
    # Positions take no part in equality.
    assert parse_filter("a  eq  1") == parse_filter("a eq 1")


def test_keywords_are_case_sensitive():
    assert str(error("a EQ 1")) == (
        "$filter: expected an operator or the end, found 'EQ' (keywords are lower-case) "
        "at position 2"
    )
    assert "found 'And' (keywords are lower-case)" in str(error("a eq 1 And b eq 2"))
    assert parse_filter("True") == p("True")  # a property, not the boolean
    assert "unknown function 'Length' (function names are lower-case: 'length')" in str(
        error("Length(name) eq 1")
    )


# --- functions --------------------------------------------------------------------------

ARGUMENTS = ["name", "'x'", "1", "geography'POINT(1 2)'"]


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_function_arity(name):
    arities = FUNCTIONS[name]
    for count in range(4):
        text = f"{name}({', '.join(ARGUMENTS[:count])}) eq 1"
        if count in arities:
            tree = parse_filter(text)
            assert tree.left == FunctionCall(
                name, tuple(parse_filter(a) for a in ARGUMENTS[:count])
            )
            assert parse_filter(str(tree)) == tree
        else:
            message = str(error(text))
            assert message.startswith(f"$filter: {name}() takes ")
            assert message.endswith(f", not {count} at position 0")


def test_function_table_is_the_sta_list():
    expected = (
        "substringof endswith startswith contains length indexof substring tolower toupper "
        "trim concat year month day hour minute second fractionalseconds date time "
        "totaloffsetminutes now mindatetime maxdatetime round floor ceiling geo.distance "
        "geo.length geo.intersects st_equals st_disjoint st_touches st_within st_overlaps "
        "st_crosses st_intersects st_contains st_relate"
    )
    assert set(FUNCTIONS) == set(expected.split())
    assert FUNCTIONS["substring"] == (2, 3)
    assert FUNCTIONS["st_relate"] == (3,)
    assert FUNCTIONS["now"] == (0,)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("length(name, 'x') eq 1", "$filter: length() takes 1 argument, not 2 at position 0"),
        ("x eq substring(name)", "substring() takes 2 or 3 arguments, not 1 at position 5"),
        ("now(1) gt x", "now() takes no arguments, not 1 at position 0"),
        ("st_relate(a, b) eq true", "st_relate() takes 3 arguments, not 2"),
        ("geo.area(location) gt 1", "$filter: unknown function 'geo.area' at position 0"),
        ("foo(1) eq 1", "$filter: unknown function 'foo' at position 0"),
        ("length(name eq 1", "$filter: expected ',' or ')', found the end at position 16"),
        ("length(name,) eq 1", "$filter: expected an expression, found ')' at position 12"),
        ("Datastream.name eq 1", "'Datastream.name' is not a property name"),
    ],
)
def test_function_and_path_errors(text, message):
    assert message in str(error(text))


def test_function_examples():
    tree = parse_filter(
        "st_within(Thing/Locations/location, geography'POLYGON((11 50,12 50,12 51,11 50))') "
        "and geo.distance(location, geography'POINT(11.58 50.92)') lt 0.01 "
        "and year(phenomenonTime) eq 2024 and substringof('temp', tolower(name))"
    )
    assert [o.left.name if isinstance(o, BinaryOp) else o.name for o in tree.operands] == [
        "st_within",
        "geo.distance",
        "year",
        "substringof",
    ]
    assert tree.operands[3].args[1] == FunctionCall("tolower", (p("name"),))


# --- syntax errors ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "$filter: expected an expression, found the end at position 0"),
        ("   ", "$filter: expected an expression, found the end at position 3"),
        ("a eq", "$filter: expected an expression, found the end at position 4"),
        ("(a eq 1", "$filter: expected ')', found the end at position 7"),
        ("(a eq 1 and (b eq 2)", "$filter: expected ')', found the end at position 20"),
        ("a eq 1)", "$filter: expected an operator or the end, found ')' at position 6"),
        ("a eq 1 b", "$filter: expected an operator or the end, found 'b' at position 7"),
        ("eq 1", "$filter: expected an expression, found 'eq' at position 0"),
        ("a eq and", "$filter: expected an expression, found 'and' at position 5"),
        ("not", "$filter: expected an expression, found the end at position 3"),
        ("a/", "$filter: expected a property name, found the end at position 2"),
        ("a/'x'", "$filter: expected a property name, found a string at position 2"),
        ("a eq 1,", "$filter: expected an operator or the end, found ',' at position 6"),
    ],
)
def test_syntax_errors(text, message):
    assert str(error(text)) == message


def test_error_fields():
    caught = error("(a eq 1")
    assert caught.position == 7
    assert caught.option == "$filter"
    assert caught.message == "expected {expected}, found {found}{hint}"
    assert caught.params == {"expected": "')'", "found": "the end", "hint": ""}
    assert caught.text == "expected ')', found the end"
    assert isinstance(caught, ValueError)


# --- limits -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kwargs", "message"),
    [
        ("(" * 100_000 + "a" + ")" * 100_000, {}, "is 200001 characters long; at most 16384"),
        ("a eq '" + "x" * 1_048_576 + "'", {}, "is 1048583 characters long"),
        ("(" * 5_000 + "a" + ")" * 5_000, {"max_length": 20_000}, "more than 50 levels deep"),
        ("not " * 3_000 + "a", {}, "nested more than 50 levels deep at position 200"),
        ("-" * 3_000 + "a", {}, "nested more than 50 levels deep at position 50"),
        ("length(" * 2_000 + "a" + ")" * 2_000, {}, "more than 50 levels deep at position 356"),
        ("a" + " add a" * 2_000, {}, "the expression is nested more than 50 levels deep"),
        ("a eq 1 and b", {"max_depth": 2}, "nested more than 2 levels deep at position 0"),
        ("((a))", {"max_depth": 1}, "nested more than 1 levels deep at position 1"),
        ("a eq 1", {"max_length": 5}, "$filter: the value is 6 characters long; at most 5"),
    ],
)
def test_hostile_input_is_refused_with_its_reason(text, kwargs, message):
    assert message in str(error(text, **kwargs))


def test_limits_leave_room_for_real_filters():
    ids = " or ".join(f"@iot.id eq {n}" for n in range(800))
    tree = parse_filter(ids)
    assert len(tree.operands) == 800
    assert parse_filter("(" * 50 + "a" + ")" * 50) == p("a")


def _frames() -> int:
    frame, count = sys._getframe(), 0
    while frame:
        frame, count = frame.f_back, count + 1
    return count


def test_worst_nesting_needs_few_frames():
    # Every level climbs through all operator levels before its parenthesis.
    text = "a or a and a eq a lt a add a mul (" * 50 + "a" + ")" * 50
    limit = sys.getrecursionlimit()
    sys.setrecursionlimit(_frames() + 600)
    try:
        message = str(error(text))
    finally:
        sys.setrecursionlimit(limit)
    assert "the expression is nested more than 50 levels deep at position 0" in message


# --- round trip -------------------------------------------------------------------------

EXAMPLES = [
    "Datastream/Thing/name eq 'Löbdergraben' and result gt 20.5",
    "not (a eq 1) or (b add 2) mul 3 le -4",
    "(a or b) and (c or d) and not e",
    "a sub (b sub c) sub (d mul e div f)",
    "phenomenonTime ge 2024-01-01T00:00:00+01:00 and phenomenonTime lt now() sub duration'P1D'",
    "st_intersects(location, geometry'MULTIPOLYGON(((0 0,1 0,1 1,0 0)))') eq true",
    "substring(tolower(trim(name)), 1, 3) eq concat('a''', 'b')",
    "- -x eq --1 and -(y) ne -(-2.5)",
    "properties/owner/name ne null and time(resultTime) gt 13:00:00.25",
    "round(result div 1e3) eq 2 and floor(result) ge ceiling(-1.5E-2)",
]


@pytest.mark.parametrize("text", EXAMPLES)
def test_round_trip_examples(text):
    tree = parse_filter(text)
    assert parse_filter(str(tree)) == tree
    assert str(parse_filter(str(tree))) == str(tree)


_IDENTIFIER = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True).filter(
    lambda s: (
        s not in {"and", "or", "not", "true", "false", "null", "eq", "ne", "gt", "ge"}
        and s not in {"lt", "le", "add", "sub", "mul", "div", "mod"}
    )
)
_FLOATS = st.floats(allow_nan=False, allow_infinity=False)
_ZONES = st.sampled_from([UTC, CET, timezone(-timedelta(hours=5, minutes=30))])
_LITERALS = st.one_of(
    st.builds(StringLiteral, st.text(max_size=8)),
    st.builds(IntegerLiteral, st.integers(-(2**63) + 1, 2**63 - 1)),
    st.builds(DecimalLiteral, st.decimals(allow_nan=False, allow_infinity=False, places=3)),
    st.builds(BooleanLiteral, st.booleans()),
    st.just(NullLiteral()),
    st.builds(DateTimeLiteral, st.datetimes(timezones=_ZONES)),
    st.builds(DateLiteral, st.dates()),
    st.builds(TimeOfDayLiteral, st.times()),
    st.builds(DurationLiteral, st.timedeltas(timedelta(days=-9999), timedelta(days=9999))),
    st.builds(
        lambda x, y, g: GeometryLiteral(Geometry("Point", (x, y)), geography=g),
        _FLOATS,
        _FLOATS,
        st.booleans(),
    ),
    st.builds(
        lambda segs: Path(tuple(segs)),
        st.lists(st.one_of(_IDENTIFIER, st.just("@iot.id")), min_size=1, max_size=3),
    ),
)


def _extend(children):
    def unary(op, operand):
        if op == "-" and isinstance(operand, IntegerLiteral | DecimalLiteral):
            return operand  # the parser folds a minus into a number
        return UnaryOp(op, operand)

    def logical(op, operands):
        flat = []
        for o in operands:
            flat.extend(o.operands if isinstance(o, LogicalOp) and o.op == op else (o,))
        return LogicalOp(op, tuple(flat))

    def call(name, args):
        return FunctionCall(
            name,
            tuple(args[: FUNCTIONS[name][0]]) + (args[0],) * max(0, FUNCTIONS[name][0] - len(args)),
        )

    return st.one_of(
        st.builds(unary, st.sampled_from(["not", "-"]), children),
        st.builds(
            BinaryOp,
            st.sampled_from(["eq", "ne", "gt", "ge", "lt", "le", "add", "sub", "mul", "div"]),
            children,
            children,
        ),
        st.builds(logical, st.sampled_from(["and", "or"]), st.lists(children, min_size=2)),
        st.builds(call, st.sampled_from(sorted(FUNCTIONS)), st.lists(children, min_size=1)),
    )


@settings(max_examples=100, deadline=None)
@given(st.recursive(_LITERALS, _extend, max_leaves=12))
def test_round_trip_of_any_tree(tree):
    assert parse_filter(str(tree)) == tree
