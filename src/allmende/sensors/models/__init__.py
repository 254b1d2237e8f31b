"""The SensorThings data model (entities of OGC 18-088, Sensing part) and the lean
observation storage beside it (see docs/sensors.md and ADR 0007)."""

from .derived import DerivedRule, DerivedStream, ReferenceArea
from .devices import Device, DeviceProfile, PullSource
from .entities import (
    Datastream,
    FeatureOfInterest,
    HistoricalLocation,
    Location,
    MultiDatastream,
    MultiDatastreamProperty,
    ObservedProperty,
    Sensor,
    Thing,
)
from .messages import DeadLetter
from .observations import Observation, ObservationHour, ReceivedMessage

__all__ = [
    "Datastream",
    "DeadLetter",
    "DerivedRule",
    "DerivedStream",
    "Device",
    "DeviceProfile",
    "FeatureOfInterest",
    "HistoricalLocation",
    "Location",
    "MultiDatastream",
    "MultiDatastreamProperty",
    "Observation",
    "ObservationHour",
    "ObservedProperty",
    "PullSource",
    "ReceivedMessage",
    "ReferenceArea",
    "Sensor",
    "Thing",
]
