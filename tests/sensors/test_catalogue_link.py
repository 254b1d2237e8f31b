"""Every Datastream is an open dataset of the catalogue (offered through a signal): made
when the Datastream is, changed with it, withdrawn when it is deleted."""

from django.conf import settings

from allmende.catalog.models import Dataset
from allmende.catalog.quality.shacl import validate_graph

from .conftest import THING


def test_a_datastream_becomes_a_conforming_dataset_and_follows_it(
    sta, public, organisation, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        thing = sta.made("Things", THING)
    stream = public.get(f"Things({thing})/Datastreams").json()["value"][0]["@iot.id"]
    url = f"{settings.SITE_URL}/sta/v1.1/Datastreams({stream})"
    dataset = Dataset.objects.get(iri=f"{url}#dataset")
    assert dataset.status == Dataset.Status.PUBLISHED
    assert dataset.title == "Bodenwasserspannung 30 cm"
    assert "Bodenwasserspannung" in dataset.keywords
    assert dataset.publisher == organisation  # the Thing's, i.e. the editor's
    access = sorted(d.access_url for d in dataset.distributions.all())
    assert access == [url, f"{url}/Observations"]
    report = validate_graph(dataset.graph)
    assert report.conforms, [v.message for v in report.violations]
    with django_capture_on_commit_callbacks(execute=True):
        sta.send("PATCH", f"Datastreams({stream})", {"name": "Saugspannung 30 cm"})
    dataset.refresh_from_db()
    assert dataset.title == "Saugspannung 30 cm"
    with django_capture_on_commit_callbacks(execute=True):
        sta.send("DELETE", f"Datastreams({stream})")
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.WITHDRAWN
