"""The SPARQL 1.1 Protocol's choices as pure functions: which result format a request
asks for, and whether a request is an update (refused: the endpoint is read-only).

https://www.w3.org/TR/sparql11-protocol/
"""

import re
from dataclasses import dataclass

from allmende.core.accept import accept_entries

#: SELECT/ASK results: name -> media type
RESULT_TYPES = {
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
}
#: CONSTRUCT/DESCRIBE graphs: name -> media type
GRAPH_TYPES = {
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "rdfxml": "application/rdf+xml",
}
#: what ?format= accepts besides the names above
FORMAT_ALIASES = {"ttl": "turtle", "json-ld": "jsonld", "ntriples": "nt", "rdf": "rdfxml"}
_EXTRA_MEDIA = {
    "application/json": ("json", None),
    "application/xml": ("xml", "rdfxml"),
    "text/xml": ("xml", "rdfxml"),
    "application/x-turtle": (None, "turtle"),
}

UPDATE_KEYWORDS = re.compile(
    r"^\s*(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.IGNORECASE
)
_PROLOGUE = re.compile(r"^\s*(#[^\n]*\n|BASE\s*<[^>]*>|PREFIX\s+[^\s:]*:\s*<[^>]*>)", re.IGNORECASE)


@dataclass(frozen=True)
class Formats:
    """The format to answer in for each kind of query; None: the client takes none."""

    results: str | None
    graph: str | None


class NotAcceptable(Exception):
    """The Accept header or ``format`` names no format we serve."""


def _accept(header: str) -> list[tuple[float, int, str]]:
    out = [
        (quality, -position, media.lower())
        for position, media, quality in accept_entries(header)
        if media and quality > 0
    ]
    return sorted(out, reverse=True)


def _best(accepted: list[tuple[float, int, str]], types: dict[str, str], extra: int) -> str | None:
    by_media = {media: name for name, media in types.items()}
    for name, pair in _EXTRA_MEDIA.items():
        if pair[extra]:
            by_media.setdefault(name, pair[extra])
    default = next(iter(types))
    for _quality, _position, media in accepted:
        if media in by_media:
            return by_media[media]
        if media in ("*/*", f"{types[default].split('/')[0]}/*"):
            return default
    return None


def choose_formats(accept: str, format_param: str = "") -> Formats:
    """The formats for ``Accept`` (no header: the defaults), overridden by ``?format=``
    (a name such as ``csv`` or a media type). Raises NotAcceptable."""
    wanted = format_param.strip().lower()
    if wanted:
        wanted = FORMAT_ALIASES.get(wanted, wanted)
        if wanted in RESULT_TYPES or wanted in GRAPH_TYPES:
            return Formats(
                wanted if wanted in RESULT_TYPES else "json",
                wanted if wanted in GRAPH_TYPES else "turtle",
            )
        accept = wanted
    if not accept.strip():
        return Formats("json", "turtle")
    accepted = _accept(accept)
    formats = Formats(_best(accepted, RESULT_TYPES, 0), _best(accepted, GRAPH_TYPES, 1))
    if formats.results is None and formats.graph is None:
        raise NotAcceptable(accept)
    return formats


def looks_like_update(query: str) -> bool:
    """Whether ``query`` is a SPARQL Update request (after its prologue)."""
    rest = query
    while True:
        found = _PROLOGUE.match(rest)
        if not found:
            break
        rest = rest[found.end() :]
    return bool(UPDATE_KEYWORDS.match(rest))


_NOT_CODE = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*",
    re.DOTALL,
)


def uses_service(query: str) -> bool:
    """Whether ``query`` asks for a federated ``SERVICE`` (outside strings, IRIs and
    comments): refused, as the endpoint must not fetch from other hosts."""
    return bool(re.search(r"\bSERVICE\b", _NOT_CODE.sub(" ", query), re.IGNORECASE))
