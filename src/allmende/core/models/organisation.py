"""Organisations (publishers such as "Stadt Jena") and the roles people hold in them."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Organisation(models.Model):
    """A publisher or team. Its IRI identifies it as a foaf:Agent in RDF."""

    slug = models.SlugField(_("short name"), max_length=100, unique=True)
    name = models.CharField(_("name"), max_length=255)
    name_en = models.CharField(_("name (English)"), max_length=255, blank=True)
    description = models.TextField(_("description"), blank=True)
    iri = models.URLField(_("IRI"), max_length=500, blank=True)
    homepage = models.URLField(_("homepage"), max_length=500, blank=True)
    email = models.EmailField(_("contact email"), blank=True)
    publisher_type = models.URLField(
        _("publisher type"),
        max_length=200,
        blank=True,
        help_text=_("ADMS publisher type, e.g. http://purl.org/adms/publishertype/LocalAuthority"),
    )
    created = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:publisher", args=[self.slug])

    @property
    def agent_iri(self) -> str:
        """The IRI we publish for this organisation (its own, or one under our site)."""
        return self.iri or f"{settings.SITE_URL}/organisation/{self.slug}"


class Membership(models.Model):
    """A person's role in an organisation."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Admin")
        EDITOR = "editor", _("Editor")
        MEMBER = "member", _("Member")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("user"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="unique_membership")
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user}, {self.organisation} ({self.role})"
