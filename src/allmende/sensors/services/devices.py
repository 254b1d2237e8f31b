"""From uplinks to observations: provisioning devices and reading their values.

A device seen for the first time is provisioned from its profile (``DeviceProfile``,
matched by name): a Thing named after it (with its Location when staff gave the device
one), a Sensor for the profile, and one Datastream per value the profile lists, with the
ObservedProperty (found by its definition or made) and the unit. A device without a
location gets a FeatureOfInterest of its own without geometry, so its observations are
complete. Values the payload lacks are skipped; a value of the wrong kind fails the
uplink (dead letter) so nothing half-read is stored.
"""

import datetime as dt
import hashlib
from collections.abc import Sequence
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from .. import models as m
from ..adapters import DecodeError, Uplink
from ..sta.entities import ENTITY_SETS
from ..sta.values import bounds, encode_result
from .entities import saved
from .ingest import NewObservation

MEASUREMENT = "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"


def observations_for(uplinks: Sequence[Uplink]) -> list[tuple[NewObservation, str]]:
    """The observations (with their message keys) the uplinks carry; provisions devices
    on first sight. Raises DecodeError for an uplink that cannot be stored."""
    out: list[tuple[NewObservation, str]] = []
    for uplink in uplinks:
        device = _device(uplink)
        for path, stream in device.datastreams.items():
            value = _walk(uplink.values, path)
            if value is None:
                continue
            field = _field(device.profile, path)
            value = _scaled(value, field, path)
            number, integer, other = encode_result(value)
            new = NewObservation(
                phenomenon_start=uplink.time,
                number=number,
                integer=integer,
                result=other,
                datastream_id=stream,
                feature_id=device.feature_id,
            )
            digest = hashlib.sha256(f"{uplink.key}\0{path}".encode()).hexdigest()
            out.append((new, f"u:{digest[:60]}"))
        m.Device.objects.filter(pk=device.pk).update(last_seen=uplink.time)
    return out


def _device(uplink: Uplink) -> m.Device:
    device = m.Device.objects.select_related("profile").filter(identifier=uplink.identifier).first()
    if device is not None and device.thing_id is not None:
        return device
    profile = m.DeviceProfile.objects.filter(name=uplink.profile).first()
    if profile is None:
        profile = _default_profile(uplink)
    if profile is None:
        raise DecodeError(
            _("no device profile named %(name)r: add it, then replay") % {"name": uplink.profile}
        )
    with transaction.atomic():
        return provision(uplink, profile, device)


def _default_profile(uplink: Uplink) -> m.DeviceProfile | None:
    from ..adapters import decoder

    fields = decoder(uplink.adapter).default_profile
    if fields is None or not uplink.profile:
        return None
    profile, _made = m.DeviceProfile.objects.get_or_create(
        name=uplink.profile, defaults={"fields": fields}
    )
    return profile


def provision(uplink: Uplink, profile: m.DeviceProfile, device: m.Device | None) -> m.Device:
    """Make the Thing, Sensor, Datastreams (and FeatureOfInterest) of a device."""
    if device is None:
        device = m.Device(identifier=uplink.identifier, adapter=uplink.adapter, profile=profile)
    device.name = device.name or uplink.name
    owner = profile.organisation
    thing = m.Thing.objects.create(
        name=device.name,
        description=_("%(profile)s device %(id)s")
        % {"profile": profile.name, "id": device.identifier},
        properties={"adapter": uplink.adapter, "deviceId": device.identifier},
        organisation=owner,
    )
    if device.location:
        location = m.Location.objects.create(
            name=device.name,
            description=_("position of %(name)s") % {"name": device.name},
            encoding_type="application/geo+json",
            location=device.location,
            organisation=owner,
            **bounds(device.location or None, "location", optional=True),
        )
        thing.locations.add(location)
        history = m.HistoricalLocation.objects.create(thing=thing, time=uplink.time)
        history.locations.add(location)
    feature = m.FeatureOfInterest.objects.create(
        name=device.name,
        description=_("where %(name)s measures") % {"name": device.name},
        encoding_type="application/geo+json",
        feature=device.location or {"type": "Feature", "geometry": None, "properties": {}},
        organisation=owner,
        **bounds(device.location or None, "location", optional=True),
    )
    sensor, _made = m.Sensor.objects.get_or_create(
        name=profile.name,
        defaults={
            "description": _("device profile %(name)s") % {"name": profile.name},
            "encoding_type": "text/plain",
            "metadata": profile.name,
            "organisation": owner,
        },
    )
    streams: dict[str, int] = {}
    for field in profile.fields:
        observed = field.get("observed_property") or {}
        prop, _made = m.ObservedProperty.objects.get_or_create(
            definition=observed.get("definition") or field["path"],
            defaults={
                "name": observed.get("name") or field.get("name") or field["path"],
                "description": observed.get("description") or "",
                "organisation": owner,
            },
        )
        stream = m.Datastream.objects.create(
            name=f"{device.name}: {field.get('name') or field['path']}",
            description=field.get("description") or field.get("name") or field["path"],
            observation_type=field.get("observation_type") or MEASUREMENT,
            unit_of_measurement=field.get("unit") or {},
            thing=thing,
            sensor=sensor,
            observed_property=prop,
            organisation=owner,
        )
        streams[field["path"]] = stream.pk
    device.thing, device.datastreams, device.feature = thing, streams, feature
    device.save()
    for pk in streams.values():
        saved(ENTITY_SETS["Datastreams"], pk)
    return device


