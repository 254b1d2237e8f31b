"""Errors of the SensorThings API: a status and one readable line, sent as
``{"code": status, "type": "error", "message": …}`` (the shape SensorThings servers and
their clients use)."""

from django.http import JsonResponse


class StaError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def error_response(status: int, message: str) -> JsonResponse:
    response = JsonResponse({"code": status, "type": "error", "message": message}, status=status)
    if status == 401:
        response["WWW-Authenticate"] = 'Bearer realm="sta"'
    return response


def bad_request(message: str) -> StaError:
    return StaError(400, message)


def not_found(message: str) -> StaError:
    return StaError(404, message)
