"""The native JSON API at /api/v1/: real HTTP through the test client, no mocks."""

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from allmende.catalog.models import Dataset, Distribution
from allmende.core.models import AuditEntry, Membership
from allmende.core.services.organisations import add_member
from allmende.core.services.tokens import create_api_token, revoke_api_token

API = "/api/v1"
CSV = b"art,pflanzjahr\nLinde,1990\nEiche,2001\n"
NEW = {
    "publisher": "stadt-jena",
    "title": "Spielplätze",
    "description": "Alle öffentlichen Spielplätze in Jena.",
    "keywords": ["Kinder", "Freizeit"],
    "themes": ["SOCI"],
    "license": "dl-zero-de/2.0",
    "contact_email": "opendata@jena.de",
}


ENGLISH = {"Accept-Language": "en"}  # messages are checked in English; German is the default


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}", **ENGLISH}


@pytest.fixture
def client() -> Client:
    return Client(headers=ENGLISH)


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client(headers=ENGLISH)
    client.force_login(editor)
    return client


@pytest.fixture
def token(editor) -> str:
    return create_api_token(user=editor, name="tests")[1]


@pytest.fixture
def api(token) -> Client:
    """A client sending the editor's token with every request (and no session)."""
    return Client(headers=_bearer(token), enforce_csrf_checks=True)


def _json(client: Client, method: str, url: str, body: object = None):
    data = "" if body is None else json.dumps(body)
    return getattr(client, method)(url, data=data, content_type="application/json")


def _media_files(settings) -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def _actions(obj) -> list[str]:
    rows = AuditEntry.objects.filter(object_id=str(obj.pk), object_type=obj._meta.label_lower)
    return list(rows.order_by("pk").values_list("action", flat=True))


# Reading


def test_list_and_detail_are_public(client, dataset):
    response = client.get(f"{API}/datasets")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["next"] is None and body["previous"] is None
    item = body["results"][0]
    assert item["name"] == "baumkataster"
    assert item["status"] == "published"
    assert item["publisher"] == {
        "slug": "stadt-jena",
        "name": "Stadt Jena",
        "name_en": "City of Jena",
    }
    assert item["url"] == "http://testserver/dataset/baumkataster"
    [distribution] = item["distributions"]
    assert distribution["download_url"] == "https://example.org/baeume.csv"
    assert distribution["uploaded"] is False

    detail = client.get(f"{API}/datasets/baumkataster")
    assert detail.status_code == 200
    assert detail.json() == item
    assert detail["Content-Type"].startswith("application/json")


def test_drafts_are_hidden_from_anonymous_and_shown_to_editors(client, api, editor_client, dataset):
    assert _json(api, "post", f"{API}/datasets/baumkataster/unpublish").status_code == 200
    assert client.get(f"{API}/datasets").json()["count"] == 0
    missing = client.get(f"{API}/datasets/baumkataster")
    assert missing.status_code == 404
    assert missing.json() == {"detail": "There is no dataset baumkataster.", "errors": {}}
    assert client.get(f"{API}/datasets/baumkataster/distributions").status_code == 404
    # The editor sees the draft with the token, or logged in on the site.
    assert api.get(f"{API}/datasets/baumkataster").json()["status"] == "draft"
    assert editor_client.get(f"{API}/datasets/baumkataster").json()["status"] == "draft"
    assert api.get(f"{API}/datasets?status=draft").json()["count"] == 1


def test_drafts_stay_hidden_from_members_and_other_publishers(
    member, outsider, other_organisation, dataset, api
):
    _json(api, "post", f"{API}/datasets/baumkataster/unpublish")
    add_member(organisation=other_organisation, user=outsider, role=Membership.Role.EDITOR)
    for user in (member, outsider):
        raw = create_api_token(user=user, name="x")[1]
        assert Client().get(f"{API}/datasets/baumkataster", headers=_bearer(raw)).status_code == 404


