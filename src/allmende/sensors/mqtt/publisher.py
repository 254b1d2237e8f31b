"""Announcing changes on MQTT: every observation stored and every entity created or
changed is published (QoS 0, JSON as the API shows it) on its topics
(``topics.py``), for dashboards and other subscribers. Deleted entities are not
announced (the standard defines no message for it).

One connection per process, opened on first use, with a network thread of paho's; a
broker that is down costs nothing but a log line: announcements are best effort and
never hold up or undo a write. Switched off with ``ALLMENDE_MQTT_PUBLISH=0``.
"""

import contextlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from typing import Any

from django.conf import settings

from .. import models as m
from ..sta import serialize
from ..sta.entities import ENTITY_SETS, EntityType
from .connection import configured_broker, make_client
from .topics import entity_topics, observation_topics

log = logging.getLogger("allmende.sensors.mqtt")
_lock = threading.Lock()
_client: Any = None


def _connected() -> Any:
    """This process's publishing client, connecting on first use (None: unavailable)."""
    global _client
    with _lock:
        if _client is None:
            broker = configured_broker()
            if broker is None:
                return None
            client = make_client(broker, f"allmende-pub-{os.getpid()}-{id(_lock):x}")
            try:
                client.connect(broker.host, broker.port, keepalive=60)
            except OSError as exc:
                log.warning("MQTT broker unreachable, not announcing: %s", exc)
                return None
            client.loop_start()
            _client = client
        return _client


def base_url() -> str:
    return f"{settings.SITE_URL}/sta/v1.1"


_local = threading.local()


@contextlib.contextmanager
def through(wire: Any) -> Iterator[None]:
    """Announce what this thread stores through ``wire`` (the subscriber's own
    connection: with "no local", its announcements do not come back to it)."""
    _local.wire = wire
    try:
        yield
    finally:
        _local.wire = None


def _send(messages: list[tuple[str, bytes]]) -> None:
    wire = getattr(_local, "wire", None)
    if wire is not None:
        try:
            wire.announce(messages)
        except Exception as exc:  # best effort: the subscriber notices a dead line itself
            log.warning("MQTT announcement failed: %s", exc)
        return
    client = _connected()
    if client is None:
        return
    for topic, payload in messages:
        client.publish(topic, payload, qos=0)


def on_observations(sender: Any, observations: list, **kwargs: Any) -> None:
    etype = ENTITY_SETS["Observations"]
    base = base_url()
    messages: list[tuple[str, bytes]] = []
    for pk, new in observations:
        row = m.Observation(
            pk=pk,
            datastream_id=new.datastream_id,
            multi_datastream_id=new.multi_datastream_id,
            feature_id=new.feature_id,
            phenomenon_start=new.phenomenon_start,
            phenomenon_end=new.phenomenon_end,
            result_time=new.result_time,
            number=new.number,
            integer=new.integer,
            result=new.result,
            result_quality=new.result_quality,
            valid_start=new.valid_start,
            valid_end=new.valid_end,
            parameters=new.parameters,
        )
        payload = json.dumps(serialize.entity_json(etype, row, base), ensure_ascii=False).encode()
        messages += [
            (topic, payload)
            for topic in observation_topics(
                pk, new.datastream_id, new.multi_datastream_id, new.feature_id
            )
        ]
    _send(messages)


def on_entity(sender: Any, etype: EntityType, pk: int, **kwargs: Any) -> None:
    obj = etype.model.objects.filter(pk=pk).first()
    if obj is None:
        return
    payload = json.dumps(serialize.entity_json(etype, obj, base_url()), ensure_ascii=False)
    _send([(topic, payload.encode()) for topic in entity_topics(etype.plural, pk)])


def connect() -> None:
    from ..signals import entity_saved, observations_stored

    observations_stored.connect(on_observations, dispatch_uid="sensors.mqtt.observations")
    entity_saved.connect(on_entity, dispatch_uid="sensors.mqtt.entities")
