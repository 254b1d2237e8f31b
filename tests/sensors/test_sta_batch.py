"""``POST /sta/v1.1/$batch`` (OData JSON batch): requests answered in order by the same
view, references to created entities, atomicity groups, dependencies, the size limit."""

import copy

from allmende.sensors.models import Datastream, Observation, Thing

from .conftest import BASE, THING


def batch(client, requests) -> dict:
    response = client.post("$batch", {"requests": requests})
    assert response.status_code == 200, response.content
    return {answer["id"]: answer for answer in response.json()["responses"]}


def _stream() -> dict:
    stream = copy.deepcopy(THING["Datastreams"][0])
    return stream


def test_creates_with_references_and_reads_back(sta):
    thing = {k: v for k, v in THING.items() if k != "Datastreams"}
    answers = batch(
        sta,
        [
            {"id": "t", "method": "post", "url": "Things", "body": thing},
            {"id": "d", "method": "post", "url": "$t/Datastreams", "body": _stream()},
            {
                "id": "o",
                "method": "post",
                "url": "/sta/v1.1/Observations",
                "body": {"Datastream": {"@iot.id": "$d"}, "result": 21.5},
            },
            {
                "id": "q",
                "method": "get",
                "url": f"{BASE}/Things?$expand=Datastreams($expand=Observations)&$count=true",
            },
            {"id": "v", "method": "get", "url": "$t/name/$value"},
            {"id": "p", "method": "patch", "url": "$t", "body": {"description": "neu"}},
        ],
    )
    assert list(answers) == ["t", "d", "o", "q", "v", "p"]
    assert [answers[i]["status"] for i in answers] == [201, 201, 201, 200, 200, 200]
    thing_id = answers["t"]["body"]["@iot.id"]
    assert answers["t"]["headers"]["location"] == f"{BASE}/Things({thing_id})"
    stream = Datastream.objects.get()
    assert stream.thing_id == thing_id
    assert answers["o"]["body"]["Datastream@iot.navigationLink"].endswith(
        f"Observations({answers['o']['body']['@iot.id']})/Datastream"
    )
    read = answers["q"]["body"]
    assert read["@iot.count"] == 1
    assert read["value"][0]["Datastreams"][0]["Observations"][0]["result"] == 21.5
    assert answers["v"]["body"] == THING["name"]
    assert Thing.objects.get().description == "neu"


def test_an_atomicity_group_is_all_or_nothing(sta):
    answers = batch(
        sta,
        [
            {"id": "1", "atomicityGroup": "g", "method": "post", "url": "Things", "body": THING},
            {
                "id": "2",
                "atomicityGroup": "g",
                "method": "post",
                "url": "$1/Datastreams",
                "body": {**_stream(), "colour": "blau"},
            },
            {"id": "3", "atomicityGroup": "g", "method": "get", "url": "Things"},
            {"id": "4", "dependsOn": ["g"], "method": "get", "url": "Things"},
            {"id": "5", "dependsOn": ["1"], "method": "get", "url": "Things"},
            {"id": "6", "method": "get", "url": "$1"},
            {
                "id": "7",
                "method": "post",
                "url": "Sensors",
                "body": THING["Datastreams"][0]["Sensor"],
            },
            {"id": "8", "atomicityGroup": "h", "method": "post", "url": "Things", "body": THING},
            {"id": "9", "atomicityGroup": "h", "method": "get", "url": "$8/Datastreams"},
        ],
    )
    assert answers["2"]["status"] == 400
    assert "colour" in answers["2"]["body"]["message"]
    assert answers["1"]["status"] == answers["3"]["status"] == 424
    assert answers["4"]["status"] == answers["5"]["status"] == 424
    assert answers["6"]["status"] == 400  # what group g made is gone
    assert answers["7"]["status"] == 201
    assert answers["8"]["status"] == 201 and answers["9"]["status"] == 200
    assert len(answers["9"]["body"]["value"]) == 1
    assert Thing.objects.count() == 1 and Datastream.objects.count() == 1


def test_each_request_needs_its_own_rights(public, sta):
    answers = batch(
        public,
        [
            {"id": "r", "method": "get", "url": "Things"},
            {"id": "w", "method": "post", "url": "Things", "body": THING},
        ],
    )
    assert answers["r"]["status"] == 200
    assert answers["w"]["status"] == 401
    assert not Thing.objects.exists()


def test_bad_batches(sta, public, settings):
    def refused(body, status=400) -> str:
        response = sta.post("$batch", body)
        assert response.status_code == status, response.content
        return response.json()["message"]

    assert "requests" in refused([])
    assert "id" in refused({"requests": [{"method": "get", "url": "Things"}]})
    same = {"id": "1", "method": "get", "url": "Things"}
    assert "twice" in refused({"requests": [same, same]})
    assert "method" in refused({"requests": [{"id": "1", "method": "head", "url": "Things"}]})
    assert "url" in refused({"requests": [{"id": "1", "method": "get"}]})
    forward = {"id": "1", "method": "get", "url": "Things", "dependsOn": ["2"]}
    assert "dependsOn" in refused({"requests": [forward, {**same, "id": "2"}]})
    scattered = [
        {**same, "id": "1", "atomicityGroup": "g"},
        {**same, "id": "2"},
        {**same, "id": "3", "atomicityGroup": "g"},
    ]
    assert "adjacent" in refused({"requests": scattered})
    settings.ALLMENDE_STA_MAX_BATCH = 2
    three = [{"id": str(i), "method": "post", "url": "Things", "body": THING} for i in range(3)]
    assert "at most 2" in refused({"requests": three}, 413)
    assert not Thing.objects.exists()
    assert public.get("$batch").status_code == 405
    settings.ALLMENDE_STA_MAX_BATCH = 3

    answers = batch(
        sta,
        [
            {"id": "1", "method": "get", "url": "/api/v1/datasets"},
            {"id": "2", "method": "post", "url": "$batch", "body": {"requests": []}},
            {"id": "3", "method": "get", "url": "$9/Datastreams"},
        ],
    )
    assert answers["1"]["status"] == 404
    assert answers["2"]["status"] == 400
    assert answers["3"]["status"] == 400 and "$9" in answers["3"]["body"]["message"]
    assert not Observation.objects.exists()