def test_paging_filters_and_search(client, organisation, other_organisation, editor, api):
    for n in range(3):
        _json(api, "post", f"{API}/datasets", {**NEW, "title": f"Spielplätze {n}"})
    _json(api, "post", f"{API}/datasets", {**NEW, "title": "Radwege", "themes": ["TRAN"]})
    for name in Dataset.objects.values_list("name", flat=True):
        _json(api, "post", f"{API}/datasets/{name}/publish")

    first = client.get(f"{API}/datasets?page_size=2").json()
    assert (first["count"], len(first["results"])) == (4, 2)
    assert first["next"] == "http://testserver/api/v1/datasets?page_size=2&page=2"
    second = client.get(first["next"]).json()
    names = [d["name"] for d in first["results"] + second["results"]]
    assert names == ["radwege", "spielplatze-0", "spielplatze-1", "spielplatze-2"]
    assert second["previous"] == "http://testserver/api/v1/datasets?page_size=2&page=1"
    assert client.get(f"{API}/datasets?page_size=2&page=3").status_code == 404

    assert client.get(f"{API}/datasets?theme=TRAN").json()["count"] == 1
    assert client.get(f"{API}/datasets?theme=SOCI&theme=TRAN").json()["count"] == 4
    assert client.get(f"{API}/datasets?q=radwege").json()["count"] == 1
    assert client.get(f"{API}/datasets?publisher=stadt-jena").json()["count"] == 4
    assert client.get(f"{API}/datasets?publisher=stadtwerke-jena").json()["count"] == 0


@pytest.mark.parametrize(
    "query, field",
    [("page_size=101", "page_size"), ("page=0", "page"), ("sort=random", "sort")],
)
def test_bad_query_parameters(client, db, query, field):
    response = client.get(f"{API}/datasets?{query}")
    assert response.status_code == 422
    assert list(response.json()["errors"]) == [field]


def test_organisations(client, dataset, other_organisation):
    body = client.get(f"{API}/organisations").json()
    assert [(o["slug"], o["published_datasets"]) for o in body] == [
        ("stadt-jena", 1),
        ("stadtwerke-jena", 0),
    ]


# Writing datasets


def test_create_publish_unpublish_delete(client, api, editor, organisation):
    created = _json(api, "post", f"{API}/datasets", NEW)
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["Location"] == "http://testserver/api/v1/datasets/spielplatze"
    assert body["status"] == "draft"
    assert body["themes"] == ["http://publications.europa.eu/resource/authority/data-theme/SOCI"]
    assert body["license"] == "http://dcat-ap.de/def/licenses/dl-zero-de/2.0"
    assert body["identifier"] == body["iri"] == "http://testserver/dataset/spielplatze"
    assert client.get(f"{API}/datasets/spielplatze").status_code == 404

    published = _json(api, "post", f"{API}/datasets/spielplatze/publish")
    assert published.status_code == 200
    assert published.json()["published_at"]
    assert client.get(f"{API}/datasets/spielplatze").json()["status"] == "published"
    changed = {"description": "Spielplätze mit Geräten und Alter.", "access_rights": "PUBLIC"}
    assert _json(api, "patch", f"{API}/datasets/spielplatze", changed).status_code == 200
    turtle = client.get("/dataset/spielplatze.ttl").content.decode()
    assert '"Spielplätze mit Geräten und Alter."@de' in turtle
    assert "<http://publications.europa.eu/resource/authority/access-right/PUBLIC>" in turtle
    assert "Alle öffentlichen Spielplätze" not in turtle

    assert _json(api, "post", f"{API}/datasets/spielplatze/unpublish").json()["status"] == "draft"
    assert client.get(f"{API}/datasets/spielplatze").status_code == 404

    dataset = Dataset.objects.get(name="spielplatze")
    deleted = api.delete(f"{API}/datasets/spielplatze")
    assert deleted.status_code == 204
    assert deleted.content == b""
    assert not Dataset.objects.exists()
    assert _actions(dataset) == [
        "catalog.dataset.created",
        "catalog.dataset.published",
        "catalog.dataset.updated",
        "catalog.dataset.unpublished",
        "catalog.dataset.deleted",
    ]
    users = AuditEntry.objects.filter(action__startswith="catalog.").values_list("user", flat=True)
    assert set(users) == {editor.pk}
    assert api.get(f"{API}/datasets/spielplatze").status_code == 404


