"""Observations: a lean, append-mostly table built for time-range scans and bulk inserts.

A numeric result (by far the most common) is one float (``number``) and a flag for
whether it was an integer; any other result (text, boolean, object, array) is JSON in
``result``. Rows are inserted in batches by ``sensors/services/ingest.py``, which also
keeps, per batch and without triggers, the hourly roll-up (``ObservationHour``: count,
sum, min, max per Datastream and hour — aggregates and counts over long ranges read it
instead of millions of rows), each Datastream's latest observation and its phenomenon
and result time ranges. On PostgreSQL the time column also has a BRIN index, tiny and
fit for a table that grows in time order.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Observation(models.Model):
    id = models.BigAutoField(primary_key=True)
    # No foreign-key constraints in the database: their checks are per-row trigger work
    # that halves bulk ingest on PostgreSQL. The services check that series and features
    # exist before storing, and delete observations with what they belong to.
    datastream = models.ForeignKey(
        "Datastream",
        on_delete=models.CASCADE,
        null=True,
        related_name="observations",
        db_index=False,  # the (datastream, phenomenon_start) index serves it
        db_constraint=False,
    )
    multi_datastream = models.ForeignKey(
        "MultiDatastream",
        on_delete=models.CASCADE,
        null=True,
        related_name="observations",
        db_index=False,
        db_constraint=False,
    )
    feature = models.ForeignKey(
        "FeatureOfInterest",
        on_delete=models.CASCADE,
        null=True,
        related_name="observations",
        db_constraint=False,
    )
    phenomenon_start = models.DateTimeField()
    phenomenon_end = models.DateTimeField(null=True)  # set when phenomenonTime is an interval
    result_time = models.DateTimeField(null=True)
    number = models.FloatField(null=True)  # a numeric result
    integer = models.BooleanField(default=False)  # ... that was an integer
    result = models.JSONField(null=True)  # any other result (number is then null)
    result_quality = models.JSONField(null=True)
    valid_start = models.DateTimeField(null=True)
    valid_end = models.DateTimeField(null=True)
    parameters = models.JSONField(null=True)

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        indexes = [
            models.Index(fields=["datastream", "phenomenon_start"], name="sensors_obs_ds_time"),
            models.Index(
                fields=["multi_datastream", "phenomenon_start"], name="sensors_obs_mds_time"
            ),
            # the few observations whose phenomenon time is an interval, by their end: a
            # count "phenomenonTime lt t" from the roll-up subtracts those ending later
            models.Index(
                fields=["datastream", "phenomenon_end"],
                name="sensors_obs_ds_end",
                condition=models.Q(phenomenon_end__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Observation({self.pk})"


class ObservationHour(models.Model):
    """The observations of one Datastream in one hour (UTC), summed up."""

    datastream = models.ForeignKey("Datastream", on_delete=models.CASCADE, related_name="+")
    hour = models.DateTimeField()
    count = models.BigIntegerField(default=0)
    numeric = models.BigIntegerField(default=0)  # how many of them have a numeric result
    total = models.FloatField(null=True)
    minimum = models.FloatField(null=True)
    maximum = models.FloatField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["datastream", "hour"], name="sensors_hour_unique")
        ]

    def __str__(self) -> str:
        return f"{self.datastream_id}@{self.hour.isoformat()}"


class ReceivedMessage(models.Model):
    """A message already stored (MQTT, uplinks): its key, so a redelivery is stored once.
    Written in the same transaction as its observations; forgotten after a while."""

    key = models.CharField(max_length=64, primary_key=True)
    received = models.DateTimeField(auto_now_add=True, db_index=True)

    def __str__(self) -> str:
        return self.key
