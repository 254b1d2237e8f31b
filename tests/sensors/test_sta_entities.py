"""SensorThings API, black box over HTTP: entities, deep insert, paths, writes, errors."""

import copy
import json

from allmende.sensors.models import HistoricalLocation, Observation, ObservationHour

from .conftest import BASE, THING


def test_the_landing_page_lists_every_entity_set_and_the_conformance(public):
    body = public.get("").json()
    names = {entry["name"] for entry in body["value"]}
    assert names == {
        "Things",
        "Locations",
        "HistoricalLocations",
        "Datastreams",
        "MultiDatastreams",
        "Sensors",
        "ObservedProperties",
        "Observations",
        "FeaturesOfInterest",
    }
    assert f"{BASE}/Things" in {entry["url"] for entry in body["value"]}
    req = "http://www.opengis.net/spec/iot_sensing/1.1/req"
    assert body["serverSettings"] == {
        "conformance": [
            f"{req}/datamodel",
            f"{req}/resource-path/resource-path-to-entities",
            f"{req}/request-data",
            f"{req}/create-update-delete",
            f"{req}/batch-request/batch-request",
            f"{req}/data-array/data-array",
        ]
    }


def test_with_mqtt_the_landing_page_names_the_broker(public, settings):
    req = "http://www.opengis.net/spec/iot_sensing/1.1/req"
    creation = f"{req}/create-observations-via-mqtt/observations-creation"
    settings.ALLMENDE_MQTT_URL = "mqtt://worker:geheim@127.0.0.1:1884"
    body = public.get("").json()["serverSettings"]
    assert body["conformance"][-2:] == [creation, f"{req}/receive-updates-via-mqtt/receive-updates"]
    assert body[creation] == {"endpoints": ["mqtt://testserver:1884"]}
    settings.ALLMENDE_MQTT_URL = "mqtts://broker.jena.de"
    settings.ALLMENDE_MQTT_PUBLISH = False
    body = public.get("").json()["serverSettings"]
    assert body["conformance"][-1] == creation
    assert body[creation] == {"endpoints": ["mqtts://broker.jena.de:8883"]}


def test_deep_insert_creates_everything_with_links_and_history(sta, public):
    response = sta.post("Things", THING)
    assert response.status_code == 201, response.content
    thing = response.json()
    assert response["Location"] == f"{BASE}/Things({thing['@iot.id']})"
    assert thing["name"] == THING["name"]
    assert thing["properties"] == {"district": "Zentrum"}
    assert thing["Datastreams@iot.navigationLink"].endswith(
        f"Things({thing['@iot.id']})/Datastreams"
    )
    datastreams = public.get(f"Things({thing['@iot.id']})/Datastreams").json()["value"]
    assert [d["unitOfMeasurement"]["symbol"] for d in datastreams] == ["hPa"]
    sensor = public.get(f"Datastreams({datastreams[0]['@iot.id']})/Sensor").json()
    assert sensor["metadata"] == "https://example.org/watermark"
    location = public.get(f"Things({thing['@iot.id']})/Locations").json()["value"][0]
    assert location["location"]["coordinates"] == [11.5849, 50.9241]
    history = public.get(f"Things({thing['@iot.id']})/HistoricalLocations").json()["value"]
    assert len(history) == 1 and history[0]["time"].endswith("Z")
    assert (
        public.get(f"HistoricalLocations({history[0]['@iot.id']})/Locations").json()["value"][0][
            "@iot.id"
        ]
        == location["@iot.id"]
    )


def test_a_failing_deep_insert_writes_nothing(sta, public):
    broken = copy.deepcopy(THING)
    del broken["Datastreams"][0]["ObservedProperty"]["definition"]
    response = sta.post("Things", broken)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == 400 and body["type"] == "error"
    assert "definition" in body["message"]
    for name in ("Things", "Locations", "Sensors", "Datastreams", "HistoricalLocations"):
        assert public.get(name).json()["value"] == [], name


def test_observations_get_a_feature_from_the_location_and_keep_their_series_up(sta, public):
    thing = sta.made("Things", THING)
    stream = public.get(f"Things({thing})/Datastreams").json()["value"][0]["@iot.id"]
    first = sta.made(
        f"Datastreams({stream})/Observations",
        {"phenomenonTime": "2026-06-01T10:15:00Z", "result": 120},
    )
    second = sta.made(
        "Observations",
        {
            "phenomenonTime": "2026-06-01T10:45:00+02:00",
            "result": 80.5,
            "Datastream": {"@iot.id": stream},
        },
    )
    feature_1 = public.get(f"Observations({first})/FeatureOfInterest").json()
    feature_2 = public.get(f"Observations({second})/FeatureOfInterest").json()
    assert feature_1["@iot.id"] == feature_2["@iot.id"]  # made once per location
    assert feature_1["feature"] == {"type": "Point", "coordinates": [11.5849, 50.9241]}
    observation = public.get(f"Observations({first})").json()
    assert observation["result"] == 120 and isinstance(observation["result"], int)
    assert observation["phenomenonTime"] == "2026-06-01T10:15:00Z"
    datastream = public.get(f"Datastreams({stream})").json()
    assert datastream["phenomenonTime"] == "2026-06-01T08:45:00Z/2026-06-01T10:15:00Z"
    hours = ObservationHour.objects.filter(datastream_id=stream).order_by("hour")
    assert [(h.count, h.total, h.minimum, h.maximum) for h in hours] == [
        (1, 80.5, 80.5, 80.5),
        (1, 120.0, 120.0, 120.0),
    ]


