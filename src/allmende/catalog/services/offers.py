"""Datasets other domains offer (``allmende.core.publishing``): one published dataset
per offer, kept in step with it.

The description is built like a form's (DCAT-AP.de, German, the publisher's agent), its
subject ``<identifier>#dataset`` (the offered thing's IRI stays the thing's), and written
through the shared writer: an offer made again unchanged writes nothing, a changed one
updates the dataset, a withdrawn one sets it to "withdrawn". Connected in
``CatalogConfig.ready``; a failure is logged and never undoes the offering domain's write.
"""

import logging
from typing import Any

from django.db import transaction
from pyoxigraph import NamedNode

from allmende.core.models import Organisation
from allmende.core.publishing import CatalogueOffer

from ..dcat.build import apply_distribution_fields, apply_entry_fields
from ..dcat.extract import Description
from ..dcat.project import DistributionFields, EntryFields
from ..models import Catalog, Dataset
from ..signals import dataset_unpublished
from .graphs import agent_for
from .writing import WriteOptions, prepare_entry, write_entries

log = logging.getLogger(__name__)
DEFAULT_LICENSE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"
THEMES = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"


def dataset_iri(identifier: str) -> str:
    return f"{identifier}#dataset"


def on_offer(sender: Any, offer: CatalogueOffer | None, withdrawn: str | None, **kwargs) -> None:
    try:
        if offer is not None:
            store_offer(offer)
        elif withdrawn:
            withdraw_offer(withdrawn)
    except Exception:
        log.exception("catalogue offer %s not stored", getattr(offer, "identifier", withdrawn))


def store_offer(offer: CatalogueOffer) -> Dataset | None:
    """Create or update the dataset of ``offer`` (published at once)."""
    publisher = offer.publisher or _own_publisher()
    if publisher is None:
        log.warning("offer %s: no publisher and the catalogue has none", offer.identifier)
        return None
    iri = dataset_iri(offer.identifier)
    subject = NamedNode(iri)
    license_ = offer.license or DEFAULT_LICENSE
    fields = EntryFields(
        iri=iri,
        title=offer.title,
        description=offer.description,
        identifier=offer.identifier,
        keywords=list(offer.keywords),
        themes=[t if ":" in t else THEMES + t for t in offer.themes],
        license=license_,
        landing_page=offer.landing_page,
    )
    triples = apply_entry_fields([], subject, "dataset", fields, agent_for(publisher))
    for n, dist in enumerate(offer.distributions, start=1):
        triples = apply_distribution_fields(
            triples,
            subject,
            DistributionFields(
                iri=f"{offer.identifier}#distribution-{n}",
                title=dist.title,
                description=dist.description,
                access_url=dist.access_url,
                format=dist.format
                if ":" in dist.format or not dist.format
                else FILE_TYPES + dist.format,
                media_type=dist.media_type,
                license=license_,
            ),
            license_,
        )
    entry = prepare_entry(Description(subject, "dataset", triples))
    with transaction.atomic():
        write_entries([entry], WriteOptions(source="offer", publisher=publisher, publish=True))
        dataset = Dataset.objects.get(iri=iri)
        if dataset.status != Dataset.Status.PUBLISHED:
            dataset.status = Dataset.Status.PUBLISHED
            dataset.save(update_fields=["status", "updated"])
    return dataset


def withdraw_offer(identifier: str) -> None:
    with transaction.atomic():
        dataset = Dataset.objects.filter(iri=dataset_iri(identifier)).first()
        if dataset is None or dataset.status == Dataset.Status.WITHDRAWN:
            return
        dataset.status = Dataset.Status.WITHDRAWN
        dataset.save(update_fields=["status", "updated"])
        transaction.on_commit(lambda: dataset_unpublished.send(sender=Dataset, dataset=dataset))


def _own_publisher() -> Organisation | None:
    catalog = Catalog.objects.exclude(publisher=None).select_related("publisher").first()
    return catalog.publisher if catalog else None