def test_patch_changes_only_what_is_sent_and_rdf_follows(client, api, dataset):
    before = client.get(f"{API}/datasets/baumkataster").json()
    response = _json(
        api,
        "patch",
        f"{API}/datasets/baumkataster",
        {"title_en": "Street trees", "keywords": ["Bäume", "Stadtgrün"], "landing_page": None},
    )
    assert response.status_code == 200, response.content
    after = response.json()
    assert after["title_en"] == "Street trees"
    assert after["keywords"] == ["Bäume", "Stadtgrün"]
    unchanged = ("title", "description", "themes", "license", "contact_email", "identifier")
    assert {k: after[k] for k in unchanged} == {k: before[k] for k in unchanged}
    # Distributions keep their id across edits of the dataset.
    assert after["distributions"][0]["id"] == before["distributions"][0]["id"]
    assert _actions(Dataset.objects.get())[-1] == "catalog.dataset.updated"

    turtle = client.get("/dataset/baumkataster.ttl").content.decode()
    assert '"Street trees"@en' in turtle
    assert '"Stadtgrün"@de' in turtle
    assert "<http://testserver/dataset/baumkataster>" in turtle


def test_missing_title_is_a_field_error(api, organisation):
    response = _json(api, "post", f"{API}/datasets", {**NEW, "title": "  "})
    assert response.status_code == 422
    assert response.json() == {
        "detail": "The request contains invalid values.",
        "errors": {"title": ["This field is required."]},
    }
    response = _json(api, "post", f"{API}/datasets", {"publisher": "stadt-jena"})
    assert set(response.json()["errors"]) == {"title", "description"}
    german = api.post(
        f"{API}/datasets",
        data=json.dumps({**NEW, "title": ""}),
        content_type="application/json",
        headers={"Accept-Language": "de"},
    )
    assert german.json()["errors"] == {"title": ["Dieses Feld ist zwingend erforderlich."]}
    assert not Dataset.objects.exists()


def test_invalid_values_name_their_fields(api, dataset):
    response = _json(
        api,
        "patch",
        f"{API}/datasets/baumkataster",
        {
            "title": None,
            "themes": ["NOPE"],
            "landing_page": "not a url",
            "temporal_start": "gestern",
            "colour": "green",
        },
    )
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert set(errors) == {"title", "themes", "landing_page", "temporal_start", "colour"}
    assert errors["themes"][0].startswith("Unknown value NOPE. Choose one of: AGRI, ECON")
    assert errors["landing_page"] == ["Enter a valid URL."]
    assert errors["colour"] == ["This field is not known."]
    assert Dataset.objects.get().title == "Baumkataster"


