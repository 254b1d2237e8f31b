"""``/datasets/{name}/distributions``: linked or uploaded files of a dataset."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Router, Status

from allmende.core.api import OPTIONAL_TOKEN, ApiError, invalid

from ..models import Distribution
from ..services import datasets as services
from .common import (
    distribution_fields,
    distribution_url,
    find_dataset,
    find_distribution,
    read_distribution,
    read_multipart,
    service_errors,
)
from .datasets import READ, READ_ERRORS, WRITE, WRITE_ERRORS
from .schemas import DistributionIn, DistributionOut, ErrorOut

router = Router(tags=["distributions"])

_FIELDS = DistributionIn.model_json_schema()
_FILE = {"file": {"type": "string", "format": "binary", "description": "the file"}}
UPLOAD_ERRORS: dict[int, Any] = {**WRITE_ERRORS, 413: ErrorOut, 415: ErrorOut}


def _body(*, json: bool, file_required: bool) -> dict[str, Any]:
    """The request body for the OpenAPI document (the views read it themselves)."""
    multipart: dict[str, Any] = {
        "type": "object",
        "properties": {**_FIELDS["properties"], **_FILE},
    }
    if file_required:
        multipart["required"] = ["file"]
    content: dict[str, Any] = {"multipart/form-data": {"schema": multipart}}
    if json:
        content["application/json"] = {"schema": {"$ref": "#/components/schemas/DistributionIn"}}
    return {"requestBody": {"required": True, "content": content}}


@router.get(
    "/datasets/{name}/distributions",
    response={200: list[DistributionOut], **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
)
def list_distributions(request: HttpRequest, name: str) -> Any:
    """The distributions of a dataset, in their order."""
    return find_dataset(request.auth, name).distributions.all()


@router.get(
    "/datasets/{name}/distributions/{distribution_id}",
    response={200: DistributionOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    url_name="distribution",
)
def get_distribution(request: HttpRequest, name: str, distribution_id: int) -> Distribution:
    """One distribution."""
    return find_distribution(find_dataset(request.auth, name), distribution_id)


@router.post(
    "/datasets/{name}/distributions",
    response={201: DistributionOut, **UPLOAD_ERRORS},
    auth=WRITE,
    openapi_extra=_body(json=True, file_required=False),
)
def create_distribution(request: HttpRequest, name: str, response: HttpResponse) -> Status:
    """Add a distribution: JSON with ``access_url`` or ``download_url`` links a file
    elsewhere; multipart/form-data with the file in the part ``file`` (and any of the
    fields as further parts) uploads one, up to ``ALLMENDE_MAX_UPLOAD_BYTES``."""
    dataset = find_dataset(request.auth, name)
    with service_errors():  # before reading what may be a large upload
        services.require_editor(request.auth, dataset.publisher)
    changes, upload = read_distribution(request)
    if not (upload or changes.get("access_url") or changes.get("download_url")):
        raise invalid({"access_url": [_("Upload a file or give its URL.")]})
    if upload is not None and not changes.get("title"):
        changes["title"] = upload.name or ""
    with service_errors():
        distribution = services.add_distribution(
            dataset, fields=distribution_fields(changes), by=request.auth, upload=upload
        )
    distribution.dataset = dataset
    response["Location"] = distribution_url(distribution)
    return Status(201, distribution)


@router.patch(
    "/datasets/{name}/distributions/{distribution_id}",
    response={200: DistributionOut, **WRITE_ERRORS},
    auth=WRITE,
)
def update_distribution(
    request: HttpRequest, name: str, distribution_id: int, payload: DistributionIn
) -> Distribution:
    """Change the fields sent; the others stay."""
    distribution = find_distribution(find_dataset(request.auth, name), distribution_id)
    changes = payload.model_dump(exclude_unset=True)
    with service_errors():
        return services.update_distribution(
            distribution, fields=distribution_fields(changes, distribution), by=request.auth
        )


@router.post(
    "/datasets/{name}/distributions/{distribution_id}/file",
    response={200: DistributionOut, **UPLOAD_ERRORS},
    auth=WRITE,
    openapi_extra=_body(json=False, file_required=True),
)
def replace_distribution_file(
    request: HttpRequest, name: str, distribution_id: int
) -> Distribution:
    """Upload a new file for a distribution (multipart/form-data, part ``file``); it
    replaces a stored file or a link. Further parts change those fields."""
    distribution = find_distribution(find_dataset(request.auth, name), distribution_id)
    with service_errors():  # before reading the upload
        services.require_editor(request.auth, distribution.dataset.publisher)
    if request.content_type != "multipart/form-data":
        raise ApiError(415, _("Send multipart/form-data with the file in the part file."))
    changes, upload = read_multipart(request)
    if upload is None:
        raise invalid({"file": [_("This field is required.")]})
    # The new file is the distribution now: its URLs and size come from the upload.
    fields = distribution_fields(changes, distribution)
    fields.access_url = fields.download_url = ""
    fields.byte_size = None
    with service_errors():
        return services.update_distribution(
            distribution, fields=fields, by=request.auth, upload=upload
        )


@router.delete(
    "/datasets/{name}/distributions/{distribution_id}",
    response={204: None, **WRITE_ERRORS},
    auth=WRITE,
)
def delete_distribution(request: HttpRequest, name: str, distribution_id: int) -> Status:
    """Remove a distribution (and its stored file)."""
    distribution = find_distribution(find_dataset(request.auth, name), distribution_id)
    with service_errors():
        services.delete_distribution(distribution, by=request.auth)
    return Status(204, None)
