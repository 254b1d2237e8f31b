"""The sensor demo from Jena's real sites: loads once, colours the tree-watering areas,
and every Datastream is in the catalogue."""

import datetime as dt

from django.core.management import call_command

from allmende.catalog.models import Dataset
from allmende.sensors.models import Datastream, DerivedRule, Thing
from allmende.sensors.services.derived import area_status


def test_the_demo_loads_once_with_coloured_areas(db, django_capture_on_commit_callbacks, capsys):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("sensors", "demo")
    assert Thing.objects.filter(properties__demo=True).count() == 61  # 51 sites, 10 car parks
    areas = area_status(DerivedRule.objects.get())["features"]
    assert len(areas) == 12
    assert sum(a["properties"]["sensors"] for a in areas) >= 20
    assert {a["properties"]["class"] for a in areas} - {None} <= {"blue", "green", "yellow", "red"}
    streams = Datastream.objects.count()
    assert Dataset.objects.filter(iri__contains="/sta/v1.1/Datastreams(").count() == streams
    seidel = Datastream.objects.get(name="Parken Seidelparkplatz: belegte Stellplätze")
    assert seidel.latest_start == dt.datetime(2023, 12, 31, 15, 5, 45, 504000, tzinfo=dt.UTC)
    call_command("sensors", "demo")
    assert Datastream.objects.count() == streams
    assert "0" in capsys.readouterr().out.splitlines()[-1]
