"""The broker connection: ``ALLMENDE_MQTT_URL`` (``mqtt://[user:password@]host[:1883]``,
``mqtts://`` for TLS on 8883) and paho clients speaking MQTT 5."""

import ssl
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit

import paho.mqtt.client as mqtt
from django.conf import settings


@dataclass(frozen=True)
class Broker:
    host: str
    port: int
    username: str | None = None
    password: str | None = None
    tls: bool = False


def configured_broker() -> Broker | None:
    """The broker of the settings, or None when MQTT is off."""
    url = settings.ALLMENDE_MQTT_URL
    return broker_from_url(url) if url else None


def broker_from_url(url: str) -> Broker:
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts") or not parts.hostname:
        raise ValueError(f"ALLMENDE_MQTT_URL={url!r}: use mqtt://host[:port] or mqtts://…")
    tls = parts.scheme == "mqtts"
    return Broker(
        host=parts.hostname,
        port=parts.port or (8883 if tls else 1883),
        username=unquote(parts.username) if parts.username else None,
        password=unquote(parts.password) if parts.password else None,
        tls=tls,
    )


def make_client(broker: Broker, client_id: str, *, manual_ack: bool = False) -> mqtt.Client:
    """A paho client for ``broker`` (not connected yet)."""
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=client_id,
        protocol=mqtt.MQTTv5,
        manual_ack=manual_ack,
    )
    if broker.username:
        client.username_pw_set(broker.username, broker.password)
    if broker.tls:
        client.tls_set_context(ssl.create_default_context())
    client.max_inflight_messages_set(1000)
    client.max_queued_messages_set(0)
    return client
