"""Messages that could not be stored: kept with the reason, for staff to look at and
replay (after fixing a device profile, say)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeadLetter(models.Model):
    source = models.CharField(_("source"), max_length=100)  # "mqtt", "chirpstack", …
    topic = models.CharField(_("topic"), max_length=1000, blank=True)
    payload = models.BinaryField(_("payload"))
    reason = models.TextField(_("reason"))
    received = models.DateTimeField(_("received"), auto_now_add=True, db_index=True)
    replayed = models.DateTimeField(_("replayed"), null=True, blank=True)

    class Meta:
        verbose_name = _("undeliverable message")
        verbose_name_plural = _("undeliverable messages")
        ordering = ["-received", "-pk"]

    def __str__(self) -> str:
        return f"{self.source} {self.topic}: {self.reason[:80]}"
