"""The MQTT subscriber: observations published to the creation topics are stored.

It runs as a worker service. It connects with a fixed client id
(``ALLMENDE_MQTT_CLIENT_ID``), a persistent session (clean start off, session expiry
``ALLMENDE_MQTT_SESSION_HOURS``) and subscribes to ``v1.1/#`` with QoS 1 and "no local"
(its own announcements do not come back). So while the worker is down or restarting, the
broker keeps the messages for it.

Messages are taken in batches (up to ``ALLMENDE_MQTT_BATCH``, or what arrived within a
fifth of a second) and stored in one transaction; only after it commits are they
acknowledged. A worker killed in between gets them again: each message has a key (the
MQTT 5 user property ``idempotency-key`` if the sender gives one, else a hash of topic
and payload — plus the packet id when the payload has no phenomenonTime, since such
payloads may repeat legitimately), claimed in the same transaction, so a redelivered
message is stored once. A message that cannot be stored (no JSON, unknown Datastream,
bad values) goes to the dead-letter list with the reason and is acknowledged.
Announcements of entities (JSON with ``@iot.id``) and other topics are ignored.
"""

import hashlib
import json
import logging
import threading
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction

from .. import adapters
from .. import models as m
from ..adapters import DecodeError
from ..services import devices
from ..services.entities import Writer
from ..services.ingest import NewObservation, store_observations
from ..sta.entities import ENTITY_SETS
from ..sta.errors import StaError
from ..sta.values import encode_result, parse_time_or_span
from . import publisher
from .connection import Broker, configured_broker
from .topics import CreateTopic, create_topic
from .wire import Connection, Incoming, WireError

log = logging.getLogger("allmende.sensors.mqtt")
SUBSCRIPTION = "v1.1/#"


@dataclass
class Message:
    topic: str
    payload: bytes
    mid: int
    qos: int
    key: str | None = None  # from the sender (MQTT 5 user property)


def run_subscriber(stop: threading.Event) -> None:
    """The worker service: subscribe and store until ``stop`` is set."""
    broker = configured_broker()
    if broker is None:
        stop.wait()
        return
    Subscriber(broker).run(stop)


class Subscriber:
    def __init__(self, broker: Broker, client_id: str | None = None):
        self.broker = broker
        self.client_id = client_id or settings.ALLMENDE_MQTT_CLIENT_ID
        self.connected = threading.Event()

    def run(self, stop: threading.Event) -> None:
        wire = Connection(self.broker, self.client_id)
        try:
            present = wire.connect(
                clean_start=False, session_seconds=settings.ALLMENDE_MQTT_SESSION_HOURS * 3600
            )
            for topic in [SUBSCRIPTION, *(d.topic for d in adapters.decoders() if d.topic)]:
                wire.subscribe(topic, qos=1, no_local=True)
            self.connected.set()
            log.info("MQTT subscriber connected (session present: %s)", present)
            with publisher.through(wire):  # our announcements do not come back to us
                while not stop.is_set():
                    batch = _next_batch(wire, stop)
                    if batch:
                        handle_batch(batch)
                        wire.ack([m.mid for m in batch if m.qos])
        except WireError as exc:
            log.warning("MQTT subscriber: %s", exc)
            raise
        finally:
            self.connected.clear()
            wire.close()
            connection.close()  # this thread's own database connection


def _next_batch(wire: Connection, stop: threading.Event) -> list[Message]:
    """Messages as they come: what arrives within a fifth of a second after the first,
    up to ``ALLMENDE_MQTT_BATCH``."""
    batch = [_message(m) for m in wire.receive(0.5)]
    if not batch:
        return batch
    deadline = time.monotonic() + 0.2
    while len(batch) < settings.ALLMENDE_MQTT_BATCH and not stop.is_set():
        left = deadline - time.monotonic()
        if left <= 0:
            break
        batch += [_message(m) for m in wire.receive(left)]
    return batch


def _message(incoming: Incoming) -> Message:
    key = None
    for name, value in incoming.user:
        if name == "idempotency-key":
            key = f"k:{value}"[:64]
    return Message(incoming.topic, incoming.payload, incoming.packet_id, incoming.qos, key)


