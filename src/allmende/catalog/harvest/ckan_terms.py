"""Safe RDF terms from CKAN's free-text fields, for the CKAN mapping (``ckan.py``).

CKAN keeps almost everything as unchecked text: URLs with spaces, e-mail addresses with
names around them, dates in any format, lists as JSON inside a string. Every value goes
through a function here that either returns a valid RDF term or ``None``; a refused
value becomes one defect line (short English words), never an exception.
"""

import datetime as dt
import json
import re
from dataclasses import dataclass, field
from urllib.parse import SplitResult, quote, urlsplit, urlunsplit

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..dcat.build import BuildError, mailto
from ..dcat.namespaces import XSD

Node = NamedNode | BlankNode
Term = NamedNode | BlankNode | Literal
EMPTY = (None, "", [], {}, "[]", "{}", "null", "None")
# What may stay unencoded in a repaired path, query or fragment: RFC 3986 sub-delimiters,
# ":", "@", "/", "?" and "%" (brackets are allowed in the host only).
_URL_SAFE = ":/?@!$&'()*+,;=%~"
_EMAIL = re.compile(r"[^@\s<>(),;:\"\[\]]+@[^@\s<>(),;:\"\[\]]+\.[^@\s<>(),;:\"\[\]]+")
_GERMAN_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_YEAR = re.compile(r"^\d{4}$")
_YEAR_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")


def is_empty(value: object) -> bool:
    """True for values that carry no information (CKAN's many ways of saying nothing)."""
    if isinstance(value, str):
        return value.strip() in EMPTY
    return value in EMPTY


def short(text: object, limit: int = 80) -> str:
    """A value as it may appear in a defect line: one line, at most ``limit`` characters."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: limit - 1] + "…"


@dataclass
class Sink:
    """Collects the triples of one record and the defects found while mapping it."""

    triples: list[Triple] = field(default_factory=list)
    defects: list[str] = field(default_factory=list)

    def add(self, subject: Node, predicate: NamedNode, obj: Term | None) -> None:
        if obj is not None:
            self.triples.append(Triple(subject, predicate, obj))

    def defect(self, text: str) -> None:
        if text not in self.defects:
            self.defects.append(text)


class Fields:
    """A package's (or resource's) fields, top-level keys first, then ``extras``.

    Remembers which keys were read, so whatever no rule read can be reported as unmapped.
    """

    def __init__(self, data: dict, sink: Sink, *, ignored: frozenset = frozenset()):
        self.data = data
        self.extras = _extras(data.get("extras"), sink)
        self.read: set[str] = set(ignored) | {"extras"}

    def get(self, *keys: str) -> object:
        """The first non-empty value among ``keys`` (each marked as read), else None."""
        self.read.update(keys)
        for key in keys:
            for source in (self.data, self.extras):
                value = source.get(key)
                if not is_empty(value):
                    return value
        return None

    def text(self, *keys: str) -> str:
        value = self.get(*keys)
        return value.strip() if isinstance(value, str) else ("" if value is None else str(value))

    def all(self, *keys: str) -> list[tuple[str, object]]:
        """Every non-empty (key, value) among ``keys``, in the order of ``keys``."""
        self.read.update(keys)
        found = []
        for key in keys:
            for source in (self.data, self.extras):
                if not is_empty(source.get(key)):
                    found.append((key, source[key]))
                    break
        return found

    def unread(self) -> tuple[list[str], list[str]]:
        """Non-empty top-level keys and extras that no rule read."""
        top = sorted(k for k, v in self.data.items() if k not in self.read and not is_empty(v))
        extra = sorted(k for k, v in self.extras.items() if k not in self.read and not is_empty(v))
        return top, extra


def _extras(raw: object, sink: Sink) -> dict[str, object]:
    """CKAN's ``extras`` (a list of {key, value}, sometimes a plain object) as a dict."""
    if isinstance(raw, dict):
        return dict(raw)
    out: dict[str, object] = {}
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, dict) and isinstance(item.get("key"), str):
            out.setdefault(item["key"], item.get("value"))
        else:
            sink.defect(f"malformed extra {short(item)}: ignored")
    return out


def load_json(raw: object) -> object:
    """``raw`` parsed if it is JSON text, else ``raw`` itself; None for broken JSON."""
    if not isinstance(raw, str):
        return raw
    try:
        return json.loads(raw)
    except (ValueError, RecursionError):
        return None


def values(raw: object) -> list[str]:
    """A field that may hold one value, a list, or a list encoded as JSON text."""
    if isinstance(raw, list):
        return [str(v).strip() for v in raw if not is_empty(v) and not isinstance(v, dict)]
    if not isinstance(raw, str) or is_empty(raw):
        return []
    text = raw.strip()
    parsed = load_json(text) if text.startswith("[") else None
    return values(parsed) if isinstance(parsed, list) else [text]


