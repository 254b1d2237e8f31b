"""Write fields edited in a form back into a description, keeping every other triple.

The form owns a fixed set of predicates (``DATASET_PREDICATES``, ``DISTRIBUTION_PREDICATES``);
for language-tagged text it owns only German, untagged and English literals. Everything
else in a description (other languages, properties we do not model) survives an edit.
After an edit, nodes no longer reachable from the entry are dropped.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from .extract import KIND_TYPES, Node, index_by_subject
from .namespaces import (
    DCAT,
    DCATDE,
    DCT,
    FOAF,
    GEO,
    LOCN,
    POLITICAL_GEOCODING,
    RDF,
    VCARD,
    XSD,
)
from .project import DistributionFields, EntryFields

FORM_LANGUAGES = ("de", "", "en")
TEXT_PREDICATES = {DCT.title, DCT.description, DCAT.keyword}
DATASET_PREDICATES = {
    RDF.type,
    DCT.title,
    DCT.description,
    DCT.identifier,
    DCAT.keyword,
    DCAT.theme,
    DCT.accessRights,
    DCT.accrualPeriodicity,
    DCT.issued,
    DCT.modified,
    DCT.temporal,
    DCT.spatial,
    DCATDE.politicalGeocodingURI,
    DCATDE.politicalGeocodingLevelURI,
    DCAT.contactPoint,
    DCAT.landingPage,
    DCT.publisher,
    DCT.license,
}
DISTRIBUTION_PREDICATES = {
    RDF.type,
    DCT.title,
    DCT.description,
    DCAT.accessURL,
    DCAT.downloadURL,
    DCT.format,
    DCAT.mediaType,
    DCT.license,
    DCAT.byteSize,
}
# Key type of a dcatde:politicalGeocodingURI -> its level in the DCAT-AP.de Level list.
GEOCODING_LEVELS = {
    "stateKey": "state",
    "governmentDistrictKey": "administrativeDistrict",
    "districtKey": "administrativeDistrict",
    "municipalAssociationKey": "municipality",
    "municipalityKey": "municipality",
    "regionalKey": "municipality",
}


class BuildError(ValueError):
    """A field value that cannot be written as RDF (e.g. not a valid IRI).

    ``what`` names the field in English words and ``value`` is the refused value, so a
    caller can word the message in the reader's language.
    """

    def __init__(self, message: str, *, what: str = "", value: str = "") -> None:
        super().__init__(message)
        self.what, self.value = what, value


def iri(value: str, what: str) -> NamedNode:
    """A NamedNode for a user-supplied value, or BuildError naming the field."""
    try:
        return NamedNode(value.strip())
    except ValueError:
        raise BuildError(
            f"{what}: {value!r} is not a valid IRI or URL", what=what, value=value
        ) from None


def mailto(email: str) -> NamedNode:
    return iri("mailto:" + quote(email.strip(), safe="@.+-_~!$&'*=,;"), "email")


@dataclass
class Agent:
    """A publisher as it appears in RDF."""

    iri: str
    name: str
    name_en: str = ""
    homepage: str = ""
    email: str = ""
    publisher_type: str = ""

    def triples(self) -> list[Triple]:
        node = NamedNode(self.iri)
        out = [
            Triple(node, RDF.type, FOAF.Agent),
            Triple(node, FOAF.name, Literal(self.name, language="de")),
        ]
        if self.name_en:
            out.append(Triple(node, FOAF.name, Literal(self.name_en, language="en")))
        if self.homepage:
            out.append(Triple(node, FOAF.homepage, iri(self.homepage, "homepage")))
        if self.email:
            out.append(Triple(node, FOAF.mbox, mailto(self.email)))
        if self.publisher_type:
            out.append(Triple(node, DCT.type, iri(self.publisher_type, "publisher type")))
        return out


def overlay(
    triples: list[Triple], subject: Node, owned: set[NamedNode], new: list[Triple]
) -> list[Triple]:
    """Replace ``subject``'s ``owned`` predicates by ``new`` triples."""
    kept = [t for t in triples if not (t.subject == subject and _owned(t, owned))]
    return [*kept, *new]


