"""Datasets, their distributions and the facet rows used for filtering.

A dataset row holds the canonical RDF graph of its description (``graph``, N-Triples,
blank nodes canonically labelled) and a projection of the fields that lists, facets and
forms need. The graph is what the RDF endpoints serve; the projection is derived from it.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DatasetQuerySet(models.QuerySet):
    def published(self) -> "DatasetQuerySet":
        return self.filter(status=Dataset.Status.PUBLISHED)

    def visible_to(self, user) -> "DatasetQuerySet":
        """Published datasets, plus drafts of organisations ``user`` edits for."""
        if getattr(user, "is_superuser", False):
            return self
        if not getattr(user, "is_authenticated", False):
            return self.published()
        from allmende.core.rules import editable_organisations

        return self.filter(
            models.Q(status=Dataset.Status.PUBLISHED)
            | models.Q(publisher__in=editable_organisations(user))
        )


class Dataset(models.Model):
    """A catalogue entry: a dcat:Dataset, dcat:DatasetSeries or dcat:DataService."""

    class Kind(models.TextChoices):
        DATASET = "dataset", _("Dataset")
        SERIES = "series", _("Dataset series")
        SERVICE = "service", _("Data service")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn by its source")

    name = models.SlugField(_("short name"), max_length=200, unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.DATASET)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    iri = models.CharField(_("IRI"), max_length=1000, unique=True)
    identifier = models.CharField(_("identifier"), max_length=1000, blank=True, db_index=True)
    publisher = models.ForeignKey(
        "core.Organisation",
        on_delete=models.PROTECT,
        related_name="datasets",
        verbose_name=_("publisher"),
    )
    title = models.CharField(_("title"), max_length=1000)
    title_en = models.CharField(_("title (English)"), max_length=1000, blank=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("description (English)"), blank=True)
    license = models.CharField(_("licence"), max_length=500, blank=True)
    access_rights = models.CharField(_("access rights"), max_length=500, blank=True)
    accrual_periodicity = models.CharField(_("update frequency"), max_length=500, blank=True)
    issued = models.DateTimeField(_("issued"), null=True, blank=True)
    modified = models.DateTimeField(_("modified"), null=True, blank=True)
    temporal_start = models.DateField(_("temporal coverage from"), null=True, blank=True)
    temporal_end = models.DateField(_("temporal coverage until"), null=True, blank=True)
    spatial = models.CharField(_("spatial coverage"), max_length=1000, blank=True)
    political_geocoding = models.CharField(_("political geocoding"), max_length=500, blank=True)
    contact_name = models.CharField(_("contact name"), max_length=500, blank=True)
    contact_email = models.CharField(_("contact email"), max_length=500, blank=True)
    contact_url = models.CharField(_("contact URL"), max_length=1000, blank=True)
    landing_page = models.CharField(_("landing page"), max_length=1000, blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    themes = models.JSONField(_("themes"), default=list, blank=True)
    formats = models.JSONField(_("formats"), default=list, blank=True)
    is_demo = models.BooleanField(
        _("demo content"), default=False, help_text=_("Sample content, not real data.")
    )
    source = models.CharField(_("source"), max_length=1000, blank=True)
    harvest_source = models.ForeignKey(
        "catalog.HarvestSource",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="datasets",
        verbose_name=_("harvest source"),
    )
    original_identifier = models.CharField(
        _("identifier at the source"), max_length=1000, blank=True
    )
    first_seen = models.DateTimeField(_("first harvested"), null=True, blank=True)
    last_seen = models.DateTimeField(_("last seen at the source"), null=True, blank=True)
    graph = models.TextField(_("RDF graph (N-Triples)"))
    graph_hash = models.CharField(max_length=64)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True, db_index=True)
    published_at = models.DateTimeField(null=True, blank=True)

    objects = DatasetQuerySet.as_manager()

    class Meta:
        ordering = ["title"]
        verbose_name = _("dataset")
        verbose_name_plural = _("datasets")
        indexes = [models.Index(fields=["status", "id"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("catalog:dataset", args=[self.name])

    def title_for(self, language: str) -> str:
        return (self.title_en if language == "en" else "") or self.title

    def description_for(self, language: str) -> str:
        return (self.description_en if language == "en" else "") or self.description


class Distribution(models.Model):
    """A dcat:Distribution of a dataset: a file (uploaded or linked) or an access point."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="distributions")
    iri = models.CharField(_("IRI"), max_length=1000)
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=1000, blank=True)
    description = models.TextField(_("description"), blank=True)
    access_url = models.CharField(_("access URL"), max_length=2000, blank=True)
    download_url = models.CharField(_("download URL"), max_length=2000, blank=True)
    format = models.CharField(_("format"), max_length=500, blank=True)
    media_type = models.CharField(_("media type"), max_length=200, blank=True)
    license = models.CharField(_("licence"), max_length=500, blank=True)
    byte_size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="distributions/%Y/%m/", blank=True)

    class Meta:
        ordering = ["dataset", "position", "id"]
        verbose_name = _("distribution")
        verbose_name_plural = _("distributions")

    def __str__(self) -> str:
        return self.title or self.download_url or self.access_url or self.iri


class DatasetFacet(models.Model):
    """One (facet, value) of a dataset, for filtering and counting: theme, format, ..."""

    class Facet(models.TextChoices):
        PUBLISHER = "publisher", _("Publisher")
        THEME = "theme", _("Theme")
        FORMAT = "format", _("Format")
        LICENSE = "license", _("Licence")
        KEYWORD = "keyword", _("Keyword")
        QUALITY = "quality", _("Metadata quality")

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="facets")
    facet = models.CharField(max_length=20, choices=Facet.choices)
    value = models.CharField(max_length=500)

    class Meta:
        indexes = [models.Index(fields=["facet", "value"])]
        constraints = [
            models.UniqueConstraint(fields=["dataset", "facet", "value"], name="unique_facet")
        ]

    def __str__(self) -> str:
        return f"{self.facet}={self.value}"
