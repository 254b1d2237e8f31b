"""$expand (nested, with its own options), $select, $orderby and paging by nextLink."""

from urllib.parse import parse_qs, urlsplit

import pytest

from .conftest import BASE, weather


def get(client, path: str, **params) -> dict:
    response = client.get(path, **params)
    assert response.status_code == 200, response.content
    return response.json()


def test_nested_expand_with_its_own_options(public, city):
    linde = city["Linde 17"]
    body = get(
        public,
        "Things",
        **{
            "$filter": "name eq 'Linde 17'",
            "$select": "name",
            "$expand": "Datastreams($orderby=name desc;$top=1;$count=true;$select=name;"
            "$expand=Observations($top=1;$orderby=phenomenonTime desc;$select=result))",
        },
    )
    (thing,) = body["value"]
    assert list(thing) == [
        "name",
        "Datastreams@iot.count",
        "Datastreams",
        "Datastreams@iot.nextLink",
    ]
    assert thing["Datastreams@iot.count"] == 2
    (stream,) = thing["Datastreams"]
    assert stream["name"] == "Temperatur Linde"
    assert stream["Observations"] == [{"result": True}]
    assert stream["Observations@iot.nextLink"].startswith(
        f"{BASE}/Datastreams({city['Temperatur Linde']})/Observations?"
    )
    link = thing["Datastreams@iot.nextLink"]
    assert link.startswith(f"{BASE}/Things({linde})/Datastreams?")
    query = parse_qs(urlsplit(link).query)
    assert query["$skip"] == ["1"] and query["$top"] == ["1"] and query["$count"] == ["true"]
    following = public.client.get(link).json()
    assert [s["name"] for s in following["value"]] == ["Bodenfeuchte"]
    assert following["@iot.count"] == 2 and following["value"][0]["Observations"] == [
        {"result": 30}
    ]


def test_expand_along_paths_merges_and_reaches_every_kind_of_link(public, city):
    body = get(
        public,
        "Datastreams",
        **{
            "$orderby": "name",
            "$select": "name",
            "$expand": "Thing/Locations($select=name),Thing($select=name),Sensor($select=name),"
            "Observations($filter=result gt 20;$select=result;$expand=FeatureOfInterest"
            "($select=name))",
        },
    )
    first = body["value"][0]
    assert first["name"] == "Bodenfeuchte"
    assert first["Thing"] == {"name": "Linde 17", "Locations": [{"name": "Paradiespark"}]}
    assert first["Sensor"] == {"name": "Tensiometer"}
    assert first["Observations"] == [
        {"result": 20.5, "FeatureOfInterest": {"name": "Paradiespark"}},
        {"result": 30, "FeatureOfInterest": {"name": "Paradiespark"}},
    ]
    markt = body["value"][2]
    assert markt["Observations"] == [{"result": 21, "FeatureOfInterest": {"name": "Markt"}}]
    locations = get(
        public,
        "Locations",
        **{"$orderby": "name", "$expand": "Things($select=name)", "$select": "name"},
    )
    assert locations["value"][0] == {"name": "Markt", "Things": [{"name": "Eiche am Markt"}]}
    things = get(
        public,
        "Things",
        **{"$orderby": "name", "$select": "name", "$expand": "Datastreams($count=true)"},
    )
    assert things["value"][0] == {
        "name": "  Birke  ",
        "Datastreams@iot.count": 0,
        "Datastreams": [],
    }


def test_expand_cuts_per_parent_with_skip_and_top(public, city):
    body = get(
        public,
        "Datastreams",
        **{
            "$orderby": "name",
            "$select": "name",
            "$expand": "Observations($orderby=result desc;$skip=1;$top=2;$select=result)",
        },
    )
    # results sort numbers, then text; True and objects have neither and come first
    # in descending order (nulls first), the later id first
    cut = {s["name"]: [o["result"] for o in s["Observations"]] for s in body["value"]}
    assert cut == {
        "Bodenfeuchte": [20.5, 10],
        "Temperatur Linde": [True, "warm"],
        "Temperatur Markt": [19, 18.5],
    }
    assert all("Observations@iot.nextLink" in s for s in body["value"])


def test_the_latest_observation_fast_path_agrees_with_the_general_one(public, city):
    latest = "Observations($top=1;$orderby=phenomenonTime desc)"
    general = "Observations($top=1;$orderby=phenomenonTime desc;$filter=true)"
    fast = get(public, "Datastreams", **{"$expand": latest})["value"]
    slow = get(public, "Datastreams", **{"$expand": general})["value"]
    assert [s["Observations"] for s in fast] == [s["Observations"] for s in slow]
    results = {s["name"]: s["Observations"][0]["result"] for s in fast}
    # two observations share the latest time in "Temperatur Markt": the later id wins
    assert results == {"Bodenfeuchte": 30, "Temperatur Linde": True, "Temperatur Markt": 21}
    assert all("Observations@iot.nextLink" in s for s in fast)


