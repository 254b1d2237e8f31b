"""Catalog services: rules, atomic writes, audit entries and signals after commit."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from pyoxigraph import RdfFormat

from allmende.catalog.dcat.project import DistributionFields
from allmende.catalog.models import Dataset, DatasetFacet, Distribution
from allmende.catalog.services.datasets import (
    PermissionDenied,
    add_distribution,
    create_dataset,
    delete_dataset,
    delete_distribution,
    publish_dataset,
    unpublish_dataset,
    update_dataset,
)
from allmende.catalog.services.graphs import DatasetError
from allmende.catalog.services.importing import import_rdf
from allmende.catalog.signals import dataset_changed, dataset_deleted, dataset_published
from allmende.core.models import AuditEntry

from ..conftest import DATA, make_fields

pytestmark = pytest.mark.usefixtures("english")  # messages are matched in English


@pytest.fixture
def received():
    caught: list[tuple[str, dict]] = []

    def make(name):
        def handler(sender, **kwargs):
            caught.append((name, kwargs))

        return handler

    handlers = {
        s: make(n)
        for s, n in [
            (dataset_changed, "changed"),
            (dataset_published, "published"),
            (dataset_deleted, "deleted"),
        ]
    }
    for signal, handler in handlers.items():
        signal.connect(handler)
    yield caught
    for signal, handler in handlers.items():
        signal.disconnect(handler)


def test_create_publish_and_signals_after_commit(
    organisation, editor, received, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        dataset = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
        assert received == []  # nothing is sent before the commit
    assert dataset.status == Dataset.Status.DRAFT
    assert dataset.name == "baumkataster"
    assert dataset.iri == "http://testserver/dataset/baumkataster"
    with django_capture_on_commit_callbacks(execute=True):
        publish_dataset(dataset, by=editor)
    assert [name for name, _ in received] == ["changed", "published"]
    facets = set(DatasetFacet.objects.values_list("facet", "value"))
    assert {("theme", "ENVI"), ("publisher", "stadt-jena"), ("keyword", "Bäume")} <= facets
    actions = AuditEntry.objects.filter(object_id=str(dataset.pk)).values_list("action", flat=True)
    assert set(actions) >= {"catalog.dataset.created", "catalog.dataset.published"}


def test_names_are_unique(organisation, editor):
    first = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    second = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    assert (first.name, second.name) == ("baumkataster", "baumkataster-2")


@pytest.mark.parametrize("missing", ["title", "description"])
def test_mandatory_fields(organisation, editor, missing):
    with pytest.raises(DatasetError, match=missing):
        create_dataset(publisher=organisation, fields=make_fields(**{missing: " "}), by=editor)
    assert not Dataset.objects.exists()


def test_only_editors_of_the_publisher_write(organisation, other_organisation, editor, member):
    with pytest.raises(PermissionDenied):
        create_dataset(publisher=organisation, fields=make_fields(), by=member)
    with pytest.raises(PermissionDenied):
        create_dataset(publisher=other_organisation, fields=make_fields(), by=editor)
    assert not Dataset.objects.exists()
    dataset = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    for action in (publish_dataset, unpublish_dataset, delete_dataset):
        with pytest.raises(PermissionDenied):
            action(dataset, by=member)
    assert Dataset.objects.filter(pk=dataset.pk, status=Dataset.Status.DRAFT).exists()


def test_invalid_url_is_a_clear_error(organisation, editor):
    with pytest.raises(DatasetError, match="landing page"):
        create_dataset(
            publisher=organisation, fields=make_fields(landing_page="not a url"), by=editor
        )
    assert not Dataset.objects.exists()


def test_editing_an_imported_record_keeps_what_the_form_does_not_own(organisation, editor):
    path = DATA / "dcat" / "dcat-ap-de-3.0-example-Dataset-und-Distribution.ttl"
    import_rdf(path.read_bytes(), fmt=RdfFormat.TURTLE, publisher=organisation)
    dataset = Dataset.objects.get()
    before = dataset.graph
    update_dataset(dataset, fields=make_fields(title="Haushaltsplan 2021"), by=editor)
    dataset.refresh_from_db()
    assert dataset.title == "Haushaltsplan 2021"
    assert "applicableLegislation" in dataset.graph and "applicableLegislation" in before
    assert "spdx.org/rdf/terms#checksum" in dataset.graph
    assert dataset.distributions.count() == 2


def test_upload_stores_the_file_and_delete_removes_it(
    dataset, editor, settings, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("baeume.csv", b"art;jahr\nLinde;1990\n", content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        dist = add_distribution(
            dataset, fields=DistributionFields(iri=""), by=editor, upload=upload
        )
    assert dist.file and dist.byte_size == 20
    assert dist.download_url.startswith("http://testserver/media/distributions/")
    path = settings.MEDIA_ROOT / dist.file.name
    assert path.read_bytes().startswith(b"art;jahr")
    assert f"<{dist.download_url}>" in Dataset.objects.get(pk=dataset.pk).graph
    with django_capture_on_commit_callbacks(execute=True):
        delete_distribution(dist, by=editor)
    assert not path.exists()
    assert not Distribution.objects.filter(pk=dist.pk).exists()


def test_upload_over_the_limit_writes_nothing(dataset, editor, settings):
    settings.ALLMENDE_MAX_UPLOAD_BYTES = 10
    upload = SimpleUploadedFile("big.csv", b"a" * 11, content_type="text/csv")
    count = Distribution.objects.count()
    with pytest.raises(DatasetError, match="limit of 10"):
        add_distribution(dataset, fields=DistributionFields(iri=""), by=editor, upload=upload)
    assert Distribution.objects.count() == count
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_delete_sends_its_signal(dataset, editor, received, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        delete_dataset(dataset, by=editor)
    assert received[-1][0] == "deleted" and received[-1][1]["iri"] == dataset.iri
    assert not Dataset.objects.exists()


def test_a_refused_upload_leaves_no_file(dataset, editor, settings):
    upload = SimpleUploadedFile("a.csv", b"x;y\n", content_type="text/csv")
    fields = DistributionFields(iri="", format="not an iri")
    with pytest.raises(DatasetError, match="format"):
        add_distribution(dataset, fields=fields, by=editor, upload=upload)
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    assert dataset.distributions.count() == 1
