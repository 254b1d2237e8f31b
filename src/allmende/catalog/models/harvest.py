"""Harvest sources, their runs, and what each run had to say about single records."""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class HarvestSource(models.Model):
    """A place datasets are gathered from: a DCAT-AP endpoint, a CKAN API or one RDF file."""

    class Kind(models.TextChoices):
        DCAT = "dcat", _("DCAT-AP endpoint (any RDF format, hydra paging)")
        CKAN = "ckan", _("CKAN Action API")
        FILE = "file", _("Single RDF file")

    name = models.SlugField(_("short name"), max_length=100, unique=True)
    title = models.CharField(_("title"), max_length=300, blank=True)
    url = models.URLField(_("URL"), max_length=2000)
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices, default=Kind.DCAT)
    publisher = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="harvest_sources",
        verbose_name=_("publisher"),
        help_text=_(
            "Every dataset of the source is published by this organisation. Empty: each "
            "dataset keeps the publisher its record names."
        ),
    )
    interval_hours = models.PositiveIntegerField(
        _("run every (hours)"), default=24, help_text=_("0: only when run by hand.")
    )
    enabled = models.BooleanField(_("enabled"), default=True)
    next_run_at = models.DateTimeField(_("next scheduled run"), null=True, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("harvest source")
        verbose_name_plural = _("harvest sources")

    def __str__(self) -> str:
        return self.title or self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:harvest-source", args=[self.name])


class HarvestRun(models.Model):
    """One run of a source, kept as history with its report."""

    class Status(models.TextChoices):
        RUNNING = "running", _("running")
        SUCCEEDED = "succeeded", _("succeeded")
        FAILED = "failed", _("failed")

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="runs")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.RUNNING)
    trigger = models.CharField(max_length=20, default="manual")
    started_at = models.DateTimeField(auto_now_add=True)
    heartbeat = models.DateTimeField(auto_now_add=True)  # touched after every page
    finished_at = models.DateTimeField(null=True, blank=True)
    pages = models.PositiveIntegerField(default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    withdrawn = models.PositiveIntegerField(default=0)
    failed = models.PositiveIntegerField(default=0)
    error = models.TextField(_("why the run failed"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        indexes = [models.Index(fields=["source", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.source} {self.started_at:%Y-%m-%d %H:%M}"

    @property
    def summary(self) -> str:
        """The figures as the command line prints them."""
        return (
            f"created={self.created} updated={self.updated} unchanged={self.unchanged} "
            f"withdrawn={self.withdrawn} failed={self.failed}"
        )


class HarvestIssue(models.Model):
    """A record that failed in a run, or was stored with defects worth fixing at the source."""

    class Kind(models.TextChoices):
        FAILED = "failed", _("failed")
        DEFECT = "defect", _("stored with defects")

    run = models.ForeignKey(HarvestRun, on_delete=models.CASCADE, related_name="issues")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    identifier = models.CharField(_("record"), max_length=1000)
    dataset = models.ForeignKey(
        "catalog.Dataset", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    messages = models.JSONField(default=list)

    class Meta:
        ordering = ["kind", "identifier"]

    def __str__(self) -> str:
        return f"{self.identifier}: {'; '.join(self.messages)}"


class HarvestPageState(models.Model):
    """What a source's page held at the last successful reading, to skip unchanged pages.

    When a page arrives byte for byte as before (same digest) and every dataset it
    produced is still stored with the same canonical graph, for this source and not
    withdrawn, then every record on it is unchanged: nothing needs to be parsed. The
    failures and defects found then are reported again.
    """

    source = models.ForeignKey(HarvestSource, on_delete=models.CASCADE, related_name="pages")
    url = models.CharField(max_length=2000)
    digest = models.CharField(max_length=64)
    next_url = models.CharField(max_length=2000, blank=True)
    total = models.PositiveIntegerField(null=True, blank=True)
    records = models.PositiveIntegerField(default=0)
    entries = models.JSONField(default=list)  # [[iri, graph hash], ...] of stored records
    issues = models.JSONField(default=list)  # [[kind, identifier, messages], ...]
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["source", "url"], name="harvest_page_once")]

    def __str__(self) -> str:
        return self.url
