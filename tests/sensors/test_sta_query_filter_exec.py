"""$filter against real rows: comparison, logic, arithmetic, JSON, results and times."""

import pytest


def names(client, path: str, condition: str, **more) -> list[str]:
    response = client.get(path, **{"$filter": condition, "$orderby": "name", **more})
    assert response.status_code == 200, response.content
    return [e["name"] for e in response.json()["value"]]


def results(client, condition: str, path: str = "Observations") -> list:
    response = client.get(path, **{"$filter": condition, "$orderby": "phenomenonTime,id"})
    assert response.status_code == 200, response.content
    return [e["result"] for e in response.json()["value"]]


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("name eq 'Linde 17'", ["Linde 17"]),
        ("name ne 'Linde 17'", ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt"]),
        ("name gt 'Eiche'", ["Eiche am Markt", "Linde 17"]),
        ("name ge 'Eiche am Markt'", ["Eiche am Markt", "Linde 17"]),
        ("name lt 'B'", ["  Birke  ", "Ahorn Ämterweg"]),
        ("name le 'Ahorn Ämterweg'", ["  Birke  ", "Ahorn Ämterweg"]),
        ("name eq 'Linde 17' or name eq 'Eiche am Markt'", ["Eiche am Markt", "Linde 17"]),
        ("startswith(name,'E') and name ne 'x'", ["Eiche am Markt"]),
        ("not (name eq 'Linde 17') and not startswith(name,'A')", ["  Birke  ", "Eiche am Markt"]),
        ("@iot.id eq 0 or id eq -1", []),
        ("true", ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt", "Linde 17"]),
        ("false", []),
        ("properties eq null", ["  Birke  "]),
        ("properties/district eq 'Zentrum'", ["Ahorn Ämterweg", "Linde 17"]),
        ("properties/district ne 'Zentrum'", ["  Birke  ", "Eiche am Markt"]),  # null differs
        ("properties/district ne null", ["Ahorn Ämterweg", "Eiche am Markt", "Linde 17"]),
        ("properties/height gt 20", ["Eiche am Markt"]),
        ("properties/height lt 100", ["Eiche am Markt", "Linde 17"]),
        ("properties/height eq 'hoch'", ["Ahorn Ämterweg"]),
        ("properties/protected eq true", ["Linde 17"]),
        ("properties/protected eq false", ["Eiche am Markt"]),
        ("properties/protected", ["Linde 17"]),
        ("properties/height add 1 eq 13", ["Linde 17"]),
        ("properties/height sub 0.5 eq 30", ["Eiche am Markt"]),
        ("properties/height mul 2 eq 61", ["Eiche am Markt"]),
        ("properties/height div 4 eq 3", ["Linde 17"]),
        (
            "properties/height div 0 eq null",
            ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt", "Linde 17"],
        ),
        ("properties/height mod 5 eq 2", ["Linde 17"]),
        ("properties/height mod 7 eq 2.5", ["Eiche am Markt"]),
        ("-properties/height lt -20", ["Eiche am Markt"]),
        (
            "7 mod 4 eq 3 and 1 add 2 mul 3 eq 7 and 9 div 2 eq 4.5",
            ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt", "Linde 17"],
        ),
        ("Datastreams/name eq 'Temperatur Linde'", ["Linde 17"]),
        ("Datastreams/Sensor/name eq 'Thermometer'", ["Eiche am Markt", "Linde 17"]),
        ("Locations/name eq 'Markt'", ["Eiche am Markt"]),
        ("Datastreams/Observations/result gt 20", ["Eiche am Markt", "Linde 17"]),
    ],
)
def test_comparison_logic_and_arithmetic_on_things(public, city, condition, expected):
    assert names(public, "Things", condition) == expected


def test_a_to_many_path_gives_each_entity_once_and_counts_right(public, city):
    page = public.get(
        "Things", **{"$filter": "Datastreams/Observations/result ge 0", "$count": "true"}
    ).json()
    assert page["@iot.count"] == 2 and len(page["value"]) == 2


