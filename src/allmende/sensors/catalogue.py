"""Each Datastream in the data catalogue: offered as a DCAT-AP.de dataset with a
SensorThings distribution (through ``allmende.core.publishing``, not an import), again
whenever it changes, withdrawn when it is deleted."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import override

from allmende.core.publishing import (
    CatalogueOffer,
    OfferedDistribution,
    offer_to_catalogue,
    withdraw_from_catalogue,
)

from .models import Datastream
from .sta.entities import EntityType


def datastream_url(pk: int) -> str:
    return f"{settings.SITE_URL}/sta/v1.1/Datastreams({pk})"


def offer_for(datastream: Datastream) -> CatalogueOffer:
    url = datastream_url(datastream.pk)
    unit = datastream.unit_of_measurement or {}
    observed = datastream.observed_property
    with override(settings.LANGUAGE_CODE):  # the catalogue's texts are German first
        description = _(
            "Measurements of %(property)s (%(unit)s) by %(thing)s, as a live SensorThings "
            "Datastream: %(description)s"
        ) % {
            "property": observed.name,
            "unit": unit.get("symbol") or unit.get("name") or "-",
            "thing": datastream.thing.name,
            "description": datastream.description or datastream.name,
        }
        distributions = [
            OfferedDistribution(
                title=_("SensorThings API: the Datastream"),
                access_url=url,
                format="JSON",
                media_type="application/json",
            ),
            OfferedDistribution(
                title=_("SensorThings API: its observations"),
                access_url=f"{url}/Observations",
                format="JSON",
                media_type="application/json",
            ),
        ]
    return CatalogueOffer(
        identifier=url,
        title=datastream.name,
        description=description,
        publisher=datastream.organisation,
        keywords=[k for k in (observed.name, datastream.thing.name, "Sensordaten") if k],
        themes=["ENVI"],
        landing_page=url,
        distributions=distributions,
    )


def on_saved(sender: Any, etype: EntityType, pk: int, **kwargs: Any) -> None:
    if etype.model is not Datastream:
        return
    found = Datastream.objects.select_related("thing", "observed_property").filter(pk=pk).first()
    if found is not None:
        offer_to_catalogue(offer_for(found))


def on_deleted(sender: Any, etype: EntityType, pk: int, **kwargs: Any) -> None:
    if etype.model is Datastream:
        withdraw_from_catalogue(datastream_url(pk))


def connect() -> None:
    from .signals import entity_deleted, entity_saved

    entity_saved.connect(on_saved, dispatch_uid="sensors.catalogue.saved")
    entity_deleted.connect(on_deleted, dispatch_uid="sensors.catalogue.deleted")
