"""Device adapters: decoders in a registry, each turning what a kind of source sends
(a network server's uplink on MQTT, a DATEX II publication pulled from a URL) into
:class:`Uplink` records; ``services/devices.py`` provisions the devices and stores the
values their profile names. A payload that cannot be decoded raises
:class:`DecodeError` and goes to the dead-letter list with the reason."""

import datetime as dt
import json
import re
from dataclasses import dataclass
from typing import Any, ClassVar


class DecodeError(ValueError):
    """The payload cannot be read; the message says why, in one line."""


@dataclass
class Uplink:
    adapter: str
    identifier: str  # unique per device: DevEUI, or the source's own id
    name: str  # the device's name at the source
    profile: str  # the name of its device profile
    time: dt.datetime
    values: Any  # the decoded values the profile's paths walk
    key: str = ""  # identifies the message (a redelivery has the same key)


class Decoder:
    """One kind of source. MQTT decoders name the ``topic`` filter they listen on."""

    name: ClassVar[str] = ""
    topic: ClassVar[str] = ""  # MQTT topic filter ("" for pulled sources)
    #: the profile made for it on first sight when staff made none (its values are fixed)
    default_profile: ClassVar[list[dict] | None] = None

    def matches(self, topic: str) -> bool:
        return bool(self.topic) and _filter(self.topic).match(topic) is not None

    def decode(self, topic: str, payload: bytes) -> list[Uplink]:
        raise NotImplementedError


_registry: dict[str, Decoder] = {}


def register(decoder: type[Decoder]) -> type[Decoder]:
    _registry[decoder.name] = decoder()
    return decoder


def decoders() -> list[Decoder]:
    from . import chirpstack, datex2, ttn  # noqa: F401 (they register themselves)

    return list(_registry.values())


def for_topic(topic: str) -> Decoder | None:
    for decoder in decoders():
        if decoder.matches(topic):
            return decoder
    return None


def decoder(name: str) -> Decoder:
    for found in decoders():
        if found.name == name:
            return found
    raise KeyError(name)


def _filter(topic: str) -> re.Pattern:
    parts = [
        "[^/]+" if part == "+" else ".*" if part == "#" else re.escape(part)
        for part in topic.split("/")
    ]
    return re.compile("^" + "/".join(parts) + "$")


def json_object(payload: bytes, what: str = "the uplink") -> dict:
    """The payload as a JSON object, or DecodeError."""
    try:
        found = json.loads(payload)
    except (ValueError, UnicodeDecodeError) as exc:
        raise DecodeError(f"no JSON: {exc}") from None
    if not isinstance(found, dict):
        raise DecodeError(f"{what} must be a JSON object")
    return found


def parse_time(value: Any, what: str) -> dt.datetime:
    if not isinstance(value, str):
        raise DecodeError(f"{what}: no time")
    try:
        moment = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise DecodeError(f"{what}: {value!r} is no ISO 8601 time") from None
    if moment.tzinfo is None:
        raise DecodeError(f"{what}: {value!r} has no time zone")
    return moment.astimezone(dt.UTC)
