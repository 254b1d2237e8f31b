"""CKAN Action API over HTTP: envelope, every action, error types and status codes."""

import json
from pathlib import Path

import pytest

from allmende.catalog.services.datasets import create_dataset
from allmende.core.services.tokens import create_api_token

from ..conftest import make_fields

BERLIN = Path(__file__).parent.parent / "data" / "ckan" / "berlin-package-search-186.json"
# Keys of daten.berlin.de's own schema extension, not CKAN's.
BERLIN_ONLY = {
    "berlin_source", "berlin_type", "date_released", "date_updated", "geographical_coverage",
    "geographical_granularity", "temporal_coverage_from", "temporal_coverage_to",
    "temporal_granularity", "attribution_text", "username",
}  # fmt: skip
BERLIN_RESOURCE_ONLY = {
    "language", "internal_function", "main", "resource_locator_function",
    "resource_locator_protocol", "weight", "apiurl", "resource_group_id",
    "webstore_last_updated", "webstore_url",
}  # fmt: skip


def call(client, action, method="get", token=None, status=200, **params):
    headers = {"HTTP_AUTHORIZATION": token} if token else {}
    if method == "get":
        response = client.get(f"/api/3/action/{action}", params, **headers)
    else:
        response = client.post(
            f"/api/3/action/{action}", json.dumps(params), "application/json", **headers
        )
    assert response.status_code == status, response.content
    body = response.json()
    assert body["help"].endswith(f"/api/3/action/help_show?name={action}")
    assert body["success"] is (status == 200)
    return body["result"] if status == 200 else body["error"]


@pytest.fixture
def token(editor):
    return create_api_token(user=editor, name="ckan")[1]


@pytest.fixture
def draft(organisation, editor, committed):
    fields = make_fields(title="Entwurf Radwege", keywords=[])
    return committed(create_dataset, publisher=organisation, fields=fields, by=editor)


def test_package_show_by_name_and_id(client, dataset):
    package = call(client, "package_show", id=dataset.name)
    assert package["name"] == dataset.name
    assert call(client, "package_show", id=package["id"])["name"] == dataset.name
    assert package["organization"]["name"] == "stadt-jena"
    assert package["owner_org"] == package["organization"]["id"]
    assert package["license_id"] == "dl-de-by-2.0"
    assert package["isopen"] is True
    assert package["groups"][0]["name"] == "envi"
    assert {t["name"] for t in package["tags"]} == {"Bäume", "Umwelt"}
    assert package["num_tags"] == 2 and package["num_resources"] == 1
    resource = package["resources"][0]
    assert resource["format"] == "CSV" and resource["package_id"] == package["id"]
    assert resource["url"] == "https://example.org/baeume.csv"
    assert "Z" not in package["metadata_modified"] and "." in package["metadata_modified"]
    extras = {e["key"]: e["value"] for e in package["extras"]}
    assert extras["uri"] == dataset.iri
    assert extras["politicalGeocodingURI"].endswith("16053000")


def test_package_show_has_every_ckan_key_with_ckan_types(client, dataset):
    package = call(client, "package_show", id=dataset.name)
    berlin = json.loads(BERLIN.read_text())["result"]["results"]
    for key in {k for p in berlin for k in p} - BERLIN_ONLY:
        assert key in package, key
        kinds = {type(p[key]) for p in berlin if p.get(key) is not None}
        if kinds and package[key] is not None:
            assert type(package[key]) in kinds, key
    for key in ("organization",):
        assert set(berlin[0][key]) <= set(package[key])
    assert set(berlin[0]["groups"][0]) <= set(package["groups"][0])
    assert set(berlin[0]["tags"][0]) <= set(package["tags"][0])
    resource_keys = {k for p in berlin for r in p["resources"] for k in r}
    assert resource_keys - BERLIN_RESOURCE_ONLY <= set(package["resources"][0])


def test_not_found_and_unknown_action(client, db):
    error = call(client, "package_show", status=404, id="no-such-thing")
    assert error["__type"] == "Not Found Error"
    error = call(client, "no_such_action", status=400)
    assert error["__type"] == "Bad Request" and "Action name not known" in error["message"]
    error = call(client, "package_show", status=409)
    assert error["__type"] == "Validation Error" and error["id"] == ["Missing value"]


