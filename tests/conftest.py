"""Shared fixtures: organisations, people with roles, clients, datasets made by services."""

from pathlib import Path

import pytest
from django.test import Client
from django.utils import translation

from allmende.catalog.dcat.project import DistributionFields, EntryFields
from allmende.catalog.services.datasets import add_distribution, create_dataset, publish_dataset
from allmende.core.models import Membership, Organisation, User
from allmende.core.services.organisations import add_member

DATA = Path(__file__).parent / "data"


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
    what the receivers derive (search index, SPARQL store) follows as in production."""

    def run(function, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return function(*args, **kwargs)

    return run


@pytest.fixture
def dataset(organisation, editor, committed):
    """A published dataset with one linked CSV distribution (indexed for search)."""
    ds = create_dataset(publisher=organisation, fields=make_fields(), by=editor)
    add_distribution(
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
