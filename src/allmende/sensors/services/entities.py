"""Creating, changing and deleting SensorThings entities from their JSON.

``create`` handles deep insert: related entities given inline are created, given as
``{"@iot.id": n}`` are linked; everything happens in one transaction, so a request
that fails anywhere writes nothing. The rules of the standard:

- a Thing created or changed with Locations gets a HistoricalLocation (time: now);
- an Observation without phenomenonTime gets the time it arrived; one without a
  FeatureOfInterest gets one made from its Thing's Location (made once per Location);
- a MultiDatastream has as many ObservedProperties, units and observation types as its
  results have members.

Deleting follows the standard's cascades (a Thing takes its Datastreams and their
Observations along, a Location its HistoricalLocations, …); observations are deleted
with one statement per series, never row by row.

Permissions: every entity belongs to an organisation; changing or deleting it, or adding
to it (a Datastream to a Thing, Observations to a Datastream), needs an editing role
there. New entities belong to the organisation of the entity they are added to, else to
the writer's organisation.
"""

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from allmende.core.models import Organisation
from allmende.core.rules import can_edit_for

from .. import models as m
from ..signals import entity_deleted, entity_saved
from ..sta.entities import BY_MODEL, ENTITY_SETS, EntityType, Nav, Prop
from ..sta.errors import StaError, bad_request
from ..sta.values import (
    bounds,
    encode_result,
    parse_span,
    parse_time,
    parse_time_or_span,
)
from .ingest import NewObservation, refresh_series, store_observations

#: Keys a client may send back unchanged; they are ignored.
_ECHOED = ("@iot.selfLink", "@iot.navigationLink")


