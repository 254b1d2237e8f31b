"""Every $filter function against real rows: text, date and time, math, geometry."""

import pytest

from .test_sta_query_filter_exec import names, results

ALL_THINGS = ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt", "Linde 17"]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("substringof('ich', name)", ["Eiche am Markt"]),
        ("contains(name, 'nde')", ["Linde 17"]),
        ("contains(name, 'NDE')", []),  # case matters on both databases
        ("startswith(name, 'Ah')", ["Ahorn Ämterweg"]),
        ("startswith(name, 'ah')", []),
        ("endswith(name, '17')", ["Linde 17"]),
        ("endswith(name, '')", ALL_THINGS),
        (
            "startswith(name, 'E') eq false and not endswith(name, '  ')",
            ["Ahorn Ämterweg", "Linde 17"],
        ),
        ("length(name) eq 14", ["Ahorn Ämterweg", "Eiche am Markt"]),  # characters, not bytes
        ("length(name) lt 9", ["Linde 17"]),
        # FROST's conventions: indexof counts from 1 (0: not found) ...
        ("indexof(name, 'nde') eq 3", ["Linde 17"]),
        ("indexof(name, 'zzz') eq 0", ALL_THINGS),
        ("indexof(name, 'Ä') eq 7", ["Ahorn Ämterweg"]),
        # ... substring's start counts from 0
        ("substring(name, 1) eq 'inde 17'", ["Linde 17"]),
        ("substring(name, 0, 5) eq 'Linde'", ["Linde 17"]),
        ("substring(name, 6, 1) eq 'Ä'", ["Ahorn Ämterweg"]),
        ("substring(name, 2, 0) eq ''", ALL_THINGS),
        ("tolower(name) eq 'ahorn ämterweg'", ["Ahorn Ämterweg"]),
        ("toupper(name) eq 'AHORN ÄMTERWEG'", ["Ahorn Ämterweg"]),
        ("trim(name) eq 'Birke'", ["  Birke  "]),
        ("concat(concat(name, ' / '), description) eq 'Linde 17 / Baum Linde 17'", ["Linde 17"]),
        ("concat(name, properties/district) eq 'Eiche am MarktLobeda'", ["Eiche am Markt"]),
        ("length(properties/district) eq 6", ["Eiche am Markt"]),
        ("indexof('Linde', 'n') eq 3 and substring('Linde', 1, 2) eq 'in'", ALL_THINGS),
        (
            "tolower('ÄB') eq 'äb' and toupper('straße') eq 'STRAßE' and trim(' a ') eq 'a'",
            ALL_THINGS,
        ),
        ("length('Ämter') eq 5 and concat('a', 'b') eq 'ab' and contains('abc', 'b')", ALL_THINGS),
    ],
)
def test_text_functions(public, city, condition, expected):
    assert names(public, "Things", condition) == expected


ALL_RESULTS = [
    -4,
    {"value": 7, "ok": True},
    17.25,
    "warm",
    18.5,
    "kalt",
    True,
    10,
    19,
    21,
    20.5,
    30,
]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("year(phenomenonTime) eq 2025", [-4]),
        ("month(phenomenonTime) eq 12", [-4]),
        ("day(phenomenonTime) eq 2", [30]),
        ("hour(phenomenonTime) eq 11", [20.5]),
        ("minute(phenomenonTime) eq 30", [20.5]),
        ("second(phenomenonTime) eq 15", [20.5]),
        ("second(phenomenonTime) eq 59 and minute(phenomenonTime) eq 59", [-4]),
        ("fractionalseconds(phenomenonTime) eq 0.25", [20.5]),
        ("fractionalseconds(phenomenonTime) gt 0", [20.5]),
        ("date(phenomenonTime) eq 2026-06-02", [30]),
        ("date(phenomenonTime) lt 2026-01-01", [-4]),
        ("time(phenomenonTime) eq 11:30:15.25", [20.5]),
        ("time(phenomenonTime) gt 10:00 and date(phenomenonTime) eq 2026-06-01", [20.5]),
        ("totaloffsetminutes(phenomenonTime) eq 0", ALL_RESULTS),
        ("totaloffsetminutes(2026-06-01T12:00:00+02:00) eq 120", ALL_RESULTS),
        ("phenomenonTime lt now() and phenomenonTime gt mindatetime()", ALL_RESULTS),
        ("phenomenonTime lt maxdatetime() and year(now()) ge 2026", ALL_RESULTS),
        ("year(2024-02-29) eq 2024 and day(2024-02-29T23:00:00-02:00) eq 1", ALL_RESULTS),
        ("hour(phenomenonTime) eq 0 and day(phenomenonTime) eq 1", [{"value": 7, "ok": True}]),
        ("round(result) eq 21", [21, 20.5]),
        ("round(result sub 25) eq -5", [20.5]),  # halves away from zero
        ("round(result) eq -4", [-4]),
        ("floor(result) eq 17", [17.25]),
        ("ceiling(result) eq 19", [18.5, 19]),
        ("floor(result div 10) eq 1", [17.25, 18.5, 10, 19]),
        (
            "round(2.5) eq 3 and round(-2.5) eq -3 and floor(-1.5) eq -2 and ceiling(1.2) eq 2",
            ALL_RESULTS,
        ),
    ],
)
def test_date_time_and_math_functions(public, city, condition, expected):
    assert results(public, condition) == expected


