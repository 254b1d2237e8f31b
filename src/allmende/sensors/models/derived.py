"""Derived quantities, configured: rules that compute a value from the observations of
some Datastreams (e.g. Jena's tree watering: pF from soil water tension), with classes
(colours) by thresholds; reference areas that summarise the sensors lying in them."""

from django.db import models
from django.utils.translation import gettext_lazy as _


def pf_classes() -> list[dict]:
    """Jena's tree-watering classes: pF < 1.8 blue, ≤ 3.0 green, ≤ 3.6 yellow, above red."""
    return [
        {"below": 1.8, "class": "blue"},
        {"upto": 3.0, "class": "green"},
        {"upto": 3.6, "class": "yellow"},
        {"class": "red"},
    ]


class DerivedRule(models.Model):
    """Per device (Thing) and time: ``log10(|value| × factor)`` of every source value
    (pF from a water tension: the factor turns its unit into hPa), averaged over the
    device's sources, classed by ``classes``; stored as observations of a Datastream per
    device."""

    class Kind(models.TextChoices):
        PF = "pf", _("pF from soil water tension")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.PF)
    source_definition = models.CharField(
        _("observed property of the sources (definition)"), max_length=1000
    )
    factor = models.FloatField(_("factor to hPa"), default=1.0)
    classes = models.JSONField(_("classes"), default=pf_classes)
    enabled = models.BooleanField(_("enabled"), default=True)
    last_observation = models.BigIntegerField(default=0)  # processed up to this id
    organisation = models.ForeignKey(
        "core.Organisation", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("derived quantity")
        verbose_name_plural = _("derived quantities")

    def __str__(self) -> str:
        return self.name


class DerivedStream(models.Model):
    """The Datastream a rule writes for one Thing."""

    rule = models.ForeignKey(DerivedRule, on_delete=models.CASCADE, related_name="streams")
    thing = models.ForeignKey("Thing", on_delete=models.CASCADE, related_name="+")
    datastream = models.ForeignKey("Datastream", on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["rule", "thing"], name="sensors_derived_thing")
        ]

    def __str__(self) -> str:
        return f"{self.rule_id}/{self.thing_id}"


class ReferenceArea(models.Model):
    """An area whose sensors are summarised together (e.g. a tree-watering tour)."""

    name = models.CharField(_("name"), max_length=300)
    geometry = models.JSONField(_("geometry"))
    properties = models.JSONField(_("properties"), default=dict, blank=True)
    west = models.FloatField(null=True)
    south = models.FloatField(null=True)
    east = models.FloatField(null=True)
    north = models.FloatField(null=True)

    class Meta:
        verbose_name = _("reference area")
        verbose_name_plural = _("reference areas")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