def test_expansion_costs_one_query_per_level(public, city, django_assert_max_num_queries):
    expand = "Datastreams($expand=Observations($top=2),Sensor),Locations"
    with django_assert_max_num_queries(5):
        body = get(public, "Things", **{"$expand": expand})
    assert sum(len(t["Datastreams"]) for t in body["value"]) == 3


def test_entity_reads_take_expand_and_select(public, city):
    linde = city["Linde 17"]
    body = get(
        public,
        f"Things({linde})",
        **{
            "$expand": "Datastreams($select=name;$orderby=name)",
            "$select": "name,@iot.id,Locations",
        },
    )
    assert body == {
        "@iot.id": linde,
        "name": "Linde 17",
        "Locations@iot.navigationLink": f"{BASE}/Things({linde})/Locations",
        "Datastreams": [{"name": "Bodenfeuchte"}, {"name": "Temperatur Linde"}],
    }
    stream = get(
        public,
        f"Datastreams({city['Bodenfeuchte']})",
        **{"$expand": "Thing($select=id)", "$select": "id"},
    )
    assert stream == {"@iot.id": city["Bodenfeuchte"], "Thing": {"@iot.id": linde}}
    nested = get(
        public,
        f"Things({linde})/Datastreams",
        **{"$filter": "startswith(name, 'Temp')", "$select": "name"},
    )
    assert nested["value"] == [{"name": "Temperatur Linde"}]


def test_select_takes_parts_of_json_properties(public, city):
    body = get(
        public,
        "Things",
        **{
            "$select": "name,properties/district",
            "$orderby": "name desc",
            "$top": "2",
            "$expand": "Datastreams($select=unitOfMeasurement/symbol;$orderby=name)",
        },
    )
    assert body["value"][0] == {
        "name": "Linde 17",
        "properties": {"district": "Zentrum"},
        "Datastreams": [
            {"unitOfMeasurement": {"symbol": "hPa"}},
            {"unitOfMeasurement": {"symbol": "°C"}},
        ],
    }
    observation = get(
        public,
        "Observations",
        **{"$select": "result/ok,parameters", "$filter": "result/ok eq true"},
    )
    assert observation["value"] == [{"result": {"ok": True}, "parameters": None}]


