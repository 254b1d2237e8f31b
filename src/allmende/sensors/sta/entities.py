"""The SensorThings entity types as the API sees them: names, properties, navigation.

Each :class:`EntityType` maps the standard's names to the model: its properties
(:class:`Prop`: which column, what kind of value, whether a create must give it) and its
navigation properties (:class:`Nav`: the entity set they lead to, one or many, and the
ORM paths both ways). Paths, filters, expands, serialisation and writes all read this
table, so an entity type is described once.
"""

from dataclasses import dataclass, field

from django.db.models import Model

from .. import models as m


@dataclass(frozen=True)
class Prop:
    name: str  # as in the standard: "encodingType"
    column: str  # on the model: "encoding_type"; "" for computed properties
    kind: str  # text | json | geometry | time | interval | result | ...
    required: bool = False
    writable: bool = True


@dataclass(frozen=True)
class Nav:
    name: str  # "Datastreams", "Thing"
    target: str  # the entity set it leads to: "Datastreams", "Things"
    many: bool
    path: str  # ORM path from this model to the target ("datastreams", "thing")
    back: str  # ORM path from the target back to this model ("thing", "datastreams")
    required: bool = False  # a create must link or create it


@dataclass(frozen=True)
class EntityType:
    singular: str
    plural: str
    model: type[Model]
    props: tuple[Prop, ...]
    navs: tuple[Nav, ...]
    prop_by_name: dict[str, Prop] = field(init=False, compare=False, repr=False)
    nav_by_name: dict[str, Nav] = field(init=False, compare=False, repr=False)
    #: every key an entity's JSON may have: properties, navigation, @iot.id
    names: frozenset[str] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "prop_by_name", {p.name: p for p in self.props})
        object.__setattr__(self, "nav_by_name", {n.name: n for n in self.navs})
        names = {*self.prop_by_name, *self.nav_by_name, "@iot.id"}
        object.__setattr__(self, "names", frozenset(names))


_NAMED = (Prop("name", "name", "text", required=True), Prop("description", "description", "text"))
_PROPERTIES = Prop("properties", "properties", "object")


def _named(*more: Prop, description_required: bool = True) -> tuple[Prop, ...]:
    description = Prop("description", "description", "text", required=description_required)
    return (_NAMED[0], description, *more, _PROPERTIES)


THINGS = EntityType(
    "Thing",
    "Things",
    m.Thing,
    _named(),
    (
        Nav("Locations", "Locations", True, "locations", "things"),
        Nav("HistoricalLocations", "HistoricalLocations", True, "historical_locations", "thing"),
        Nav("Datastreams", "Datastreams", True, "datastreams", "thing"),
        Nav("MultiDatastreams", "MultiDatastreams", True, "multi_datastreams", "thing"),
    ),
)
LOCATIONS = EntityType(
    "Location",
    "Locations",
    m.Location,
    _named(
        Prop("encodingType", "encoding_type", "text", required=True),
        Prop("location", "location", "geometry", required=True),
    ),
    (
        Nav("Things", "Things", True, "things", "locations"),
        Nav(
            "HistoricalLocations", "HistoricalLocations", True, "historical_locations", "locations"
        ),
    ),
)
HISTORICAL_LOCATIONS = EntityType(
    "HistoricalLocation",
    "HistoricalLocations",
    m.HistoricalLocation,
    (Prop("time", "time", "time", required=True),),
    (
        Nav("Thing", "Things", False, "thing", "historical_locations", required=True),
        Nav("Locations", "Locations", True, "locations", "historical_locations"),
    ),
)
SENSORS = EntityType(
    "Sensor",
    "Sensors",
    m.Sensor,
    _named(
        Prop("encodingType", "encoding_type", "text", required=True),
        Prop("metadata", "metadata", "text", required=True),
    ),
    (
        Nav("Datastreams", "Datastreams", True, "datastreams", "sensor"),
        Nav("MultiDatastreams", "MultiDatastreams", True, "multi_datastreams", "sensor"),
    ),
)
OBSERVED_PROPERTIES = EntityType(
    "ObservedProperty",
    "ObservedProperties",
    m.ObservedProperty,
    _named(Prop("definition", "definition", "text", required=True)),
    (
        Nav("Datastreams", "Datastreams", True, "datastreams", "observed_property"),
        Nav(
            "MultiDatastreams", "MultiDatastreams", True, "multi_datastreams", "observed_properties"
        ),
    ),
)
_SERIES = (
    Prop("observationType", "observation_type", "text", required=True),
    Prop("observedArea", "observed_area", "geometry", writable=False),
    Prop("phenomenonTime", "phenomenon", "span", writable=False),
    Prop("resultTime", "result", "span", writable=False),
)


