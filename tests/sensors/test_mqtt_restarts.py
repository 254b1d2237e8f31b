"""The worker killed with SIGKILL and the broker restarted in the middle of a stream of
10,000 QoS-1 messages: exactly 10,000 observations end up stored.

Real processes: a Mosquitto of the test's own (persistence on), ``allmende worker`` on a
database of its own (SQLite file, or a scratch PostgreSQL database when the suite runs
on PostgreSQL), and a publishing device (paho, persistent session) in this process.
"""

import json
import signal
import time
import uuid
from datetime import UTC, datetime, timedelta

import paho.mqtt.client as mqtt
import pytest
from django.db import connection
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from .processes import Site, broker

MESSAGES = 10_000
SETUP = """
from allmende.sensors.services.entities import Writer
from allmende.sensors.sta.entities import ENTITY_SETS
thing = Writer(user=None, organisation=None, trusted=True).create(ENTITY_SETS["Things"], {
    "name": "Wetterstation", "description": "Dach",
    "Locations": [{"name": "Dach", "description": "d", "encodingType": "application/geo+json",
                   "location": {"type": "Point", "coordinates": [11.59, 50.93]}}],
    "Datastreams": [{"name": "T", "description": "T", "observationType": "OM_Measurement",
                     "unitOfMeasurement": {"name": "C", "symbol": "C", "definition": "C"},
                     "Sensor": {"name": "S", "description": "s", "encodingType": "t",
                                "metadata": "m"},
                     "ObservedProperty": {"name": "T", "definition": "T", "description": "T"}}]})
print(thing.datastreams.get().pk)
"""


def _postgres_url() -> str | None:
    if connection.vendor != "postgresql":
        return None
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/postgres"


def _wait_for(what, goal: int, seconds: float) -> int:
    deadline = time.monotonic() + seconds
    value = what()
    while value < goal and time.monotonic() < deadline:
        time.sleep(0.25)
        value = what()
    return value


@pytest.mark.django_db
def test_no_message_is_lost_or_stored_twice_across_kills_and_restarts(tmp_path):
    site = Site(tmp_path, _postgres_url())
    workers: list = []
    try:
        site.run("migrate", "--no-input")
        stream = int(site.python(SETUP).split()[-1])
        with broker(tmp_path) as mosquitto:
            site.env.update(
                ALLMENDE_MQTT_URL=mosquitto.url,
                ALLMENDE_MQTT_CLIENT_ID=f"worker-{uuid.uuid4().hex[:6]}",
                ALLMENDE_MQTT_BATCH="500",
            )
            workers = [site.start("worker")]
            count = lambda: site.count("sensors_observation")  # noqa: E731
            device = _device(mosquitto.port)
            topic = f"v1.1/Datastreams({stream})/Observations"
            start = datetime(2026, 6, 1, tzinfo=UTC)

            def send(n: int) -> mqtt.MQTTMessageInfo:
                payload = {
                    "phenomenonTime": (start + timedelta(seconds=n)).isoformat(),
                    "result": n,
                }
                return device.publish(topic, json.dumps(payload), qos=1)

            # the worker's session must exist before the stream starts: probes until one
            # is stored (those sent before it subscribed are lost: no session yet)
            for probe in range(60):
                send(-1 - probe)
                if _wait_for(count, 1, 1) >= 1:
                    break
            time.sleep(1)
            probes = count()
            assert probes >= 1, (tmp_path / "worker.log").read_text()[-3000:]
            log = tmp_path / "worker.log"
            sent = []
            for n in range(MESSAGES):
                sent.append(send(n))
                if n == 3_000:  # the worker dies mid-batch and comes back
                    workers[-1].send_signal(signal.SIGKILL)
                    workers[-1].wait(10)
                    workers.append(site.start("worker"))
                    _wait_for(lambda: _connections(log), 2, 60)
                if n == 6_000:  # the broker goes down cleanly and comes back
                    mosquitto.restart()
                    _wait_for(lambda: _connections(log), 3, 60)
                if n % 500 == 0:
                    time.sleep(0.05)  # a device's pace, roughly
            acked = lambda: len(device.acked & {info.mid for info in sent})  # noqa: E731
            assert _wait_for(acked, MESSAGES, 180) == MESSAGES, "the broker never took them all"
            stored = _wait_for(count, MESSAGES + probes, 180)
            assert stored >= MESSAGES + probes, log.read_text()[-3000:]
            time.sleep(3)  # redeliveries still on their way would show up now
            assert count() == MESSAGES + probes
            assert site.count("sensors_deadletter") == 0
            # both comebacks found the session the broker kept for the worker
            assert log.read_text().count("session present: True") == 2
            device.disconnect()
            device.loop_stop()
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
                worker.wait(30)
        site.close()


def _connections(log) -> int:
    return log.read_text().count("MQTT subscriber connected")


def _device(port: int) -> mqtt.Client:
    """A publisher with a persistent session: what it sent unacknowledged it sends again
    after reconnecting."""
    client = mqtt.Client(
        mqtt.CallbackAPIVersion.VERSION2,
        client_id=f"device-{uuid.uuid4().hex[:6]}",
        protocol=mqtt.MQTTv5,
    )
    client.max_inflight_messages_set(200)
    client.acked = set()  # type: ignore[attr-defined]
    client.on_publish = lambda c, u, mid, reason, props: c.acked.add(mid)
    client.reconnect_delay_set(0.1, 1)
    properties = Properties(PacketTypes.CONNECT)
    properties.SessionExpiryInterval = 3600
    client.connect("127.0.0.1", port, clean_start=False, properties=properties)
    client.loop_start()
    return client
