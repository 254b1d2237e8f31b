"""JSON Patch (RFC 6902) for ``PATCH`` with ``Content-Type: application/json-patch+json``
(SensorThings 1.1, "update an entity with JSON PATCH"; FROST's clients send it).

The operations apply to the entity's properties as the API shows them
(``/name``, ``/properties/district``, ``/unitOfMeasurement/symbol``); the properties
that end up different are then written like a PATCH with JSON. Navigation properties
cannot be patched this way.
"""

import copy
from typing import Any

from django.utils.translation import gettext as _

from .errors import StaError, bad_request

_OPS = {"add", "remove", "replace", "move", "copy", "test"}


def apply_patch(document: dict[str, Any], operations: Any) -> dict[str, Any]:
    """``document`` with ``operations`` applied (a new object); a bad operation is a 400,
    a failed ``test`` a 409."""
    if not isinstance(operations, list):
        raise bad_request(_("a JSON Patch is a list of operations"))
    doc = copy.deepcopy(document)
    for op in operations:
        if not isinstance(op, dict) or op.get("op") not in _OPS or "path" not in op:
            raise bad_request(
                _("each JSON Patch operation needs op (%(ops)s) and path")
                % {"ops": ", ".join(sorted(_OPS))}
            )
        if op["op"] in ("add", "replace", "test") and "value" not in op:
            raise bad_request(_("JSON Patch %(op)s needs a value") % {"op": op["op"]})
        _apply(doc, op)
    return doc


def _apply(doc: dict[str, Any], op: dict[str, Any]) -> None:
    kind, path = op["op"], _pointer(op["path"])
    if kind == "test":
        if _get(doc, path) != op["value"]:
            raise StaError(409, _("JSON Patch test failed at %(path)s") % {"path": op["path"]})
        return
    if kind in ("move", "copy"):
        source = _pointer(op.get("from", ""))
        value = copy.deepcopy(_get(doc, source))
        if kind == "move":
            _remove(doc, source)
    else:
        value = copy.deepcopy(op.get("value"))
    if kind in ("remove", "replace"):
        _remove(doc, path)
    if kind != "remove":
        _add(doc, path, value)


def _pointer(text: Any) -> list[str]:
    if not isinstance(text, str) or not text.startswith("/"):
        raise bad_request(_("a JSON Patch path starts with /: %(path)s") % {"path": text})
    return [part.replace("~1", "/").replace("~0", "~") for part in text[1:].split("/")]


def _missing(path: list[str]) -> StaError:
    return bad_request(_("JSON Patch: nothing at /%(path)s") % {"path": "/".join(path)})


def _parent(doc: Any, path: list[str]) -> Any:
    node = doc
    for part in path[:-1]:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and part.isdigit() and int(part) < len(node):
            node = node[int(part)]
        else:
            raise _missing(path)
    return node


def _get(doc: Any, path: list[str]) -> Any:
    node, key = _parent(doc, path), path[-1]
    if isinstance(node, dict) and key in node:
        return node[key]
    if isinstance(node, list) and key.isdigit() and int(key) < len(node):
        return node[int(key)]
    raise _missing(path)


def _add(doc: Any, path: list[str], value: Any) -> None:
    node, key = _parent(doc, path), path[-1]
    if isinstance(node, dict):
        node[key] = value
    elif isinstance(node, list) and (key == "-" or (key.isdigit() and int(key) <= len(node))):
        node.insert(len(node) if key == "-" else int(key), value)
    else:
        raise _missing(path)


def _remove(doc: Any, path: list[str]) -> None:
    _get(doc, path)
    node, key = _parent(doc, path), path[-1]
    if isinstance(node, dict):
        del node[key]
    else:
        del node[int(key)]