@dataclass
class Writer:
    """Who writes, and for which organisation new top-level entities are made."""

    user: Any
    organisation: Organisation | None
    #: the broker's messages: the broker decides who may publish (see docs/sensors.md)
    trusted: bool = False
    now: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))
    _features: dict[int, int] = field(default_factory=dict)  # thing id -> feature id
    _found: dict[tuple[type, int], Model] = field(default_factory=dict)

    # -- permissions ----------------------------------------------------------------------

    def check(self, obj: Model) -> None:
        """Refuse unless the writer may change ``obj``."""
        if self.trusted or getattr(self.user, "is_superuser", False):
            return
        organisation = _organisation_of(obj)
        if organisation is None or not can_edit_for(self.user, organisation):
            etype = BY_MODEL[type(obj)]
            raise StaError(
                403,
                _("you may not change %(type)s(%(id)s)") % {"type": etype.plural, "id": obj.pk},
            )

    # -- create ---------------------------------------------------------------------------

    def create(
        self, etype: EntityType, data: Any, via: tuple[EntityType, int, Nav] | None = None
    ) -> Model:
        """Create ``data`` as an entity of ``etype`` (and what it holds inline).
        ``via``: it is posted to a navigation collection, e.g. Things(1)/Datastreams."""
        with transaction.atomic():
            parent = None
            if via is not None:
                parent_type, parent_pk, nav = via
                parent = parent_type.model.objects.get(pk=parent_pk)
                self.check(parent)
                back = _reverse_nav(parent_type, nav)
                data = dict(_as_object(data, etype))
                if back is not None and back.name not in data:
                    data[back.name] = {"@iot.id": parent_pk}
            return self._create(etype, data, owner=_owner(parent), top=True)

    def _create(
        self, etype: EntityType, data: Any, owner: Organisation | None = None, top: bool = False
    ) -> Model:
        """Create ``data``; inside another entity (not ``top``) an object with ``@iot.id``
        is a link to that entity and its other members are ignored, as FROST-Server does
        (its Python client sends whole entities as links)."""
        data = _as_object(data, etype)
        if "@iot.id" in data and (not top or set(data) == {"@iot.id"}):
            return self.existing(etype, data["@iot.id"])
        if "@iot.id" in data:
            raise bad_request(
                _("%(type)s: @iot.id is given by the server; to link, send only @iot.id")
                % {"type": etype.singular}
            )
        _check_keys(etype, data)
        if etype is ENTITY_SETS["Observations"]:
            return self._create_observation(data)
        values = _values(etype, data, full=True)
        parents = self._parents(etype, data, owner)
        organisation = owner or self.organisation
        if "Thing" in parents:
            self.check(parents["Thing"])
            organisation = parents["Thing"].organisation  # type: ignore[attr-defined]
        obj = etype.model(**values, **{_field(n): parents[n.name] for n in _to_one(etype, parents)})
        if hasattr(obj, "organisation"):
            obj.organisation = organisation  # type: ignore[attr-defined]
        if etype is ENTITY_SETS["MultiDatastreams"]:
            self._check_members(data)
        obj.save()
        for nav in etype.navs:
            if nav.many and nav.name in data:
                self._create_members(etype, obj, nav, data[nav.name])
        saved(etype, obj.pk)
        return obj

    def _parents(
        self, etype: EntityType, data: dict, owner: Organisation | None
    ) -> dict[str, Model]:
        """The entities a new one points to (created inline or linked), by navigation."""
        parents: dict[str, Model] = {}
        for nav in etype.navs:
            if nav.many:
                continue
            if nav.name in data:
                parents[nav.name] = self._create(ENTITY_SETS[nav.target], data[nav.name], owner)
            elif nav.required:
                raise bad_request(
                    _("%(type)s needs %(nav)s") % {"type": etype.singular, "nav": nav.name}
                )
        return parents

    def prime(self, model: type[Model], pks: set[int]) -> None:
        """Load these entities at once, for many observations to come."""
        if pks:
            for pk, obj in model.objects.in_bulk(list(pks)).items():
                self._found[(model, pk)] = obj

    def existing(self, etype: EntityType, pk: Any) -> Model:
        if not isinstance(pk, int) or isinstance(pk, bool):
            raise bad_request(_("@iot.id must be an integer"))
        obj = self._found.get((etype.model, pk))
        if obj is None:
            obj = etype.model.objects.filter(pk=pk).first()
            if obj is None:
                raise bad_request(
                    _("%(type)s(%(id)s) does not exist") % {"type": etype.plural, "id": pk}
                )
            self._found[(etype.model, pk)] = obj
        return obj

    def _create_members(self, etype: EntityType, obj: Model, nav: Nav, items: Any) -> None:
        if not isinstance(items, list):
            raise bad_request(_("%(nav)s must be a list") % {"nav": nav.name})
        target = ENTITY_SETS[nav.target]
        back = _reverse_nav(etype, nav)
        owner = getattr(obj, "organisation", None)
        if target is ENTITY_SETS["Observations"]:
            for item in items:
                item = dict(_as_object(item, target))
                item[back.name] = {"@iot.id": obj.pk}  # type: ignore[union-attr]
                self._create_observation(item)
            return
        children = []
        for item in items:
            if (
                back is not None
                and not back.many
                and isinstance(item, dict)
                and "@iot.id" not in item
            ):
                item = {**item, back.name: {"@iot.id": obj.pk}}
            child = self._create(target, item, owner)
            children.append(child)
        if etype.model is m.MultiDatastream and nav.name == "ObservedProperties":
            m.MultiDatastreamProperty.objects.bulk_create(
                m.MultiDatastreamProperty(multi_datastream=obj, observed_property=child, rank=i)
                for i, child in enumerate(children)
            )
            return
        if back is not None and not back.many:
            for child in children:  # linked existing ones move to obj
                if getattr(child, f"{back.path}_id") != obj.pk:
                    self.check(child)
                    setattr(child, back.path, obj)
                    child.save(update_fields=[back.path])
            return
        getattr(obj, nav.path).add(*children)
        self._after_locations(etype, obj, nav, children)

    def _after_locations(
        self, etype: EntityType, obj: Model, nav: Nav, children: list[Model]
    ) -> None:
        """New Locations of a Thing are kept in its history."""
        if etype.model is m.Thing and nav.name == "Locations":
            self._history(obj, children)  # type: ignore[arg-type]
        elif etype.model is m.Location and nav.name == "Things":
            for thing in children:
                self.check(thing)
                self._history(thing, [obj])  # type: ignore[arg-type]

    def _history(self, thing: m.Thing, locations: list[Model]) -> None:
        entry = m.HistoricalLocation.objects.create(thing=thing, time=self.now)
        entry.locations.add(*locations)

    def _check_members(self, data: dict) -> None:
        types = data.get("multiObservationDataTypes")
        units = data.get("unitOfMeasurements")
        properties = data.get("ObservedProperties")
        sizes = {len(x) if isinstance(x, list) else -1 for x in (types, units, properties)}
        if len(sizes) != 1 or -1 in sizes or 0 in sizes:
            raise bad_request(
                _(
                    "a MultiDatastream needs as many ObservedProperties as "
                    "multiObservationDataTypes and unitOfMeasurements (at least one)"
                )
            )

    # -- observations ---------------------------------------------------------------------

    def observation(self, data: Any) -> tuple[NewObservation, Model]:
        """Check an Observation's JSON; return it ready to store, and its series."""
        etype = ENTITY_SETS["Observations"]
        data = _as_object(data, etype)
        _check_keys(etype, data)
        series = self._series(data)
        self.check(series)
        start, end = (
            parse_time_or_span(data["phenomenonTime"], "phenomenonTime")
            if data.get("phenomenonTime") is not None
            else (self.now, None)
        )
        if "result" not in data:
            raise bad_request(_("an Observation needs a result"))
        result = data["result"]
        if isinstance(series, m.MultiDatastream):
            members = series.multi_observation_data_types
            if not isinstance(result, list) or len(result) != len(members):
                raise bad_request(
                    _("the result must be a list of %(count)s values, one per ObservedProperty")
                    % {"count": len(members)}
                )
        number, integer, other = encode_result(result)
        valid = data.get("validTime")
        valid_start, valid_end = parse_span(valid, "validTime") if valid else (None, None)
        result_time = data.get("resultTime")
        parameters = data.get("parameters")
        if parameters is not None and not isinstance(parameters, dict):
            raise bad_request(_("parameters must be a JSON object"))
        new = NewObservation(
            phenomenon_start=start,
            phenomenon_end=end,
            number=number,
            integer=integer,
            result=other,
            result_time=parse_time(result_time, "resultTime") if result_time else None,
            result_quality=data.get("resultQuality"),
            valid_start=valid_start,
            valid_end=valid_end,
            parameters=parameters,
        )
        if isinstance(series, m.MultiDatastream):
            new.multi_datastream_id = series.pk
        else:
            new.datastream_id = series.pk
        new.feature_id = self.feature_for(data, series)
        return new, series

    def _create_observation(self, data: Any) -> Model:
        new, _series = self.observation(data)
        (pk,) = store_observations([new])
        return m.Observation.objects.get(pk=pk)

    def _series(self, data: dict) -> Model:
        single, multi = data.get("Datastream"), data.get("MultiDatastream")
        if (single is None) == (multi is None):
            raise bad_request(_("an Observation needs a Datastream or a MultiDatastream (one)"))
        name, link = ("Datastream", single) if multi is None else ("MultiDatastream", multi)
        if not isinstance(link, dict) or "@iot.id" not in link:
            raise bad_request(
                _('%(name)s of an Observation must be a link {"@iot.id": n}') % {"name": name}
            )
        return self.existing(ENTITY_SETS[f"{name}s"], link["@iot.id"])

    def feature_for(self, data: dict, series: Model) -> int:
        given = data.get("FeatureOfInterest")
        if given is not None:
            return self._create(ENTITY_SETS["FeaturesOfInterest"], given).pk
        thing_id = series.thing_id  # type: ignore[attr-defined]
        if thing_id in self._features:
            return self._features[thing_id]
        location = (
            m.Location.objects.filter(things=thing_id)
            .order_by("-pk")
            .only("pk", "feature_id")
            .first()
        )
        if location is None:
            raise bad_request(
                _("the Observation names no FeatureOfInterest and its Thing has no Location")
            )
        if location.feature_id is None:
            full = m.Location.objects.get(pk=location.pk)
            feature = m.FeatureOfInterest.objects.create(
                name=full.name,
                description=full.description,
                encoding_type=full.encoding_type,
                feature=full.location,
                west=full.west,
                south=full.south,
                east=full.east,
                north=full.north,
                organisation=full.organisation,
            )
            m.Location.objects.filter(pk=full.pk).update(feature=feature)
            location.feature_id = feature.pk
        self._features[thing_id] = location.feature_id
        return location.feature_id

    # -- update ---------------------------------------------------------------------------

    def update(self, etype: EntityType, obj: Model, data: Any, *, replace: bool = False) -> Model:
        """PATCH (``replace=False``: only what is given) or PUT (everything)."""
        data = _as_object(data, etype)
        _check_keys(etype, data)
        if "@iot.id" in data and data["@iot.id"] != obj.pk:
            raise bad_request(_("@iot.id cannot be changed"))
        with transaction.atomic():
            self.check(obj)
            if isinstance(obj, m.Observation):
                return self._update_observation(obj, data, replace)
            for column, value in _values(etype, data, full=replace).items():
                setattr(obj, column, value)
            for nav in etype.navs:
                if nav.name not in data:
                    continue
                target = ENTITY_SETS[nav.target]
                if nav.many:
                    self._replace_members(etype, obj, nav, data[nav.name])
                else:
                    linked = self._create(
                        target, data[nav.name], getattr(obj, "organisation", None)
                    )
                    setattr(obj, nav.path, linked)
            obj.save()
            saved(etype, obj.pk)
            return obj

    def _replace_members(self, etype: EntityType, obj: Model, nav: Nav, items: Any) -> None:
        if not isinstance(items, list):
            raise bad_request(_("%(nav)s must be a list") % {"nav": nav.name})
        back = _reverse_nav(etype, nav)
        if back is not None and back.many and nav.name != "ObservedProperties":
            getattr(obj, nav.path).clear()
        self._create_members(etype, obj, nav, items)

    def _update_observation(self, obj: m.Observation, data: dict, replace: bool) -> Model:
        current = {
            "phenomenonTime": None,
            "result": None,
        }
        if not replace:
            from ..sta.serialize import prop_value

            etype = ENTITY_SETS["Observations"]
            current = {p.name: prop_value(p, obj) for p in etype.props}
            current = {k: v for k, v in current.items() if v is not None}
        series_name = "MultiDatastream" if obj.multi_datastream_id else "Datastream"
        merged = {
            **current,
            series_name: {"@iot.id": obj.multi_datastream_id or obj.datastream_id},
            **({"FeatureOfInterest": {"@iot.id": obj.feature_id}} if obj.feature_id else {}),
            **data,
        }
        new, _series = self.observation(merged)
        old_series = (obj.datastream_id, obj.multi_datastream_id)
        old_start, old_extra = obj.phenomenon_start, (obj.phenomenon_end, obj.result_time)
        for name in (
            "datastream_id",
            "multi_datastream_id",
            "feature_id",
            "phenomenon_start",
            "phenomenon_end",
            "result_time",
            "number",
            "integer",
            "result",
            "result_quality",
            "valid_start",
            "valid_end",
            "parameters",
        ):
            setattr(obj, name, getattr(new, name))
        obj.save()
        extra = (*old_extra, obj.phenomenon_end, obj.result_time)
        refresh_series(
            [pk for pk in (old_series[0], obj.datastream_id) if pk],
            [pk for pk in (old_series[1], obj.multi_datastream_id) if pk],
            hours=[old_start, obj.phenomenon_start],
            scan=any(v is not None for v in extra),
        )
        return obj

    # -- delete ---------------------------------------------------------------------------

    def delete(self, etype: EntityType, obj: Model) -> None:
        pk = obj.pk
        with transaction.atomic():
            self.check(obj)
            if isinstance(obj, m.Observation):
                series = (obj.datastream_id, obj.multi_datastream_id)
                m.Observation.objects.filter(pk=pk).delete()
                refresh_series(
                    [series[0]] if series[0] else [],
                    [series[1]] if series[1] else [],
                    hours=[obj.phenomenon_start],
                    scan=obj.phenomenon_end is not None or obj.result_time is not None,
                )
            else:
                _delete_cascade(obj)
            transaction.on_commit(lambda: entity_deleted.send(sender=Writer, etype=etype, pk=pk))