def test_unknown_publisher_is_a_field_error(api, organisation):
    response = _json(api, "post", f"{API}/datasets", {**NEW, "publisher": "nowhere"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"publisher": ["There is no organisation nowhere."]}


def test_bad_json_is_400_and_too_much_is_413(api, dataset, settings):
    for method, url in (("post", "/datasets"), ("patch", "/datasets/baumkataster")):
        response = getattr(api, method)(
            API + url, data='{"title": ', content_type="application/json"
        )
        assert response.status_code == 400
        assert response.json()["detail"].startswith("The request body is not valid JSON")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = _json(api, "post", f"{API}/datasets", {**NEW, "description": "x" * 1000})
    assert too_big.status_code == 413
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 5_000
    not_an_object = _json(api, "post", f"{API}/datasets", ["title"])
    assert not_an_object.status_code == 422
    assert not_an_object.json()["errors"] == {"body": ["Send a JSON object."]}


# Who may write


def test_no_token_is_401(client, editor_client, dataset):
    for c in (client, editor_client):  # a session cookie is no credential for writes
        response = _json(c, "post", f"{API}/datasets", NEW)
        assert response.status_code == 401
        assert response["WWW-Authenticate"] == 'Bearer realm="api"'
        assert response.json()["detail"].startswith("This needs an API token")
        assert _json(c, "post", f"{API}/datasets/baumkataster/unpublish").status_code == 401
        assert c.delete(f"{API}/datasets/baumkataster").status_code == 401
    assert Dataset.objects.get().status == "published"


def test_bad_or_revoked_token_is_401(client, editor, dataset):
    raw = create_api_token(user=editor, name="old")[1]
    revoke_api_token(editor.api_tokens.get(name="old"), by=editor)
    for header in (f"Bearer {raw}", "Bearer alm_wrong", "Basic ZWRpdG9yOnB3"):
        for response in (
            client.get(f"{API}/datasets", headers={"Authorization": header}),
            client.delete(f"{API}/datasets/baumkataster", headers={"Authorization": header}),
        ):
            assert response.status_code == 401, header
            assert response["WWW-Authenticate"].startswith('Bearer realm="api"')
            if header.startswith("Bearer"):
                assert response["WWW-Authenticate"].endswith('error="invalid_token"')
    assert Dataset.objects.exists()


def test_member_is_403(member, dataset):
    raw = create_api_token(user=member, name="member")[1]
    member_api = Client(headers=_bearer(raw))
    response = _json(member_api, "post", f"{API}/datasets", NEW)
    assert response.status_code == 403
    assert "Stadt Jena" in response.json()["detail"]
    assert (
        _json(member_api, "patch", f"{API}/datasets/baumkataster", {"title": "X"}).status_code
        == 403
    )
    assert member_api.delete(f"{API}/datasets/baumkataster").status_code == 403
    assert Dataset.objects.get().title == "Baumkataster"


def test_wrong_publisher_is_403(api, dataset, other_organisation):
    response = _json(api, "post", f"{API}/datasets", {**NEW, "publisher": "stadtwerke-jena"})
    assert response.status_code == 403
    moved = _json(api, "patch", f"{API}/datasets/baumkataster", {"publisher": "stadtwerke-jena"})
    assert moved.status_code == 403
    assert Dataset.objects.get().publisher.slug == "stadt-jena"


def test_no_csrf_token_needed_with_a_bearer_token(api, organisation):
    # ``api`` enforces CSRF checks like a browser would; the bearer token is enough.
    assert _json(api, "post", f"{API}/datasets", NEW).status_code == 201


# Distributions


def test_link_a_distribution_and_change_it(client, api, dataset):
    url = f"{API}/datasets/baumkataster/distributions"
    created = _json(
        api,
        "post",
        url,
        {
            "title": "Bäume als GeoJSON",
            "access_url": "https://example.org/baeume.geojson",
            "format": "GEOJSON",
            "media_type": "application/geo+json",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert created["Location"] == f"http://testserver{url}/{body['id']}"
    assert body["format"] == "http://publications.europa.eu/resource/authority/file-type/GEOJSON"
    assert body["license"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    assert len(client.get(url).json()) == 2

    changed = _json(api, "patch", f"{url}/{body['id']}", {"title": "Baumstandorte"})
    assert changed.status_code == 200
    assert changed.json()["title"] == "Baumstandorte"
    assert changed.json()["access_url"] == "https://example.org/baeume.geojson"
    assert client.get(f"{url}/{body['id']}").json()["id"] == body["id"]
    assert "Baumstandorte" in client.get("/dataset/baumkataster.ttl").content.decode()

    assert api.delete(f"{url}/{body['id']}").status_code == 204
    assert client.get(f"{url}/{body['id']}").status_code == 404
    distribution = Distribution(pk=body["id"])
    assert _actions(distribution) == [
        "catalog.distribution.created",
        "catalog.distribution.updated",
        "catalog.distribution.deleted",
    ]


def test_distribution_needs_a_file_or_url(api, dataset):
    url = f"{API}/datasets/baumkataster/distributions"
    response = _json(api, "post", url, {"title": "nichts"})
    assert response.status_code == 422
    assert response.json()["errors"] == {"access_url": ["Upload a file or give its URL."]}
    bad = _json(api, "post", url, {"access_url": "ftp:/x", "format": "EXE"})
    assert set(bad.json()["errors"]) == {"access_url", "format"}
    form = api.post(url, {"access_url": "https://example.org"}, content_type="text/plain")
    assert form.status_code == 415
    assert Dataset.objects.get().distributions.count() == 1


def test_upload_and_download_a_file(
    client, api, dataset, settings, django_capture_on_commit_callbacks
):
    url = f"{API}/datasets/baumkataster/distributions"
    upload = SimpleUploadedFile("baeume.csv", CSV, content_type="text/csv")
    response = api.post(url, {"file": upload, "format": "CSV", "media_type": "text/csv"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["uploaded"] is True
    assert body["title"] == "baeume.csv"
    assert body["byte_size"] == len(CSV)
    assert body["download_url"].startswith("http://testserver/media/distributions/")
    assert body["access_url"] == body["download_url"]

    download = client.get(body["download_url"].removeprefix("http://testserver"))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == CSV  # (reading it closes the file)
    assert len(_media_files(settings)) == 1

    # A new file replaces the old one, on disk too; the id stays.
    new = SimpleUploadedFile("baeume-2025.csv", CSV + b"Ahorn,2025\n")
    with django_capture_on_commit_callbacks(execute=True):
        replaced = api.post(f"{url}/{body['id']}/file", {"file": new})
    assert replaced.status_code == 200, replaced.content
    assert replaced.json()["id"] == body["id"]
    assert replaced.json()["byte_size"] == len(CSV) + 11
    assert replaced.json()["download_url"] != body["download_url"]
    [stored] = _media_files(settings)
    assert stored.read_bytes().endswith(b"Ahorn,2025\n")

    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{url}/{body['id']}").status_code == 204
    assert _media_files(settings) == []


def test_upload_over_the_limit_is_413_and_leaves_nothing(api, dataset, settings):
    settings.ALLMENDE_MAX_UPLOAD_BYTES = 100
    url = f"{API}/datasets/baumkataster/distributions"
    upload = SimpleUploadedFile("gross.csv", b"x" * 101)
    response = api.post(url, {"file": upload, "title": "Zu groß"})
    assert response.status_code == 413
    assert response.json()["errors"] == {
        "file": ["The file is larger than the limit of 100 bytes."]
    }
    # A body that cannot fit is refused from its Content-Length, before it is read.
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    big = SimpleUploadedFile("riesig.csv", b"x" * 200_000)
    assert api.post(url, {"file": big}).status_code == 413
    assert _media_files(settings) == []
    assert Dataset.objects.get().distributions.count() == 1


def test_upload_with_invalid_fields_leaves_nothing(api, dataset, settings):
    url = f"{API}/datasets/baumkataster/distributions"
    upload = SimpleUploadedFile("baeume.csv", CSV)
    response = api.post(url, {"file": upload, "media_type": "kein typ"})
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["media_type"]
    assert _media_files(settings) == []


def test_member_cannot_upload(member, dataset, settings):
    raw = create_api_token(user=member, name="member")[1]
    upload = SimpleUploadedFile("baeume.csv", CSV)
    response = Client(headers=_bearer(raw)).post(
        f"{API}/datasets/baumkataster/distributions", {"file": upload}
    )
    assert response.status_code == 403
    assert _media_files(settings) == []


def test_deleting_a_dataset_deletes_its_files(
    api, dataset, settings, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("baeume.csv", CSV)
    api.post(f"{API}/datasets/baumkataster/distributions", {"file": upload})
    assert len(_media_files(settings)) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert api.delete(f"{API}/datasets/baumkataster").status_code == 204
    assert _media_files(settings) == []


# The OpenAPI document


def test_openapi_document(client, db):
    response = client.get(f"{API}/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert document["openapi"].startswith("3.")
    paths = document["paths"]
    assert {p for p in paths if not p.startswith(f"{API}/sensors/")} == {
        f"{API}/datasets",
        f"{API}/datasets/{{name}}",
        f"{API}/datasets/{{name}}/publish",
        f"{API}/datasets/{{name}}/unpublish",
        f"{API}/datasets/{{name}}/distributions",
        f"{API}/datasets/{{name}}/distributions/{{distribution_id}}",
        f"{API}/datasets/{{name}}/distributions/{{distribution_id}}/file",
        f"{API}/organisations",
    }  # the sensor hub's paths: tests/sensors/test_dashboard_reads.py
    assert set(paths[f"{API}/datasets/{{name}}"]) == {"get", "patch", "delete"}
    assert document["components"]["securitySchemes"]["BearerToken"]["scheme"] == "bearer"
    upload = paths[f"{API}/datasets/{{name}}/distributions"]["post"]["requestBody"]["content"]
    assert set(upload) == {"application/json", "multipart/form-data"}
    # No Swagger page: it would load from a CDN.
    assert client.get(f"{API}/docs").status_code == 404
