"""The DCAT-AP.de RDF endpoints: the paged catalogue and one document per dataset."""

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from allmende.core.accept import accept_entries

from ..dcat.page import PageEntry, catalog_page, entry_document
from ..dcat.rdfio import SERVE_AS
from ..models import Dataset
from ..selectors import catalog_info, public_page
from .quality import quality_ntriples

ACCEPT_TO_EXT = {
    "text/turtle": "ttl",
    "application/x-turtle": "ttl",
    "application/rdf+xml": "rdf",
    "application/ld+json": "jsonld",
    "application/n-triples": "nt",
}


def rdf_response(body: bytes, ext: str) -> HttpResponse:
    response = HttpResponse(body, content_type=SERVE_AS[ext][1])
    response["Access-Control-Allow-Origin"] = "*"
    response["Vary"] = "Accept"
    return response


def bad_request(message: str) -> HttpResponse:
    return HttpResponse(message + "\n", status=400, content_type="text/plain; charset=utf-8")


@require_GET
def catalog_document(request: HttpRequest, ext: str) -> HttpResponse:
    """``/catalog.{ttl,rdf,jsonld,nt}?page=N``: hydra-paged, stable order."""
    size = settings.ALLMENDE_CATALOG_PAGE_SIZE
    raw_page = request.GET.get("page", "1")
    if not raw_page.isdigit() or int(raw_page) < 1:
        return bad_request(_("page must be a whole number from 1"))
    page = int(raw_page)
    entries, total = public_page(page, size)
    if not entries and page > 1:
        raise Http404("no such page")
    body = catalog_page(
        catalog_info(),
        entries,
        fmt=SERVE_AS[ext][0],
        base_url=f"{settings.SITE_URL}/catalog.{ext}",
        page=page,
        total=total,
        size=size,
    )
    return rdf_response(body, ext)


def preferred_rdf_extension(request: HttpRequest) -> str | None:
    """The RDF format the Accept header asks for, if it prefers RDF over HTML."""
    best: tuple[float, str | None] = (0.0, None)
    for _position, media, quality in accept_entries(request.headers.get("Accept", "")):
        if media in ("text/html", "application/xhtml+xml") and quality >= best[0]:
            best = (quality, None)
        elif media in ACCEPT_TO_EXT and quality > best[0]:
            best = (quality, ACCEPT_TO_EXT[media])
    return best[1]


@require_GET
def dataset_document(request: HttpRequest, name: str, ext: str) -> HttpResponse:
    dataset = get_object_or_404(Dataset.objects.visible_to(request.user), name=name)
    return rdf_response(dataset_rdf(dataset, ext), ext)


def dataset_rdf(dataset: Dataset, ext: str) -> bytes:
    """One entry's description, with its current quality measurement in DQV (the
    catalogue pages leave quality out: they stay small, fast and plain DCAT-AP.de)."""
    graph = dataset.graph + quality_ntriples(dataset)
    return entry_document(PageEntry(dataset.iri, dataset.kind, graph), SERVE_AS[ext][0])
