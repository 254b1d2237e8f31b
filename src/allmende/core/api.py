"""What every JSON API of ours shares: bearer tokens, one error shape, the API object.

Errors always answer ``{"detail": "...", "errors": {field: [messages]}}`` with the status
that says what went wrong (400 unreadable body, 401 no or bad token, 403 not allowed,
404 unknown, 413 too large, 415 wrong content type, 422 invalid values). Domains add
their routers; core knows none of them.
"""

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import RequestDataTooBig
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, Router
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.security import HttpBearer

from .services.tokens import authenticate_token

REALM = 'Bearer realm="api"'


class ApiError(Exception):
    """An answer other than success: status, a message and messages per field."""

    def __init__(
        self,
        status: int,
        detail: str,
        errors: dict[str, list[str]] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status, self.detail = status, detail
        self.errors = errors or {}
        self.headers = headers or {}


def invalid(errors: dict[str, list[str]]) -> ApiError:
    """422 with messages per field."""
    return ApiError(422, _("The request contains invalid values."), errors)


def too_large() -> ApiError:
    return ApiError(413, _("The request is larger than allowed."))


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` with an API token; never the session cookie."""

    def authenticate(self, request: HttpRequest, token: str) -> Any:
        user = authenticate_token(token.strip())
        if user is None:
            raise ApiError(
                401,
                _("The API token is not valid or has been revoked."),
                headers={"WWW-Authenticate": f'{REALM}, error="invalid_token"'},
            )
        return user


class TokenOrVisitor:
    """For reads: the token's user when one is sent, else whoever is visiting (the
    logged-in user of the site, or anonymous). Safe without CSRF because reads change
    nothing. In the OpenAPI document, mark such operations with ``OPTIONAL_TOKEN``."""

    def __init__(self) -> None:
        self.bearer = BearerToken()

    def __call__(self, request: HttpRequest) -> Any:
        if "Authorization" not in request.headers:
            return request.user
        user = self.bearer(request)
        if user is None:  # some other scheme than Bearer
            raise AuthenticationError()
        return user


# An operation's "security" in the OpenAPI document: no token, or a bearer token.
OPTIONAL_TOKEN: dict[str, Any] = {"security": [{}, {"BearerToken": []}]}


# Messages for pydantic's error types, so validation speaks the visitor's language.
def _message(error: dict) -> str:
    kind, ctx = error.get("type", ""), error.get("ctx") or {}
    messages = {
        "missing": lambda: _("This field is required."),
        "extra_forbidden": lambda: _("This field is not known."),
        "string_too_long": lambda: (
            _("Use at most %(limit)d characters.") % {"limit": ctx.get("max_length", 0)}
        ),
        "int_parsing": lambda: _("Enter a whole number."),
        "int_type": lambda: _("Enter a whole number."),
        "greater_than_equal": lambda: (
            _("Ensure this value is greater than or equal to %(limit_value)s.")
            % {"limit_value": ctx.get("ge")}
        ),
        "less_than_equal": lambda: (
            _("Ensure this value is less than or equal to %(limit_value)s.")
            % {"limit_value": ctx.get("le")}
        ),
        "literal_error": lambda: (
            _("Choose one of: %(choices)s.") % {"choices": ctx.get("expected", "")}
        ),
        "list_type": lambda: _("Enter a list of values."),
        "string_type": lambda: _("Enter a text."),
        "value_error": lambda: str(ctx.get("error", "")),
    }
    if kind.startswith("date"):
        return _("Enter a valid date.")
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return _("Send a JSON object.")
    return messages.get(kind, lambda: _("Enter a valid value."))()


def field_errors(errors: Iterable[dict], *, skip: int = 0) -> dict[str, list[str]]:
    """Pydantic errors as ``{field: [messages]}``; ``skip`` leading parts of each location
    are not part of the field name (``body``, the parameter name)."""
    out: dict[str, list[str]] = {}
    for error in errors:
        loc = [str(p) for p in error.get("loc", ())[skip:] if not isinstance(p, int)]
        out.setdefault(".".join(loc) or "body", []).append(_message(error))
    return out


def _respond(api: NinjaAPI, request: HttpRequest, exc: ApiError) -> HttpResponse:
    body = {"detail": exc.detail, "errors": exc.errors}
    response = api.create_response(request, body, status=exc.status)
    for name, value in exc.headers.items():
        response[name] = value
    return response


def _as_api_error(exc: Exception) -> ApiError:
    """The ApiError for an exception the API object handles."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, ValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            # ninja's locations: ("body", <parameter>, field...) or ("query", field...)
            skip = 2 if error.get("loc", ("",))[0] == "body" else 1
            for field, messages in field_errors([error], skip=skip).items():
                errors.setdefault(field, []).extend(messages)
        return invalid(errors)
    if isinstance(exc, AuthenticationError):
        message = _("This needs an API token: send the header Authorization: Bearer <token>.")
        return ApiError(401, message, headers={"WWW-Authenticate": REALM})
    if isinstance(exc, RequestDataTooBig) or isinstance(exc.__cause__, RequestDataTooBig):
        return too_large()
    if isinstance(exc, HttpError):
        if exc.status_code == 400 and isinstance(exc.__cause__, ValueError):  # unparsable body
            return ApiError(400, _("The request body is not valid JSON: %s") % exc.__cause__)
        return ApiError(exc.status_code, str(exc))
    return ApiError(404, _("Not found."))  # Http404


HANDLED = (ApiError, ValidationError, AuthenticationError, HttpError, Http404, RequestDataTooBig)


class Api(NinjaAPI):
    """NinjaAPI with short operation ids (the view function's name)."""

    def get_openapi_operation_id(self, operation: Any) -> str:
        return operation.view_func.__name__


def create_api(
    *, title: str, version: str, description: str, routers: Iterable[tuple[str, Router]]
) -> NinjaAPI:
    """The API object for ``urls.py``. No docs page: ninja's Swagger UI loads from a CDN,
    and no page of ours makes third-party requests (ADR 3)."""
    api = Api(
        title=title,
        version=version,
        description=description,
        docs_url=None,
        urls_namespace="api",
    )
    for exc_class in HANDLED:
        api.add_exception_handler(
            exc_class, lambda request, exc: _respond(api, request, _as_api_error(exc))
        )
    for prefix, router in routers:
        api.add_router(prefix, router)
    return api