def _field(profile: m.DeviceProfile, path: str) -> dict:
    return next((f for f in profile.fields if f.get("path") == path), {})


def _scaled(value: Any, field: dict, path: str) -> Any:
    """Numbers sent as text become numbers; a factor scales them."""
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            if field.get("factor") is not None:
                raise DecodeError(
                    _("%(path)s: %(value)r is no number") % {"path": path, "value": value}
                ) from None
            return value
    factor = field.get("factor")
    if factor is not None and isinstance(value, (int, float)) and not isinstance(value, bool):
        value = value * factor
    return value


def _walk(values: Any, path: str) -> Any:
    """Follow ``path`` (dots; list positions; ``[key=value]`` selects the first object in
    a list, nested lists included, with that member) through ``values``; None if absent."""
    current = values
    for part in path.split("."):
        if part.startswith("[") and part.endswith("]") and "=" in part:
            key, wanted = part[1:-1].split("=", 1)
            current = next(
                (item for item in _objects(current) if str(item.get(key)) == wanted), None
            )
        elif isinstance(current, list) and part.isdigit():
            current = current[int(part)] if int(part) < len(current) else None
        elif isinstance(current, dict):
            current = current.get(part)
        else:
            return None
        if current is None:
            return None
    return current


def _objects(value: Any):
    if isinstance(value, dict):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _objects(item)


# -- pulled sources and replays ----------------------------------------------------------


def run_due_pulls(now: dt.datetime | None = None) -> int:
    """Read every enabled pulled source whose time has come (a worker task, every 30 s);
    each is claimed first, so two workers never read the same one. Returns how many
    observations were stored."""
    from django.conf import settings
    from django.db.models import Q

    from allmende.core.net import FetchError, fetch_url

    from ..adapters import decoder

    now = now or dt.datetime.now(dt.UTC)
    stored = 0
    due = m.PullSource.objects.filter(enabled=True).filter(Q(next_run=None) | Q(next_run__lte=now))
    for source in due:
        later = now + dt.timedelta(minutes=max(1, source.interval_minutes))
        claimed = m.PullSource.objects.filter(pk=source.pk, next_run=source.next_run).update(
            next_run=later
        )
        if not claimed:
            continue
        error = ""
        try:
            fetched = fetch_url(source.url, max_bytes=settings.ALLMENDE_HARVEST_MAX_PAGE_BYTES)
            uplinks = decoder(source.adapter).decode(source.url, fetched.body)
            stored += store_uplinks(uplinks)
        except (FetchError, DecodeError) as exc:
            error = str(exc)
            dead_letter(source.adapter, source.url, b"", error)
        m.PullSource.objects.filter(pk=source.pk).update(last_run=now, last_error=error)
    return stored


def store_uplinks(uplinks: Sequence[Uplink]) -> int:
    """Store what the uplinks carry, in one transaction; returns how many were new."""
    from .ingest import store_observations

    with transaction.atomic():
        found = observations_for(uplinks)
        if not found:
            return 0
        ids = store_observations([o for o, _key in found], [key for _o, key in found])
    return sum(1 for pk in ids if pk is not None)


def replay(letters: Sequence[m.DeadLetter]) -> tuple[int, int]:
    """Try dead letters again (after a profile was added, say): those that now go
    through are marked replayed; the others get their new reason. Returns (done, failed)."""
    from ..adapters import for_topic

    done = failed = 0
    for letter in letters:
        payload = bytes(letter.payload)
        try:
            with transaction.atomic():
                if letter.source == "mqtt":
                    _replay_sta(letter.topic, payload)
                else:
                    adapter = for_topic(letter.topic) if letter.topic else None
                    if adapter is None:
                        from ..adapters import decoder

                        adapter = decoder(letter.source)
                    store_uplinks(adapter.decode(letter.topic, payload))
                letter.replayed = dt.datetime.now(dt.UTC)
                letter.save(update_fields=["replayed"])
            done += 1
        except (DecodeError, ValueError, KeyError) as exc:
            letter.reason = getattr(exc, "message", None) or str(exc)
            letter.save(update_fields=["reason"])
            failed += 1
    return done, failed


def _replay_sta(topic: str, payload: bytes) -> None:
    from ..mqtt.subscriber import decode
    from ..mqtt.topics import create_topic
    from ..sta.errors import StaError
    from .entities import Writer
    from .ingest import store_observations

    target = create_topic(topic)
    if target is None:
        raise DecodeError(_("%(topic)s creates nothing") % {"topic": topic})
    try:
        new = decode(Writer(user=None, organisation=None, trusted=True), target, payload)
    except StaError as exc:
        raise DecodeError(exc.message) from None
    if new is not None:
        store_observations([new])


def dead_letter(source: str, topic: str, payload: bytes, reason: str) -> None:
    """Keep a message that could not be stored, with the reason (for staff, replayable)."""
    m.DeadLetter.objects.create(source=source, topic=topic[:1000], payload=payload, reason=reason)
