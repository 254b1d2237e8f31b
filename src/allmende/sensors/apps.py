from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SensorsConfig(AppConfig):
    name = "allmende.sensors"
    label = "sensors"
    verbose_name = _("Sensor hub")

    def ready(self) -> None:
        from django.conf import settings

        from allmende.core.worker import register_periodic, register_service

        from . import catalogue
        from .services.derived import run_rules
        from .services.devices import run_due_pulls
        from .services.ingest import apply_retention, forget_old_keys

        # Message keys (redelivery guard) are kept for ALLMENDE_MQTT_KEY_DAYS.
        catalogue.connect()  # every Datastream an open dataset of the catalogue
        register_periodic("sensors.keys", 3600, forget_old_keys)
        # Observations older than their Datastream keeps them (the roll-up stays).
        register_periodic("sensors.retention", 3600, apply_retention)
        # Pulled sources (DATEX II parking, …) whose interval has come.
        register_periodic("sensors.pull", 30, run_due_pulls)
        # Derived quantities (e.g. pF for tree watering) from new observations.
        register_periodic("sensors.derived", 60, run_rules)
        if settings.ALLMENDE_MQTT_URL:
            from .mqtt import publisher
            from .mqtt.subscriber import run_subscriber

            register_service("sensors.mqtt", run_subscriber)
            if settings.ALLMENDE_MQTT_PUBLISH:
                publisher.connect()
