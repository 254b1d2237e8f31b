"""MQTT topics of the SensorThings API: which ones create observations, and on which
ones a change is announced."""

import re
from dataclasses import dataclass

PREFIX = "v1.1"
_CREATE = re.compile(
    r"^v1\.1/(?:(?P<set>Datastreams|MultiDatastreams|FeaturesOfInterest)\((?P<id>\d{1,18})\)/)?"
    r"Observations$"
)


@dataclass(frozen=True)
class CreateTopic:
    """A topic observations are created by publishing to; ``via`` names the entity set
    of the path (None for ``v1.1/Observations``)."""

    via: str | None
    pk: int | None


def create_topic(topic: str) -> CreateTopic | None:
    match = _CREATE.match(topic)
    if match is None:
        return None
    return CreateTopic(match["set"], int(match["id"]) if match["id"] else None)


def observation_topics(pk: int, datastream: int | None, multi: int | None, feature: int | None):
    """Where a new observation is announced: the collection, the entity, and the
    collections of its Datastream (or MultiDatastream) and FeatureOfInterest."""
    yield f"{PREFIX}/Observations"
    yield f"{PREFIX}/Observations({pk})"
    if datastream is not None:
        yield f"{PREFIX}/Datastreams({datastream})/Observations"
    if multi is not None:
        yield f"{PREFIX}/MultiDatastreams({multi})/Observations"
    if feature is not None:
        yield f"{PREFIX}/FeaturesOfInterest({feature})/Observations"


def entity_topics(plural: str, pk: int):
    """Where a created or changed entity is announced: its collection and itself."""
    yield f"{PREFIX}/{plural}"
    yield f"{PREFIX}/{plural}({pk})"
