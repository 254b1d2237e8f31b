"""Read the fields lists, filters and forms need from one entry's description."""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import unquote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .extract import Node
from .namespaces import (
    DCAT,
    DCATAP,
    DCATDE,
    DCT,
    FOAF,
    LOCN,
    POLITICAL_GEOCODING,
    SCHEMA,
    VCARD,
)

PREFERRED_LANGUAGES = ("de", "", "en")
_NONE: list = []


@dataclass
class DistributionFields:
    iri: str
    title: str = ""
    description: str = ""
    access_url: str = ""
    download_url: str = ""
    format: str = ""
    media_type: str = ""
    license: str = ""
    byte_size: int | None = None


@dataclass
class EntryFields:
    """The projection of one dataset, series or service."""

    iri: str
    title: str = ""
    title_en: str = ""
    description: str = ""
    description_en: str = ""
    identifier: str = ""
    keywords: list[str] = field(default_factory=list)
    themes: list[str] = field(default_factory=list)
    license: str = ""
    access_rights: str = ""
    accrual_periodicity: str = ""
    issued: dt.datetime | None = None
    modified: dt.datetime | None = None
    temporal_start: dt.date | None = None
    temporal_end: dt.date | None = None
    spatial: str = ""
    political_geocoding: str = ""
    contact_name: str = ""
    contact_email: str = ""
    contact_url: str = ""
    landing_page: str = ""
    publisher_name: str = ""
    publisher_iri: str = ""
    distributions: list[DistributionFields] = field(default_factory=list)

    @property
    def formats(self) -> list[str]:
        return sorted({format_label(d.format) for d in self.distributions if d.format})


class _View:
    """Lookup helpers over a subject → predicate → objects index, built in one pass."""

    def __init__(self, triples: list[Triple]):
        props: dict[Node, dict[NamedNode, list]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            props[t.subject][t.predicate].append(t.object)
        self._props = props

    def values(self, subject: Node, predicate: NamedNode) -> list:
        found = self._props.get(subject)
        return found.get(predicate, _NONE) if found is not None else _NONE

    def first(self, subject: Node, predicate: NamedNode) -> object | None:
        found = self.values(subject, predicate)
        return found[0] if found else None

    def text(self, subject: Node, predicate: NamedNode, language: str | None = None) -> str:
        return pick_literal(self.values(subject, predicate), language)

    def iri(self, subject: Node, predicate: NamedNode) -> str:
        for value in self.values(subject, predicate):
            if isinstance(value, NamedNode):
                return value.value
        for value in self.values(subject, predicate):
            if isinstance(value, Literal):
                return value.value.strip()
        return ""


def pick_literal(values: list, language: str | None = None) -> str:
    """The best literal: the asked language, else German, untagged, English, any."""
    literals = [v for v in values if isinstance(v, Literal)]
    if not literals:
        return ""
    order = (language,) if language is not None else PREFERRED_LANGUAGES
    for lang in order:
        for lit in literals:
            if (lit.language or "") == lang:
                return lit.value.strip()
    if language is not None:
        return ""
    return literals[0].value.strip()


def format_label(value: str) -> str:
    """``.../file-type/CSV`` -> ``CSV``; a literal format stays as written, upper-cased."""
    label = value.rstrip("/").rsplit("/", 1)[-1] if "/" in value else value
    return label.strip().upper()[:50]


def parse_datetime(value: object) -> dt.datetime | None:
    if not isinstance(value, Literal):
        return None
    text = value.value.strip()
    try:
        if len(text) == 10:
            parsed = dt.datetime.fromisoformat(text + "T00:00:00")
        else:
            parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=dt.UTC)


def parse_date(value: object) -> dt.date | None:
    parsed = parse_datetime(value)
    return parsed.date() if parsed else None