def test_both_url_prefixes_and_post_reads(client, dataset):
    assert client.get("/api/action/package_list").json()["result"] == [dataset.name]
    assert call(client, "package_list", method="post") == [dataset.name]


def test_drafts_hidden_from_anonymous_and_shown_with_token(client, dataset, draft, token):
    assert call(client, "package_list") == [dataset.name]
    call(client, "package_show", status=404, id=draft.name)
    assert call(client, "package_show", token=token, id=draft.name)["private"] is True
    assert call(client, "package_search")["count"] == 1
    found = call(client, "package_search", token=token, include_private="true")
    assert found["count"] == 2


def test_package_search_shape_and_facets(client, dataset):
    result = call(
        client,
        "package_search",
        q="Baumkataster",
        **{"facet.field": '["organization", "tags", "groups", "res_format", "license_id"]'},
    )
    assert set(result) == {"count", "facets", "results", "sort", "search_facets"}
    assert result["count"] == 1
    assert result["results"][0] == call(client, "package_show", id=dataset.name)
    assert result["facets"]["tags"] == {"Bäume": 1, "Umwelt": 1}
    assert result["facets"]["res_format"] == {"CSV": 1}
    assert result["facets"]["license_id"] == {"dl-de-by-2.0": 1}
    assert result["search_facets"]["organization"] == {
        "title": "organization",
        "items": [{"name": "stadt-jena", "display_name": "Stadt Jena", "count": 1}],
    }
    assert result["search_facets"]["groups"]["items"][0]["name"] == "envi"
    no_facets = call(client, "package_search")
    assert no_facets["facets"] == {} and no_facets["search_facets"] == {}


@pytest.mark.parametrize(
    ("fq", "count"),
    [
        ("organization:stadt-jena", 1),
        ("organization:other", 0),
        ("-organization:stadt-jena", 0),
        ("NOT organization:other", 1),
        ("tags:Bäume AND res_format:CSV", 1),
        ('tags:"Bäume" OR tags:nothing', 1),
        ("tags:(nothing OR Umwelt)", 1),
        ("groups:envi", 1),
        ("groups:tran", 0),
        ("license_id:dl-de-by-2.0", 1),
        ("license_id:cc-by", 0),
        ("res_format:csv", 1),
        ("metadata_modified:[2000-01-01T00:00:00Z TO NOW]", 1),
        ("metadata_modified:[NOW-1DAY TO *]", 1),
        ("metadata_modified:{* TO 2000-01-01}", 0),
        ("-metadata_modified:[* TO NOW/YEAR]", 1),
        ("+dataset_type:dataset", 1),
        ("name:baumkataster", 1),
        ("*:*", 1),
    ],
)
def test_fq_filters(client, dataset, fq, count):
    assert call(client, "package_search", fq=fq)["count"] == count


def test_q_with_fields_fq_list_and_sort(client, dataset, organisation, editor):
    assert call(client, "package_search", q="tags:Umwelt")["count"] == 1
    assert call(client, "package_search", q="Straßenbäume")["count"] == 1
    assert call(client, "package_search", q="nirgends")["count"] == 0
    result = call(client, "package_search", method="post", fq_list=["groups:envi", "tags:x"])
    assert result["count"] == 0
    for sort in ("score desc, metadata_modified desc", "title_string asc", "name asc"):
        assert call(client, "package_search", sort=sort)["count"] == 1
    error = call(client, "package_search", status=400, sort="colour desc")
    assert error["__type"] == "Search Query Error"


@pytest.mark.parametrize(
    "fq", ["(organization:a", "organization:a)", 'tags:"open', "metadata_modified:[* TO", "x:y"]
)
def test_bad_fq_is_a_search_query_error(client, db, fq):
    error = call(client, "package_search", status=400, fq=fq)
    assert error["__type"] == "Search Query Error"
    assert error["message"].startswith("Search Query is invalid: ")


