"""The sensor pages: the map with its GeoJSON and the table of latest values, the page of
a Datastream with its chart and the numbers beside it."""

import copy
import json

from .conftest import THING


def test_the_sensor_map_shows_places_and_latest_values(sta, public):
    thing = copy.deepcopy(THING)
    thing["name"] = 'Baum <script>alert("x")</script>'
    made = sta.made("Things", thing)
    stream = public.get(f"Things({made})/Datastreams").json()["value"][0]["@iot.id"]
    sta.made(
        f"Datastreams({stream})/Observations",
        {"result": 87.5, "phenomenonTime": "2026-06-01T10:00:00Z"},
    )
    page = public.client.get("/sensors/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<script>alert" not in html  # the name is escaped, in the table and the JSON
    places = json.loads(
        html.split('id="sensor-places" type="application/json">')[1].split("</script>")[0]
    )
    assert places["features"][0]["geometry"]["coordinates"] == [11.5849, 50.9241]
    assert f'href="/sensors/datastreams/{stream}/"' in html
    assert "87.5 hPa" in html
    assert 'aria-label="' in html and "vendor/leaflet/leaflet.js" in html


def test_a_datastream_page_draws_its_range_with_the_numbers(sta, public):
    made = sta.made("Things", THING)
    stream = public.get(f"Things({made})/Datastreams").json()["value"][0]["@iot.id"]
    rows = [[f"2026-06-0{1 + n // 24}T{n % 24:02d}:00:00Z", 50 + n] for n in range(48)]
    sta.post(
        "CreateObservations",
        [
            {
                "Datastream": {"@iot.id": stream},
                "components": ["phenomenonTime", "result"],
                "dataArray": rows,
            }
        ],
    )
    page = public.client.get(f"/sensors/datastreams/{stream}/", {"range": "day"})
    html = page.content.decode()
    assert page.status_code == 200
    assert '<svg class="chart" role="img"' in html and '<path d="M' in html
    assert html.count("<tr><td><time") == 24  # one row per hour of the last day
    assert "97 hPa" in html  # the latest value
    week = public.client.get(f"/sensors/datastreams/{stream}/", {"range": "nonsense"})
    assert week.status_code == 200 and 'value="week" selected' in week.content.decode()
    assert public.client.get("/sensors/datastreams/999999/").status_code == 404


def test_the_tree_watering_map_colours_the_areas(db, django_capture_on_commit_callbacks):
    from django.core.management import call_command
    from django.test import Client

    from allmende.sensors.models import DerivedRule

    call_command("sensors", "demo")
    rule = DerivedRule.objects.get()
    client = Client(headers={"Accept-Language": "en"})
    assert f'href="/sensors/areas/{rule.pk}/"' in client.get("/sensors/").content.decode()
    html = client.get(f"/sensors/areas/{rule.pk}/").content.decode()
    areas = json.loads(
        html.split('id="area-status" type="application/json">')[1].split("</script>")[0]
    )
    colours = {f["properties"]["colour"] for f in areas["features"]}
    assert "#6b7280" in colours and len(colours) >= 2  # grey for areas without sensors
    assert html.count('<th scope="row">') == 12 and "very dry: water now" in html
    assert Client().get("/sensors/areas/999/").status_code == 404
