"""Metadata quality, derived from the datasets: the current measurement of each dataset,
the reachability of the URLs they name, and daily figures for charts over time.

All of it can be rebuilt from the datasets (``allmende catalog quality --all``), except
the history of the daily figures.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Band(models.TextChoices):
    """The MQA rating bands (points out of 405)."""

    EXCELLENT = "excellent", _("Excellent")
    GOOD = "good", _("Good")
    SUFFICIENT = "sufficient", _("Sufficient")
    BAD = "bad", _("Bad")


class QualityMeasurement(models.Model):
    """The latest MQA measurement of one dataset, and the graph it was computed from."""

    dataset = models.OneToOneField(
        "catalog.Dataset", on_delete=models.CASCADE, related_name="quality"
    )
    total = models.PositiveSmallIntegerField(_("score"))
    band = models.CharField(_("rating"), max_length=10, choices=Band.choices, db_index=True)
    findability = models.PositiveSmallIntegerField(default=0)
    accessibility = models.PositiveSmallIntegerField(default=0)
    interoperability = models.PositiveSmallIntegerField(default=0)
    reusability = models.PositiveSmallIntegerField(default=0)
    contextuality = models.PositiveSmallIntegerField(default=0)
    #: metric key -> {"dimension", "points", "max", "met", "of", ["pending"], ["values"]}
    indicators = models.JSONField(default=dict)
    #: the distribution nodes (IRI or ``_:label``) that per-distribution values refer to
    distributions = models.JSONField(default=list)
    #: some of its URLs were not checked yet (measured again once they are)
    pending_urls = models.BooleanField(default=False, db_index=True)
    shacl_violations = models.PositiveIntegerField(default=0)
    shacl_warnings = models.PositiveIntegerField(default=0)
    #: the first failing rules: [{"severity", "focus", "path", "message"}]
    shacl_messages = models.JSONField(default=list)
    #: the Dataset.graph_hash measured; emptied when another input (a URL check) changed
    graph_hash = models.CharField(max_length=64, blank=True)
    measured_at = models.DateTimeField(_("measured at"))

    class Meta:
        verbose_name = _("quality measurement")
        verbose_name_plural = _("quality measurements")

    def __str__(self) -> str:
        return f"{self.dataset_id}: {self.total} ({self.band})"

    @property
    def dimensions(self) -> dict[str, int]:
        from ..quality.mqa import DIMENSIONS

        return {name: getattr(self, name) for name in DIMENSIONS}


class UrlCheck(models.Model):
    """Whether a URL answered when last asked (HEAD, else GET, redirects followed)."""

    url = models.CharField(max_length=2000, unique=True)
    #: the final HTTP status; 0 when no HTTP answer came (refused, timeout, DNS, TLS)
    status = models.PositiveSmallIntegerField(null=True, blank=True)
    ok = models.BooleanField(null=True)
    error = models.CharField(max_length=500, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True, db_index=True)
    #: a worker's claim on the row while it checks it (several workers share the work)
    claim = models.CharField(max_length=32, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("URL check")
        verbose_name_plural = _("URL checks")

    def __str__(self) -> str:
        return f"{self.url}: {self.status}"


class QualitySnapshot(models.Model):
    """The quality of the published datasets on one day: of the whole catalogue, of one
    publisher or of one harvest source."""

    class Scope(models.TextChoices):
        CATALOG = "catalog", _("Catalogue")
        PUBLISHER = "publisher", _("Publisher")
        SOURCE = "source", _("Harvest source")

    date = models.DateField(_("date"))
    scope = models.CharField(max_length=10, choices=Scope.choices)
    #: the organisation or harvest source (0 for the catalogue)
    object_id = models.PositiveBigIntegerField(default=0)
    label = models.CharField(max_length=300, blank=True)
    datasets = models.PositiveIntegerField(default=0)
    mean_score = models.FloatField(default=0)
    excellent = models.PositiveIntegerField(default=0)
    good = models.PositiveIntegerField(default=0)
    sufficient = models.PositiveIntegerField(default=0)
    bad = models.PositiveIntegerField(default=0)
    #: dimension -> mean points
    dimensions = models.JSONField(default=dict)

    class Meta:
        ordering = ["date"]
        verbose_name = _("quality snapshot")
        verbose_name_plural = _("quality snapshots")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "object_id", "date"], name="unique_quality_snapshot"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date} {self.scope} {self.object_id}: {self.mean_score:.0f}"
