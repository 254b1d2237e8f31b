"""The web UI as people use it: lists, filters, dataset pages, previews and editor forms."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from allmende.catalog.dcat.project import DistributionFields
from allmende.catalog.models import Dataset, Distribution
from allmende.catalog.services.datasets import add_distribution, create_dataset
from allmende.core.models import AuditEntry

from ..conftest import make_fields

LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"


def _form(**overrides) -> dict:
    data = {
        "publisher": "",
        "title": "Straßenbäume",
        "title_en": "Street trees",
        "description": "Alle Straßenbäume mit Art und Pflanzjahr.",
        "keywords": "Bäume, Umwelt",
        "themes": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
        "license": LICENCE,
        "political_geocoding": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000",
    }
    data.update(overrides)
    return data


def test_public_pages_render(dataset, client):
    for url in ["/", "/datasets/", "/organisation/", "/organisation/stadt-jena", "/developers/"]:
        assert client.get(url).status_code == 200, url
    page = client.get(dataset.get_absolute_url())
    assert page.status_code == 200
    assert dataset.title in page.content.decode()
    assert f"/dataset/{dataset.name}.ttl" in page.content.decode()


def test_list_search_and_facets(dataset, organisation, editor, client, committed):
    other = committed(
        create_dataset,
        publisher=organisation,
        fields=make_fields(title="Parkhäuser", description="Belegung", keywords=["Parken"]),
        by=editor,
    )
    from allmende.catalog.services.datasets import publish_dataset

    committed(publish_dataset, other, by=editor)
    found = client.get("/datasets/", {"q": "Baumkataster"}).content.decode()
    assert dataset.get_absolute_url() in found and other.get_absolute_url() not in found
    by_keyword = client.get("/datasets/", {"keyword": "Parken"}).content.decode()
    assert other.get_absolute_url() in by_keyword and dataset.get_absolute_url() not in by_keyword
    assert client.get("/datasets/", {"page": "999", "sort": "nonsense"}).status_code == 200


def test_drafts_are_hidden_from_the_public(organisation, editor, client, editor_client):
    draft = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    assert client.get(draft.get_absolute_url()).status_code == 404
    assert draft.get_absolute_url() not in client.get("/datasets/").content.decode()
    assert editor_client.get(draft.get_absolute_url()).status_code == 200


def test_editor_creates_publishes_unpublishes_and_deletes(organisation, editor_client):
    response = editor_client.post("/datasets/new/", _form(publisher=organisation.pk))
    assert response.status_code == 302
    dataset = Dataset.objects.get(title="Straßenbäume")
    assert dataset.status == Dataset.Status.DRAFT and dataset.keywords == ["Bäume", "Umwelt"]
    assert editor_client.post(f"/dataset/{dataset.name}/publish/").status_code == 302
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.PUBLISHED
    assert Client().get(dataset.get_absolute_url()).status_code == 200
    edited = _form(publisher=organisation.pk, title="Straßenbäume in Jena")
    assert editor_client.post(f"/dataset/{dataset.name}/edit/", edited).status_code == 302
    dataset.refresh_from_db()
    assert dataset.title == "Straßenbäume in Jena" and "Straßenbäume in Jena" in dataset.graph
    assert editor_client.post(f"/dataset/{dataset.name}/unpublish/").status_code == 302
    dataset.refresh_from_db()
    assert dataset.status == Dataset.Status.DRAFT
    assert editor_client.get(f"/dataset/{dataset.name}/delete/").status_code == 200
    assert editor_client.post(f"/dataset/{dataset.name}/delete/").status_code == 302
    assert not Dataset.objects.filter(pk=dataset.pk).exists()
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"catalog.dataset.created", "catalog.dataset.published", "catalog.dataset.deleted"} <= (
        actions
    )


def test_a_form_without_description_shows_the_error_and_writes_nothing(organisation, editor_client):
    response = editor_client.post(
        "/datasets/new/", _form(publisher=organisation.pk, description="")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["description"]
    assert not Dataset.objects.exists()


def test_upload_link_preview_and_delete_of_distributions(dataset, editor_client, client):
    csv = SimpleUploadedFile("baeume.csv", b"Art;Jahr\nLinde;1990\nEiche;2001\n", "text/csv")
    url = f"/dataset/{dataset.name}/distributions/new/"
    response = editor_client.post(url, {"file": csv, "title": "Bäume", "format": FILE_TYPE + "CSV"})
    assert response.status_code == 302
    upload = dataset.distributions.exclude(file="").get()
    download = client.get(upload.file.url)
    assert download.status_code == 200
    assert b"Linde" in b"".join(download.streaming_content)
    page = client.get(dataset.get_absolute_url()).content.decode()
    assert "<td>Linde</td>" in page  # the CSV preview shows the first rows as a table
    link = {"access_url": "https://example.org/baeume.json", "format": FILE_TYPE + "JSON"}
    assert editor_client.post(url, link).status_code == 302
    linked = dataset.distributions.get(access_url="https://example.org/baeume.json")
    delete = f"/dataset/{dataset.name}/distributions/{linked.pk}/delete/"
    assert editor_client.post(delete).status_code == 302
    assert not Distribution.objects.filter(pk=linked.pk).exists()


def test_upload_over_the_limit_is_refused_in_the_form(dataset, editor_client, settings):
    settings.ALLMENDE_MAX_UPLOAD_BYTES = 10
    big = SimpleUploadedFile("big.csv", b"a;b\n" * 100, "text/csv")
    before = dataset.distributions.count()
    url = f"/dataset/{dataset.name}/distributions/new/"
    response = editor_client.post(url, {"file": big, "format": FILE_TYPE + "CSV"})
    assert response.status_code == 200 and response.context["form"].errors
    assert dataset.distributions.count() == before


@pytest.mark.parametrize("who", ["member", "outsider"])
def test_people_without_the_editor_role_cannot_edit(who, dataset, request):
    user = request.getfixturevalue(who)
    client = Client()
    client.force_login(user)
    before = dataset.graph
    assert client.get("/datasets/new/").status_code == 403
    assert client.post(f"/dataset/{dataset.name}/edit/", _form()).status_code == 403
    assert client.post(f"/dataset/{dataset.name}/unpublish/").status_code == 403
    upload = SimpleUploadedFile("x.csv", b"a;b\n1;2\n", "text/csv")
    url = f"/dataset/{dataset.name}/distributions/new/"
    assert client.post(url, {"file": upload}).status_code == 403
    dataset.refresh_from_db()
    assert dataset.graph == before and dataset.status == Dataset.Status.PUBLISHED


def test_anonymous_editing_asks_for_login(dataset, client):
    response = client.get(f"/dataset/{dataset.name}/edit/")
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_forms_need_a_csrf_token(organisation, editor):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(editor)
    assert strict.post("/datasets/new/", _form(publisher=organisation.pk)).status_code == 403
    assert not Dataset.objects.exists()


def test_editors_see_which_rule_fails_in_words(organisation, editor, editor_client):
    draft = create_dataset(publisher=organisation, fields=make_fields(license=""), by=editor)
    link = DistributionFields(iri="", title="ohne Lizenz", access_url="https://example.org/a.csv")
    add_distribution(draft, fields=link, by=editor)
    page = editor_client.get(draft.get_absolute_url())
    violations = page.context["quality"].violations
    assert violations and all(v.message for v in violations)
    assert violations[0].message in page.content.decode()


def test_user_markup_is_escaped(organisation, editor, editor_client):
    fields = make_fields(title="<script>alert(1)</script>", description="<b>fett</b>")
    draft = create_dataset(publisher=organisation, fields=fields, by=editor)
    page = editor_client.get(draft.get_absolute_url()).content.decode()
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    assert "<b>fett</b>" not in page
