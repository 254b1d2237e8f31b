"""Shared by the API views: lookups, service errors as HTTP errors, request bodies to
the field sets the services take."""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import pydantic
from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils.translation import gettext as _

from allmende.core.api import ApiError, field_errors, invalid, too_large
from allmende.core.models import Organisation

from ..dcat.project import DistributionFields, EntryFields
from ..models import Dataset, Distribution
from ..services import datasets as services
from ..services.graphs import DatasetError
from .schemas import DistributionIn

# The dataset fields an editor sets (the form's set), with the value that clears each.
DATASET_FIELDS: dict[str, Any] = {
    "title": "",
    "title_en": "",
    "description": "",
    "description_en": "",
    "keywords": [],
    "themes": [],
    "license": "",
    "accrual_periodicity": "",
    "access_rights": "",
    "temporal_start": None,
    "temporal_end": None,
    "political_geocoding": "",
    "contact_name": "",
    "contact_email": "",
    "contact_url": "",
    "landing_page": "",
}
DISTRIBUTION_FIELDS = ("title", "description", "access_url", "download_url", "format", "media_type")


def find_dataset(user: Any, name: str) -> Dataset:
    """The dataset ``user`` may see (drafts only for its publisher's editors), else 404."""
    dataset = (
        Dataset.objects.visible_to(user)
        .select_related("publisher")
        .prefetch_related("distributions")
        .filter(name=name)
        .first()
    )
    if dataset is None:
        raise ApiError(404, _("There is no dataset %(name)s.") % {"name": name})
    return dataset


def find_distribution(dataset: Dataset, pk: int) -> Distribution:
    distribution = Distribution.objects.filter(dataset=dataset, pk=pk).first()
    if distribution is None:
        raise ApiError(404, _("The dataset has no distribution %(id)s.") % {"id": pk})
    distribution.dataset = dataset
    return distribution


def find_publisher(slug: str) -> Organisation:
    organisation = Organisation.objects.filter(slug=slug).first()
    if organisation is None:
        message = _("There is no organisation %(slug)s.") % {"slug": slug}
        raise invalid({"publisher": [message]})
    return organisation


def dataset_url(dataset: Dataset) -> str:
    return settings.SITE_URL + reverse("api:dataset", kwargs={"name": dataset.name})


def distribution_url(distribution: Distribution) -> str:
    kwargs = {"name": distribution.dataset.name, "distribution_id": distribution.pk}
    return settings.SITE_URL + reverse("api:distribution", kwargs=kwargs)


def upload_too_large() -> ApiError:
    limit = settings.ALLMENDE_MAX_UPLOAD_BYTES
    message = _("The file is larger than the limit of %(limit)s bytes.") % {"limit": limit}
    return ApiError(413, message, {"file": [message]})


@contextmanager
def service_errors() -> Iterator[None]:
    """A refusal by a service as the matching HTTP error (nothing was written)."""
    try:
        yield
    except services.PermissionDenied as exc:
        raise ApiError(403, str(exc)) from None
    except services.UploadTooLarge:
        raise upload_too_large() from None
    except DatasetError as exc:
        if exc.field:
            raise invalid({exc.field: [str(exc)]}) from None
        raise ApiError(422, str(exc)) from None


def entry_fields(changes: dict[str, Any], dataset: Dataset | None = None) -> EntryFields:
    """The dataset's current fields (none for a new one) with ``changes`` applied;
    ``None`` clears a field."""
    values = {name: getattr(dataset, name) for name in DATASET_FIELDS} if dataset else {}
    for name, value in changes.items():
        if name in DATASET_FIELDS:
            values[name] = DATASET_FIELDS[name] if value is None else value
    values = {k: list(v) if isinstance(v, list) else v for k, v in values.items()}
    return EntryFields(iri=dataset.iri if dataset else "", **values)


def distribution_fields(
    changes: dict[str, Any], distribution: Distribution | None = None
) -> DistributionFields:
    """Like ``entry_fields``, for a distribution. The known size stays while the file or
    the URLs do."""
    values = {n: getattr(distribution, n) for n in DISTRIBUTION_FIELDS} if distribution else {}
    values.update({n: v or "" for n, v in changes.items() if n in DISTRIBUTION_FIELDS})
    fields = DistributionFields(iri=distribution.iri if distribution else "", **values)
    if distribution is not None and (
        distribution.file
        or (fields.access_url, fields.download_url)
        == (distribution.access_url, distribution.download_url)
    ):
        fields.byte_size = distribution.byte_size
    return fields


def _validate(data: Any) -> dict[str, Any]:
    try:
        payload = DistributionIn.model_validate(data)
    except pydantic.ValidationError as exc:
        raise invalid(field_errors(exc.errors(include_url=False))) from None
    return payload.model_dump(exclude_unset=True)


def read_json(request: HttpRequest) -> dict[str, Any]:
    """A distribution's fields from a JSON body."""
    try:
        data = json.loads(request.body or b"{}")
    except RequestDataTooBig:
        raise too_large() from None
    except ValueError as exc:
        raise ApiError(400, _("The request body is not valid JSON: %s") % exc) from None
    return _validate(data)


def read_multipart(request: HttpRequest) -> tuple[dict[str, Any], UploadedFile | None]:
    """A distribution's fields and file (part ``file``) from a multipart body. A body that
    cannot fit the limits is refused before it is read."""
    limit = settings.ALLMENDE_MAX_UPLOAD_BYTES
    fields_limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if fields_limit is not None and length > limit + fields_limit + 64 * 1024:
        raise upload_too_large()
    try:
        data = {name: request.POST[name] for name in request.POST}
        files = request.FILES
    except RequestDataTooBig:
        raise too_large() from None
    except MultiPartParserError:
        raise ApiError(400, _("The multipart body cannot be read.")) from None
    unknown = {name: [_("This field is not known.")] for name in files if name != "file"}
    if unknown:
        raise invalid(unknown)
    upload = files.get("file")
    if upload is not None and upload.size > limit:
        raise upload_too_large()
    return _validate(data), upload


def read_distribution(request: HttpRequest) -> tuple[dict[str, Any], UploadedFile | None]:
    """Fields (and a file) from JSON or multipart/form-data, by the request's type."""
    if request.content_type == "multipart/form-data":
        return read_multipart(request)
    if request.content_type == "application/json" or request.content_type.endswith("+json"):
        return read_json(request), None
    raise ApiError(
        415, _("Send application/json, or multipart/form-data with the file in the part file.")
    )
