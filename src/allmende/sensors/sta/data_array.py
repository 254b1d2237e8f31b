"""``POST /CreateObservations``: many observations in the compact dataArray form
(SensorThings 1.1, "create observations via dataArray").

The body is a list of groups, each naming a Datastream (or MultiDatastream), the
``components`` of its rows and the rows in ``dataArray``. The answer (201) lists, per
row and in order, the new observation's URL, or ``"error"`` for a row that could not be
stored (its neighbours are stored; nothing of a bad row is). All good rows are written
in one batch (``services/ingest.py``). A body with more than
``ALLMENDE_STA_MAX_OBSERVATIONS`` rows is refused as a whole (413).
"""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _

from .. import models as m
from ..services.entities import Writer
from ..services.ingest import NewObservation, store_observations
from .entities import ENTITY_SETS
from .errors import StaError, bad_request
from .values import encode_result, parse_span, parse_time, parse_time_or_span

COMPONENTS = {
    "phenomenonTime",
    "result",
    "resultTime",
    "resultQuality",
    "validTime",
    "parameters",
    "FeatureOfInterest/id",
}


def create_observations(writer: Writer, body: Any, base: str) -> list[str]:
    """Store the rows of ``body``; return one URL or "error" per row."""
    if not isinstance(body, list):
        raise bad_request(_("CreateObservations expects a list of dataArray groups"))
    total = sum(len(g.get("dataArray") or []) for g in body if isinstance(g, dict))
    if total > settings.ALLMENDE_STA_MAX_OBSERVATIONS:
        raise StaError(
            413,
            _("at most %(limit)s observations per request; split the dataArray")
            % {"limit": settings.ALLMENDE_STA_MAX_OBSERVATIONS},
        )
    answers: list[str | None] = []
    batch: list[NewObservation] = []
    slots: list[int] = []
    for group in body:
        for new in _group(writer, group):
            if new is None:
                answers.append("error")
                continue
            slots.append(len(answers))
            answers.append(None)
            batch.append(new)
    ids = store_observations(batch) if batch else []
    for slot, pk in zip(slots, ids, strict=True):
        answers[slot] = f"{base}/Observations({pk})"
    return [answer or "error" for answer in answers]


def _group(writer: Writer, group: Any) -> list[NewObservation | None]:
    if not isinstance(group, dict):
        raise bad_request(_("each dataArray group must be a JSON object"))
    series = _series(writer, group)
    components = group.get("components")
    if (
        not isinstance(components, list)
        or "result" not in components
        or not set(components) <= COMPONENTS
        or len(set(components)) != len(components)
    ):
        raise bad_request(
            _("components must list result and only these, once each: %(names)s")
            % {"names": ", ".join(sorted(COMPONENTS))}
        )
    rows = group.get("dataArray")
    if not isinstance(rows, list):
        raise bad_request(_("dataArray must be a list of rows"))
    at = {name: i for i, name in enumerate(components)}
    features = _features(rows, at.get("FeatureOfInterest/id"))
    default_feature = None
    if "FeatureOfInterest/id" not in at and rows:
        default_feature = writer.feature_for({}, series)
    members = (
        len(series.multi_observation_data_types) if isinstance(series, m.MultiDatastream) else 0
    )
    out: list[NewObservation | None] = []
    for row in rows:
        try:
            new = _row(row, at, len(components), writer, members)
        except (ValueError, TypeError):
            out.append(None)
            continue
        if "FeatureOfInterest/id" in at:
            feature = row[at["FeatureOfInterest/id"]]
            if feature not in features:
                out.append(None)
                continue
            new.feature_id = feature
        else:
            new.feature_id = default_feature
        if members:
            new.multi_datastream_id = series.pk
        else:
            new.datastream_id = series.pk
        out.append(new)
    return out


def _series(writer: Writer, group: dict) -> m.Datastream | m.MultiDatastream:
    given = [name for name in ("Datastream", "MultiDatastream") if group.get(name) is not None]
    if len(given) != 1:
        raise bad_request(_("each dataArray group names a Datastream or a MultiDatastream"))
    link = group[given[0]]
    if not isinstance(link, dict) or not isinstance(link.get("@iot.id"), int):
        raise bad_request(_('%(name)s must be a link {"@iot.id": n}') % {"name": given[0]})
    series = writer.existing(ENTITY_SETS[f"{given[0]}s"], link["@iot.id"])
    writer.check(series)
    return series  # type: ignore[return-value]


def _features(rows: list, index: int | None) -> set[int]:
    """The FeatureOfInterest ids the rows name that exist."""
    if index is None:
        return set()
    named = {
        row[index]
        for row in rows
        if isinstance(row, list) and len(row) > index and isinstance(row[index], int)
    }
    found: set[int] = set()
    ordered = sorted(named)
    for start in range(0, len(ordered), 500):
        found.update(
            m.FeatureOfInterest.objects.filter(pk__in=ordered[start : start + 500]).values_list(
                "pk", flat=True
            )
        )
    return found


def _row(row: Any, at: dict[str, int], width: int, writer: Writer, members: int) -> NewObservation:
    if not isinstance(row, list) or len(row) != width:
        raise ValueError("row")
    result = row[at["result"]]
    if members and (not isinstance(result, list) or len(result) != members):
        raise ValueError("result")
    number, integer, other = encode_result(result)
    new = NewObservation(phenomenon_start=writer.now, number=number, integer=integer, result=other)
    if "phenomenonTime" in at:
        new.phenomenon_start, new.phenomenon_end = parse_time_or_span(row[at["phenomenonTime"]])
    if "resultTime" in at and row[at["resultTime"]] is not None:
        new.result_time = parse_time(row[at["resultTime"]])
    if "validTime" in at and row[at["validTime"]] is not None:
        new.valid_start, new.valid_end = parse_span(row[at["validTime"]])
    if "resultQuality" in at:
        new.result_quality = row[at["resultQuality"]]
    if "parameters" in at:
        parameters = row[at["parameters"]]
        if parameters is not None and not isinstance(parameters, dict):
            raise ValueError("parameters")
        new.parameters = parameters
    return new
