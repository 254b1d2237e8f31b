"""The action registry and the parameter readers actions share."""

import json
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .errors import ValidationError

ActionFunction = Callable[[dict[str, Any], Any], Any]


@dataclass(frozen=True)
class Action:
    name: str
    function: ActionFunction
    write: bool

    @property
    def help(self) -> str:
        return (self.function.__doc__ or "").strip()


ACTIONS: dict[str, Action] = {}


def action(name: str, *, write: bool = False) -> Callable[[ActionFunction], ActionFunction]:
    """Register ``function(params, user)`` as the CKAN action ``name``."""

    def register(function: ActionFunction) -> ActionFunction:
        ACTIONS[name] = Action(name, function, write)
        return function

    return register


def integer(params: dict[str, Any], name: str, default: int, *, maximum: int | None = None) -> int:
    """A natural number parameter; anything else is a Validation Error on ``name``."""
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise ValidationError(fields={name: ["Invalid integer"]}) from None
    if value < 0:
        raise ValidationError(fields={name: ["Must be a natural number"]})
    if maximum is not None and value > maximum:
        raise ValidationError(fields={name: [f"Must be less than or equal to {maximum}"]})
    return value


def boolean(params: dict[str, Any], name: str, default: bool = False) -> bool:
    raw = params.get(name)
    if raw is None or raw == "":
        return default
    if isinstance(raw, bool):
        return raw
    return str(raw).strip().lower() in ("true", "1", "yes", "on")


def string_list(params: dict[str, Any], name: str) -> list[str]:
    """A list given as a list, as a JSON list in a string, or as one string."""
    raw = params.get(name)
    if raw is None or raw == "":
        return []
    if isinstance(raw, str) and raw.strip().startswith("["):
        try:
            raw = json.loads(raw)
        except ValueError:
            raise ValidationError(fields={name: ["Not a JSON list"]}) from None
    if isinstance(raw, str):
        return [raw]
    if not isinstance(raw, list) or not all(isinstance(v, str) for v in raw):
        raise ValidationError(fields={name: ["Must be a list of strings"]})
    return raw


def required(params: dict[str, Any], name: str) -> str:
    value = params.get(name)
    if value is None or value == "":
        raise ValidationError(fields={name: ["Missing value"]})
    if not isinstance(value, str):
        raise ValidationError(fields={name: ["Must be a string"]})
    return value


def is_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return True
