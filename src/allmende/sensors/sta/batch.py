"""``POST /sta/v1.1/$batch``: many requests in one (SensorThings 1.1, "batch requests",
in OData 4.0's JSON batch format).

```json
{"requests": [
  {"id": "1", "atomicityGroup": "g", "method": "post", "url": "Things", "body": {…}},
  {"id": "2", "atomicityGroup": "g", "method": "post", "url": "$1/Datastreams", "body": {…}},
  {"id": "3", "dependsOn": ["g"], "method": "get", "url": "Things?$top=1"}]}
```

answers ``{"responses": [{"id", "status", "headers"?, "body"?}, …]}`` in the order of
the requests. Each request is a request of its own built from the batch's
(``Authorization`` and ``Accept-Language`` carry over) and handed to the same view
as over HTTP, in this process. The requests of one atomicity group (adjacent, as OData
asks) run in one transaction: if one fails (4xx, 5xx), nothing of the group is kept,
the failed request answers its error and the others of the group 424. A request whose
``dependsOn`` names a failed request or group answers 424 and is not run. ``$<id>`` at
the start of a URL stands for the entity an earlier request created (``$1/Datastreams``);
``{"@iot.id": "$1"}`` in a body links to it. More than ``ALLMENDE_STA_MAX_BATCH``
requests: 413, nothing run. The multipart batch format is not supported.
"""

import io
import json
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from .errors import StaError, bad_request

View = Callable[[HttpRequest, str], HttpResponse]
_METHODS = {"GET", "POST", "PATCH", "PUT", "DELETE"}
_CARRIED = ("HTTP_AUTHORIZATION", "HTTP_ACCEPT_LANGUAGE", "HTTP_HOST", "SERVER_NAME")


class _GroupFailed(Exception):
    pass


def run_batch(request: HttpRequest, body: Any, prefix: str, view: View) -> dict[str, Any]:
    """The answers to the requests of ``body``; ``prefix`` is the API's path
    (``/sta/v1.1/``), ``view`` what answers one request."""
    requests = _requests(body)
    runner = _Runner(request, prefix, view)
    index = 0
    while index < len(requests):
        group = requests[index].get("atomicityGroup")
        end = index + 1
        while group is not None and end < len(requests):
            if requests[end].get("atomicityGroup") != group:
                break
            end += 1
        if group is None:
            runner.single(requests[index])
        else:
            runner.group(str(group), requests[index:end])
        index = end
    return {"responses": runner.responses}


def _requests(body: Any) -> list[dict[str, Any]]:
    if not isinstance(body, dict) or not isinstance(body.get("requests"), list):
        raise bad_request(_('a batch is a JSON object {"requests": [...]}'))
    requests = body["requests"]
    if len(requests) > settings.ALLMENDE_STA_MAX_BATCH:
        raise StaError(
            413,
            _("at most %(limit)s requests per batch") % {"limit": settings.ALLMENDE_STA_MAX_BATCH},
        )
    seen: set[str] = set()
    groups_done: set[str] = set()
    current = None
    for item in requests:
        _check_request(item, seen)
        seen.add(item["id"])
        group = item.get("atomicityGroup")
        if group != current and current is not None:
            groups_done.add(current)
        if group is not None and group in groups_done:
            raise bad_request(
                _("the requests of atomicity group %(group)s must be adjacent") % {"group": group}
            )
        current = group
        depends = item.get("dependsOn", [])
        if not isinstance(depends, list) or not all(
            isinstance(d, str) and (d in seen or d in groups_done) and d != item["id"]
            for d in depends
        ):
            raise bad_request(
                _("request %(id)s: dependsOn names earlier requests or groups") % {"id": item["id"]}
            )
    return requests


def _check_request(item: Any, seen: set[str]) -> None:
    if not isinstance(item, dict) or not isinstance(item.get("id"), str):
        raise bad_request(_("each request of a batch is an object with an id (text)"))
    if item["id"] in seen:
        raise bad_request(_("the id %(id)s occurs twice in the batch") % {"id": item["id"]})
    if str(item.get("method", "")).upper() not in _METHODS:
        raise bad_request(
            _("request %(id)s: method must be one of %(methods)s")
            % {"id": item["id"], "methods": ", ".join(sorted(_METHODS))}
        )
    if not isinstance(item.get("url"), str):
        raise bad_request(_("request %(id)s needs a url") % {"id": item["id"]})