def _owned(triple: Triple, owned: set[NamedNode]) -> bool:
    if triple.predicate not in owned:
        return False
    if triple.predicate in TEXT_PREDICATES and isinstance(triple.object, Literal):
        return (triple.object.language or "") in FORM_LANGUAGES
    return True


def reachable(triples: list[Triple], root: Node, stop: Iterable[Node] = ()) -> list[Triple]:
    """The triples reachable from ``root`` (and from records whose primary topic it is)."""
    by_subject = index_by_subject(triples)
    records = [t.subject for t in triples if t.predicate == FOAF.primaryTopic and t.object == root]
    seen: set = {root, *records, *stop}
    queue: list = [root, *records]
    out: list[Triple] = []
    while queue:
        for triple in by_subject.get(queue.pop(), ()):
            out.append(triple)
            obj = triple.object
            if not isinstance(obj, Literal) and obj not in seen and obj in by_subject:
                seen.add(obj)
                queue.append(obj)
    return out


def apply_entry_fields(
    triples: list[Triple], subject: NamedNode, kind: str, fields: EntryFields, publisher: Agent
) -> list[Triple]:
    """The description with the form's dataset fields written in."""
    new = entry_triples(subject, kind, fields, publisher)
    # The agent's own description is rewritten from the organisation we publish for.
    agents = {t.object for t in triples if t.subject == subject and t.predicate == DCT.publisher}
    agents.discard(subject)
    triples = [t for t in triples if t.subject not in agents or isinstance(t.subject, BlankNode)]
    merged = overlay(triples, subject, DATASET_PREDICATES, new)
    return reachable(_dedupe(merged), subject)


def apply_distribution_fields(
    triples: list[Triple], subject: NamedNode, dist: DistributionFields, default_license: str
) -> list[Triple]:
    """The description with one distribution written in (added when it is new)."""
    node = NamedNode(dist.iri)
    new = distribution_triples(node, dist, default_license)
    link = Triple(subject, DCAT.distribution, node)
    merged = overlay(triples, node, DISTRIBUTION_PREDICATES, new)
    if link not in merged:
        merged.append(link)
    return reachable(_dedupe(merged), subject)


def remove_distribution(triples: list[Triple], subject: NamedNode, iri: str) -> list[Triple]:
    node = NamedNode(iri)
    kept = [t for t in triples if not (t.subject == subject and t.object == node)]
    return reachable(kept, subject)


def entry_triples(subject: NamedNode, kind: str, f: EntryFields, publisher: Agent) -> list[Triple]:
    out = [Triple(subject, RDF.type, KIND_TYPES[kind])]
    add = out.append
    add(Triple(subject, DCT.title, Literal(f.title, language="de")))
    if f.title_en:
        add(Triple(subject, DCT.title, Literal(f.title_en, language="en")))
    add(Triple(subject, DCT.description, Literal(f.description, language="de")))
    if f.description_en:
        add(Triple(subject, DCT.description, Literal(f.description_en, language="en")))
    if f.identifier:
        add(Triple(subject, DCT.identifier, Literal(f.identifier)))
    out += [Triple(subject, DCAT.keyword, Literal(k, language="de")) for k in f.keywords if k]
    out += [Triple(subject, DCAT.theme, iri(t, "theme")) for t in f.themes if t]
    for predicate, value, what in (
        (DCT.license, f.license, "licence"),
        (DCT.accessRights, f.access_rights, "access rights"),
        (DCT.accrualPeriodicity, f.accrual_periodicity, "update frequency"),
        (DCAT.landingPage, f.landing_page, "landing page"),
    ):
        if value:
            add(Triple(subject, predicate, iri(value, what)))
    for predicate, moment in ((DCT.issued, f.issued), (DCT.modified, f.modified)):
        if moment:
            add(Triple(subject, predicate, datetime_literal(moment)))
    out += _temporal(subject, f.temporal_start, f.temporal_end)
    out += _spatial(subject, f.spatial, f.political_geocoding)
    out += _contact(subject, f)
    add(Triple(subject, DCT.publisher, NamedNode(publisher.iri)))
    out += publisher.triples()
    return out