def project_entry(subject: Node, triples: list[Triple]) -> EntryFields:
    """Read an entry's fields from its description."""
    view = _View(triples)
    fields = EntryFields(iri=subject.value if isinstance(subject, NamedNode) else str(subject))
    fields.title = view.text(subject, DCT.title)
    fields.title_en = view.text(subject, DCT.title, "en")
    fields.description = view.text(subject, DCT.description)
    fields.description_en = view.text(subject, DCT.description, "en")
    fields.identifier = view.text(subject, DCT.identifier)
    fields.keywords = _keywords(view.values(subject, DCAT.keyword))
    fields.themes = sorted(
        {v.value for v in view.values(subject, DCAT.theme) if isinstance(v, NamedNode)}
    )
    fields.access_rights = view.iri(subject, DCT.accessRights)
    fields.accrual_periodicity = view.iri(subject, DCT.accrualPeriodicity)
    fields.issued = parse_datetime(view.first(subject, DCT.issued))
    fields.modified = parse_datetime(view.first(subject, DCT.modified))
    fields.political_geocoding = view.iri(subject, DCATDE.politicalGeocodingURI) or next(
        (
            v.value
            for v in view.values(subject, DCT.spatial)
            if isinstance(v, NamedNode) and v.value.startswith(POLITICAL_GEOCODING)
        ),
        "",
    )
    fields.landing_page = view.iri(subject, DCAT.landingPage)
    _read_temporal(view, subject, fields)
    _read_spatial(view, subject, fields)
    _read_contact(view, subject, fields)
    _read_publisher(view, subject, fields)
    fields.distributions = [
        _distribution(view, node)
        for node in view.values(subject, DCAT.distribution)
        if not isinstance(node, Literal)
    ]
    fields.license = view.iri(subject, DCT.license) or next(
        (d.license for d in fields.distributions if d.license), ""
    )
    return fields


def _keywords(values: list) -> list[str]:
    literals = [v for v in values if isinstance(v, Literal)]
    preferred = [v for v in literals if (v.language or "") in ("de", "")] or literals
    seen: dict[str, None] = {}
    for lit in preferred:
        word = lit.value.strip()
        if word and word.lower() not in (k.lower() for k in seen):
            seen[word] = None
    # RDF keeps no order among values; alphabetical order keeps the projection stable.
    return sorted(seen, key=str.lower)[:100]


def _read_temporal(view: _View, subject: Node, fields: EntryFields) -> None:
    for period in view.values(subject, DCT.temporal):
        if isinstance(period, Literal):
            continue
        start = view.first(period, DCAT.startDate) or view.first(period, SCHEMA.startDate)
        end = view.first(period, DCAT.endDate) or view.first(period, SCHEMA.endDate)
        fields.temporal_start = fields.temporal_start or parse_date(start)
        fields.temporal_end = fields.temporal_end or parse_date(end)


def _read_spatial(view: _View, subject: Node, fields: EntryFields) -> None:
    for place in view.values(subject, DCT.spatial):
        if isinstance(place, NamedNode):
            fields.spatial = place.value
            return
        if isinstance(place, BlankNode):
            geometry = view.first(place, LOCN.geometry)
            if isinstance(geometry, Literal):
                fields.spatial = geometry.value[:1000]
                return


def _read_contact(view: _View, subject: Node, fields: EntryFields) -> None:
    contact = view.first(subject, DCAT.contactPoint)
    if contact is None or isinstance(contact, Literal):
        return
    fields.contact_name = view.text(contact, VCARD.fn) or view.text(
        contact, VCARD.term("organization-name")
    )
    fields.contact_email = unquote(view.iri(contact, VCARD.hasEmail).removeprefix("mailto:"))
    fields.contact_url = view.iri(contact, VCARD.hasURL)


def _read_publisher(view: _View, subject: Node, fields: EntryFields) -> None:
    agent = view.first(subject, DCT.publisher)
    if agent is None:
        return
    if isinstance(agent, Literal):
        fields.publisher_name = agent.value.strip()
        return
    if isinstance(agent, NamedNode):
        fields.publisher_iri = agent.value
    fields.publisher_name = view.text(agent, FOAF.name) or fields.publisher_iri


def _distribution(view: _View, node: Node) -> DistributionFields:
    size = view.first(node, DCAT.byteSize)
    byte_size = None
    if isinstance(size, Literal):
        try:
            byte_size = int(float(size.value))
        except ValueError:
            byte_size = None
    media = view.iri(node, DCAT.mediaType) or view.iri(node, DCT.mediaType)
    return DistributionFields(
        iri=node.value if isinstance(node, NamedNode) else str(node),
        title=view.text(node, DCT.title),
        description=view.text(node, DCT.description),
        access_url=view.iri(node, DCAT.accessURL),
        download_url=view.iri(node, DCAT.downloadURL),
        format=view.iri(node, DCT.format),
        media_type=media.rsplit("media-types/", 1)[-1],
        license=view.iri(node, DCT.license),
        byte_size=byte_size,
    )


__all__ = ["DCATAP", "DistributionFields", "EntryFields", "format_label", "project_entry"]