def test_paths_properties_value_and_ref(sta, public):
    thing = sta.made("Things", THING)
    assert public.get(f"Things({thing})/name").json() == {"name": THING["name"]}
    value = public.get(f"Things({thing})/name/$value")
    assert value.content.decode() == THING["name"] and value["Content-Type"].startswith(
        "text/plain"
    )
    refs = public.get(f"Things({thing})/Datastreams/$ref").json()["value"]
    assert list(refs[0]) == ["@iot.selfLink"]
    assert public.get(f"Things({thing})/$ref").json() == {
        "@iot.selfLink": f"{BASE}/Things({thing})"
    }
    assert public.get("Things(999)").status_code == 404
    assert public.get("Things(999)/Datastreams").status_code == 404
    assert public.get("Gadgets").status_code == 404
    assert public.get(f"Things({thing})/colour").status_code == 404
    assert public.get("Things(x)").status_code == 400


def test_paging_with_top_skip_count_and_next_link(sta, public):
    for n in range(5):
        sta.made(
            "Sensors",
            {"name": f"S{n}", "description": "d", "encodingType": "text/plain", "metadata": "m"},
        )
    page = public.get("Sensors", **{"$top": "2", "$count": "true"}).json()
    assert page["@iot.count"] == 5 and [s["name"] for s in page["value"]] == ["S0", "S1"]
    assert "%24skip=2" in page["@iot.nextLink"]
    last = public.get("Sensors", **{"$top": "2", "$skip": "4"}).json()
    assert [s["name"] for s in last["value"]] == ["S4"] and "@iot.nextLink" not in last


def test_patch_put_and_delete_with_cascades(sta, public):
    thing = sta.made("Things", THING)
    stream = public.get(f"Things({thing})/Datastreams").json()["value"][0]["@iot.id"]
    sta.made(f"Datastreams({stream})/Observations", {"result": 3})
    patched = sta.send("PATCH", f"Things({thing})", {"description": "neu"})
    assert patched.status_code == 200 and patched.json()["description"] == "neu"
    assert patched.json()["name"] == THING["name"]
    put = sta.send("PUT", f"Things({thing})", {"name": "Baum 17", "description": "ganz neu"})
    assert put.status_code == 200 and "properties" not in put.json()
    assert sta.send("PUT", f"Things({thing})", {"name": "ohne Beschreibung"}).status_code == 400
    assert sta.send("DELETE", f"Things({thing})").status_code == 200
    assert public.get(f"Things({thing})").status_code == 404
    assert public.get(f"Datastreams({stream})").status_code == 404
    assert not Observation.objects.exists()
    assert not HistoricalLocation.objects.exists()
    assert public.get("Sensors").json()["value"]  # sensors stay


def test_writes_need_a_token_and_a_role(public, sta, outsider):
    from django.test import Client

    from allmende.core.services.tokens import create_api_token

    refused = public.post("Things", THING)
    assert refused.status_code == 401 and refused.json()["type"] == "error"
    thing = sta.made("Things", THING)
    token = create_api_token(user=outsider, name="x")[1]
    stranger = Client(headers={"Authorization": f"Bearer {token}"})
    response = stranger.generic(
        "PATCH", f"/sta/v1.1/Things({thing})", '{"name": "x"}', content_type="application/json"
    )
    assert response.status_code == 403


def test_bad_bodies_get_clear_errors(sta):
    assert sta.send("POST", "Things", raw=b"{not json").status_code == 400
    unknown = sta.post("Things", {"name": "a", "description": "b", "colour": "red"})
    assert unknown.status_code == 400 and "colour" in unknown.json()["message"]
    no_series = sta.post("Observations", {"result": 1})
    assert no_series.status_code == 400 and "Datastream" in no_series.json()["message"]
    bad_time = sta.post(
        "Things",
        {
            "name": "a",
            "description": "b",
            "Locations": [
                {
                    "name": "x",
                    "description": "y",
                    "encodingType": "application/geo+json",
                    "location": {"type": "Point", "coordinates": ["a", 1]},
                }
            ],
        },
    )
    assert bad_time.status_code == 400 and "position" in bad_time.json()["message"]


def test_errors_speak_german_by_default(sta_token):
    from django.test import Client

    german = Client(headers={"Authorization": f"Bearer {sta_token}"})
    response = german.post(
        "/sta/v1.1/Things", '{"name": "a", "description": "b", "Farbe": 1}', "application/json"
    )
    assert response.status_code == 400
    assert response.json()["message"] == "Thing hat keine Eigenschaft Farbe"


def test_json_patch(sta, public):
    thing = sta.made("Things", THING)

    def patch(operations):
        return sta.client.generic(
            "PATCH",
            f"/sta/v1.1/Things({thing})",
            json.dumps(operations),
            content_type="application/json-patch+json",
        )

    done = patch(
        [
            {"op": "test", "path": "/properties/district", "value": "Zentrum"},
            {"op": "add", "path": "/properties/height", "value": 12},
            {"op": "move", "from": "/properties/district", "path": "/properties/area"},
            {"op": "replace", "path": "/name", "value": "Linde ~/ 18"},
        ]
    )
    assert done.status_code == 200, done.content
    shown = public.get(f"Things({thing})").json()
    assert shown["properties"] == {"height": 12, "area": "Zentrum"}
    assert shown["name"] == "Linde ~/ 18"
    failed = patch([{"op": "test", "path": "/name", "value": "anders"}])
    assert failed.status_code == 409
    assert patch([{"op": "add", "path": "/Datastreams", "value": []}]).status_code == 400
    assert patch([{"op": "remove", "path": "/properties/nothing"}]).status_code == 400
    assert patch({"op": "add"}).status_code == 400
    assert patch([{"op": "jump", "path": "/name"}]).status_code == 400
    assert patch([{"op": "replace", "path": "name", "value": "x"}]).status_code == 400
    assert public.get(f"Things({thing})").json()["name"] == "Linde ~/ 18"
