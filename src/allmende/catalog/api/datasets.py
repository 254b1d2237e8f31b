"""``/datasets`` and ``/organisations``: read, create, change, publish and delete."""

from typing import Any

from django.conf import settings
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from allmende.core.api import OPTIONAL_TOKEN, ApiError, BearerToken, TokenOrVisitor
from allmende.core.models import Organisation

from .. import labels
from ..dcat.project import format_label
from ..models import Dataset
from ..selectors import search_datasets
from ..services import datasets as services
from .common import dataset_url, entry_fields, find_dataset, find_publisher, service_errors
from .schemas import (
    DatasetChange,
    DatasetCreate,
    DatasetOut,
    DatasetPage,
    DatasetQuery,
    ErrorOut,
    OrganisationOut,
)

router = Router(tags=["datasets"])

READ = TokenOrVisitor()
WRITE = BearerToken()
READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut, 422: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {s: ErrorOut for s in (400, 401, 403, 404, 422)}


@router.get(
    "/datasets",
    response={200: DatasetPage, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
)
def list_datasets(request: HttpRequest, query: Query[DatasetQuery]) -> dict[str, Any]:
    """Published datasets (and the drafts of publishers the caller edits for), filtered and
    paged. Filters of different names must all match; repeated ones, any of them."""
    filters = {
        "publisher": query.publisher,
        "theme": [labels.code(t) for t in query.theme],
        "format": [format_label(f) for f in query.format],
        "license": query.license,
        "keyword": query.keyword,
    }
    datasets = search_datasets(request.auth, q=query.q.strip(), filters=filters, sort=query.sort)
    if query.status:
        datasets = datasets.filter(status=query.status)
    count = datasets.count()
    start = (query.page - 1) * query.page_size
    if query.page > 1 and start >= count:
        raise ApiError(404, _("There is no page %(page)s.") % {"page": query.page})
    rows = datasets.prefetch_related("distributions")[start : start + query.page_size]
    return {
        "count": count,
        "page": query.page,
        "page_size": query.page_size,
        "next": _page_link(request, query.page + 1) if start + query.page_size < count else None,
        "previous": _page_link(request, query.page - 1) if query.page > 1 else None,
        "results": list(rows),
    }


def _page_link(request: HttpRequest, page: int) -> str:
    params = request.GET.copy()
    params["page"] = str(page)
    return f"{settings.SITE_URL}{request.path}?{params.urlencode()}"


@router.get(
    "/datasets/{name}",
    response={200: DatasetOut, **READ_ERRORS},
    auth=READ,
    openapi_extra=OPTIONAL_TOKEN,
    url_name="dataset",
)
def get_dataset(request: HttpRequest, name: str) -> Dataset:
    """One dataset with its distributions."""
    return find_dataset(request.auth, name)


@router.post("/datasets", response={201: DatasetOut, **WRITE_ERRORS}, auth=WRITE)
def create_dataset(request: HttpRequest, payload: DatasetCreate, response: HttpResponse) -> Status:
    """Create a draft dataset for an organisation the token's user edits for."""
    publisher = find_publisher(payload.publisher)
    with service_errors():
        dataset = services.create_dataset(
            publisher=publisher, fields=entry_fields(payload.model_dump()), by=request.auth
        )
    response["Location"] = dataset_url(dataset)
    return Status(201, find_dataset(request.auth, dataset.name))


@router.patch("/datasets/{name}", response={200: DatasetOut, **WRITE_ERRORS}, auth=WRITE)
def update_dataset(request: HttpRequest, name: str, payload: DatasetChange) -> Dataset:
    """Change the fields sent; every other field, and every triple of the description the
    API does not model, stays. Moving a dataset to another publisher needs the editor
    role in both."""
    dataset = find_dataset(request.auth, name)
    changes = payload.model_dump(exclude_unset=True)
    publisher = find_publisher(changes["publisher"]) if "publisher" in changes else None
    with service_errors():
        services.update_dataset(
            dataset,
            fields=entry_fields(changes, dataset),
            by=request.auth,
            publisher=publisher,
        )
    return find_dataset(request.auth, name)


@router.delete("/datasets/{name}", response={204: None, **WRITE_ERRORS}, auth=WRITE)
def delete_dataset(request: HttpRequest, name: str) -> Status:
    """Delete a dataset with its distributions and uploaded files."""
    dataset = find_dataset(request.auth, name)
    with service_errors():
        services.delete_dataset(dataset, by=request.auth)
    return Status(204, None)


@router.post("/datasets/{name}/publish", response={200: DatasetOut, **WRITE_ERRORS}, auth=WRITE)
def publish_dataset(request: HttpRequest, name: str) -> Dataset:
    """Make a draft public (a published dataset stays published)."""
    dataset = find_dataset(request.auth, name)
    with service_errors():
        services.publish_dataset(dataset, by=request.auth)
    return find_dataset(request.auth, name)


@router.post("/datasets/{name}/unpublish", response={200: DatasetOut, **WRITE_ERRORS}, auth=WRITE)
def unpublish_dataset(request: HttpRequest, name: str) -> Dataset:
    """Take a dataset back to draft: only its publisher's editors see it then."""
    dataset = find_dataset(request.auth, name)
    with service_errors():
        services.unpublish_dataset(dataset, by=request.auth)
    return find_dataset(request.auth, name)


@router.get("/organisations", response=list[OrganisationOut], tags=["organisations"])
def list_organisations(request: HttpRequest) -> Any:
    """All organisations (the publishers) with the number of their published datasets."""
    published = Count("datasets", filter=Q(datasets__status=Dataset.Status.PUBLISHED))
    return Organisation.objects.annotate(published_datasets=published).order_by("name", "pk")
