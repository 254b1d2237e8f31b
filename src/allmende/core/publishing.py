"""Domains offer their data to the catalogue without knowing it: a domain builds a
:class:`CatalogueOffer` and calls :func:`offer_to_catalogue` (or
:func:`withdraw_from_catalogue`); the signal ``catalogue_offer`` carries it to whoever
listens — the catalogue, which keeps one open dataset per offer ``identifier`` (an IRI
of the offered thing, e.g. a Datastream's URL). Without a catalogue nothing happens.
"""

from dataclasses import dataclass, field
from typing import Any

from django.dispatch import Signal

#: kwargs: ``offer`` (CatalogueOffer), or ``withdrawn`` (the identifier)
catalogue_offer = Signal()


@dataclass
class OfferedDistribution:
    title: str
    access_url: str
    format: str = ""  # e.g. "JSON", "CSV"
    media_type: str = ""
    description: str = ""


@dataclass
class CatalogueOffer:
    identifier: str  # stable IRI of what is offered
    title: str
    description: str
    publisher: Any = None  # an Organisation; None: the catalogue's own publisher
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)  # EU data theme codes, e.g. "ENVI"
    landing_page: str = ""
    license: str = ""
    distributions: list[OfferedDistribution] = field(default_factory=list)


def offer_to_catalogue(offer: CatalogueOffer) -> None:
    catalogue_offer.send(sender=CatalogueOffer, offer=offer, withdrawn=None)


def withdraw_from_catalogue(identifier: str) -> None:
    catalogue_offer.send(sender=CatalogueOffer, offer=None, withdrawn=identifier)
