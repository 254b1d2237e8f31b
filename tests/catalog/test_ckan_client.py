"""The real CKAN client (ckanapi, library and command line) against a live server."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from ckanapi import NotAuthorized, NotFound, RemoteCKAN, SearchQueryError, ValidationError

from allmende.catalog.dcat.project import DistributionFields
from allmende.catalog.services.datasets import add_distribution, create_dataset, publish_dataset
from allmende.core.services.tokens import create_api_token

from ..conftest import make_fields

CKANAPI = Path(sys.executable).parent / "ckanapi"


@pytest.fixture
def catalogue(transactional_db, organisation, editor):
    """Three published datasets and one draft."""
    for title in ("Baumkataster", "Radwege", "Parkplätze"):
        ds = create_dataset(publisher=organisation, fields=make_fields(title=title), by=editor)
        add_distribution(
            ds,
            fields=DistributionFields(iri="", access_url="https://example.org/x.csv"),
            by=editor,
        )
        publish_dataset(ds, by=editor)
    create_dataset(publisher=organisation, fields=make_fields(title="Entwurf"), by=editor)
    return create_api_token(user=editor, name="ckanapi")[1]


def test_remote_ckan_reads_and_writes(live_server, catalogue):
    ckan = RemoteCKAN(live_server.url, user_agent="allmende-tests")
    found = ckan.action.package_search(q="Radwege", fq="organization:stadt-jena")
    assert found["count"] == 1
    package = ckan.action.package_show(id=found["results"][0]["id"])
    assert package["name"] == "radwege"
    assert sorted(ckan.action.package_list()) == ["baumkataster", "parkplatze", "radwege"]
    with pytest.raises(NotFound):
        ckan.action.package_show(id="entwurf")
    with pytest.raises(SearchQueryError):
        ckan.action.package_search(fq="(tags:a")
    with pytest.raises(ValidationError):
        ckan.action.package_search(rows=100000)
    with pytest.raises(NotAuthorized):
        ckan.action.package_create(name="neu", title="Neu", notes="N", owner_org="stadt-jena")

    writer = RemoteCKAN(live_server.url, apikey=catalogue, user_agent="allmende-tests")
    created = writer.action.package_create(
        name="neu", title="Neu", notes="Neue Daten.", owner_org="stadt-jena"
    )
    assert created["state"] == "active"
    writer.action.resource_create(package_id="neu", url="https://example.org/neu.csv")
    assert ckan.action.package_show(id="neu")["num_resources"] == 1
    writer.action.package_delete(id="neu")
    with pytest.raises(NotFound):
        ckan.action.package_show(id="neu")


def _ckanapi(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{CKANAPI.parent}{os.pathsep}{os.environ.get('PATH', '')}"}
    return subprocess.run(
        [str(CKANAPI), *args], capture_output=True, text=True, timeout=120, env=env, check=False
    )


def test_ckanapi_command_line(live_server, catalogue):
    search = _ckanapi("action", "package_search", "q=Baumkataster", "-r", live_server.url)
    assert search.returncode == 0, search.stderr
    assert json.loads(search.stdout)["results"][0]["name"] == "baumkataster"

    show = _ckanapi("action", "package_show", "id=radwege", "-r", live_server.url)
    assert json.loads(show.stdout)["title"] == "Radwege"

    dump = _ckanapi("dump", "datasets", "--all", "-q", "-r", live_server.url)
    assert dump.returncode == 0, dump.stderr
    names = sorted(json.loads(line)["name"] for line in dump.stdout.splitlines())
    assert names == ["baumkataster", "parkplatze", "radwege"]

    write = _ckanapi(
        "action", "package_patch", "id=radwege", "title=Radwege 2026",
        "-r", live_server.url, "-a", catalogue,
    )  # fmt: skip
    assert write.returncode == 0, write.stderr
    assert json.loads(write.stdout)["title"] == "Radwege 2026"