def _delete_cascade(obj: Model) -> None:
    """Delete ``obj`` with what the standard deletes along, observations in bulk."""
    datastreams = m.Datastream.objects.none()
    multis = m.MultiDatastream.objects.none()
    if isinstance(obj, (m.Thing, m.Sensor, m.ObservedProperty)):
        datastreams, multis = obj.datastreams.all(), obj.multi_datastreams.all()
    elif isinstance(obj, m.Datastream):
        datastreams = m.Datastream.objects.filter(pk=obj.pk)
    elif isinstance(obj, m.MultiDatastream):
        multis = m.MultiDatastream.objects.filter(pk=obj.pk)
    elif isinstance(obj, m.Location):
        m.HistoricalLocation.objects.filter(locations=obj).delete()
    elif isinstance(obj, m.FeatureOfInterest):
        touched = set(
            obj.observations.values_list("datastream_id", "multi_datastream_id").distinct()
        )
        m.Observation.objects.filter(feature=obj).delete()
        obj.delete()
        refresh_series([d for d, _ in touched if d], [x for _, x in touched if x])
        return
    m.Observation.objects.filter(
        datastream__in=list(datastreams.values_list("pk", flat=True))
    ).delete()
    m.Observation.objects.filter(
        multi_datastream__in=list(multis.values_list("pk", flat=True))
    ).delete()
    multis.delete()
    obj.delete()


