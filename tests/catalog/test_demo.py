"""The demo content: Jena's publishers, ~70 demo datasets, real files, idempotent loading."""

import io

import pytest
from django.core.management import call_command

from allmende.catalog.models import Catalog, Dataset, Distribution
from allmende.core.models import AuditEntry, Organisation

pytestmark = pytest.mark.usefixtures("english")  # messages are matched in English


@pytest.fixture
def loaded(db):
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    return out.getvalue()


def test_demo_has_jena_publishers_datasets_and_files(loaded, settings):
    assert "Demo content loaded" in loaded
    slugs = set(Organisation.objects.values_list("slug", flat=True))
    assert {"stadt-jena", "kommunal-service-jena", "stadtwerke-jena"} <= slugs
    assert Dataset.objects.filter(is_demo=True).count() == 70
    catalog = Catalog.get_local()
    assert catalog.publisher.slug == "stadt-jena" and catalog.title == "Offene Daten Jena"
    parking = Dataset.objects.get(name="parken")
    assert not parking.is_demo and parking.status == Dataset.Status.PUBLISHED
    geojson = parking.distributions.get(format__endswith="GEOJSON")
    assert (settings.MEDIA_ROOT / geojson.file.name).read_bytes().startswith(b"{")
    assert Distribution.objects.exclude(file="").count() >= 100
    vornamen = Dataset.objects.get(name="vornamen")
    assert vornamen.title_en == "First names" and vornamen.formats == ["CSV", "JSON"]


def test_real_records_are_drafts_unless_they_conform(loaded):
    ortsteile = Dataset.objects.get(name="ortsteile-der-stadt-jena")
    assert ortsteile.status == Dataset.Status.DRAFT  # eurovoc themes etc. (see its report)
    assert "draft: ortsteile-der-stadt-jena" in loaded
    assert Dataset.objects.get(name="haushaltsplan-2022").status == Dataset.Status.PUBLISHED


def test_loading_twice_writes_nothing(loaded):
    stamps = dict(Dataset.objects.values_list("pk", "updated"))
    audit = AuditEntry.objects.count()
    out = io.StringIO()
    call_command("demo", "load", stdout=out)
    assert "nothing written" in out.getvalue()
    assert dict(Dataset.objects.values_list("pk", "updated")) == stamps
    assert AuditEntry.objects.count() == audit
