"""MQTT 5 on the wire, the part the subscriber needs, written for throughput.

paho (used for announcements) reads one packet per loop turn and sends each PUBACK on
its own: about 15,000–20,000 messages/s with nothing else to do. The subscriber instead
reads what the socket holds, parses every complete packet in it, and acknowledges a
whole stored batch with one ``send``. Only this subset of MQTT 5 (OASIS standard,
2019) is spoken: CONNECT/CONNACK (persistent session: clean start off, session expiry),
SUBSCRIBE/SUBACK (QoS 1, "no local"), PUBLISH in (QoS 0 and 1, user properties),
PUBACK out, PINGREQ/PINGRESP, DISCONNECT. A device's side, ``publish``, is here too for
benchmarks and tests.
"""

import contextlib
import socket
import ssl
import struct
import time
from dataclasses import dataclass, field

from .connection import Broker

CONNECT, CONNACK, PUBLISH, PUBACK = 0x10, 0x20, 0x30, 0x40
SUBSCRIBE, SUBACK, PINGREQ, PINGRESP, DISCONNECT = 0x82, 0x90, 0xC0, 0xD0, 0xE0
_USER_PROPERTY = 0x26
#: property id -> how its value is laid out (PUBLISH, CONNACK, SUBACK properties)
_LAYOUT = {
    0x01: "byte", 0x02: "int4", 0x03: "str", 0x08: "str", 0x09: "bin", 0x0B: "varint",
    0x11: "int4", 0x12: "str", 0x13: "int2", 0x15: "str", 0x16: "bin", 0x17: "byte",
    0x19: "byte", 0x1A: "str", 0x1C: "str", 0x1F: "str", 0x21: "int2", 0x22: "int2",
    0x23: "int2", 0x24: "byte", 0x25: "byte", 0x26: "pair", 0x27: "int4", 0x28: "byte",
    0x29: "byte", 0x2A: "byte",
}  # fmt: skip


class WireError(Exception):
    """The connection failed or the broker said something we cannot go on with."""


@dataclass
class Incoming:
    topic: str
    payload: bytes
    packet_id: int  # 0 for QoS 0
    qos: int
    user: list[tuple[str, str]] = field(default_factory=list)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n % 128, n // 128
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _str(text: str) -> bytes:
    data = text.encode()
    return struct.pack("!H", len(data)) + data


def _packet(kind: int, body: bytes) -> bytes:
    return bytes([kind]) + _varint(len(body)) + body


