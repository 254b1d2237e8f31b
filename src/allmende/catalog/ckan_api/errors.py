"""CKAN's error types, their HTTP status codes and the envelope CKAN answers them in.

CKAN clients (ckanapi among them) dispatch on ``error.__type``, so the type names stay
verbatim, and the messages stay English as CKAN's own (see docs/ckan-api.md).
"""

from typing import Any


class ActionError(Exception):
    """Base: an error CKAN reports as ``{"success": false, "error": {...}}``."""

    type_name = "Internal Server Error"
    status = 500

    def __init__(self, message: str = "", fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}

    def body(self) -> dict[str, Any]:
        """The ``error`` object: ``__type``, ``message`` (if any) and field messages."""
        error: dict[str, Any] = {"__type": self.type_name}
        if self.message:
            error["message"] = self.message
        error.update(self.fields)
        return error


class BadRequest(ActionError):
    """An unknown action, a wrong method, a body that is not a JSON object."""

    type_name = "Bad Request"
    status = 400


class NotFound(ActionError):
    type_name = "Not Found Error"
    status = 404


class NotAuthorized(ActionError):
    type_name = "Authorization Error"
    status = 403


class ValidationError(ActionError):
    """Invalid values; ``fields`` maps each field to its messages."""

    type_name = "Validation Error"
    status = 409


class SearchQueryError(ActionError):
    """A ``q``, ``fq`` or ``sort`` the search cannot read."""

    type_name = "Search Query Error"
    status = 400

    def body(self) -> dict[str, Any]:
        # CKAN prefixes the message; clients (ckanapi) strip everything up to ": ".
        return {**super().body(), "message": f"Search Query is invalid: {self.message}"}


def envelope(help_url: str, *, result: Any = None, error: ActionError | None = None) -> dict:
    """CKAN's response body for a result or an error."""
    if error is None:
        return {"help": help_url, "success": True, "result": result}
    return {"help": help_url, "success": False, "error": error.body()}