def _series_navs(back: str, observed: Nav, own: str) -> tuple[Nav, ...]:
    """Navigation of a Datastream or MultiDatastream (``back``: how Things and Sensors
    name them; ``own``: how an Observation names it)."""
    return (
        Nav("Thing", "Things", False, "thing", back, required=True),
        Nav("Sensor", "Sensors", False, "sensor", back, required=True),
        observed,
        Nav("Observations", "Observations", True, "observations", own),
    )


DATASTREAMS = EntityType(
    "Datastream",
    "Datastreams",
    m.Datastream,
    _named(Prop("unitOfMeasurement", "unit_of_measurement", "object", required=True), *_SERIES),
    _series_navs(
        "datastreams",
        Nav(
            "ObservedProperty",
            "ObservedProperties",
            False,
            "observed_property",
            "datastreams",
            required=True,
        ),
        "datastream",
    ),
)
MULTI_DATASTREAMS = EntityType(
    "MultiDatastream",
    "MultiDatastreams",
    m.MultiDatastream,
    _named(
        Prop("unitOfMeasurements", "unit_of_measurements", "array", required=True),
        Prop("multiObservationDataTypes", "multi_observation_data_types", "array", required=True),
        *_SERIES,
    ),
    _series_navs(
        "multi_datastreams",
        Nav(
            "ObservedProperties",
            "ObservedProperties",
            True,
            "observed_properties",
            "multi_datastreams",
            required=True,
        ),
        "multi_datastream",
    ),
)
FEATURES = EntityType(
    "FeatureOfInterest",
    "FeaturesOfInterest",
    m.FeatureOfInterest,
    _named(
        Prop("encodingType", "encoding_type", "text", required=True),
        Prop("feature", "feature", "geometry", required=True),
    ),
    (Nav("Observations", "Observations", True, "observations", "feature"),),
)
OBSERVATIONS = EntityType(
    "Observation",
    "Observations",
    m.Observation,
    (
        Prop("phenomenonTime", "phenomenon", "time_or_span"),
        Prop("resultTime", "result_time", "time"),
        Prop("result", "result", "result", required=True),
        Prop("resultQuality", "result_quality", "any"),
        Prop("validTime", "valid", "span"),
        Prop("parameters", "parameters", "object"),
    ),
    (
        Nav("Datastream", "Datastreams", False, "datastream", "observations"),
        Nav("MultiDatastream", "MultiDatastreams", False, "multi_datastream", "observations"),
        Nav("FeatureOfInterest", "FeaturesOfInterest", False, "feature", "observations"),
    ),
)

ENTITY_SETS: dict[str, EntityType] = {
    t.plural: t
    for t in (
        THINGS,
        LOCATIONS,
        HISTORICAL_LOCATIONS,
        DATASTREAMS,
        MULTI_DATASTREAMS,
        SENSORS,
        OBSERVED_PROPERTIES,
        OBSERVATIONS,
        FEATURES,
    )
}
BY_MODEL: dict[type[Model], EntityType] = {t.model: t for t in ENTITY_SETS.values()}
