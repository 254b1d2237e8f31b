"""Importing DCAT-AP(.de) documents: one dataset or a whole catalogue, in one transaction.

Everything is parsed and checked before anything is written, so a bad file writes
nothing. Entries are matched by subject IRI, then by dct:identifier; an entry whose
canonical graph and publisher are unchanged is not written at all.
"""

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils.translation import gettext
from pyoxigraph import BlankNode, Literal, NamedNode, RdfFormat, Triple

from allmende.core.models import Organisation

from ..dcat.build import reachable
from ..dcat.extract import Description, Document, Node, split_document
from ..dcat.namespaces import DCT
from ..dcat.rdfio import parse_rdf
from ..models import Catalog
from .graphs import (
    DatasetError,
    agent_for,
    require_mandatory,
)
from .writing import ImportReport, WriteOptions, prepare_entry, write_entries


def import_rdf(
    data: bytes,
    *,
    fmt: RdfFormat,
    source: str = "",
    base_iri: str | None = None,
    publisher: Organisation | None = None,
    by: Any = None,
    publish: bool = True,
    is_demo: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> ImportReport:
    """Parse ``data`` and create or update every entry in it. Raises RdfError/DatasetError."""
    triples = parse_rdf(data, fmt, base_iri=base_iri, max_bytes=settings.ALLMENDE_MAX_RDF_BYTES)
    document = split_document(triples)
    if any(isinstance(e.subject, BlankNode) for e in document.entries):
        triples = name_blank_entries(triples, document)
        document = split_document(triples)
    if not document.entries:
        raise DatasetError(
            gettext("the document describes no dcat:Dataset, DatasetSeries or DataService")
        )
    fallback = fallback_publisher(triples, document, publisher)
    prepared = [prepare_entry(with_publisher(d, fallback)) for d in document.entries]
    for item in prepared:
        require_mandatory(item.fields, item.subject.value, item.description.kind)
        if publisher is None and not (item.fields.publisher_name or item.fields.publisher_iri):
            raise DatasetError(
                gettext("%(entry)s has no dct:publisher: name a publisher")
                % {"entry": item.subject.value}
            )
    options = WriteOptions(
        source=source, publisher=publisher, by=by, publish=publish, is_demo=is_demo
    )
    options.progress = progress
    return write_entries(prepared, options)


Fallback = tuple[Node, list[Triple]] | None


def fallback_publisher(
    triples: list[Triple], document: Document, publisher: Organisation | None
) -> Fallback:
    """The agent (and its triples) to add to entries that name no dct:publisher.

    That is the organisation given for the import, else the publisher of the catalogue
    the document holds, else the publisher of our own catalogue. The triple is added;
    source triples are never dropped.
    """
    return choose_fallback(triples, document, agent_fallback(publisher), local_fallback)


def choose_fallback(
    triples: list[Triple],
    document: Document,
    preset: Fallback,
    local: Callable[[], Fallback],
) -> Fallback:
    """``preset`` if given, else the catalogue publisher the document names, else
    ``local()`` (pure: the caller decides what preset and local are)."""
    if preset is not None:
        return preset
    for triple in document.catalog_triples:
        if triple.predicate == DCT.publisher and not isinstance(triple.object, Literal):
            return triple.object, reachable(triples, triple.object)
    return local()


def agent_fallback(publisher: Organisation | None) -> Fallback:
    """An organisation as the publisher to add (None stays None)."""
    if publisher is None:
        return None
    agent = agent_for(publisher)
    return NamedNode(agent.iri), agent.triples()


def local_fallback() -> Fallback:
    """The publisher of our own catalogue, if it has one."""
    local = Catalog.objects.exclude(publisher=None).select_related("publisher").first()
    return agent_fallback(local.publisher) if local is not None else None


def with_publisher(description: Description, fallback: Fallback) -> Description:
    subject = description.subject
    if fallback is None or any(
        t.subject == subject and t.predicate == DCT.publisher for t in description.triples
    ):
        return description
    agent, agent_triples = fallback
    added = [Triple(subject, DCT.publisher, agent), *agent_triples]
    return Description(subject, description.kind, list(dict.fromkeys(description.triples + added)))


def name_blank_entries(triples: list[Triple], document: Document) -> list[Triple]:
    """Give entries without an IRI a stable one under our site, derived from content."""
    minted: dict[Node, NamedNode] = {}
    for entry in document.entries:
        if isinstance(entry.subject, BlankNode):
            own = sorted(  # blank node labels vary from parse to parse: leave them out
                f"{t.predicate} {'_:' if isinstance(t.object, BlankNode) else t.object}"
                for t in entry.triples
                if t.subject == entry.subject
            )
            digest = hashlib.sha256("\n".join(own).encode()).hexdigest()[:16]
            minted[entry.subject] = NamedNode(f"{settings.SITE_URL}/dataset/id/{digest}")
    return [
        Triple(minted.get(t.subject, t.subject), t.predicate, minted.get(t.object, t.object))  # type: ignore[arg-type]
        for t in triples
    ]
