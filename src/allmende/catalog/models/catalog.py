"""The catalogue this platform publishes (dcat:Catalog)."""

from django.conf import settings
from django.db import models
from django.utils import translation
from django.utils.translation import gettext_lazy as _


class Catalog(models.Model):
    """The local catalogue. One row; created on first use from settings."""

    title = models.CharField(_("title"), max_length=255)
    title_en = models.CharField(_("title (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"))
    description_en = models.TextField(_("description (English)"), blank=True)
    publisher = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.SET_NULL
    )
    homepage = models.URLField(_("homepage"), blank=True)
    language = models.CharField(max_length=10, default="DEU")
    political_geocoding = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("catalogue")
        verbose_name_plural = _("catalogues")

    def __str__(self) -> str:
        return self.title

    @property
    def iri(self) -> str:
        return f"{settings.SITE_URL}/catalog"

    @classmethod
    def get_local(cls) -> "Catalog":
        catalog = cls.objects.select_related("publisher").order_by("pk").first()
        if catalog is None:
            description = _("Open data of the city")
            with translation.override("de"):  # stored texts must not depend on a request
                german = str(description)
            with translation.override("en"):
                english = str(description)
            catalog = cls.objects.create(
                title=settings.SITE_NAME,
                description=german,
                description_en=english,
                homepage=settings.SITE_URL + "/",
            )
        return catalog
