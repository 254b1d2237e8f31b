"""Parsing and serialising RDF (Turtle, RDF/XML, JSON-LD, N-Triples), hardened.

RDF/XML is refused when its document type declares entities: that closes external
entities (file and network reads) and entity-expansion bombs before any parser sees them.
JSON-LD remote contexts are never fetched.
"""

import re
from collections.abc import Iterable
from xml.parsers import expat

from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple, parse, serialize

from .namespaces import PREFIXES

Term = NamedNode | BlankNode | Literal


class RdfError(ValueError):
    """Input that is not acceptable RDF. The message is one readable line."""


FORMATS: dict[str, RdfFormat] = {
    "ttl": RdfFormat.TURTLE,
    "turtle": RdfFormat.TURTLE,
    "rdf": RdfFormat.RDF_XML,
    "xml": RdfFormat.RDF_XML,
    "rdfxml": RdfFormat.RDF_XML,
    "owl": RdfFormat.RDF_XML,
    "jsonld": RdfFormat.JSON_LD,
    "json": RdfFormat.JSON_LD,
    "nt": RdfFormat.N_TRIPLES,
    "ntriples": RdfFormat.N_TRIPLES,
}
MEDIA_TYPES: dict[str, RdfFormat] = {
    "text/turtle": RdfFormat.TURTLE,
    "application/x-turtle": RdfFormat.TURTLE,
    "application/rdf+xml": RdfFormat.RDF_XML,
    "application/xml": RdfFormat.RDF_XML,
    "text/xml": RdfFormat.RDF_XML,
    "application/ld+json": RdfFormat.JSON_LD,
    "application/json": RdfFormat.JSON_LD,
    "application/n-triples": RdfFormat.N_TRIPLES,
    "text/plain": RdfFormat.N_TRIPLES,
}
# What each format is served as; the first media type per format is the canonical one.
SERVE_AS: dict[str, tuple[RdfFormat, str]] = {
    "ttl": (RdfFormat.TURTLE, "text/turtle; charset=utf-8"),
    "rdf": (RdfFormat.RDF_XML, "application/rdf+xml; charset=utf-8"),
    "jsonld": (RdfFormat.JSON_LD, "application/ld+json; charset=utf-8"),
    "nt": (RdfFormat.N_TRIPLES, "application/n-triples; charset=utf-8"),
}

_DOCTYPE = re.compile(rb"<!DOCTYPE\b(?:[^\[>]*\[(?P<subset>.*?)\])?[^>]*>", re.S | re.I)


def format_for(name: str | None = None, media_type: str | None = None) -> RdfFormat | None:
    """Guess the format from a file name (or URL) and/or a Content-Type header."""
    if media_type:
        found = MEDIA_TYPES.get(media_type.split(";")[0].strip().lower())
        if found is not None and not (found is RdfFormat.N_TRIPLES and name):
            return found
    if name:
        stem = name.split("?")[0].split("#")[0].rsplit("/", 1)[-1]
        if "." in stem:
            return FORMATS.get(stem.rsplit(".", 1)[1].lower())
    return None


def check_xml_safety(data: bytes) -> None:
    """Refuse XML that declares entities, points outside, or is not well-formed."""
    _check_doctype(data)
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    try:
        parser.Parse(data, True)
    except expat.ExpatError as exc:
        raise RdfError(
            f"RDF/XML is not well-formed XML: {expat.ErrorString(exc.code)} "
            f"at line {exc.lineno}, column {exc.offset + 1}"
        ) from None


def _check_doctype(data: bytes) -> None:
    head = data[: 64 * 1024]
    match = _DOCTYPE.search(head)
    if match is None:
        if b"<!ENTITY" in head.upper():
            raise RdfError("RDF/XML with entity declarations is refused")
        return
    decl = match.group(0)
    if b"<!ENTITY" in decl.upper():
        raise RdfError("RDF/XML with entity declarations is refused (entity expansion)")
    if re.search(rb"\b(SYSTEM|PUBLIC)\b", decl):
        raise RdfError("RDF/XML referring to an external document type is refused")


def parse_rdf(
    data: bytes | str, fmt: RdfFormat, *, base_iri: str | None = None, max_bytes: int = 0
) -> list[Triple]:
    """Parse a whole document into triples. Raises RdfError with the position of a fault."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if max_bytes and len(data) > max_bytes:
        raise RdfError(f"the file has {len(data)} bytes, more than the limit of {max_bytes}")
    if fmt is RdfFormat.RDF_XML:
        check_xml_safety(data)
    try:
        quads = parse(data, format=fmt, base_iri=base_iri, without_named_graphs=True)
        return [q.triple for q in quads]
    except SyntaxError as exc:
        raise RdfError(f"{fmt.name} syntax error: {_one_line(str(exc))}") from None
    except (ValueError, OSError) as exc:
        raise RdfError(f"{fmt.name} could not be read: {_one_line(str(exc))}") from None


def serialize_rdf(
    triples: Iterable[Triple], fmt: RdfFormat, *, prefixes: dict[str, str] | None = None
) -> bytes:
    """Serialise triples; Turtle and RDF/XML get our usual prefixes."""
    if fmt in (RdfFormat.TURTLE, RdfFormat.RDF_XML):
        return serialize(triples, format=fmt, prefixes=prefixes or PREFIXES)
    return serialize(triples, format=fmt)


def _one_line(text: str) -> str:
    return " ".join(text.split())


ACCEPT_RDF = (
    "text/turtle, application/rdf+xml;q=0.9, application/ld+json;q=0.8, application/n-triples;q=0.7"
)
