"""``$resultFormat=dataArray`` when reading Observations (SensorThings 1.1, "dataArray"):
the page of observations grouped by their Datastream (or MultiDatastream), each group
with its ``components`` and one row per observation.

```json
{"@iot.count": 3,
 "value": [{"Datastream@iot.navigationLink": "…/Datastreams(5)",
            "components": ["id", "phenomenonTime", "resultTime", "result"],
            "dataArray@iot.count": 2,
            "dataArray": [[1, "2026-06-01T10:00:00Z", null, 20], …]}, …],
 "@iot.nextLink": "…"}
```

The components are what ``$select`` names (in its order) of ``id``, ``phenomenonTime``,
``result``, ``resultTime``, ``resultQuality``, ``validTime``, ``parameters`` and
``FeatureOfInterest/id``; without ``$select`` those of the standard's example: id,
phenomenonTime, resultTime, result. ``$filter``, ``$orderby``, ``$top``, ``$skip`` and
``$count`` work as for JSON: the page's rows keep their order within their group, and
the groups come in the order their first rows appear; ``$count`` and ``@iot.nextLink``
are the page's, as for JSON. ``$expand`` has no place in a dataArray.
"""

from dataclasses import replace
from typing import Any

from django.db.models import Model
from django.utils.translation import gettext as _

from ..query import QueryOptions
from . import reading, serialize
from .data_array import COMPONENTS as WRITABLE
from .entities import ENTITY_SETS
from .errors import bad_request
from .paths import Target

DEFAULT = ("id", "phenomenonTime", "resultTime", "result")
COMPONENTS = ("id", *sorted(WRITABLE))  # what CreateObservations takes, and the id
_ALIASES = {"@iot.id": "id", "FeatureOfInterest/@iot.id": "FeatureOfInterest/id"}


def components(options: QueryOptions) -> list[str]:
    """The components ``$select`` asks for (checked), else the default ones."""
    if not options.select:
        return list(DEFAULT)
    names: list[str] = []
    for path in options.select:
        name = _ALIASES.get(str(path), str(path))
        if name not in COMPONENTS:
            raise bad_request(
                _("$resultFormat=dataArray: %(name)s is no component; choose from %(names)s")
                % {"name": path, "names": ", ".join(COMPONENTS)}
            )
        if name not in names:
            names.append(name)
    return names


def check(target: Target, options: QueryOptions) -> None:
    if target.etype is not ENTITY_SETS["Observations"] or target.single or target.ref:
        raise bad_request(_("$resultFormat=dataArray is for collections of Observations"))
    if options.expand:
        raise bad_request(_("$resultFormat=dataArray cannot be combined with $expand"))


def data_array_page(
    target: Target, options: QueryOptions, base: str, count: int | None = None
) -> tuple[dict[str, Any], bool]:
    """The body of a dataArray answer (without ``@iot.nextLink``) and whether there are
    more rows; ``count``: the total when it is known already."""
    check(target, options)
    names = components(options)
    plain = replace(options, select=(), count=False if count is not None else options.count)
    page = reading.read_page(target.etype, target.rows, plain)
    groups: dict[tuple[str, int], dict[str, Any]] = {}
    for obs in page.rows:
        key = _series(obs)
        group = groups.get(key)
        if group is None:
            name, pk = key
            group = groups[key] = {
                f"{name}@iot.navigationLink": serialize.self_link(
                    base, ENTITY_SETS[f"{name}s"], pk
                ),
                "components": names,
                "dataArray@iot.count": 0,
                "dataArray": [],
            }
        group["dataArray"].append([_component(obs, name) for name in names])
        group["dataArray@iot.count"] += 1
    total = count if count is not None else page.count
    body = serialize.collection_json(list(groups.values()), total)
    return body, page.more


def _series(obs: Model) -> tuple[str, int]:
    if obs.multi_datastream_id is not None:  # type: ignore[attr-defined]
        return "MultiDatastream", obs.multi_datastream_id  # type: ignore[attr-defined]
    return "Datastream", obs.datastream_id  # type: ignore[attr-defined]


_PROPS = {p.name: p for p in ENTITY_SETS["Observations"].props}


def _component(obs: Model, name: str) -> Any:
    if name == "id":
        return obs.pk
    if name == "FeatureOfInterest/id":
        return obs.feature_id  # type: ignore[attr-defined]
    return serialize.prop_value(_PROPS[name], obs)
