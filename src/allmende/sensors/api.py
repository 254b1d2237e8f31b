"""The sensor hub's part of the native JSON API (``/api/v1/sensors/…``): what dashboards
need beyond the SensorThings API — the latest value of many Datastreams in one request,
and aggregates over time ranges from the hourly roll-ups. Reading is open."""

import datetime as dt
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from allmende.core.api import ApiError

from . import selectors
from .models import Datastream
from .sta.values import format_time, parse_time

router = Router(tags=["sensors"])
MAX_IDS = 10_000


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = Field(description="messages per field")


class LatestOut(Schema):
    datastream: int
    observation: int
    phenomenonTime: str
    result: Any


class LatestIn(Schema):
    datastreams: list[int] = Field(max_length=MAX_IDS)


class LatestQuery(Schema):
    datastreams: str = Field("", description="ids, comma-separated; empty: every Datastream")
    thing: int | None = Field(None, description="only the Datastreams of this Thing")


class BucketOut(Schema):
    start: str
    count: int
    mean: float | None
    min: float | None
    max: float | None
    sum: float | None


class AggregateQuery(Schema):
    start: str = Field(description="ISO 8601 with offset, inclusive")
    end: str = Field(description="ISO 8601 with offset, exclusive")
    interval: int = Field(1, ge=1, le=24 * 366, description="bucket size in hours")


def _latest(ids: list[int] | None) -> JsonResponse:
    """Sent as it is: the rows are ours, checking thousands against the schema again
    would double the time (the schema still documents the answer)."""
    items = [
        {
            "datastream": entry.datastream,
            "observation": entry.observation,
            "phenomenonTime": _span(entry.phenomenon_start, entry.phenomenon_end),
            "result": entry.result,
        }
        for entry in selectors.latest(ids)
    ]
    return JsonResponse(items, safe=False)


def _span(start: dt.datetime, end: dt.datetime | None) -> str:
    text = format_time(start) or ""
    return f"{text}/{format_time(end)}" if end else text


@router.get("/sensors/latest", response={200: list[LatestOut], 422: ErrorOut})
def latest(request: HttpRequest, query: Query[LatestQuery]) -> JsonResponse:
    """The latest observation (by phenomenon time) of each Datastream asked for."""
    ids: list[int] | None = None
    if query.datastreams:
        try:
            ids = [int(part) for part in query.datastreams.split(",") if part.strip()]
        except ValueError:
            raise ApiError(
                422,
                _("The request contains invalid values."),
                {"datastreams": [_("ids are whole numbers, separated by commas")]},
            ) from None
    if query.thing is not None:
        thing_ids = list(Datastream.objects.filter(thing=query.thing).values_list("pk", flat=True))
        ids = thing_ids if ids is None else [pk for pk in ids if pk in set(thing_ids)]
    if ids is not None and len(ids) > MAX_IDS:
        raise ApiError(
            422,
            _("The request contains invalid values."),
            {"datastreams": [_("at most %(count)s ids") % {"count": MAX_IDS}]},
        )
    return _latest(ids)


@router.post("/sensors/latest", response={200: list[LatestOut], 422: ErrorOut})
def latest_of(request: HttpRequest, body: LatestIn) -> JsonResponse:
    """The same for a list of ids too long for a URL (reads nothing else, needs no token)."""
    return _latest(body.datastreams)


@router.get(
    "/sensors/datastreams/{datastream}/aggregate",
    response={200: list[BucketOut], 404: ErrorOut, 422: ErrorOut},
)
def aggregate(request: HttpRequest, datastream: int, query: Query[AggregateQuery]) -> JsonResponse:
    """Count, mean, min, max and sum of the observations in ``[start, end)`` per bucket
    of ``interval`` hours (UTC, from the epoch); empty buckets are left out."""
    if not Datastream.objects.filter(pk=datastream).exists():
        raise ApiError(404, _("There is no such Datastream."))
    errors: dict[str, list[str]] = {}
    times: dict[str, dt.datetime] = {}
    for name in ("start", "end"):
        try:
            times[name] = parse_time(getattr(query, name), name)
        except ValueError as exc:
            errors[name] = [str(exc)]
    if not errors and times["end"] <= times["start"]:
        errors["end"] = [_("the end must come after the start")]
    if not errors and (times["end"] - times["start"]) / (query.interval * selectors.HOUR) > 100_000:
        errors["interval"] = [_("more than 100,000 buckets: choose a longer interval")]
    if errors:
        raise ApiError(422, _("The request contains invalid values."), errors)
    buckets = selectors.aggregate(
        datastream, times["start"], times["end"], dt.timedelta(hours=query.interval)
    )
    items = [
        {
            "start": b.start.replace(tzinfo=None).isoformat() + "Z",  # whole UTC hours
            "count": b.count,
            "mean": b.mean,
            "min": b.minimum,
            "max": b.maximum,
            "sum": b.total,
        }
        for b in buckets
    ]
    return JsonResponse(items, safe=False)  # as for the latest values


@router.get("/sensors/rules/{rule}/areas", response={200: dict, 404: ErrorOut})
def rule_areas(request: HttpRequest, rule: int) -> JsonResponse:
    """GeoJSON: every reference area with the mean of the latest values of the rule
    (e.g. pF) of the sensors lying in it, their number and the class (colour)."""
    from .models import DerivedRule
    from .services.derived import area_status

    found = DerivedRule.objects.filter(pk=rule).first()
    if found is None:
        raise ApiError(404, _("There is no such rule."))
    return JsonResponse(area_status(found))
