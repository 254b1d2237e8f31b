"""FROST's Python client (``frost_sta_client``) against a live server: it creates a
Thing with a Location, a Sensor, an ObservedProperty and a Datastream with its own
classes, posts observations (one by one and as a dataArray), queries them back with its
query builder and follows ``@iot.nextLink``."""

import datetime as dt

import frost_sta_client as fsc
import pytest
import requests
from frost_sta_client.model.ext.data_array_document import DataArrayDocument
from frost_sta_client.model.ext.data_array_value import DataArrayValue
from frost_sta_client.model.ext.unitofmeasurement import UnitOfMeasurement
from frost_sta_client.service.auth_handler import AuthHandler
from geojson import Point

from allmende.core.services.tokens import create_api_token

# the client's own use of furl, not ours
pytestmark = pytest.mark.filterwarnings("ignore:furl.pathstr is deprecated:DeprecationWarning")


class _Bearer(requests.auth.AuthBase):
    def __init__(self, token: str):
        self.token = token

    def __call__(self, request: requests.PreparedRequest) -> requests.PreparedRequest:
        request.headers["Authorization"] = f"Bearer {self.token}"
        return request


class BearerAuth(AuthHandler):
    """The client asks its AuthHandler for a ``requests`` auth object on every request
    (basic auth by default); ours sends the API token."""

    def __init__(self, token: str):
        super().__init__()
        self.token = token

    def add_auth_header(self) -> requests.auth.AuthBase:
        return _Bearer(self.token)


@pytest.fixture
def service(live_server, transactional_db, editor) -> fsc.SensorThingsService:
    token = create_api_token(user=editor, name="frost")[1]
    return fsc.SensorThingsService(f"{live_server.url}/sta/v1.1", auth_handler=BearerAuth(token))


def _datastream(service: fsc.SensorThingsService) -> fsc.Datastream:
    location = fsc.Location(
        name="Paradiespark",
        description="Linde 17",
        encoding_type="application/geo+json",
        location=Point((11.5849, 50.9241)),
    )
    thing = fsc.Thing(
        name="Linde 17",
        description="Tensiometer an einer Linde",
        properties={"district": "Zentrum"},
        locations=[location],
    )
    service.create(thing)
    sensor = fsc.Sensor(
        name="Tensiometer",
        description="Watermark 200SS",
        encoding_type="text/html",
        metadata="https://example.org/watermark",
    )
    service.create(sensor)
    observed = fsc.ObservedProperty(
        name="Bodenwasserspannung",
        definition="https://example.org/soil-water-tension",
        description="Matrixpotential des Bodens",
    )
    service.create(observed)
    datastream = fsc.Datastream(
        name="Bodenwasserspannung 30 cm",
        description="Saugspannung in 30 cm Tiefe",
        observation_type="http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement",
        unit_of_measurement=UnitOfMeasurement(
            name="Hektopascal", symbol="hPa", definition="http://qudt.org/vocab/unit/HectoPA"
        ),
        thing=thing,
        sensor=sensor,
        observed_property=observed,
    )
    service.create(datastream)
    for entity in (thing, sensor, observed, datastream):
        assert isinstance(entity.id, int)
    return datastream


START = dt.datetime(2026, 6, 1, 10, 0, tzinfo=dt.UTC)


def test_creates_entities_posts_and_queries_observations(service):
    datastream = _datastream(service)

    found = service.things().find(datastream.thing.id)
    assert found.name == "Linde 17"
    assert found.properties == {"district": "Zentrum"}
    things = service.things().query().filter("name eq 'Linde 17'").expand("Locations").list()
    assert [t.name for t in things] == ["Linde 17"]
    location = things.get(0).locations.get(0)
    assert location.name == "Paradiespark"
    assert list(location.location["coordinates"]) == [11.5849, 50.9241]

    for minute in range(0, 30, 10):
        observation = fsc.Observation(
            result=20 + minute,
            phenomenon_time=START + dt.timedelta(minutes=minute),
            datastream=datastream,
        )
        service.create(observation)
        assert isinstance(observation.id, int)

    document = DataArrayDocument()
    rows = DataArrayValue()
    rows.datastream = datastream
    rows.components = {DataArrayValue.Property.PHENOMENON_TIME, DataArrayValue.Property.RESULT}
    for minute in range(30, 100, 10):
        rows.add_observation(
            fsc.Observation(
                result=20 + minute,
                phenomenon_time=START + dt.timedelta(minutes=minute),
                datastream=datastream,
            )
        )
    document.add_data_array_value(rows)
    created = service.observations().create(document)
    assert len(created) == 7
    assert all("/Observations(" in o.self_link for o in created)

    query = (
        datastream.get_observations()
        .query()
        .filter("result ge 40 and phenomenonTime lt 2026-06-01T11:30:00Z")
        .orderby("phenomenonTime", "desc")
        .top(3)
        .count()
        .expand("FeatureOfInterest")
    )
    page = query.list()
    assert page.count == 7  # 40 … 100 minutes' results below 11:30: 40, 50, …, 100 -> 7
    assert [o.result for o in page.entities] == [100, 90, 80]
    assert page.next_link is not None
    assert page.entities[0].feature_of_interest.name == "Paradiespark"
    # iterating follows @iot.nextLink through the other pages
    assert [o.result for o in page] == [100, 90, 80, 70, 60, 50, 40]

    everything = (
        service.observations()
        .query()
        .filter(f"Datastream/@iot.id eq {datastream.id}")
        .orderby("phenomenonTime", "asc")
        .list()
    )
    assert [o.result for o in everything] == list(range(20, 120, 10))
    first = everything.get(0)
    assert dt.datetime.fromisoformat(first.phenomenon_time) == START

    streams = service.datastreams().query().expand("Sensor,ObservedProperty,Thing").list()
    stream = streams.get(0)
    assert stream.unit_of_measurement.symbol == "hPa"
    assert stream.sensor.name == "Tensiometer"
    assert stream.observed_property.name == "Bodenwasserspannung"
    assert stream.thing.name == "Linde 17"


def test_changes_and_deletes(service):
    datastream = _datastream(service)
    thing = service.things().find(datastream.thing.id)
    thing.description = "Neu beschrieben"
    service.update(thing)
    assert service.things().find(thing.id).description == "Neu beschrieben"
    service.patch(thing, [{"op": "replace", "path": "/name", "value": "Linde 18"}])
    assert service.things().find(thing.id).name == "Linde 18"
    service.delete(thing)
    with pytest.raises(requests.exceptions.HTTPError) as caught:
        service.things().find(thing.id)
    assert caught.value.response.status_code == 404
    with pytest.raises(requests.exceptions.HTTPError) as caught:
        service.datastreams().find(datastream.id)
    assert caught.value.response.status_code == 404


def test_without_token_the_client_gets_401(live_server, transactional_db):
    anonymous = fsc.SensorThingsService(f"{live_server.url}/sta/v1.1")
    with pytest.raises(requests.exceptions.HTTPError) as caught:
        anonymous.create(fsc.Sensor(name="x", description="y", encoding_type="text/html"))
    assert caught.value.response.status_code == 401
    assert anonymous.things().query().list().entities == []
