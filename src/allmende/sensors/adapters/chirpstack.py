"""ChirpStack v4 uplink events, JSON marshaler, on
``application/<application id>/device/<DevEUI>/event/up``. The values are the
``object`` the device profile's codec decoded; the key is the ``deduplicationId``."""

from . import DecodeError, Decoder, Uplink, json_object, parse_time, register


@register
class ChirpStack(Decoder):
    name = "chirpstack"
    topic = "application/+/device/+/event/up"

    def decode(self, topic: str, payload: bytes) -> list[Uplink]:
        event = json_object(payload)
        info = event.get("deviceInfo")
        if not isinstance(info, dict) or not info.get("devEui"):
            raise DecodeError("deviceInfo.devEui is missing")
        if not isinstance(event.get("object"), dict):
            raise DecodeError("no decoded object: give the device profile a codec")
        return [
            Uplink(
                adapter=self.name,
                identifier=str(info["devEui"]).lower(),
                name=str(info.get("deviceName") or info["devEui"]),
                profile=str(info.get("deviceProfileName") or ""),
                time=parse_time(event.get("time"), "time"),
                values=event["object"],
                key=f"cs:{event.get('deduplicationId') or ''}:{info['devEui']}:{event.get('fCnt')}",
            )
        ]
