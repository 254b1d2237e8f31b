"""What the JSON API reads and writes: the same fields as the editor forms.

Vocabulary values (themes, licence, frequency, access rights, file format) are taken as
the full IRI or its last part (``ENVI``, ``dl-by-de/2.0``, ``CSV``) and always answered as
the IRI.
"""

import datetime as dt
import re
from typing import Annotated, Literal

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from ninja import Schema
from pydantic import ConfigDict, Field, StringConstraints, field_validator

from allmende.core.models import Organisation

from .. import labels
from ..models import Dataset, Distribution

Title = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Text = Annotated[str, StringConstraints(strip_whitespace=True)]
Url = Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)]
Short = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Link = Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)]
MediaType = Annotated[str, StringConstraints(strip_whitespace=True, max_length=200)]
MEDIA_TYPE = re.compile(r"^[\w.+-]+/[\w.+-]+$")


def _short(iri: str) -> str:
    """``.../data-theme/ENVI`` -> ``ENVI``; ``.../licenses/dl-by-de/2.0`` -> ``dl-by-de/2.0``."""
    return (
        iri.removeprefix(labels.LICENSES) if iri.startswith(labels.LICENSES) else labels.code(iri)
    )


def _vocabulary(value: str, choices: list[tuple[str, str]]) -> str:
    """The IRI for ``value``: an IRI of the list or its short form (any case)."""
    iris = [iri for iri, _label in choices if iri]
    if not value or value in iris:
        return value
    for iri in iris:
        if _short(iri).lower() == value.lower():
            return iri
    raise ValueError(
        _("Unknown value %(value)s. Choose one of: %(choices)s.")
        % {"value": value, "choices": ", ".join(_short(iri) for iri in iris)}
    )


def _url(value: str) -> str:
    if value:
        try:
            URLValidator(schemes=["http", "https"])(value)
        except DjangoValidationError:
            raise ValueError(_("Enter a valid URL.")) from None
    return value


def _required(value: str | None) -> str | None:
    """Runs only for values sent: these fields may be left out, not cleared."""
    if not value:
        raise ValueError(_("This field is required."))
    return value


class DatasetChange(Schema):
    """Fields of a dataset to change (PATCH): only the fields sent are changed; send
    ``""``, ``[]`` or ``null`` to clear one (title and description cannot be cleared)."""

    model_config = ConfigDict(extra="forbid")

    publisher: str | None = Field(None, description="short name (slug) of the organisation")
    title: Title | None = Field(None, description="title in German")
    title_en: Title | None = None
    description: Text | None = Field(None, description="description in German")
    description_en: Text | None = None
    keywords: list[Short] | None = None
    themes: list[str] | None = Field(None, description="data themes, e.g. ENVI")
    license: str | None = Field(None, description="licence, e.g. dl-by-de/2.0")
    accrual_periodicity: str | None = Field(None, description="update frequency, e.g. MONTHLY")
    access_rights: str | None = Field(None, description="PUBLIC, RESTRICTED or NON_PUBLIC")
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None
    political_geocoding: Url | None = Field(None, description="political geocoding IRI")
    contact_name: Short | None = None
    contact_email: Short | None = None
    contact_url: Url | None = None
    landing_page: Url | None = None

    _check_required = field_validator("title", "description", "publisher")(_required)
    _urls = field_validator("political_geocoding", "contact_url", "landing_page")(_url)

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, value: list[str] | None) -> list[str] | None:
        return value if value is None else list(dict.fromkeys(k for k in value if k))

    @field_validator("themes")
    @classmethod
    def _themes(cls, value: list[str] | None) -> list[str] | None:
        if value is None:
            return value
        return list(dict.fromkeys(_vocabulary(t, labels.theme_choices()) for t in value if t))

    @field_validator("license")
    @classmethod
    def _license(cls, value: str | None) -> str | None:
        return value and _vocabulary(value, labels.licence_choices())

    @field_validator("accrual_periodicity")
    @classmethod
    def _frequency(cls, value: str | None) -> str | None:
        return value and _vocabulary(value, labels.frequency_choices())

    @field_validator("access_rights")
    @classmethod
    def _access(cls, value: str | None) -> str | None:
        return value and _vocabulary(value, labels.access_choices())

    @field_validator("contact_email")
    @classmethod
    def _email(cls, value: str | None) -> str | None:
        if value:
            try:
                EmailValidator()(value)
            except DjangoValidationError:
                raise ValueError(_("Enter a valid email address.")) from None
        return value


