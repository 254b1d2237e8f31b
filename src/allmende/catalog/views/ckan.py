"""``/api/3/action/<name>``: CKAN's Action API over HTTP (wire format in ``ckan_api/``).

Reads answer GET and POST (CKAN and its clients use both: ckanapi POSTs JSON for every
action); writes answer POST only. Tokens come as ``Authorization: <token>`` (what
ckanapi sends), ``Authorization: Bearer <token>`` or ``X-CKAN-API-Key``; the session
cookie never counts, so no CSRF token is needed.
"""

import json
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse, QueryDict
from django.views.decorators.csrf import csrf_exempt

from allmende.core.services.tokens import authenticate_token

from ..ckan_api import writes  # noqa: F401  (registers the write actions)
from ..ckan_api.errors import ActionError, BadRequest, NotAuthorized, envelope
from ..ckan_api.registry import ACTIONS


def _flat(query: QueryDict) -> dict[str, Any]:
    return {k: (v[0] if len(v) == 1 else v) for k, v in query.lists()}


def read_params(request: HttpRequest) -> dict[str, Any]:
    """Parameters from the query string, and for POST from a JSON or form body."""
    params = _flat(request.GET)
    if request.method != "POST":
        return params
    try:
        body = request.body
    except RequestDataTooBig:
        raise BadRequest("Bad request - the request body is too large") from None
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        if request.FILES:
            raise BadRequest("Bad request - file uploads are not supported here")
        return {**params, **_flat(request.POST)}
    if not body.strip():
        return params
    try:
        data = json.loads(body)
    except ValueError as exc:
        raise BadRequest(f"Bad request - JSON Error: {exc}") from None
    if not isinstance(data, dict):
        raise BadRequest("Bad request - JSON Error: the body must be a JSON object")
    return {**params, **data}


def token_user(request: HttpRequest) -> Any:
    """The user of the request's API token, None without one; a bad token is refused."""
    raw = request.headers.get("Authorization") or request.headers.get("X-CKAN-API-Key") or ""
    raw = raw.strip().removeprefix("Bearer ").strip()
    if not raw:
        return None
    user = authenticate_token(raw)
    if user is None:
        raise NotAuthorized("The API token is not valid")
    return user


def _run(request: HttpRequest, name: str) -> Any:
    action = ACTIONS.get(name)
    if action is None:
        raise BadRequest(f"Bad request - Action name not known: {name}")
    if request.method not in ("GET", "POST"):
        raise BadRequest(f"Bad request - use GET or POST, not {request.method}")
    if action.write and request.method != "POST":
        raise BadRequest(f"Bad request - {name} changes data: use POST")
    params = read_params(request)
    return action.function(params, token_user(request))


@csrf_exempt
def action_view(request: HttpRequest, name: str) -> JsonResponse:
    """Run one action and answer in CKAN's envelope."""
    help_url = f"{settings.SITE_URL}/api/3/action/help_show?name={name}"
    try:
        result = _run(request, name)
    except ActionError as error:
        return JsonResponse(envelope(help_url, error=error), status=error.status)
    return JsonResponse(envelope(help_url, result=result))