def test_rows_and_start(client, dataset, organisation, editor):
    assert call(client, "package_search", rows=1000)["count"] == 1
    assert call(client, "package_search", rows=0)["results"] == []
    assert call(client, "package_search", start=1)["results"] == []
    error = call(client, "package_search", status=409, rows=100000)
    assert error["__type"] == "Validation Error" and "1000" in error["rows"][0]
    assert call(client, "package_search", status=409, rows="many")["rows"] == ["Invalid integer"]
    assert call(client, "package_search", status=409, start=-1)["__type"] == "Validation Error"


def test_lists_and_shows(client, dataset):
    assert call(client, "organization_list") == ["stadt-jena"]
    orgs = call(client, "organization_list", all_fields="true")
    assert orgs[0]["package_count"] == 1 and orgs[0]["is_organization"] is True
    org = call(client, "organization_show", id=orgs[0]["id"], include_datasets="true")
    assert org["name"] == "stadt-jena" and org["packages"][0]["name"] == dataset.name
    call(client, "organization_show", status=404, id="nobody")
    assert "envi" in call(client, "group_list")
    group = call(client, "group_show", id="envi")
    assert group["package_count"] == 1 and group["title"]
    call(client, "group_show", status=404, id="nothing")
    assert call(client, "tag_list") == ["Bäume", "Umwelt"]
    assert call(client, "tag_list", query="welt") == ["Umwelt"]
    licences = {lic["id"]: lic for lic in call(client, "license_list")}
    assert licences["dl-de-by-2.0"]["url"] == "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
    packages = call(client, "current_package_list_with_resources")
    assert packages[0]["resources"][0]["format"] == "CSV"
    resource_id = packages[0]["resources"][0]["id"]
    assert call(client, "resource_show", id=resource_id)["id"] == resource_id
    call(client, "resource_show", status=404, id="0f6c2a55-8e5f-4f0e-a3c4-5b3f1c1d0a77")
    assert call(client, "status_show")["ckan_version"]
    assert call(client, "site_read") is True
    assert "rows" in call(client, "help_show", name="package_search")


def test_package_create_patch_update_delete(client, organisation, token):
    package = call(
        client,
        "package_create",
        method="post",
        token=token,
        name="radwege",
        title="Radwege",
        notes="Alle Radwege.",
        owner_org="stadt-jena",
        license_id="cc-by-4.0",
        tags=[{"name": "Verkehr"}],
        groups=[{"name": "tran"}],
        extras=[{"key": "temporal_start", "value": "2020-01-01"}],
        resources=[{"url": "https://example.org/radwege.geojson", "format": "GeoJSON"}],
    )
    assert package["name"] == "radwege" and package["state"] == "active"
    assert package["license_id"] == "cc-by-4.0" and package["groups"][0]["name"] == "tran"
    assert package["resources"][0]["format"] == "GEOJSON"
    assert call(client, "package_show", id="radwege")["title"] == "Radwege"
    patched = call(
        client, "package_patch", method="post", token=token, id=package["id"], title="Neu"
    )
    assert patched["title"] == "Neu" and patched["notes"] == "Alle Radwege."
    assert [t["name"] for t in patched["tags"]] == ["Verkehr"]
    updated = call(
        client, "package_update", method="post", token=token, id="radwege", title="T", notes="N"
    )
    assert updated["tags"] == [] and updated["groups"] == []
    resource = call(
        client,
        "resource_create",
        method="post",
        token=token,
        package_id="radwege",
        url="https://example.org/r.csv",
        format="CSV",
        name="r.csv",
    )
    assert resource["package_id"] == package["id"]
    assert call(client, "resource_show", id=resource["id"])["name"] == "r.csv"
    assert call(client, "package_delete", method="post", token=token, id="radwege") is None
    call(client, "package_show", status=404, id="radwege")


