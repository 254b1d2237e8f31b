"""Devices the adapters know: a profile says which values a kind of device sends and
what they mean; a device is provisioned once as a Thing with one Datastream per value."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeviceProfile(models.Model):
    """How to read a kind of device, e.g. "Dragino_LSE01" (the name the network server
    gives the profile). ``fields`` lists the values to keep, each a dict::

        {"path": "water_SOIL_f", "name": "Bodenfeuchte",
         "observed_property": {"name": …, "definition": …, "description": …},
         "unit": {"name": …, "symbol": …, "definition": …},
         "observation_type": "…OM_Measurement" (optional), "factor": 1.0 (optional)}

    ``path`` walks the decoded payload: keys and list positions separated by dots, and
    ``[key=value]`` for the first object in a list (nested lists included) with that
    member, e.g. ``messages.[type=Air Temperature].measurementValue``.
    """

    name = models.CharField(_("name"), max_length=200, unique=True)
    fields = models.JSONField(_("values"), default=list)
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("device profile")
        verbose_name_plural = _("device profiles")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Device(models.Model):
    """One device (by its DevEUI or the adapter's id), provisioned as ``thing``;
    ``datastreams`` maps each profile path to the id of its Datastream."""

    identifier = models.CharField(_("device id"), max_length=200, unique=True)
    adapter = models.CharField(_("adapter"), max_length=50)
    name = models.CharField(_("name"), max_length=500)
    profile = models.ForeignKey(DeviceProfile, on_delete=models.PROTECT, related_name="devices")
    thing = models.ForeignKey("Thing", on_delete=models.SET_NULL, null=True, related_name="+")
    feature = models.ForeignKey(
        "FeatureOfInterest", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    datastreams = models.JSONField(default=dict)
    location = models.JSONField(_("location (GeoJSON)"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen"), null=True, blank=True)

    class Meta:
        verbose_name = _("device")
        verbose_name_plural = _("devices")
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.identifier})"


class PullSource(models.Model):
    """A URL read on an interval by an adapter (e.g. a DATEX II parking publication)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    adapter = models.CharField(_("adapter"), max_length=50, default="datex2")
    url = models.URLField(_("URL"), max_length=2000)
    interval_minutes = models.PositiveIntegerField(_("every (minutes)"), default=5)
    enabled = models.BooleanField(_("enabled"), default=True)
    next_run = models.DateTimeField(_("next run"), null=True, blank=True)
    last_run = models.DateTimeField(_("last run"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True)

    class Meta:
        verbose_name = _("pulled source")
        verbose_name_plural = _("pulled sources")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