class Connection:
    """One MQTT 5 connection to ``broker``."""

    def __init__(self, broker: Broker, client_id: str, *, keepalive: int = 30):
        self.broker, self.client_id, self.keepalive = broker, client_id, keepalive
        self.sock: socket.socket | None = None
        self.buffer = bytearray()
        self.last_sent = time.monotonic()
        self.session_present = False
        self.acked: set[int] = set()  # PUBACKs received (for publish)
        self.pending: list[Incoming] = []  # messages that came while connecting

    # -- connecting -----------------------------------------------------------------------

    def connect(self, *, clean_start: bool, session_seconds: int = 0, timeout: float = 10) -> bool:
        """Connect; returns whether the broker had a session for us."""
        raw = socket.create_connection((self.broker.host, self.broker.port), timeout=timeout)
        raw.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if self.broker.tls:
            raw = ssl.create_default_context().wrap_socket(raw, server_hostname=self.broker.host)
        self.sock = raw
        flags = 0x02 if clean_start else 0x00
        payload = _str(self.client_id)
        if self.broker.username:
            flags |= 0x80
            payload += _str(self.broker.username)
        if self.broker.password:
            flags |= 0x40
            payload += _str(self.broker.password)
        props = bytes([0x11]) + struct.pack("!I", session_seconds)
        props += bytes([0x21]) + struct.pack("!H", 65535)  # receive maximum
        body = _str("MQTT") + bytes([5, flags]) + struct.pack("!H", self.keepalive)
        self._send(_packet(CONNECT, body + _varint(len(props)) + props + payload))
        _kind, data = self._wait_for(CONNACK, timeout)
        if data[1] >= 0x80:
            raise WireError(f"the broker refused the connection (reason code {data[1]:#x})")
        self.session_present = bool(data[0] & 0x01)
        return self.session_present

    def subscribe(self, topic: str, *, qos: int = 1, no_local: bool = True) -> None:
        options = qos | (0x04 if no_local else 0)
        body = struct.pack("!H", 1) + b"\x00" + _str(topic) + bytes([options])
        self._send(_packet(SUBSCRIBE, body))
        _kind, data = self._wait_for(SUBACK, 10)
        code = data[-1]
        if code >= 0x80:
            raise WireError(f"the broker refused the subscription to {topic} ({code:#x})")

    def close(self) -> None:
        if self.sock is not None:
            with contextlib.suppress(WireError):
                self._send(bytes([DISCONNECT, 0]))
            self.sock.close()
            self.sock = None

    # -- receiving ------------------------------------------------------------------------

    def receive(self, timeout: float) -> list[Incoming]:
        """The messages that arrive within ``timeout`` seconds of the first read (all
        complete packets the socket holds then)."""
        assert self.sock is not None
        if self.pending:
            waiting, self.pending = self.pending, []
            return waiting + self._parse()
        self.ping_if_due()
        self.sock.settimeout(timeout)
        try:
            chunk = self.sock.recv(1 << 20)
        except TimeoutError:
            return []
        except OSError as exc:
            raise WireError(f"connection lost: {exc}") from None
        if not chunk:
            raise WireError("the broker closed the connection")
        self.buffer += chunk
        return self._parse()

    def _parse(self) -> list[Incoming]:
        out: list[Incoming] = []
        buffer = self.buffer
        at, end = 0, len(buffer)
        while at + 2 <= end:
            length, size = _read_varint(buffer, at + 1)
            if length is None or at + 1 + size + length > end:
                break  # the rest of this packet is still on its way
            start = at + 1 + size
            header, body = buffer[at], bytes(buffer[start : start + length])
            at = start + length
            kind = header & 0xF0
            if kind == PUBLISH:
                out.append(_publish(header, body))
            elif kind == PUBACK:
                self.acked.add(struct.unpack_from("!H", body)[0])
            elif kind == DISCONNECT:
                raise WireError(f"the broker disconnected us (reason {body[:1].hex() or '0'})")
            # PINGRESP and anything else: nothing to do
        del buffer[:at]
        return out

    def _wait_for(self, kind: int, timeout: float) -> tuple[int, bytes]:
        assert self.sock is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if len(self.buffer) >= 2:
                length, size = _read_varint(self.buffer, 1)
                if length is not None and len(self.buffer) >= 1 + size + length:
                    header = self.buffer[0]
                    body = bytes(self.buffer[1 + size : 1 + size + length])
                    del self.buffer[: 1 + size + length]
                    if header & 0xF0 == kind & 0xF0:
                        return header, body
                    if header & 0xF0 == PUBLISH:  # a session's messages may come first
                        self.pending.append(_publish(header, body))
                    continue
            self.sock.settimeout(max(0.01, deadline - time.monotonic()))
            try:
                chunk = self.sock.recv(65536)
            except TimeoutError:
                break
            if not chunk:
                raise WireError("the broker closed the connection")
            self.buffer += chunk
        raise WireError(f"no answer from the broker (waited for packet type {kind >> 4})")

    # -- sending --------------------------------------------------------------------------

    def ack(self, packet_ids: list[int]) -> None:
        """Acknowledge QoS-1 messages, all in one write."""
        if packet_ids:
            self._send(b"".join(b"\x40\x02" + struct.pack("!H", pid) for pid in packet_ids))

    def ping_if_due(self) -> None:
        if time.monotonic() - self.last_sent > self.keepalive / 2:
            self._send(bytes([PINGREQ, 0]))

    def publish(
        self, topic: str, payloads: list[bytes], *, qos: int = 1, first_id: int = 1
    ) -> list[int]:
        """Send PUBLISH packets to one topic in one write; returns their packet ids
        (QoS 1; none for QoS 0)."""
        ids, packets = [], []
        name = _str(topic)
        for n, payload in enumerate(payloads):
            if qos:
                pid = (first_id + n - 1) % 65535 + 1
                ids.append(pid)
                head = name + struct.pack("!H", pid)
            else:
                head = name
            packets.append(_packet(PUBLISH | (qos << 1), head + b"\x00" + payload))
        self._send(b"".join(packets))
        return ids

    def announce(self, messages: list[tuple[str, bytes]]) -> None:
        """Send QoS-0 messages (topic, payload) in one write."""
        if messages:
            self._send(
                b"".join(_packet(PUBLISH, _str(topic) + b"\x00" + body) for topic, body in messages)
            )

    def _send(self, data: bytes) -> None:
        assert self.sock is not None
        try:
            self.sock.sendall(data)
        except OSError as exc:
            raise WireError(f"connection lost: {exc}") from None
        self.last_sent = time.monotonic()


def _read_varint(buffer: bytearray, at: int) -> tuple[int | None, int]:
    value, shift = 0, 0
    for size in range(1, 5):
        if at + size - 1 >= len(buffer):
            return None, size
        byte = buffer[at + size - 1]
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, size
        shift += 7
    raise WireError("malformed packet length")


def _publish(header: int, body: bytes) -> Incoming:
    qos = (header >> 1) & 0x03
    (size,) = struct.unpack_from("!H", body)
    topic = body[2 : 2 + size].decode("utf-8", "replace")
    at = 2 + size
    packet_id = 0
    if qos:
        (packet_id,) = struct.unpack_from("!H", body, at)
        at += 2
    length, lsize = _read_varint(bytearray(body[at : at + 4]), 0)
    at += lsize
    user = _user_properties(body, at, at + (length or 0)) if length else []
    return Incoming(topic, body[at + (length or 0) :], packet_id, qos, user)


def _user_properties(body: bytes, at: int, end: int) -> list[tuple[str, str]]:
    found = []
    while at < end:
        ident = body[at]
        at += 1
        layout = _LAYOUT.get(ident)
        if layout == "pair":
            (n,) = struct.unpack_from("!H", body, at)
            name = body[at + 2 : at + 2 + n].decode("utf-8", "replace")
            at += 2 + n
            (m,) = struct.unpack_from("!H", body, at)
            value = body[at + 2 : at + 2 + m].decode("utf-8", "replace")
            at += 2 + m
            if ident == _USER_PROPERTY:
                found.append((name, value))
        elif layout in ("str", "bin"):
            (n,) = struct.unpack_from("!H", body, at)
            at += 2 + n
        elif layout == "varint":
            _value, size = _read_varint(bytearray(body[at : at + 4]), 0)
            at += size
        elif layout in ("byte", "int2", "int4"):
            at += {"byte": 1, "int2": 2, "int4": 4}[layout]
        else:
            break  # unknown property: the rest cannot be read, the payload can
    return found
