"""Shared fixtures: organisations, people with roles, clients, datasets made by services."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from allmende.catalog.dcat.project import DistributionFields, EntryFields
from allmende.catalog.services.datasets import add_distribution, create_dataset, publish_dataset
from allmende.core.models import Membership, Organisation, User
from allmende.core.services.organisations import add_member

DATA = Path(__file__).parent / "data"
EU = "http://publications.europa.eu/resource/authority/"
CC_BY = "http://dcat-ap.de/def/licenses/cc-by/4.0"


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    # Real hashing is slow by design; tests only need it to work.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Each test gets its own empty cache, so rate limits never leak between tests.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        }
    }
    settings.SITE_URL = "http://testserver"
    # The SPARQL store is derived data: one per test, built by the signal receivers.
    settings.ALLMENDE_SPARQL_STORE = tmp_path / "sparql"


@pytest.fixture(autouse=True)
def _search_index_in_tmp(settings, tmp_path):
    """Each test gets its own (lazily created) tantivy search index."""
    from allmende.catalog.search import reset_backends

    settings.ALLMENDE_SEARCH_INDEX = tmp_path / "search"
    reset_backends()
    yield
    reset_backends()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language (German): a request's language stays
    active in the thread after the response, and must not leak into the next test."""
    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def english():
    """English outside requests, for assertions on messages written against the
    (English) source strings; the platform itself speaks German by default."""
    with translation.override("en"):
        yield


@pytest.fixture
def organisation(db) -> Organisation:
    return Organisation.objects.create(
        slug="stadt-jena",
        name="Stadt Jena",
        name_en="City of Jena",
        homepage="https://www.jena.de/",
        publisher_type="http://purl.org/adms/publishertype/LocalAuthority",
    )


@pytest.fixture
def other_organisation(db) -> Organisation:
    return Organisation.objects.create(slug="stadtwerke-jena", name="Stadtwerke Jena")


def _person(email: str) -> User:
    return User.objects.create_user(email=email, password="a long test passphrase 42")


@pytest.fixture
def editor(organisation) -> User:
    user = _person("editor@jena.example")
    add_member(organisation=organisation, user=user, role=Membership.Role.EDITOR)
    return user


@pytest.fixture
def member(organisation) -> User:
    user = _person("member@jena.example")
    add_member(organisation=organisation, user=user, role=Membership.Role.MEMBER)
    return user


@pytest.fixture
def outsider(db) -> User:
    return _person("citizen@jena.example")


@pytest.fixture
def editor_client(editor) -> Client:
    client = Client()
    client.force_login(editor)
    return client


def make_fields(**overrides) -> EntryFields:
    values = {
        "iri": "",
        "title": "Baumkataster",
        "title_en": "Tree register",
        "description": "Alle Straßenbäume der Stadt Jena mit Art und Pflanzjahr.",
        "keywords": ["Bäume", "Umwelt"],
        "themes": ["http://publications.europa.eu/resource/authority/data-theme/ENVI"],
        "license": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
        "political_geocoding": "http://dcat-ap.de/def/politicalGeocoding/municipalityKey/16053000",
        "contact_email": "opendata@jena.de",
    }
    values.update(overrides)
    return EntryFields(**values)


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a service and its after-commit signals (tests roll back, nothing commits), so
    the search index and the SPARQL store follow as they do after a real commit."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def dataset(organisation, editor, committed):
    """A published dataset with one linked CSV distribution (indexed for search)."""
    ds = committed(create_dataset, publisher=organisation, fields=make_fields(), by=editor)
    committed(
        add_distribution,
        ds,
        fields=DistributionFields(
            iri="",
            title="baeume.csv",
            download_url="https://example.org/baeume.csv",
            format="http://publications.europa.eu/resource/authority/file-type/CSV",
            media_type="text/csv",
        ),
        by=editor,
    )
    return committed(publish_dataset, ds, by=editor)


@pytest.fixture
def publish(organisation, editor, committed):
    """Make a published dataset: ``publish(title, modified=None, **fields)``."""
    from allmende.catalog import search
    from allmende.catalog.models import Dataset

    def make(title: str, modified: datetime | None = None, **fields) -> Dataset:
        fields = make_fields(title=title, **fields)
        draft = committed(create_dataset, publisher=organisation, fields=fields, by=editor)
        dataset = committed(publish_dataset, draft, by=editor)
        if modified:  # the services stamp "now"; a date of the past, as harvests bring
            Dataset.objects.filter(pk=dataset.pk).update(modified=modified)
            search.index_datasets([dataset.pk])
        return dataset

    return make


@pytest.fixture
def catalogue(dataset, publish) -> dict:
    """Four published datasets to search: Baumkataster (``dataset``: ENVI, dl-by-de, CSV,
    in Jena, modified now), Radwege (TRAN, 2024), Parkhäuser (TRAN, CC BY, 2023) and
    Luftqualität (ENVI, 2025)."""
    return {
        "baum": dataset,
        "rad": publish(
            "Radwege",
            modified=datetime(2024, 3, 1, tzinfo=UTC),
            description="Radwege und Fahrradstraßen",
            keywords=["Verkehr", "Umwelt"],
            themes=[EU + "data-theme/TRAN"],
            political_geocoding="",
        ),
        "park": publish(
            "Parkhäuser",
            modified=datetime(2023, 6, 1, tzinfo=UTC),
            description="Belegung der Parkhäuser",
            keywords=["Verkehr"],
            themes=[EU + "data-theme/TRAN"],
            license=CC_BY,
            political_geocoding="",
        ),
        "luft": publish(
            "Luftqualität",
            modified=datetime(2025, 1, 1, tzinfo=UTC),
            description="Messwerte der Luft an Bäumen",
            keywords=["Umwelt"],
            themes=[EU + "data-theme/ENVI"],
            political_geocoding="",
        ),
    }