BOX = "geography'POLYGON((11.58 50.92, 11.59 50.92, 11.59 50.93, 11.58 50.93, 11.58 50.92))'"
BIG = "geography'POLYGON((11 50, 12 50, 12 51, 11 51, 11 50))'"
IN_SQUARE = "geography'POINT(11.61 50.91)'"
LINE = "geography'LINESTRING(11.59 50.91, 11.61 50.91)'"
SHIFTED = "geography'POLYGON((11.61 50.91, 11.63 50.91, 11.63 50.93, 11.61 50.93, 11.61 50.91))'"
# a triangle whose box holds both points, though neither lies in it
TRIANGLE = "geography'POLYGON((11.58 50.92, 11.59 50.93, 11.58 50.93, 11.58 50.92))'"
HERE = "geography'POINT(11.5849 50.9241)'"


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        (f"st_within(location, {BOX})", ["Markt", "Paradiespark"]),
        (f"st_within(location, {BIG})", ["Markt", "Paradiespark", "Ämterweg"]),
        (f"st_contains({BIG}, location)", ["Markt", "Paradiespark", "Ämterweg"]),
        (f"st_contains(location, {IN_SQUARE})", ["Ämterweg"]),
        (f"st_within({IN_SQUARE}, location)", ["Ämterweg"]),
        (f"geo.intersects(location, {IN_SQUARE})", ["Ämterweg"]),
        (f"st_intersects(location, {LINE})", ["Ämterweg"]),
        (f"st_intersects(location, {TRIANGLE})", []),
        (f"st_disjoint(location, {IN_SQUARE})", ["Markt", "Paradiespark"]),
        ("st_equals(location, geography'POINT(11.589 50.9275)')", ["Markt"]),
        ("st_touches(location, geography'POINT(11.60 50.91)')", ["Ämterweg"]),
        (f"st_touches(location, {IN_SQUARE})", []),
        (f"st_overlaps(location, {SHIFTED})", ["Ämterweg"]),
        (f"st_overlaps(location, {BIG})", []),
        (f"st_crosses(location, {LINE})", ["Ämterweg"]),
        (f"st_relate(location, {IN_SQUARE}, 'T********')", ["Ämterweg"]),
        (f"st_relate(location, {IN_SQUARE}, 'FF*******')", ["Markt", "Paradiespark"]),
        (f"geo.distance(location, {HERE}) lt 0.01", ["Markt", "Paradiespark"]),
        (f"geo.distance(location, {HERE}) eq 0", ["Paradiespark"]),
        (f"0.01 le geo.distance(location, {HERE})", ["Ämterweg"]),
        ("geo.length(location) gt 0.07", ["Ämterweg"]),
        ("geo.length(location) eq 0", ["Markt", "Paradiespark"]),
        (f"st_within(location, {BIG}) and not startswith(name, 'M')", ["Paradiespark", "Ämterweg"]),
        (
            f"st_within(location, {BOX}) or name eq 'Ämterweg'",
            ["Markt", "Paradiespark", "Ämterweg"],
        ),
        (f"st_intersects({IN_SQUARE}, {BIG})", ["Markt", "Paradiespark", "Ämterweg"]),
    ],
)
def test_spatial_functions_on_locations(public, city, condition, expected):
    assert names(public, "Locations", condition) == expected


def test_spatial_functions_along_paths_and_with_paging(public, city):
    assert names(public, "Things", f"st_within(Locations/location, {BOX})") == [
        "Eiche am Markt",
        "Linde 17",
    ]
    linde = results(public, f"st_equals(FeatureOfInterest/feature, {HERE}) and result gt 15")
    assert linde == [20.5, 30]
    page = public.get(
        "Observations",
        **{
            "$filter": f"st_within(FeatureOfInterest/feature, {BOX})",
            "$top": "5",
            "$count": "true",
            "$orderby": "id",
        },
    ).json()
    assert page["@iot.count"] == 12 and len(page["value"]) == 5 and "@iot.nextLink" in page
    nothing = public.get(
        "Locations", **{"$filter": f"st_within(location, {TRIANGLE})", "$count": "true"}
    ).json()
    assert nothing == {"@iot.count": 0, "value": []}