# -- helpers ------------------------------------------------------------------------------


def _organisation_of(obj: Model) -> Organisation | None:
    """Whose entity this is: its own organisation, or that of what it belongs to
    (an Observation: its series; a HistoricalLocation: its Thing)."""
    if isinstance(obj, m.Observation):
        series = obj.datastream if obj.datastream_id else obj.multi_datastream
        return series.organisation if series is not None else None
    if isinstance(obj, m.HistoricalLocation):
        return obj.thing.organisation
    return getattr(obj, "organisation", None)


def saved(etype: EntityType, pk: int) -> None:
    """Announce after commit that an entity was created or changed (``entity_saved``)."""
    transaction.on_commit(lambda: entity_saved.send(sender=Writer, etype=etype, pk=pk))


def _as_object(data: Any, etype: EntityType) -> dict:
    if not isinstance(data, dict):
        raise bad_request(_("%(type)s must be a JSON object") % {"type": etype.singular})
    return data


def _check_keys(etype: EntityType, data: dict) -> None:
    if data.keys() <= etype.names:
        return
    for key in data:
        if key == "@iot.id" or key.endswith(_ECHOED):
            continue
        if key not in etype.prop_by_name and key not in etype.nav_by_name:
            raise bad_request(
                _("%(type)s has no property %(name)s") % {"type": etype.singular, "name": key}
            )


