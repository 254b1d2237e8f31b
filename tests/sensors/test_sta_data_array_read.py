"""Reading Observations with ``$resultFormat=dataArray``: grouped per (Multi)Datastream,
components from ``$select``, with the query options, counts and next links."""

from urllib.parse import parse_qs, urlsplit

from .conftest import BASE, weather


def get(public, path: str, **params: str) -> dict:
    response = public.get(path, **{"$resultFormat": "dataArray", **params})
    assert response.status_code == 200, response.content
    return response.json()


def test_one_datastream_with_the_default_components(public, city):
    stream = city["Bodenfeuchte"]
    body = get(public, f"Datastreams({stream})/Observations", **{"$orderby": "phenomenonTime"})
    assert body == {
        "value": [
            {
                "Datastream@iot.navigationLink": f"{BASE}/Datastreams({stream})",
                "components": ["id", "phenomenonTime", "resultTime", "result"],
                "dataArray@iot.count": 4,
                "dataArray": [
                    [
                        city["Bodenfeuchte@2025-12-31T23:59:59Z=-4"],
                        "2025-12-31T23:59:59Z",
                        None,
                        -4,
                    ],
                    [
                        city["Bodenfeuchte@2026-06-01T10:00:00Z=10"],
                        "2026-06-01T10:00:00Z",
                        None,
                        10,
                    ],
                    [
                        city["Bodenfeuchte@2026-06-01T11:30:15.250Z=20.5"],
                        "2026-06-01T11:30:15.250Z",
                        None,
                        20.5,
                    ],
                    [
                        city["Bodenfeuchte@2026-06-02T00:00:00Z=30"],
                        "2026-06-02T00:00:00Z",
                        None,
                        30,
                    ],
                ],
            }
        ]
    }


def test_groups_per_datastream_with_selected_components_filter_and_count(public, city):
    body = get(
        public,
        "Observations",
        **{
            "$select": "result,phenomenonTime,parameters,FeatureOfInterest/id,validTime",
            "$filter": "phenomenonTime ge 2026-06-01T00:00:00Z and "
            "phenomenonTime lt 2026-06-01T09:30:00Z",
            "$orderby": "phenomenonTime",
            "$count": "true",
        },
    )
    assert body["@iot.count"] == 6
    groups = {g.get("Datastream@iot.navigationLink"): g for g in body["value"]}
    linde = groups[f"{BASE}/Datastreams({city['Temperatur Linde']})"]
    assert linde["components"] == [
        "result",
        "phenomenonTime",
        "parameters",
        "FeatureOfInterest/id",
        "validTime",
    ]
    rows = linde["dataArray"]
    assert [r[:3] for r in rows] == [
        [{"value": 7, "ok": True}, "2026-06-01T00:00:00Z/2026-06-01T06:00:00Z", None],
        ["warm", "2026-06-01T09:00:00Z", None],
        ["kalt", "2026-06-01T09:10:00Z", None],
        [True, "2026-06-01T09:20:00Z", None],
    ]
    assert all(isinstance(r[3], int) and r[4] is None for r in rows)
    assert linde["dataArray@iot.count"] == 4
    markt = groups[f"{BASE}/Datastreams({city['Temperatur Markt']})"]
    feature = markt["dataArray"][0][3]
    assert markt["dataArray"] == [
        [17.25, "2026-06-01T08:00:00Z", None, feature, None],
        [18.5, "2026-06-01T09:00:00Z", None, feature, None],
    ]


def test_pages_follow_next_links_and_keep_the_format(public, city):
    seen = []
    params = {"$top": "5", "$select": "id", "$count": "true"}
    path = "Observations"
    while True:
        body = get(public, path, **params)
        assert body["@iot.count"] == 12
        for group in body["value"]:
            assert group["components"] == ["id"]
            seen.extend(row[0] for row in group["dataArray"])
        if "@iot.nextLink" not in body:
            break
        link = urlsplit(body["@iot.nextLink"])
        assert link.path == "/sta/v1.1/Observations"
        params = {k: v[0] for k, v in parse_qs(link.query).items()}
        assert params["$resultFormat"] == "dataArray"
    assert len(seen) == 12 == len(set(seen))
    assert seen == sorted(seen)


def test_multi_datastream_observations(sta, public, city):
    multi = sta.made("MultiDatastreams", weather(city))
    sta.made(
        f"MultiDatastreams({multi})/Observations",
        {"phenomenonTime": "2026-06-01T10:00:00Z", "result": [18.5, 61]},
    )
    body = get(public, f"MultiDatastreams({multi})/Observations", **{"$select": "result"})
    assert body == {
        "value": [
            {
                "MultiDatastream@iot.navigationLink": f"{BASE}/MultiDatastreams({multi})",
                "components": ["result"],
                "dataArray@iot.count": 1,
                "dataArray": [[[18.5, 61]]],
            }
        ]
    }


def test_what_a_data_array_cannot_be(public, city):
    def error(path: str, **params: str) -> str:
        response = public.get(path, **{"$resultFormat": "dataArray", **params})
        assert response.status_code == 400, response.content
        return response.json()["message"]

    stream = city["Bodenfeuchte"]
    assert "collections of Observations" in error("Datastreams")
    assert "collections of Observations" in error(
        f"Observations({city['Temperatur Markt@2026-06-01T08:00:00Z=17.25']})"
    )
    assert "collections of Observations" in error("Observations/$ref")
    assert "$expand" in error("Observations", **{"$expand": "Datastream"})
    assert "Datastream is no component" in error("Observations", **{"$select": "Datastream"})
    assert "no component" in error(f"Datastreams({stream})/Observations", **{"$select": "name"})
