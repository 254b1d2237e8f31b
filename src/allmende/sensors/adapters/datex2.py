"""DATEX II 2.x parking status publications (``parkingFacilityTableStatusPublication``),
pulled from a URL: one uplink per car park with its occupied and vacant spaces, the
occupancy in per cent and the capacity, at its own status time. Parsed with the
hardened XML parser (no entities, no DTDs)."""

from typing import Any

from defusedxml import ElementTree
from defusedxml.common import DefusedXmlException

from . import DecodeError, Decoder, Uplink, parse_time, register

PROFILE = "DATEX II parking"
_FIELDS = {
    "totalNumberOfOccupiedParkingSpaces": "occupied",
    "totalNumberOfVacantParkingSpaces": "vacant",
    "parkingFacilityOccupancy": "occupancy",
    "totalParkingCapacityShortTermOverride": "capacity",
}


def _space(path: str, name: str, definition: str) -> dict:
    return {
        "path": path,
        "name": name,
        "observed_property": {"name": name, "definition": definition, "description": name},
        "unit": {"name": "Stellplätze", "symbol": "{spaces}", "definition": "ucum:{spaces}"},
        "observation_type": "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_CountObservation",
    }


@register
class Datex2Parking(Decoder):
    name = "datex2"
    default_profile = [
        _space("occupied", "belegte Stellplätze", "https://w3id.org/allmende/parking/occupied"),
        _space("vacant", "freie Stellplätze", "https://w3id.org/allmende/parking/vacant"),
        _space("capacity", "Kapazität", "https://w3id.org/allmende/parking/capacity"),
        {
            "path": "occupancy",
            "name": "Auslastung",
            "observed_property": {
                "name": "Auslastung",
                "definition": "https://w3id.org/allmende/parking/occupancy",
                "description": "belegter Anteil der Stellplätze",
            },
            "unit": {"name": "Prozent", "symbol": "%", "definition": "ucum:%"},
        },
    ]

    def decode(self, topic: str, payload: bytes) -> list[Uplink]:
        try:
            root = ElementTree.fromstring(payload)
        except (ElementTree.ParseError, DefusedXmlException) as exc:
            raise DecodeError(f"no readable XML: {exc}") from None
        found = []
        for status in root.iter():
            if _local(status.tag) != "parkingFacilityStatus" or len(status) == 0:
                continue  # (a childless one inside a record is its status word, e.g. "full")
            values: dict[str, Any] = {}
            reference, moment = None, None
            for child in status:
                name = _local(child.tag)
                if name == "parkingFacilityReference":
                    reference = child.get("id")
                elif name == "parkingFacilityStatusTime":
                    moment = child.text
                elif name in _FIELDS and child.text:
                    values[_FIELDS[name]] = _number(child.text)
            if not reference:
                raise DecodeError("a parkingFacilityStatus has no parkingFacilityReference id")
            found.append(
                Uplink(
                    adapter=self.name,
                    identifier=f"datex2:{reference}",
                    name=reference,
                    profile=PROFILE,
                    time=parse_time(moment, f"{reference}: parkingFacilityStatusTime"),
                    values=values,
                    key=f"datex2:{reference}:{moment}",
                )
            )
        if not found:
            raise DecodeError("no parkingFacilityStatus in the publication")
        return found


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _number(text: str) -> float | int:
    try:
        value = float(text)
    except ValueError:
        raise DecodeError(f"{text!r} is no number") from None
    return int(value) if value.is_integer() else value
