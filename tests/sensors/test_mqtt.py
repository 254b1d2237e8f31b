"""MQTT against the machine's real Mosquitto (127.0.0.1:1883): creating observations by
publishing, announcements to subscribers, dead letters, redelivery stored once."""

import json
import time

import pytest
from paho.mqtt.packettypes import PacketTypes
from paho.mqtt.properties import Properties

from allmende.sensors.models import DeadLetter, Observation
from allmende.sensors.mqtt import publisher
from allmende.sensors.mqtt.connection import broker_from_url

from .conftest import BROKER, THING, _client, _wait

pytestmark = pytest.mark.django_db(transaction=True)


def _stream(sta, public) -> int:
    thing = sta.made("Things", THING)
    return public.get(f"Things({thing})/Datastreams").json()["value"][0]["@iot.id"]


def test_publishing_to_the_creation_topics_stores_observations(subscriber, sta, public):
    stream = _stream(sta, public)
    sender = _client("device")
    sender.publish(
        f"v1.1/Datastreams({stream})/Observations",
        json.dumps({"phenomenonTime": "2026-06-01T10:00:00Z", "result": 41.5}),
        qos=1,
    ).wait_for_publish(5)
    sender.publish(
        "v1.1/Observations",
        json.dumps({"result": 7, "Datastream": {"@iot.id": stream}}),
        qos=1,
    ).wait_for_publish(5)
    assert _wait(lambda: Observation.objects.count() == 2)
    results = sorted(Observation.objects.values_list("number", flat=True))
    assert results == [7.0, 41.5]
    sender.disconnect()


def test_bad_messages_become_dead_letters_and_announcements_are_ignored(subscriber, sta, public):
    stream = _stream(sta, public)
    sender = _client("device")
    topic = f"v1.1/Datastreams({stream})/Observations"
    for payload in (
        b"{kaputt",
        json.dumps({"result": 1, "colour": "red"}).encode(),
        json.dumps({"@iot.id": 5, "result": 1}).encode(),  # an announcement, not a create
    ):
        sender.publish(topic, payload, qos=1).wait_for_publish(5)
    sender.publish("v1.1/Datastreams(999999)/Observations", b'{"result": 1}', qos=1)
    assert _wait(lambda: DeadLetter.objects.count() == 3)
    reasons = sorted(DeadLetter.objects.values_list("reason", flat=True))
    assert any("no JSON" in r for r in reasons)
    assert any("colour" in r for r in reasons)
    assert any("999999" in r for r in reasons)
    assert bytes(DeadLetter.objects.get(reason__contains="no JSON").payload) == b"{kaputt"
    time.sleep(0.5)
    assert not Observation.objects.exists()
    sender.disconnect()


def test_a_redelivered_message_is_stored_once(subscriber, sta, public):
    stream = _stream(sta, public)
    sender = _client("device")
    topic = f"v1.1/Datastreams({stream})/Observations"
    payload = json.dumps({"phenomenonTime": "2026-06-01T10:00:00Z", "result": 3})
    keyed = Properties(PacketTypes.PUBLISH)
    keyed.UserProperty = ("idempotency-key", "uplink-4711")
    for _ in range(2):  # as a sender does when its first PUBACK got lost
        sender.publish(topic, payload, qos=1).wait_for_publish(5)
        sender.publish(topic, json.dumps({"result": 9}), qos=1, properties=keyed)
    assert _wait(lambda: Observation.objects.count() == 2)
    time.sleep(0.5)
    assert sorted(Observation.objects.values_list("number", flat=True)) == [3.0, 9.0]
    sender.disconnect()


def test_new_observations_are_announced_to_subscribers(settings, sta, public):
    settings.ALLMENDE_MQTT_URL = BROKER
    publisher.connect()
    stream = _stream(sta, public)
    heard: list[tuple[str, dict]] = []
    listener = _client("dashboard")
    listener.on_message = lambda c, u, m: heard.append((m.topic, json.loads(m.payload)))
    listener.subscribe(f"v1.1/Datastreams({stream})/Observations", qos=0)
    time.sleep(0.3)
    made = sta.made(f"Datastreams({stream})/Observations", {"result": 12.5})
    assert _wait(lambda: len(heard) == 1)
    topic, body = heard[0]
    assert topic == f"v1.1/Datastreams({stream})/Observations"
    assert body["@iot.id"] == made and body["result"] == 12.5
    listener.disconnect()


def test_the_wire_reader_takes_packets_split_anywhere():
    """Packets as a socket hands them out: in pieces, several at once, with MQTT 5
    properties (a user property among others) before the payload."""
    import struct

    from allmende.sensors.mqtt.wire import Connection, _packet, _str

    def publish(topic: str, pid: int, payload: bytes, props: bytes = b"") -> bytes:
        body = _str(topic) + struct.pack("!H", pid) + bytes([len(props)]) + props + payload
        return _packet(0x32, body)

    user = bytes([0x26]) + _str("idempotency-key") + _str("abc")
    props = bytes([0x01, 1]) + bytes([0x03]) + _str("application/json") + user
    stream = (
        publish("v1.1/Observations", 7, b'{"result": 1}', props)
        + bytes([0xD0, 0])  # PINGRESP between them
        + publish("v1.1/Datastreams(2)/Observations", 8, b'{"result": 2}')
        + b"\x40\x02\x00\x09"  # a PUBACK for something we sent
    )
    for cut in range(1, len(stream)):
        wire = Connection(broker_from_url(BROKER), "reader")
        wire.buffer += stream[:cut]
        got = wire._parse()
        wire.buffer += stream[cut:]
        got += wire._parse()
        assert [(m.topic, m.packet_id, m.payload) for m in got] == [
            ("v1.1/Observations", 7, b'{"result": 1}'),
            ("v1.1/Datastreams(2)/Observations", 8, b'{"result": 2}'),
        ], cut
        assert got[0].user == [("idempotency-key", "abc")] and got[1].user == []
        assert wire.acked == {9} and not wire.buffer