class _Runner:
    def __init__(self, request: HttpRequest, prefix: str, view: View):
        self.outer = request
        self.prefix = prefix
        self.view = view
        self.responses: list[dict[str, Any]] = []
        self.failed: set[str] = set()  # ids of requests and groups that failed
        self.created: dict[str, tuple[str, int]] = {}  # id -> (entity path, entity id)

    def single(self, item: dict[str, Any]) -> None:
        answer = self._dependency_failure(item) or self._run(item)
        if answer["status"] >= 400:
            self.failed.add(item["id"])
        self.responses.append(answer)

    def group(self, name: str, items: list[dict[str, Any]]) -> None:
        answers: list[dict[str, Any]] = []
        created = dict(self.created)
        try:
            with transaction.atomic():
                for item in items:
                    answer = self._dependency_failure(item) or self._run(item)
                    answers.append(answer)
                    if answer["status"] >= 400:
                        raise _GroupFailed
        except _GroupFailed:
            self.created = created  # what the group made is gone
            self.failed.add(name)
            self.failed.update(item["id"] for item in items)
            bad = answers[-1]
            answers = [
                bad if item["id"] == bad["id"] else self._failed_dependency(item, name)
                for item in items
            ]
        self.responses.extend(answers)

    def _dependency_failure(self, item: dict[str, Any]) -> dict[str, Any] | None:
        for name in item.get("dependsOn", []):
            if name in self.failed:
                return self._failed_dependency(item, name)
        return None

    def _failed_dependency(self, item: dict[str, Any], name: str) -> dict[str, Any]:
        message = _("not run or rolled back: %(name)s failed") % {"name": name}
        return {
            "id": item["id"],
            "status": 424,
            "body": {"code": 424, "type": "error", "message": message},
        }

    def _run(self, item: dict[str, Any]) -> dict[str, Any]:
        try:
            path, query = self._target(item)
            body = self._body(item.get("body"))
        except StaError as exc:
            return {
                "id": item["id"],
                "status": exc.status,
                "body": {"code": exc.status, "type": "error", "message": exc.message},
            }
        method = str(item["method"]).upper()
        response = self.view(self._request(method, path, query, body), path)
        answer: dict[str, Any] = {"id": item["id"], "status": response.status_code}
        headers = {k.lower(): v for k, v in response.items() if k.lower() == "location"}
        if headers:
            answer["headers"] = headers
        content = response.content
        if content:
            if response.get("Content-Type", "").startswith("application/json"):
                answer["body"] = json.loads(content)
            else:
                answer["body"] = content.decode("utf-8")
        created = answer.get("body") if response.status_code == 201 else None
        if isinstance(created, dict) and isinstance(created.get("@iot.id"), int):
            entity = headers["location"].rsplit("/", 1)[-1]  # Things(5)
            self.created[item["id"]] = (entity, created["@iot.id"])
        return answer

    def _target(self, item: dict[str, Any]) -> tuple[str, str]:
        """The path below the API (``Things(1)/Datastreams``) and the query string."""
        url = urlsplit(item["url"])
        path = url.path
        if path.startswith("$"):
            ref, _sep, rest = path[1:].partition("/")
            if ref not in self.created:
                raise bad_request(
                    _("request %(id)s: $%(ref)s names no entity created earlier in the batch")
                    % {"id": item["id"], "ref": ref}
                )
            path = self.created[ref][0] + (f"/{rest}" if rest else "")
        elif path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        elif path.startswith("/"):
            raise StaError(
                404,
                _("request %(id)s: the url is not below %(prefix)s")
                % {"id": item["id"], "prefix": self.prefix},
            )
        if path.strip("/") in ("$batch", ""):
            raise bad_request(
                _("request %(id)s: a batch holds requests to entities") % {"id": item["id"]}
            )
        return path, url.query

    def _body(self, body: Any) -> bytes | None:
        """The body as JSON, with ``"$<id>"`` as ``@iot.id`` replaced by that entity's id."""
        if body is None:
            return None
        return json.dumps(self._resolve(body)).encode()

    def _resolve(self, value: Any) -> Any:
        if isinstance(value, dict):
            out = {k: self._resolve(v) for k, v in value.items()}
            ref = out.get("@iot.id")
            if isinstance(ref, str) and ref.startswith("$") and ref[1:] in self.created:
                out["@iot.id"] = self.created[ref[1:]][1]
            return out
        if isinstance(value, list):
            return [self._resolve(v) for v in value]
        return value

    def _request(self, method: str, path: str, query: str, body: bytes | None) -> HttpRequest:
        outer = self.outer.META
        environ = {key: outer[key] for key in _CARRIED if key in outer}
        data = body or b""
        environ.update(
            {
                "REQUEST_METHOD": method,
                "PATH_INFO": f"{self.prefix}{path}",
                "SCRIPT_NAME": "",
                "QUERY_STRING": query,
                "SERVER_PORT": str(outer.get("SERVER_PORT", "80")),
                "SERVER_NAME": outer.get("SERVER_NAME", "localhost"),
                "wsgi.url_scheme": self.outer.scheme or "http",
                "wsgi.input": io.BytesIO(data),
                "CONTENT_LENGTH": str(len(data)),
            }
        )
        if body is not None:
            environ["CONTENT_TYPE"] = "application/json"
        return WSGIRequest(environ)