def handle_batch(batch: list[Message]) -> list[Message]:
    """Store what the messages create (one transaction) and return the messages to
    acknowledge: all of them, unless the database failed (then it raises)."""
    try:
        with transaction.atomic():
            _store(batch)
    except IntegrityError:  # a series vanished meanwhile, say: one by one, to find it
        for message in batch:
            try:
                with transaction.atomic():
                    _store([message])
            except IntegrityError as exc:
                _dead(message, str(exc))
    return batch


def _store(batch: list[Message]) -> None:
    writer = Writer(user=None, organisation=None, trusted=True)
    topics = [create_topic(message.topic) for message in batch]
    writer.prime(m.Datastream, {t.pk for t in topics if t and t.via == "Datastreams"})
    writer.prime(m.MultiDatastream, {t.pk for t in topics if t and t.via == "MultiDatastreams"})
    observations: list[NewObservation] = []
    keys: list[str | None] = []
    for message, topic in zip(batch, topics, strict=True):
        if topic is None:
            _from_device(message, observations, keys)
            continue
        try:
            new = decode(writer, topic, message.payload)
        except (ValueError, StaError) as exc:
            _dead(message, getattr(exc, "message", None) or str(exc))
            continue
        if new is None:
            continue
        observations.append(new)
        keys.append(message.key or _key(message, new))
    if observations:
        store_observations(observations, keys)


def _from_device(message: Message, observations: list, keys: list) -> None:
    """An uplink of a network server (ChirpStack, TTN), if an adapter listens there."""
    decoder = adapters.for_topic(message.topic)
    if decoder is None:
        return  # announcements and other topics
    try:
        found = devices.observations_for(decoder.decode(message.topic, message.payload))
    except DecodeError as exc:
        _dead(message, str(exc), source=decoder.name)
        return
    for new, key in found:
        observations.append(new)
        keys.append(message.key or key)


def decode(writer: Writer, topic: CreateTopic, payload: bytes) -> NewObservation | None:
    """The observation a message creates; None for an announcement (JSON with @iot.id)."""
    try:
        data: Any = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ValueError(f"no JSON: {exc}") from None
    if not isinstance(data, dict):
        raise ValueError("the payload must be a JSON object (one Observation)")
    if "@iot.id" in data:
        return None
    if topic.via == "Datastreams" and data.keys() <= _PLAIN:
        return _plain(writer, topic.pk, data)
    if topic.via is not None:
        name = {
            "Datastreams": "Datastream",
            "MultiDatastreams": "MultiDatastream",
            "FeaturesOfInterest": "FeatureOfInterest",
        }[topic.via]
        link = {"@iot.id": topic.pk}
        if data.get(name, link) != link:
            raise ValueError(f"the payload names another {name} than the topic")
        data = {**data, name: link}
    new, _series = writer.observation(data)
    return new


#: A device's usual message: a time and a number (or text) for the Datastream of the topic.
_PLAIN = frozenset(("phenomenonTime", "result"))


def _plain(writer: Writer, stream_pk: int | None, data: dict) -> NewObservation:
    """The usual message, checked as ``Writer.observation`` would, without its detours
    (the MQTT ingest spends most of its time per message here)."""
    if "result" not in data:
        raise ValueError("an Observation needs a result")
    series = writer.existing(ENTITY_SETS["Datastreams"], stream_pk)
    moment = data.get("phenomenonTime")
    start, end = parse_time_or_span(moment, "phenomenonTime") if moment else (writer.now, None)
    number, integer, other = encode_result(data["result"])
    new = NewObservation(
        phenomenon_start=start,
        phenomenon_end=end,
        number=number,
        integer=integer,
        result=other,
        datastream_id=series.pk,
    )
    new.feature_id = writer.feature_for({}, series)
    return new


def _key(message: Message, new: NewObservation) -> str:
    digest = hashlib.sha256(message.topic.encode() + b"\0" + message.payload)
    if b"phenomenonTime" not in message.payload:
        digest.update(b"\0%d" % message.mid)  # the same payload may come again, later
    return "h:" + digest.hexdigest()[:62]


def _dead(message: Message, reason: str, source: str = "mqtt") -> None:
    devices.dead_letter(source, message.topic, message.payload, reason)