def distribution_triples(
    node: NamedNode, d: DistributionFields, default_license: str
) -> list[Triple]:
    out = [Triple(node, RDF.type, DCAT.Distribution)]
    access = d.access_url or d.download_url
    if access:
        out.append(Triple(node, DCAT.accessURL, iri(access, "access URL")))
    if d.download_url:
        out.append(Triple(node, DCAT.downloadURL, iri(d.download_url, "download URL")))
    if d.title:
        out.append(Triple(node, DCT.title, Literal(d.title, language="de")))
    if d.description:
        out.append(Triple(node, DCT.description, Literal(d.description, language="de")))
    if d.format:
        out.append(Triple(node, DCT.format, iri(d.format, "format")))
    if d.media_type:
        media = (
            d.media_type
            if "://" in d.media_type
            else ("https://www.iana.org/assignments/media-types/" + d.media_type)
        )
        out.append(Triple(node, DCAT.mediaType, iri(media, "media type")))
    license_ = d.license or default_license
    if license_:
        out.append(Triple(node, DCT.license, iri(license_, "licence")))
    if d.byte_size is not None:
        out.append(
            Triple(node, DCAT.byteSize, Literal(str(d.byte_size), datatype=XSD.nonNegativeInteger))
        )
    return out


def datetime_literal(moment: dt.datetime | dt.date) -> Literal:
    if isinstance(moment, dt.datetime):
        return Literal(
            moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"), datatype=XSD.dateTime
        )
    return Literal(moment.isoformat(), datatype=XSD.date)


def _temporal(subject: NamedNode, start: dt.date | None, end: dt.date | None) -> list[Triple]:
    if not (start or end):
        return []
    period = BlankNode()
    out = [Triple(subject, DCT.temporal, period), Triple(period, RDF.type, DCT.PeriodOfTime)]
    if start:
        out.append(Triple(period, DCAT.startDate, Literal(start.isoformat(), datatype=XSD.date)))
    if end:
        out.append(Triple(period, DCAT.endDate, Literal(end.isoformat(), datatype=XSD.date)))
    return out


def _spatial(subject: NamedNode, spatial: str, geocoding: str) -> list[Triple]:
    out: list[Triple] = []
    if geocoding:
        # DCAT-AP.de 3.0 deprecates dcatde:politicalGeocodingURI: the geocoding IRI is
        # given as dct:spatial, its level still as dcatde:politicalGeocodingLevelURI.
        place = iri(geocoding, "political geocoding")
        key = geocoding.removeprefix(POLITICAL_GEOCODING).split("/", 1)[0]
        if key in GEOCODING_LEVELS:
            level = NamedNode(f"{POLITICAL_GEOCODING}Level/{GEOCODING_LEVELS[key]}")
            out.append(Triple(subject, DCATDE.politicalGeocodingLevelURI, level))
        out.append(Triple(subject, DCT.spatial, place))
    if spatial and spatial != geocoding:
        if spatial.startswith(("http://", "https://")):
            out.append(Triple(subject, DCT.spatial, iri(spatial, "spatial coverage")))
        else:
            place = BlankNode()
            out += [
                Triple(subject, DCT.spatial, place),
                Triple(place, RDF.type, DCT.Location),
                Triple(place, LOCN.geometry, Literal(spatial, datatype=GEO.wktLiteral)),
            ]
    return out


def _contact(subject: NamedNode, f: EntryFields) -> list[Triple]:
    if not (f.contact_name or f.contact_email or f.contact_url):
        return []
    card = BlankNode()
    out = [Triple(subject, DCAT.contactPoint, card), Triple(card, RDF.type, VCARD.Organization)]
    if f.contact_name:
        out.append(Triple(card, VCARD.fn, Literal(f.contact_name)))
    if f.contact_email:
        out.append(Triple(card, VCARD.hasEmail, mailto(f.contact_email)))
    if f.contact_url:
        out.append(Triple(card, VCARD.hasURL, iri(f.contact_url, "contact URL")))
    return out


def _dedupe(triples: list[Triple]) -> list[Triple]:
    return list(dict.fromkeys(triples))