def iri(value: str) -> NamedNode | None:
    """A NamedNode for an absolute IRI of any scheme, else None."""
    try:
        return NamedNode(value.strip())
    except ValueError:
        return None


def web_iri(value: object, what: str, sink: Sink, outcome: str = "left out") -> NamedNode | None:
    """An http(s) URL as a NamedNode. Characters not allowed in IRIs (spaces, ``|``,
    quotes) are percent-encoded as a browser would, with a defect; anything else that is
    not an http(s) URL with a host is left out with a defect."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    try:
        parts = urlsplit(text)
    except ValueError:  # a malformed IPv6 host
        parts = urlsplit("")
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc.strip():
        sink.defect(f"{what} {short(text)!r} is not an http(s) URL: {outcome}")
        return None
    node = iri(text)
    if node is None:
        node = iri(_encoded(parts))
        if node is None:
            sink.defect(f"{what} {short(text)!r} is not a valid URL: {outcome}")
            return None
        sink.defect(f"{what} {short(text)!r} has characters not allowed in a URL: encoded")
    return node


def _encoded(parts: SplitResult) -> str:
    """A URL with what IRIs forbid outside the host (spaces, ``|``, ``[``) percent-encoded."""
    path, query, fragment = (quote(p, safe=_URL_SAFE) for p in parts[2:])
    return urlunsplit((parts.scheme, parts.netloc, path, query, fragment))


def email_iri(value: object, what: str, sink: Sink) -> NamedNode | None:
    """A ``mailto:`` IRI for the first e-mail address in ``value`` (which may be
    ``Name <a@b.de>`` or a list); anything else is left out with a defect."""
    text = value.strip() if isinstance(value, str) else ""
    if not text:
        return None
    found = _EMAIL.search(text.removeprefix("mailto:"))
    if found is None:
        sink.defect(f"{what} {short(text)!r} is not an e-mail address: left out")
        return None
    try:
        return mailto(found.group(0))
    except BuildError:
        sink.defect(f"{what} {short(text)!r} is not an e-mail address: left out")
        return None


def tel_iri(value: object) -> NamedNode | None:
    digits = re.sub(r"[^\d+]", "", value) if isinstance(value, str) else ""
    return iri("tel:" + digits) if len(digits.lstrip("+")) >= 3 else None


def date_literal(value: object) -> Literal | None:
    """A date as written by people and by CKAN, as an xsd:date, xsd:dateTime, xsd:gYear or
    xsd:gYearMonth literal, else None. CKAN's own timestamps carry no zone but are UTC
    (``metadata_created``), so a time without zone is written with ``Z``."""
    text = value.strip() if isinstance(value, str) else ""
    if _YEAR.match(text):
        return Literal(text, datatype=XSD.gYear)
    if _YEAR_MONTH.match(text):
        return Literal(text, datatype=XSD.gYearMonth)
    german = _GERMAN_DATE.match(text)
    if german:
        day, month, year = (int(g) for g in german.groups())
        text = f"{year:04d}-{month:02d}-{day:02d}"
    try:
        if len(text) == 10:
            return Literal(dt.date.fromisoformat(text).isoformat(), datatype=XSD.date)
        moment = dt.datetime.fromisoformat(text.replace(" ", "T", 1))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return Literal(moment.isoformat(timespec="seconds") + "Z", datatype=XSD.dateTime)
    return Literal(moment.isoformat(timespec="seconds"), datatype=XSD.dateTime)


def date_of(moment: Literal) -> str:
    """The calendar date of a date literal (for comparing starts and ends)."""
    return moment.value[:10]


def text_literal(value: object, language: str) -> Literal | None:
    text = value.strip() if isinstance(value, str) else ""
    return Literal(text, language=language) if text else None


def integer_literal(value: object) -> Literal | None:
    """A non-negative integer (int, integral float or digit string) as
    xsd:nonNegativeInteger, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit():
        value = int(value.strip())
    if isinstance(value, int) and value >= 0:
        return Literal(str(value), datatype=XSD.nonNegativeInteger)
    return None


@dataclass
class Context:
    """What every mapping step of one package needs."""

    portal: str  # the CKAN portal's base URL, without /api/...
    subject: NamedNode  # the dataset IRI
    identifier: str  # the CKAN package id
    language: str  # language tag of the package's texts
    fields: Fields
    sink: Sink

    def add(self, predicate: NamedNode, obj: Term | None) -> None:
        self.sink.add(self.subject, predicate, obj)

    def defect(self, text: str) -> None:
        self.sink.defect(text)
