"""The SensorThings entities except Observations (those: ``observations.py``).

Names follow the standard in snake case (``encodingType`` → ``encoding_type``); the API
maps them (``sensors/sta/entities.py``). Every entity carries the 1.1 ``properties``
object. Geometries are GeoJSON objects with their bounding box beside them in four
columns, so spatial filters can narrow the rows in SQL before the exact test. Each
entity belongs to an organisation: its editors may change it.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Owned(models.Model):
    """Fields every entity has: an owning organisation, ``properties``, timestamps."""

    organisation = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("organisation"),
    )
    properties = models.JSONField(_("properties"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Named(Owned):
    name = models.CharField(_("name"), max_length=500)
    description = models.TextField(_("description"), blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name


class Located(models.Model):
    """A GeoJSON geometry (or feature) and its bounding box in WGS 84 degrees."""

    west = models.FloatField(null=True, blank=True)
    south = models.FloatField(null=True, blank=True)
    east = models.FloatField(null=True, blank=True)
    north = models.FloatField(null=True, blank=True)

    class Meta:
        abstract = True


class Thing(Named):
    locations = models.ManyToManyField(
        "Location", related_name="things", blank=True, verbose_name=_("locations")
    )

    class Meta:
        verbose_name = _("thing")
        verbose_name_plural = _("things")


class Location(Named, Located):
    encoding_type = models.CharField(_("encoding type"), max_length=200)
    location = models.JSONField(_("location"))
    #: the FeatureOfInterest made from this location for observations that name none
    feature = models.ForeignKey(
        "FeatureOfInterest", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("location")
        verbose_name_plural = _("locations")


class HistoricalLocation(models.Model):
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="historical_locations")
    time = models.DateTimeField(_("time"), db_index=True)
    locations = models.ManyToManyField(Location, related_name="historical_locations")

    class Meta:
        verbose_name = _("historical location")
        verbose_name_plural = _("historical locations")

    def __str__(self) -> str:
        return f"{self.thing_id}@{self.time.isoformat()}"


class Sensor(Named):
    encoding_type = models.CharField(_("encoding type"), max_length=200)
    metadata = models.TextField(_("metadata"))

    class Meta:
        verbose_name = _("sensor")
        verbose_name_plural = _("sensors")


class ObservedProperty(Named):
    definition = models.CharField(_("definition"), max_length=1000)

    class Meta:
        verbose_name = _("observed property")
        verbose_name_plural = _("observed properties")


class FeatureOfInterest(Named, Located):
    encoding_type = models.CharField(_("encoding type"), max_length=200)
    feature = models.JSONField(_("feature"))

    class Meta:
        verbose_name = _("feature of interest")
        verbose_name_plural = _("features of interest")


class Series(Named):
    """What Datastreams and MultiDatastreams share: their sensor and thing, the area and
    times their observations cover (kept by the ingest, not by triggers), and the
    latest observation, so "latest per Datastream" reads one row each."""

    observation_type = models.CharField(_("observation type"), max_length=300)
    observed_area = models.JSONField(_("observed area"), null=True, blank=True)
    phenomenon_start = models.DateTimeField(null=True, blank=True)
    phenomenon_end = models.DateTimeField(null=True, blank=True)
    result_start = models.DateTimeField(null=True, blank=True)
    result_end = models.DateTimeField(null=True, blank=True)
    #: the id of the latest observation: no foreign key, so deleting millions of
    #: observations is one DELETE, not a walk through the rows
    latest_id = models.BigIntegerField(null=True, blank=True)
    latest_start = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True


class Datastream(Series):
    unit_of_measurement = models.JSONField(_("unit of measurement"))
    #: observations older than this many days are deleted; their hourly roll-up stays
    keep_days = models.PositiveIntegerField(
        _("keep observations (days)"),
        null=True,
        blank=True,
        help_text=_("Empty: for ever. Hourly means, minima and maxima are kept for ever."),
    )
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="datastreams")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="datastreams")
    observed_property = models.ForeignKey(
        ObservedProperty, on_delete=models.CASCADE, related_name="datastreams"
    )

    class Meta:
        verbose_name = _("datastream")
        verbose_name_plural = _("datastreams")


class MultiDatastream(Series):
    unit_of_measurements = models.JSONField(_("units of measurement"))
    multi_observation_data_types = models.JSONField(_("observation types of the members"))
    thing = models.ForeignKey(Thing, on_delete=models.CASCADE, related_name="multi_datastreams")
    sensor = models.ForeignKey(Sensor, on_delete=models.CASCADE, related_name="multi_datastreams")
    observed_properties = models.ManyToManyField(
        ObservedProperty, through="MultiDatastreamProperty", related_name="multi_datastreams"
    )

    class Meta:
        verbose_name = _("multi datastream")
        verbose_name_plural = _("multi datastreams")


class MultiDatastreamProperty(models.Model):
    """The observed properties of a MultiDatastream, in the order of its results."""

    multi_datastream = models.ForeignKey(MultiDatastream, on_delete=models.CASCADE)
    observed_property = models.ForeignKey(ObservedProperty, on_delete=models.CASCADE)
    rank = models.PositiveSmallIntegerField()

    class Meta:
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["multi_datastream", "rank"], name="sensors_mdp_rank")
        ]

    def __str__(self) -> str:
        return f"{self.multi_datastream_id}[{self.rank}]"