@pytest.mark.parametrize(
    ("path", "order", "expected"),
    [
        (
            "Things",
            "properties/district,name desc",
            ["Eiche am Markt", "Linde 17", "Ahorn Ämterweg", "  Birke  "],
        ),
        (
            "Things",
            "length(name) desc",
            ["Ahorn Ämterweg", "Eiche am Markt", "  Birke  ", "Linde 17"],
        ),
        ("Things", "name", ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt", "Linde 17"]),
        (
            "Datastreams",
            "Thing/name desc,name",
            ["Bodenfeuchte", "Temperatur Linde", "Temperatur Markt"],
        ),
        ("Things", "@iot.id desc", ["  Birke  ", "Ahorn Ämterweg", "Eiche am Markt", "Linde 17"]),
        (
            "Datastreams",
            "phenomenonTime desc",
            ["Temperatur Markt", "Temperatur Linde", "Bodenfeuchte"],
        ),
    ],
)
def test_orderby(public, city, path, order, expected):
    body = get(public, path, **{"$orderby": order})
    assert [e["name"] for e in body["value"]] == expected


def test_orderby_result_puts_numbers_first_then_text(public, city):
    body = get(public, "Observations", **{"$orderby": "result,id", "$select": "result"})
    assert [o["result"] for o in body["value"]] == [
        -4,
        10,
        17.25,
        18.5,
        19,
        20.5,
        21,
        30,
        "kalt",
        "warm",
        True,
        {"value": 7, "ok": True},
    ]


def test_next_links_walk_every_entity_once_with_all_options(public, city):
    params = {
        "$filter": "result ne 'warm'",
        "$orderby": "phenomenonTime desc",
        "$top": "3",
        "$count": "true",
        "$select": "id,result",
        "$expand": "Datastream($select=name)",
    }
    page = get(public, "Observations", **params)
    seen, pages = [], 0
    while True:
        pages += 1
        assert page["@iot.count"] == 11
        assert all(set(o) == {"@iot.id", "result", "Datastream"} for o in page["value"])
        seen += [o["@iot.id"] for o in page["value"]]
        if "@iot.nextLink" not in page:
            break
        page = public.client.get(page["@iot.nextLink"]).json()
    assert pages == 4 and len(seen) == len(set(seen)) == 11
    everything = get(public, "Observations", **{"$filter": "result ne 'warm'", "$top": "100"})
    assert set(seen) == {o["@iot.id"] for o in everything["value"]}


def test_refs_take_the_options_too(public, city):
    body = get(public, "Things/$ref", **{"$filter": "startswith(name, 'L')", "$top": "1"})
    assert body == {"value": [{"@iot.selfLink": f"{BASE}/Things({city['Linde 17']})"}]}


def test_multi_datastreams_filter_and_expand_through_their_observed_properties(sta, public, city):
    multi = sta.made("MultiDatastreams", weather(city))
    for time, values in (("2026-06-01T10:00:00Z", [18.5, 61]), ("2026-06-01T11:00:00Z", [19, 60])):
        sta.made(
            f"MultiDatastreams({multi})/Observations", {"phenomenonTime": time, "result": values}
        )
    body = get(
        public,
        "MultiDatastreams",
        **{
            "$filter": "ObservedProperties/name eq 'Feuchte'",
            "$select": "name",
            "$expand": "ObservedProperties($orderby=name;$select=name),"
            "Observations($top=1;$orderby=phenomenonTime desc;$select=result)",
        },
    )
    assert body["value"] == [
        {
            "name": "Wetter",
            "ObservedProperties": [{"name": "Feuchte"}, {"name": "Lufttemperatur"}],
            "Observations": [{"result": [19, 60]}],
            "Observations@iot.nextLink": f"{BASE}/MultiDatastreams({multi})/Observations"
            "?%24select=result&%24orderby=phenomenonTime+desc&%24top=1&%24skip=1",
        }
    ]
    properties = get(
        public,
        "ObservedProperties",
        **{
            "$filter": "MultiDatastreams/name eq 'Wetter'",
            "$orderby": "name desc",
            "$expand": "MultiDatastreams($select=name),Datastreams($count=true;$top=0)",
            "$select": "name",
        },
    )
    assert properties["value"] == [
        {
            "name": "Lufttemperatur",
            "MultiDatastreams": [{"name": "Wetter"}],
            "Datastreams@iot.count": 2,
            "Datastreams": [],  # $top=0: the count, no link to the same empty page
        },
        {
            "name": "Feuchte",
            "MultiDatastreams": [{"name": "Wetter"}],
            "Datastreams@iot.count": 0,
            "Datastreams": [],
        },
    ]
    result = get(public, "Observations", **{"$filter": "result eq null", "$count": "true"})
    assert result["@iot.count"] == 0


def test_top_zero_gives_the_count_without_a_link(public, city):
    assert get(public, "Things", **{"$top": "0", "$count": "true"}) == {
        "@iot.count": 4,
        "value": [],
    }


def test_an_absent_entity_to_expand_leaves_its_link(public, city):
    observation = city["Bodenfeuchte@2026-06-01T10:00:00Z=10"]
    body = get(
        public,
        f"Observations({observation})",
        **{"$expand": "Datastream($select=name),MultiDatastream", "$select": "result"},
    )
    assert body == {"result": 10, "Datastream": {"name": "Bodenfeuchte"}}
    body = get(public, f"Observations({observation})", **{"$expand": "MultiDatastream"})
    assert "MultiDatastream" not in body
    assert body["MultiDatastream@iot.navigationLink"].endswith(
        f"Observations({observation})/MultiDatastream"
    )


def test_many_parents_are_expanded_in_chunks_without_losing_any(sta, public):
    for n in range(105):
        location = {
            "name": f"Ort {n}",
            "description": "d",
            "encodingType": "application/geo+json",
            "location": {"type": "Point", "coordinates": [11.5 + n / 1000, 50.9]},
        }
        sta.made("Things", {"name": f"Baum {n:03d}", "description": "d", "Locations": [location]})
    body = get(
        public,
        "Things",
        **{
            "$top": "200",
            "$orderby": "name",
            "$select": "name",
            "$expand": "Locations($select=name),HistoricalLocations($count=true;$select=id)",
        },
    )
    assert len(body["value"]) == 105
    for n, thing in enumerate(body["value"]):
        assert thing["name"] == f"Baum {n:03d}"
        assert thing["Locations"] == [{"name": f"Ort {n}"}]
        assert thing["HistoricalLocations@iot.count"] == 1
        assert len(thing["HistoricalLocations"]) == 1
