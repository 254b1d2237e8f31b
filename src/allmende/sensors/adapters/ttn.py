"""The Things Stack (TTN) v3 uplink messages on ``v3/<application>@<tenant>/devices/
<device>/up``: values from ``uplink_message.decoded_payload``, the profile from the
device's ``version_ids`` (brand and model), the time from ``received_at``."""

from . import DecodeError, Decoder, Uplink, json_object, parse_time, register


@register
class TheThingsStack(Decoder):
    name = "ttn"
    topic = "v3/+/devices/+/up"

    def decode(self, topic: str, payload: bytes) -> list[Uplink]:
        message = json_object(payload)
        ids = message.get("end_device_ids") or {}
        uplink = message.get("uplink_message") or {}
        identifier = ids.get("dev_eui") or ids.get("device_id")
        if not identifier:
            raise DecodeError("end_device_ids has no dev_eui or device_id")
        if not isinstance(uplink.get("decoded_payload"), dict):
            raise DecodeError("no decoded_payload: give the device a payload formatter")
        versions = uplink.get("version_ids") or {}
        profile = " ".join(p for p in (versions.get("brand_id"), versions.get("model_id")) if p)
        correlation = ",".join(message.get("correlation_ids") or [])
        return [
            Uplink(
                adapter=self.name,
                identifier=str(identifier).lower(),
                name=str(ids.get("device_id") or identifier),
                profile=profile,
                time=parse_time(
                    message.get("received_at") or uplink.get("received_at"), "received_at"
                ),
                values=uplink["decoded_payload"],
                key=f"ttn:{identifier}:{uplink.get('f_cnt')}:{correlation}"[:200],
            )
        ]