def _values(etype: EntityType, data: dict, *, full: bool) -> dict[str, Any]:
    """Column values for the properties given (with ``full``: all, checked for presence)."""
    values: dict[str, Any] = {}
    for prop in etype.props:
        if prop.name not in data:
            if full and prop.required:
                raise bad_request(
                    _("%(type)s needs %(name)s") % {"type": etype.singular, "name": prop.name}
                )
            if full and prop.writable:
                values.update(_default(prop))
            continue
        if not prop.writable:
            raise bad_request(_("%(name)s is set by the server") % {"name": prop.name})
        values.update(_column_values(etype, prop, data[prop.name]))
    return values


def _default(prop: Prop) -> dict[str, Any]:
    if prop.kind == "text":
        return {prop.column: ""}
    return {prop.column: None}


def _column_values(etype: EntityType, prop: Prop, value: Any) -> dict[str, Any]:
    if prop.kind == "time":
        try:
            return {prop.column: parse_time(value, prop.name)}
        except ValueError as exc:
            raise bad_request(str(exc)) from None
    if prop.kind == "geometry":
        try:
            return {prop.column: value, **bounds(value, prop.name)}
        except ValueError as exc:
            raise bad_request(str(exc)) from None
    accepted = _SHAPES.get(prop.kind)
    if accepted is not None and not isinstance(value, accepted[0]):
        raise bad_request(accepted[1]() % {"name": prop.name})
    return {prop.column: value}


#: kind -> (accepted Python types, message when it is something else)
_SHAPES: dict[str, tuple[tuple[type, ...], Any]] = {
    "text": ((str,), lambda: _("%(name)s must be a string")),
    "object": ((dict, type(None)), lambda: _("%(name)s must be a JSON object")),
    "array": ((list,), lambda: _("%(name)s must be a list")),
}


def _to_one(etype: EntityType, parents: dict[str, Model]) -> list[Nav]:
    return [nav for nav in etype.navs if not nav.many and nav.name in parents]


def _field(nav: Nav) -> str:
    return nav.path


def _reverse_nav(etype: EntityType, nav: Nav) -> Nav | None:
    """The navigation property of the target that leads back (Thing.Datastreams ->
    Datastream.Thing)."""
    target = ENTITY_SETS[nav.target]
    for candidate in target.navs:
        if candidate.target == etype.plural and candidate.path == nav.back:
            return candidate
    return None


def _owner(parent: Model | None) -> Organisation | None:
    return getattr(parent, "organisation", None) if parent is not None else None
