"""The HTTP face of the SensorThings API: one view for every path under /sta/v1.1/.

Reading is open. Writing (POST, PATCH, PUT, DELETE) needs an API token
(``Authorization: Bearer <token>``); the session cookie is never accepted for a write,
so no CSRF exposure. Errors: ``{"code", "type": "error", "message"}`` with 400 (bad
request or query), 401, 403, 404, 405, 413, 415.
"""

import json
from dataclasses import replace
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.db.models import Model
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from allmende.core.rules import editable_organisations
from allmende.core.services.tokens import authenticate_token

from ..mqtt.connection import Broker, configured_broker
from ..query import QueryError, QueryOptions, parse_query
from ..services.entities import Writer
from . import counting, reading, result_format, serialize
from .batch import run_batch
from .data_array import create_observations
from .entities import ENTITY_SETS
from .errors import StaError, error_response
from .json_patch import apply_patch
from .paths import Target, resolve

VERSION = "v1.1"
_REQ = "http://www.opengis.net/spec/iot_sensing/1.1/req"
CONFORMANCE = [
    f"{_REQ}/datamodel",
    f"{_REQ}/resource-path/resource-path-to-entities",
    f"{_REQ}/request-data",
    f"{_REQ}/create-update-delete",
    f"{_REQ}/batch-request/batch-request",
    f"{_REQ}/data-array/data-array",
]
MQTT_CREATE = f"{_REQ}/create-observations-via-mqtt/observations-creation"
MQTT_RECEIVE = f"{_REQ}/receive-updates-via-mqtt/receive-updates"
_LOOPBACK = {"127.0.0.1", "::1", "localhost"}
_JSON = "application/json"
_JSON_PATCH = "application/json-patch+json"


def base_url(request: HttpRequest) -> str:
    return request.build_absolute_uri(f"/sta/{VERSION}").rstrip("/")


@csrf_exempt
def sta(request: HttpRequest, path: str = "") -> HttpResponse:
    try:
        if not path.strip("/"):
            return _landing(request)
        if path.strip("/") == "$batch":
            return _batch(request)
        if request.method == "GET":
            return _read(request, path)
        if request.method in ("POST", "PATCH", "PUT", "DELETE"):
            return _write(request, path)
        response = error_response(405, _("method not allowed"))
        response["Allow"] = "GET, POST, PATCH, PUT, DELETE"
        return response
    except StaError as exc:
        return error_response(exc.status, exc.message)


def _landing(request: HttpRequest) -> JsonResponse:
    if request.method != "GET":
        return error_response(405, _("method not allowed"))
    base = base_url(request)
    settings_block: dict[str, Any] = {"conformance": list(CONFORMANCE)}
    broker = configured_broker()
    if broker is not None:
        settings_block["conformance"].append(MQTT_CREATE)
        if settings.ALLMENDE_MQTT_PUBLISH:
            settings_block["conformance"].append(MQTT_RECEIVE)
        settings_block[MQTT_CREATE] = {"endpoints": [mqtt_endpoint(request, broker)]}
    return JsonResponse(
        {
            "value": [{"name": name, "url": f"{base}/{name}"} for name in ENTITY_SETS],
            "serverSettings": settings_block,
        }
    )


def _batch(request: HttpRequest) -> JsonResponse:
    if request.method != "POST":
        raise StaError(405, _("$batch takes POST"))
    return JsonResponse(run_batch(request, _body(request), f"/sta/{VERSION}/", sta))


def mqtt_endpoint(request: HttpRequest, broker: Broker) -> str:
    """The broker as clients reach it: ``ALLMENDE_MQTT_URL`` without its credentials, and
    with this server's host name when the broker runs beside it (on loopback)."""
    host = broker.host
    if host in _LOOPBACK:
        host = urlsplit(f"//{request.get_host()}").hostname or host
    if ":" in host:
        host = f"[{host}]"
    return f"{'mqtts' if broker.tls else 'mqtt'}://{host}:{broker.port}"


# -- reading ------------------------------------------------------------------------------


def _read(request: HttpRequest, path: str) -> HttpResponse:
    target = resolve(path)
    options = _options(request)
    base = base_url(request)
    if options.result_format is not None:
        result_format.check(target, options)
    if target.prop is not None:
        obj = target.rows.get()
        value = serialize.prop_value(target.prop, obj)
        if target.value:
            if isinstance(value, (dict, list)):
                return HttpResponse(json.dumps(value, ensure_ascii=False), content_type=_JSON)
            return HttpResponse("" if value is None else str(value), content_type="text/plain")
        return JsonResponse({target.prop.name: value})
    if target.single:
        obj = target.rows.get()
        if target.ref:
            return JsonResponse({"@iot.selfLink": serialize.self_link(base, target.etype, obj.pk)})
        reading.check_select(target.etype, options.select)
        return JsonResponse(reading.render(target.etype, [obj], options, base)[0])
    return _collection(request, target, options, base)