def test_navigation_to_one_and_ids(public, city):
    stream = city["Bodenfeuchte"]
    assert names(public, "Datastreams", f"Thing/@iot.id eq {city['Linde 17']}") == [
        "Bodenfeuchte",
        "Temperatur Linde",
    ]
    assert names(public, "Datastreams", f"id eq {stream}") == ["Bodenfeuchte"]
    assert results(public, f"Datastream/id eq {stream} and result lt 15") == [-4, 10]
    assert results(public, "Datastream/Thing/name eq 'Eiche am Markt'") == [17.25, 18.5, 19, 21]
    assert names(public, "Datastreams", "ObservedProperty/name eq 'Saugspannung'") == [
        "Bodenfeuchte"
    ]
    assert names(public, "Datastreams", "unitOfMeasurement/symbol eq '°C'") == [
        "Temperatur Linde",
        "Temperatur Markt",
    ]


def test_results_of_every_kind(public, city):
    assert results(public, "result gt 18") == [18.5, 19, 21, 20.5, 30]
    assert results(public, "result eq 'warm'") == ["warm"]
    assert results(public, "result eq true") == [True]
    assert results(public, "result/ok eq true") == [{"value": 7, "ok": True}]
    assert results(public, "result/value ge 7") == [{"value": 7, "ok": True}]
    assert results(public, "result eq 20.5") == [20.5]
    assert results(public, "result lt 'l'") == ["kalt"]
    assert results(public, "result eq null") == []
    assert results(public, "parameters/quality eq 'good'") == [10, 20.5]
    assert results(public, "parameters/depth eq 30") == [20.5]
    assert results(public, "result add 1 eq 11") == [10]


def test_times_and_intervals(public, city):
    assert results(public, "phenomenonTime ge 2026-06-01T10:00:00Z and result lt 20") == [10, 19]
    assert results(public, "phenomenonTime lt 2026-01-01T00:00:00Z") == [-4]
    # the interval 00:00–06:00 lies wholly before 07:00, starts after 23:00 the day before
    assert results(public, "phenomenonTime lt 2026-06-01T07:00:00Z") == [
        -4,
        {"value": 7, "ok": True},
    ]
    assert results(public, "phenomenonTime le 2026-06-01T05:00:00Z") == [-4]
    assert results(public, "phenomenonTime gt 2026-05-31T23:00:00Z and result eq null") == []
    assert results(public, "phenomenonTime eq 2026-06-01T11:30:15.250Z") == [20.5]
    assert results(public, "phenomenonTime eq 2026-06-01T12:30:15.25+01:00") == [20.5]
    interval = "phenomenonTime eq 2026-06-01T00:00:00Z"
    assert results(public, interval) == []  # an interval is no instant
    assert results(public, "resultTime eq null and result eq 30") == [30]
    later = "phenomenonTime gt now() sub duration'P36500D' and result eq -4"
    assert results(public, later) == [-4]
    shifted = "phenomenonTime add duration'PT1H' eq 2026-06-01T11:00:00Z and result lt 15"
    assert results(public, shifted) == [10]
    history = public.get(
        "HistoricalLocations",
        **{
            "$filter": "time gt 2020-01-01T00:00:00Z and Thing/name eq 'Linde 17'",
            "$expand": "Locations($select=name)",
        },
    )
    assert [h["Locations"] for h in history.json()["value"]] == [[{"name": "Paradiespark"}]]
    streams = names(public, "Datastreams", "resultTime eq null")
    assert streams == ["Bodenfeuchte", "Temperatur Linde", "Temperatur Markt"]
    streams = names(public, "Datastreams", "phenomenonTime lt 2026-06-01T12:00:00Z")
    assert streams == ["Temperatur Linde", "Temperatur Markt"]
    streams = names(public, "Datastreams", "phenomenonTime ge 2026-01-01T00:00:00Z")
    assert streams == ["Temperatur Linde", "Temperatur Markt"]
