"""SensorThings API: observations in bulk (dataArray) and MultiDatastreams."""

from allmende.sensors.models import Observation, ObservationHour

from .conftest import BASE, THING


def _stream(sta, public) -> int:
    thing = sta.made("Things", THING)
    return public.get(f"Things({thing})/Datastreams").json()["value"][0]["@iot.id"]


def test_create_observations_stores_good_rows_and_names_bad_ones(sta, public):
    stream = _stream(sta, public)
    feature = sta.made(
        "FeaturesOfInterest",
        {
            "name": "Beet",
            "description": "Beet am Teich",
            "encodingType": "application/geo+json",
            "feature": {"type": "Point", "coordinates": [11.58, 50.92]},
        },
    )
    body = [
        {
            "Datastream": {"@iot.id": stream},
            "components": ["phenomenonTime", "result", "FeatureOfInterest/id"],
            "dataArray@iot.count": 4,
            "dataArray": [
                ["2026-06-01T10:00:00Z", 20, feature],
                ["2026-06-01T10:10:00-0100", 21.5, feature],
                ["gestern", 22, feature],  # no time
                ["2026-06-01T10:30:00Z", 23, 999999],  # no such feature
            ],
        }
    ]
    response = sta.post("CreateObservations", body)
    assert response.status_code == 201, response.content
    answers = response.json()
    assert answers[2:] == ["error", "error"]
    assert all(a.startswith(f"{BASE}/Observations(") for a in answers[:2])
    stored = public.get(f"Datastreams({stream})/Observations", **{"$count": "true"}).json()
    assert stored["@iot.count"] == 2
    assert [o["result"] for o in stored["value"]] == [20, 21.5]
    assert stored["value"][1]["phenomenonTime"] == "2026-06-01T11:10:00Z"
    (hour_10, hour_11) = ObservationHour.objects.filter(datastream_id=stream).order_by("hour")
    assert (hour_10.count, hour_11.count, hour_11.total) == (1, 1, 21.5)


def test_rows_without_a_feature_get_the_locations_one(sta, public):
    stream = _stream(sta, public)
    body = [
        {
            "Datastream": {"@iot.id": stream},
            "components": ["result", "phenomenonTime"],
            "dataArray": [[n, f"2026-06-02T0{n}:00:00Z"] for n in range(5)],
        }
    ]
    answers = sta.post("CreateObservations", body).json()
    assert len(answers) == 5 and "error" not in answers
    assert Observation.objects.values("feature").distinct().count() == 1
    latest = public.get(f"Datastreams({stream})").json()
    assert latest["phenomenonTime"] == "2026-06-02T00:00:00Z/2026-06-02T04:00:00Z"


def test_bad_groups_are_refused_as_a_whole(sta, public, settings):
    stream = _stream(sta, public)
    bad_components = [
        {"Datastream": {"@iot.id": stream}, "components": ["colour"], "dataArray": []}
    ]
    assert sta.post("CreateObservations", bad_components).status_code == 400
    settings.ALLMENDE_STA_MAX_OBSERVATIONS = 3
    many = [
        {
            "Datastream": {"@iot.id": stream},
            "components": ["result"],
            "dataArray": [[n] for n in range(4)],
        }
    ]
    response = sta.post("CreateObservations", many)
    assert response.status_code == 413 and "at most 3" in response.json()["message"]
    assert not Observation.objects.exists()


def test_a_multi_datastream_takes_one_value_per_observed_property(sta, public):
    thing = sta.made("Things", THING)
    multi = sta.made(
        "MultiDatastreams",
        {
            "name": "Wetter",
            "description": "Temperatur und Feuchte",
            "observationType": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_ComplexObservation",
            "multiObservationDataTypes": [
                "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"
            ]
            * 2,
            "unitOfMeasurements": [
                {"name": "Grad Celsius", "symbol": "°C", "definition": "ucum:Cel"},
                {"name": "Prozent", "symbol": "%", "definition": "ucum:%"},
            ],
            "Thing": {"@iot.id": thing},
            "Sensor": {
                "name": "BME280",
                "description": "d",
                "encodingType": "text/plain",
                "metadata": "m",
            },
            "ObservedProperties": [
                {"name": "Temperatur", "definition": "t", "description": "Lufttemperatur"},
                {"name": "Feuchte", "definition": "h", "description": "relative Luftfeuchte"},
            ],
        },
    )
    sensor = public.get(f"MultiDatastreams({multi})/Sensor").json()["@iot.id"]
    names = [
        p["name"]
        for p in public.get(f"MultiDatastreams({multi})/ObservedProperties").json()["value"]
    ]
    assert sorted(names) == ["Feuchte", "Temperatur"]
    made = sta.post(f"MultiDatastreams({multi})/Observations", {"result": [18.5, 61]})
    assert made.status_code == 201 and made.json()["result"] == [18.5, 61]
    wrong = sta.post(f"MultiDatastreams({multi})/Observations", {"result": [18.5]})
    assert wrong.status_code == 400 and "2 values" in wrong.json()["message"]
    mismatch = sta.post(
        "MultiDatastreams",
        {
            "name": "x",
            "description": "y",
            "observationType": "o",
            "multiObservationDataTypes": ["a"],
            "unitOfMeasurements": [{}, {}],
            "Thing": {"@iot.id": thing},
            "Sensor": {"@iot.id": sensor},
            "ObservedProperties": [{"name": "z", "definition": "z", "description": "z"}],
        },
    )
    assert mismatch.status_code == 400 and "as many" in mismatch.json()["message"]


def test_a_data_array_of_a_million_rows_is_refused_whole(sta, public):
    stream = _stream(sta, public)
    rows = ",".join(f'["2026-06-01T10:00:00Z",{n}]' for n in range(1_000_000))
    body = (
        f'[{{"Datastream": {{"@iot.id": {stream}}}, "components": ["phenomenonTime", "result"],'
        f' "dataArray": [{rows}]}}]'
    ).encode()
    response = sta.send("POST", "CreateObservations", raw=body)
    assert response.status_code == 413 and response.json()["type"] == "error"
    assert not Observation.objects.exists()
    assert public.get("").status_code == 200  # and the server goes on
