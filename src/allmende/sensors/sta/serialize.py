"""Entities as JSON: ``@iot.id``, ``@iot.selfLink``, the properties, and a
``<Nav>@iot.navigationLink`` per navigation property (or the expanded entities)."""

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import Model

from .entities import EntityType, Prop
from .values import decode_result, format_span, format_time


def prop_value(prop: Prop, obj: Model) -> Any:
    """The value of ``prop`` of ``obj`` as the API shows it."""
    kind = prop.kind
    if kind == "time":
        return format_time(getattr(obj, prop.column))
    if kind == "span":
        start = getattr(obj, f"{prop.column}_start")
        end = getattr(obj, f"{prop.column}_end")
        if start is None:
            return None
        return format_span(start, end or start)
    if kind == "time_or_span":
        return format_span(getattr(obj, f"{prop.column}_start"), getattr(obj, f"{prop.column}_end"))
    if kind == "result":
        return decode_result(obj.number, obj.integer, obj.result)  # type: ignore[attr-defined]
    return getattr(obj, prop.column)


def self_link(base: str, etype: EntityType, pk: int) -> str:
    return f"{base}/{etype.plural}({pk})"


def entity_json(
    etype: EntityType,
    obj: Model,
    base: str,
    select: Iterable[str] | None = None,
    expanded: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One entity; ``select`` limits the properties (and navigation links) shown,
    ``expanded`` holds the members an expanded navigation adds (``Datastreams``, and
    ``Datastreams@iot.count`` and ``Datastreams@iot.nextLink`` where given)."""
    chosen = set(select) if select else None
    link = self_link(base, etype, obj.pk)
    out: dict[str, Any] = {}
    if chosen is None or "id" in chosen or "@iot.id" in chosen:
        out["@iot.id"] = obj.pk
    if chosen is None or "selfLink" in chosen or "@iot.selfLink" in chosen:
        out["@iot.selfLink"] = link
    out.update(_props(etype, obj, chosen))
    expanded = expanded or {}
    for nav in etype.navs:
        if nav.name in expanded:
            for key in (f"{nav.name}@iot.count", nav.name, f"{nav.name}@iot.nextLink"):
                if key in expanded:
                    out[key] = expanded[key]
        elif chosen is None or nav.name in chosen:
            out[f"{nav.name}@iot.navigationLink"] = f"{link}/{nav.name}"
    return out


def _props(etype: EntityType, obj: Model, chosen: set[str] | None) -> dict[str, Any]:
    """The properties shown: null ones are left out unless ``$select`` names them (as
    FROST-Server does; its Python client refuses ``"properties": null``)."""
    out = {}
    for prop in etype.props:
        if chosen is None or prop.name in chosen:
            value = prop_value(prop, obj)
            if value is not None or chosen is not None:
                out[prop.name] = value
    return out


def collection_json(
    items: list[dict[str, Any]], count: int | None = None, next_link: str | None = None
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if count is not None:
        out["@iot.count"] = count
    out["value"] = items
    if next_link:
        out["@iot.nextLink"] = next_link
    return out


RenderFn = Callable[[Model], dict[str, Any]]