def _options(request: HttpRequest) -> QueryOptions:
    """The query options of the request; a problem in them is a 400."""
    try:
        options = parse_query(request.GET)
    except QueryError as exc:
        raise StaError(400, str(exc)) from None
    return options


def _collection(
    request: HttpRequest, target: Target, options: QueryOptions, base: str
) -> JsonResponse:
    fast = counting.roll_up_count(target, options) if options.count else None
    if options.result_format is not None:
        body, more = result_format.data_array_page(target, options, base, fast)
        if more:
            body["@iot.nextLink"] = _next_link(request, options, base)
        return JsonResponse(body)
    if fast is None:
        page = reading.read_page(target.etype, target.rows, options)
    else:  # the count from the roll-up; the rows as usual
        page = reading.read_page(target.etype, target.rows, replace(options, count=False))
        page.count = fast
    if target.ref:
        items = [
            {"@iot.selfLink": serialize.self_link(base, target.etype, o.pk)} for o in page.rows
        ]
    else:
        items = reading.render(target.etype, page.rows, options, base)
    next_link = _next_link(request, options, base) if page.more else None
    return JsonResponse(serialize.collection_json(items, page.count, next_link))


def _next_link(request: HttpRequest, options: QueryOptions, base: str) -> str:
    url = f"{base}/{request.path.split(f'/sta/{VERSION}/', 1)[1]}"
    others = {k: v for k, v in request.GET.items() if not k.startswith("$")}
    return reading.next_link(url, options, others)


# -- writing ------------------------------------------------------------------------------


def _writer(request: HttpRequest) -> Writer:
    header = request.headers.get("Authorization", "")
    scheme, _sep, token = header.partition(" ")
    user = authenticate_token(token.strip()) if scheme.lower() == "bearer" and token else None
    if user is None:
        raise StaError(401, _("writing needs an API token: send Authorization: Bearer <token>"))
    organisation = editable_organisations(user).order_by("slug").first()
    if organisation is None and not user.is_superuser:
        raise StaError(403, _("your account edits for no organisation"))
    return Writer(user=user, organisation=organisation)


def _body(request: HttpRequest, kinds: tuple[str, ...] = (_JSON,)) -> Any:
    try:
        body = request.body
    except RequestDataTooBig:
        raise StaError(413, _("the request body is too large")) from None
    kind = request.content_type or ""
    if kind and kind not in kinds:
        raise StaError(415, _("send JSON (Content-Type: application/json)"))
    try:
        return json.loads(body or b"null")
    except (ValueError, UnicodeDecodeError) as exc:
        raise StaError(400, _("the body is no valid JSON: %(error)s") % {"error": exc}) from None


def _write(request: HttpRequest, path: str) -> HttpResponse:
    writer = _writer(request)
    base = base_url(request)
    if path.strip("/") == "CreateObservations":
        if request.method != "POST":
            raise StaError(405, _("CreateObservations takes POST"))
        answers = create_observations(writer, _body(request), base)
        return JsonResponse(answers, status=201, safe=False)
    target = resolve(path)
    if target.prop is not None or target.ref:
        raise StaError(405, _("write to an entity or a collection"))
    if request.method == "POST":
        if target.single:
            raise StaError(405, _("POST to a collection; PATCH or PUT to change an entity"))
        obj = writer.create(target.etype, _body(request), via=target.via)
        return _created(base, target, obj)
    if not target.single:
        raise StaError(405, _("PATCH, PUT and DELETE address one entity"))
    obj = target.rows.get()
    if request.method == "DELETE":
        writer.delete(target.etype, obj)
        return HttpResponse(status=200)
    if request.method == "PATCH" and request.content_type == _JSON_PATCH:
        obj = _json_patch(writer, target, obj, _body(request, (_JSON_PATCH,)))
    else:
        obj = writer.update(target.etype, obj, _body(request), replace=request.method == "PUT")
    return JsonResponse(serialize.entity_json(target.etype, obj, base))


def _json_patch(writer: Writer, target: Target, obj: Model, operations: Any) -> Model:
    """PATCH with a JSON Patch: the operations on the entity's properties, then the
    properties that changed written as a PATCH."""
    etype = target.etype
    before = {p.name: serialize.prop_value(p, obj) for p in etype.props if p.column}
    after = apply_patch(before, operations)
    unknown = set(after) - set(before)
    if unknown:
        raise StaError(
            400,
            _("JSON Patch changes only properties of %(type)s, not %(names)s")
            % {"type": etype.singular, "names": ", ".join(sorted(unknown))},
        )
    changed = {name: after.get(name) for name in before if after.get(name) != before[name]}
    return writer.update(etype, obj, changed) if changed else obj


def _created(base: str, target: Target, obj: Model) -> JsonResponse:
    etype = target.etype
    body = serialize.entity_json(etype, etype.model.objects.get(pk=obj.pk), base)
    response = JsonResponse(body, status=201)
    response["Location"] = serialize.self_link(base, etype, obj.pk)
    return response