def test_write_errors(client, dataset, token, outsider):
    other = create_api_token(user=outsider, name="x")[1]
    body = {"name": "neu", "title": "Neu", "notes": "N", "owner_org": "stadt-jena"}
    error = call(client, "package_create", method="post", status=403, **body)
    assert error["__type"] == "Authorization Error"
    call(client, "package_create", method="post", status=403, token="alm_wrong", **body)
    error = call(client, "package_create", method="post", status=403, token=other, **body)
    assert error["message"] == "you may not edit datasets of Stadt Jena"
    call(client, "package_create", status=400, token=token, **body)  # GET on a write
    error = call(
        client, "package_create", method="post", status=409, token=token, **{**body, "name": "A B"}
    )
    assert error["__type"] == "Validation Error" and error["name"]
    taken = {**body, "name": dataset.name}
    error = call(client, "package_create", method="post", status=409, token=token, **taken)
    assert error["name"] == ["That URL is already in use."]
    error = call(
        client, "package_create", method="post", status=409, token=token, **{**body, "title": ""}
    )
    assert error == {"__type": "Validation Error", "title": ["a dataset needs a title"]}
    error = call(
        client,
        "package_create",
        method="post",
        status=409,
        token=token,
        **{**body, "owner_org": "x"},
    )
    assert error["owner_org"] == ["Organization does not exist"]
    error = call(
        client,
        "package_create",
        method="post",
        status=409,
        token=token,
        **{**body, "license_id": "zzz"},
    )
    assert "license_id" in error


def test_token_headers(client, dataset, draft, token):
    url = "/api/3/action/package_show"
    for headers in (
        {"HTTP_AUTHORIZATION": f"Bearer {token}"},
        {"HTTP_X_CKAN_API_KEY": token},
    ):
        assert client.get(url, {"id": draft.name}, **headers).status_code == 200


def test_bad_json_body(client, db):
    response = client.post("/api/3/action/package_list", "{nope", "application/json")
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad Request"


def test_package_update_with_resources_replaces_them(client, dataset, token):
    package = call(client, "package_show", id=dataset.name)
    kept = {**package["resources"][0], "name": "Bäume (CSV)"}
    new = {"url": "https://example.org/baeume.json", "format": "JSON"}
    body = {**package, "resources": [kept, new]}
    updated = call(client, "package_update", method="post", token=token, **body)
    assert [r["name"] for r in updated["resources"]] == ["Bäume (CSV)", None]
    assert updated["resources"][0]["id"] == kept["id"]
    assert updated["resources"][0]["url"] == "https://example.org/baeume.csv"
    assert updated["title"] == package["title"] and updated["tags"] == package["tags"]
    body = {"id": dataset.name, "resources": [updated["resources"][1]]}
    patched = call(client, "package_patch", method="post", token=token, **body)
    assert [r["format"] for r in patched["resources"]] == ["JSON"]
    assert patched["title"] == package["title"]


def test_private_create_stays_a_draft(client, organisation, token):
    body = {"name": "intern", "title": "Intern", "notes": "N", "owner_org": "stadt-jena"}
    package = call(client, "package_create", method="post", token=token, private=True, **body)
    assert package["private"] is True and package["state"] == "active"
    call(client, "package_show", status=404, id="intern")
    public = call(client, "package_patch", method="post", token=token, id="intern", private=False)
    assert public["private"] is False
    assert call(client, "package_show", id="intern")["name"] == "intern"


def test_other_methods_and_help(client, db):
    response = client.put("/api/3/action/package_list")
    assert response.status_code == 400
    assert response.json()["error"]["__type"] == "Bad Request"
    error = call(client, "help_show", status=404, name="nothing")
    assert error["__type"] == "Not Found Error"
    assert "Create a dataset" in call(client, "help_show", name="package_create")


def test_our_harvester_reads_our_packages_back(client, dataset):
    """package_show is the reverse of the CKAN → DCAT-AP.de mapping: harvesting it gives
    the dataset's fields again."""
    from allmende.catalog.dcat.project import project_entry
    from allmende.catalog.harvest.ckan import package_to_record

    package = call(client, "package_show", id=dataset.name)
    record = package_to_record(package, api_base="http://testserver/api/3/action")
    entry = project_entry(record.subject, record.triples)
    assert (entry.title, entry.description) == (dataset.title, dataset.description)
    assert entry.title_en == dataset.title_en == "Tree register"
    assert sorted(entry.keywords) == sorted(dataset.keywords)
    assert entry.themes == dataset.themes
    assert entry.political_geocoding == dataset.political_geocoding
    assert [d.format for d in entry.distributions] == [
        d.format for d in dataset.distributions.all()
    ]
    assert {d.license for d in entry.distributions} == {dataset.license}
    assert record.defects == [], record.defects
