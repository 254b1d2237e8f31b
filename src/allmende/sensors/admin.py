"""Staff pages of the sensor hub (first version, in the admin): device profiles and their
value mappings, devices, pulled sources, and the dead-letter list with "replay"."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from allmende.core.admin import AuditedAdmin

from .models import (
    Datastream,
    DeadLetter,
    DerivedRule,
    Device,
    DeviceProfile,
    PullSource,
    ReferenceArea,
)
from .services.devices import replay


@admin.register(DeviceProfile)
class DeviceProfileAdmin(AuditedAdmin):
    list_display = ("name", "organisation")
    search_fields = ("name",)


@admin.register(Device)
class DeviceAdmin(AuditedAdmin):
    list_display = ("name", "identifier", "adapter", "profile", "last_seen")
    list_filter = ("adapter", "profile")
    search_fields = ("name", "identifier")
    readonly_fields = ("thing", "feature", "datastreams", "last_seen")


@admin.register(PullSource)
class PullSourceAdmin(AuditedAdmin):
    list_display = ("name", "adapter", "url", "interval_minutes", "enabled", "last_run")
    readonly_fields = ("next_run", "last_run", "last_error")


@admin.register(DeadLetter)
class DeadLetterAdmin(admin.ModelAdmin):
    list_display = ("received", "source", "topic", "reason", "replayed")
    list_filter = ("source", ("replayed", admin.EmptyFieldListFilter))
    search_fields = ("topic", "reason")
    readonly_fields = ("source", "topic", "payload_text", "reason", "received", "replayed")
    exclude = ("payload",)
    actions = ["replay_letters"]

    @admin.display(description=_("payload"))
    def payload_text(self, letter: DeadLetter) -> str:
        return bytes(letter.payload).decode("utf-8", "replace")[:20_000]

    @admin.action(description=_("Replay the selected messages"))
    def replay_letters(self, request, queryset) -> None:
        done, failed = replay(list(queryset))
        self.message_user(
            request,
            ngettext("%(count)d message stored.", "%(count)d messages stored.", done)
            % {"count": done},
            messages.SUCCESS,
        )
        if failed:
            self.message_user(
                request,
                ngettext(
                    "%(count)d message still fails; see its reason.",
                    "%(count)d messages still fail; see their reasons.",
                    failed,
                )
                % {"count": failed},
                messages.WARNING,
            )

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(DerivedRule)
class DerivedRuleAdmin(AuditedAdmin):
    list_display = ("name", "kind", "source_definition", "factor", "enabled")
    readonly_fields = ("last_observation",)


@admin.register(ReferenceArea)
class ReferenceAreaAdmin(AuditedAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Datastream)
class DatastreamAdmin(AuditedAdmin):
    """Staff set how long a Datastream keeps its observations; the rest is the API's."""

    list_display = ("name", "thing", "keep_days", "latest_start")
    search_fields = ("name",)
    fields = ("name", "keep_days")
    readonly_fields = ("name",)

    def has_add_permission(self, request) -> bool:
        return False