class DatasetCreate(DatasetChange):
    """A new dataset: publisher, title and description are required."""

    publisher: str = Field(description="short name (slug) of the organisation")
    title: Title = Field(description="title in German")
    description: Text = Field(description="description in German")


class DistributionIn(Schema):
    """Fields of a distribution. Creating: a linked one needs ``access_url`` or
    ``download_url``. Changing (PATCH): only the fields sent are changed."""

    model_config = ConfigDict(extra="forbid")

    title: Title | None = None
    description: Text | None = None
    access_url: Link | None = Field(None, description="where the data can be reached")
    download_url: Link | None = Field(None, description="a direct download")
    format: str | None = Field(None, description="file format, e.g. CSV")
    media_type: MediaType | None = Field(None, description="e.g. text/csv")

    _urls = field_validator("access_url", "download_url")(_url)

    @field_validator("format")
    @classmethod
    def _format(cls, value: str | None) -> str | None:
        return value and _vocabulary(value, labels.file_type_choices())

    @field_validator("media_type")
    @classmethod
    def _media_type(cls, value: str | None) -> str | None:
        if value and not MEDIA_TYPE.match(value):
            raise ValueError(_("Enter a media type such as text/csv."))
        return value


class PublisherOut(Schema):
    slug: str
    name: str
    name_en: str


class DistributionOut(Schema):
    id: int
    iri: str
    title: str
    description: str
    access_url: str
    download_url: str
    format: str
    media_type: str
    license: str
    byte_size: int | None
    uploaded: bool = Field(description="the file is stored here (download_url points to it)")

    @staticmethod
    def resolve_uploaded(obj: Distribution) -> bool:
        return bool(obj.file)


class DatasetOut(Schema):
    name: str = Field(description="short name, part of every URL of the dataset")
    kind: str
    status: str
    iri: str
    url: str = Field(description="the dataset's page")
    publisher: PublisherOut
    identifier: str
    title: str
    title_en: str
    description: str
    description_en: str
    keywords: list[str]
    themes: list[str]
    license: str
    accrual_periodicity: str
    access_rights: str
    temporal_start: dt.date | None
    temporal_end: dt.date | None
    spatial: str
    political_geocoding: str
    contact_name: str
    contact_email: str
    contact_url: str
    landing_page: str
    issued: dt.datetime | None
    modified: dt.datetime | None
    published_at: dt.datetime | None
    distributions: list[DistributionOut]

    @staticmethod
    def resolve_url(obj: Dataset) -> str:
        return settings.SITE_URL + obj.get_absolute_url()


class DatasetPage(Schema):
    count: int
    page: int
    page_size: int
    next: str | None
    previous: str | None
    results: list[DatasetOut]


class DatasetQuery(Schema):
    q: str = Field("", max_length=200, description="words in title, description or keywords")
    publisher: list[str] = Field([], description="organisation short name (repeatable)")
    theme: list[str] = Field([], description="theme code, e.g. ENVI (repeatable)")
    format: list[str] = Field([], description="format, e.g. CSV (repeatable)")
    license: list[str] = Field([], description="licence IRI (repeatable)")
    keyword: list[str] = Field([], description="keyword (repeatable)")
    status: Literal["draft", "published"] | None = None
    sort: Literal["title", "newest", "updated"] = "title"
    page: int = Field(1, ge=1)
    page_size: int = Field(20, ge=1, le=100)


class OrganisationOut(Schema):
    slug: str = Field(description="short name, as in publisher")
    name: str
    name_en: str
    iri: str = Field(description="the organisation as foaf:Agent in RDF")
    homepage: str
    published_datasets: int

    @staticmethod
    def resolve_iri(obj: Organisation) -> str:
        return obj.agent_iri


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="messages per field")
