"""parse_query: every option, $expand nesting, errors with positions, limits, round trip."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from allmende.sensors.query import Expand, OrderBy, QueryError, QueryOptions, parse_query
from allmende.sensors.query.ast import BinaryOp, IntegerLiteral, Path, StringLiteral

pytestmark = pytest.mark.unit


def error(params: dict, **kwargs) -> str:
    with pytest.raises(QueryError) as caught:
        parse_query(params, **kwargs)
    return str(caught.value)


def test_nothing_given():
    assert parse_query({}) == QueryOptions()
    assert parse_query({"page": "2", "format": "json"}) == QueryOptions()
    assert QueryOptions().to_params() == {}


def test_every_top_level_option():
    options = parse_query(
        {
            "$filter": "result gt 5",
            "$expand": "Datastream",
            "$select": "result,phenomenonTime",
            "$orderby": "phenomenonTime desc",
            "$top": "100",
            "$skip": "200",
            "$count": "true",
            "$resultFormat": "dataArray",
        }
    )
    assert options == QueryOptions(
        filter=BinaryOp("gt", Path(("result",)), IntegerLiteral(5)),
        expand=(Expand(("Datastream",), QueryOptions()),),
        select=(Path(("result",)), Path(("phenomenonTime",))),
        orderby=(OrderBy(Path(("phenomenonTime",)), descending=True),),
        top=100,
        skip=200,
        count=True,
        result_format="dataArray",
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("name", [("name", False)]),
        ("name asc", [("name", False)]),
        ("phenomenonTime desc, @iot.id", [("phenomenonTime", True), ("@iot.id", False)]),
        ("Datastream/name desc,result asc", [("Datastream/name", True), ("result", False)]),
        ("length(name) desc", [("length(name)", True)]),
        ("result mul -1", [("result mul -1", False)]),
    ],
)
def test_orderby(text, expected):
    items = parse_query({"$orderby": text}).orderby
    assert [(str(o.expr), o.descending) for o in items] == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "$orderby: expected an expression, found the end at position 0"),
        ("name desc desc", "expected 'asc', 'desc', ',' or the end, found 'desc' at position 10"),
        ("name DESC", "found 'DESC' (keywords are lower-case) at position 5"),
        ("name,", "$orderby: expected an expression, found the end at position 5"),
        ("a b", "$orderby: expected 'asc', 'desc', ',' or the end, found 'b' at position 2"),
    ],
)
def test_orderby_errors(text, message):
    assert message in error({"$orderby": text})


def test_select():
    options = parse_query({"$select": "name, properties/owner,@iot.id"})
    assert options.select == (
        Path(("name",)),
        Path(("properties", "owner")),
        Path(("@iot.id",)),
    )
    assert "$select: expected ',' or the end, found 'b' at position 2" in error({"$select": "a b"})
    assert "$select: expected a property name, found the end at position 0" in error(
        {"$select": ""}
    )
    assert "$select: unexpected character '*' at position 0" in error({"$select": "*"})


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"$top": "-1"}, "$top: expected a whole number from 0 to 999999999999999999, found '-1'"),
        ({"$top": "ten"}, "found 'ten' at position 0"),
        ({"$skip": "1.5"}, "$skip: expected a whole number"),
        (
            {"$skip": " 1 2"},
            "$skip: expected a whole number from 0 to 999999999999999999, "
            "found '1 2' at position 1",
        ),
        ({"$top": "9" * 19}, "$top: expected a whole number"),
        ({"$count": "True"}, "$count: expected 'true' or 'false', found 'True' at position 0"),
        ({"$count": ""}, "$count: expected 'true' or 'false', found ''"),
        ({"$resultFormat": "csv"}, "$resultFormat: expected 'dataArray', found 'csv'"),
    ],
)
def test_scalar_errors(params, message):
    assert message in error(params)


def test_error_is_one_line():
    assert error({"$top": "1\n2\t3"}) == (
        "$top: expected a whole number from 0 to 999999999999999999, found '1\\n2\\t3' "
        "at position 0"
    )


def test_scalars():
    options = parse_query({"$top": "0", "$skip": "999999999999999999", "$count": "false"})
    assert (options.top, options.skip, options.count) == (0, 999_999_999_999_999_999, False)


def test_unknown_options():
    assert error({"$foo": "1"}) == (
        "unknown query option '$foo' (known: $filter, $expand, $select, $orderby, $top, "
        "$skip, $count, $resultFormat)"
    )
    assert "unknown query option '$Filter'" in error({"$Filter": "a eq 1"})
    assert "unknown query option '$format'" in error({"$format": "json"})


# --- $expand ----------------------------------------------------------------------------


def test_expand_nested_options():
    text = (
        "Datastreams($filter=name eq 'x';"
        "$expand=Observations($top=3;$orderby=phenomenonTime desc);$select=name)"
    )
    (datastreams,) = parse_query({"$expand": text}).expand
    assert datastreams.path == ("Datastreams",)
    assert datastreams.options.filter == BinaryOp("eq", Path(("name",)), StringLiteral("x"))
    assert datastreams.options.select == (Path(("name",)),)
    (observations,) = datastreams.options.expand
    assert observations == Expand(
        ("Observations",),
        QueryOptions(top=3, orderby=(OrderBy(Path(("phenomenonTime",)), descending=True),)),
    )
    # Positions are offsets in the whole $expand value.
    assert datastreams.options.filter.pos == text.index("eq")
    assert observations.pos == text.index("Observations")
    assert observations.options.orderby[0].pos == text.index("phenomenonTime")


def test_expand_lists_and_paths():
    items = parse_query(
        {"$expand": "Datastreams/Sensor, Locations ($count=true) ,Datastreams/ObservedProperty"}
    ).expand
    assert [i.path for i in items] == [
        ("Datastreams", "Sensor"),
        ("Locations",),
        ("Datastreams", "ObservedProperty"),
    ]
    assert items[1].options == QueryOptions(count=True)


def test_expand_separators_inside_strings_and_literals():
    text = (
        "Datastreams($filter=name eq 'a;b),(c''' and "
        "st_within(location, geography'POLYGON((0 0,1 0,1 1,0 0))');$top=1),Thing"
    )
    first, second = parse_query({"$expand": text}).expand
    assert first.options.filter.operands[0].right == StringLiteral("a;b),(c'")
    assert first.options.top == 1
    assert second.path == ("Thing",)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "$expand: expected a navigation property, found the end at position 0"),
        ("A,", "$expand: expected a navigation property, found the end at position 2"),
        ("A,,B", "$expand: expected a navigation property, found the end at position 2"),
        ("1A", "$expand: expected a navigation property, found '1A' at position 0"),
        ("A(", "$expand: expected ')', found the end at position 2"),
        ("A)", "$expand: unexpected ')' at position 1"),
        ("A()", "$expand: expected a query option such as $filter= at position 2"),
        ("A(top=1)", "$expand: expected a query option such as $filter= at position 2"),
        ("A($top=1)x", "$expand: expected '(', ',' or the end, found 'x' at position 9"),
        ("A B", "$expand: expected '(', ',' or the end, found 'B' at position 2"),
        ("A($top=x)", "$expand: expected a whole number from 0 to 999999999999999999, found 'x'"),
        ("A($top=1;$top=2)", "$expand: '$top' is given twice at position 9"),
        ("A($resultFormat=dataArray)", "'$resultFormat' is not allowed inside $expand at pos"),
        ("A($foo=1)", "$expand: '$foo' is not allowed inside $expand at position 2"),
        ("A($filter=a eq 'x)", "$expand: unterminated string: a closing quote (') is missing"),
        ("A($filter=(a eq 1)", "$expand: expected ')', found the end at position 18"),
        (
            "Things($expand=Datastreams($filter=x eq))",
            "$expand: expected an expression, found the end at position 39",
        ),
        ("Things($orderby=name up)", "$expand: expected 'asc', 'desc', ',' or the end"),
    ],
)
def test_expand_errors(text, message):
    assert message in error({"$expand": text})


def _nested_expand(levels: int) -> str:
    return "A($expand=" * (levels - 1) + "A" + ")" * (levels - 1)


def test_expand_depth_limit():
    assert parse_query({"$expand": _nested_expand(10)}).expand[0].path == ("A",)
    message = error({"$expand": _nested_expand(11)})
    assert message == (
        f"$expand: nested more than 10 levels deep at position {10 * len('A($expand=')}"
    )
    assert "nested more than 3 levels deep" in error(
        {"$expand": _nested_expand(4)}, max_expand_depth=3
    )
    # Navigation segments count as levels too.
    assert "nested more than 10 levels deep" in error({"$expand": "/".join("A" * 11)})
    assert "nested more than 10 levels deep" in error(
        {"$expand": "A/B/C/D/E($expand=F/G/H/I/J($expand=K))"}
    )


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"$expand": _nested_expand(20)}, "nested more than 10 levels deep"),
        ({"$expand": _nested_expand(2_000)}, "at most 16384 are allowed"),
        ({"$expand": "A(" * 5_000 + ")" * 5_000}, "expected a query option such as $filter="),
        ({"$expand": "(" * 8_000 + ")" * 8_000}, "expected a navigation property"),
        ({"$expand": "A($filter=" + "(" * 4_000 + "a" + ")" * 4_001}, "more than 50 levels"),
        ({"$filter": "x" * 1_048_576}, "$filter: the value is 1048576 characters long"),
        ({"$orderby": "(" * 10_000 + "a" + ")" * 10_000}, "at most 16384 are allowed"),
        ({"$orderby": "(" * 1_000 + "a" + ")" * 1_000}, "$orderby: the expression is nested"),
    ],
)
def test_hostile_input_is_refused_with_its_reason(params, message):
    assert message in error(params)


def test_limits_are_parameters():
    assert "at most 10 are allowed" in error({"$filter": "a eq 'long text'"}, max_length=10)
    assert parse_query({"$filter": "((a))"}, max_depth=2).filter == Path(("a",))
    assert "nested more than 2 levels deep" in error({"$filter": "(((a)))"}, max_depth=2)
    assert "nested more than 2 levels deep at position 12" in error(
        {"$expand": "A($filter=(((a))))"}, max_depth=2
    )


# --- canonical text ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "params",
    [
        {"$filter": "name eq 'it''s' and result gt -1.5"},
        {"$orderby": "phenomenonTime desc,name", "$top": "10", "$skip": "20"},
        {"$select": "name,properties/owner", "$count": "true", "$resultFormat": "dataArray"},
        {
            "$expand": "Datastreams($filter=name eq 'x';$expand=Observations($top=3;"
            "$orderby=phenomenonTime desc);$select=name),Datastreams/Sensor,Locations"
        },
    ],
)
def test_round_trip(params):
    options = parse_query(params)
    again = parse_query(options.to_params())
    assert again == options
    assert again.to_params() == options.to_params()


def test_canonical_text():
    options = parse_query(
        {
            "$expand": "Datastreams ( $select=name ; $top=3 ) , Thing",
            "$orderby": "name  asc ,  (result)  desc",
            "$count": "false",
        }
    )
    assert options.to_params() == {
        "$expand": "Datastreams($select=name;$top=3),Thing",
        "$orderby": "name,result desc",
        "$count": "false",
    }


_PIECES = [
    *("a", "b/c", "@iot.id", " eq ", " and ", " or ", "not ", "-", "(", ")", ",", ";", "/"),
    *("'x'", "''", "'", "1", "1.5e3", "2024-01-01", "T00:00:00Z", "12:30", " desc", " "),
    *("duration'P1D'", "geography'POINT(1 2)'", "geography'", "length(", "now()", "ä", "."),
    *("$top=1", "$filter=", "$expand=", "$select=", "A(", "Datastreams/Sensor"),
]


@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join))
def test_any_text_parses_or_fails_cleanly(text):
    """Whatever the text, the result is a QueryError or options that survive a round trip."""
    for name in ("$filter", "$expand", "$orderby", "$select"):
        try:
            options = parse_query({name: text})
        except QueryError as caught:
            assert caught.option == name
            assert "\n" not in str(caught)
            continue
        assert parse_query(options.to_params()) == options
