"""Catalogue documents: the dcat:Catalog with one page of entries and hydra paging."""

import math
from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, RdfFormat, Triple

from .build import Agent
from .canon import parse_ntriples
from .extract import KIND_TYPES
from .namespaces import DCAT, DCATDE, DCT, EU_LANGUAGE, FOAF, HYDRA, RDF, XSD
from .rdfio import serialize_rdf

KIND_LINKS = {"dataset": DCAT.dataset, "series": DCAT.dataset, "service": DCAT.service}


@dataclass
class CatalogInfo:
    iri: str
    title: str
    description: str
    publisher: Agent
    title_en: str = ""
    description_en: str = ""
    homepage: str = ""
    language: str = "DEU"
    political_geocoding: str = ""

    def triples(self) -> list[Triple]:
        node = NamedNode(self.iri)
        out = [
            Triple(node, RDF.type, DCAT.Catalog),
            Triple(node, DCT.title, Literal(self.title, language="de")),
            Triple(node, DCT.description, Literal(self.description, language="de")),
            Triple(node, DCT.publisher, NamedNode(self.publisher.iri)),
            Triple(node, DCT.language, NamedNode(EU_LANGUAGE + self.language)),
            *self.publisher.triples(),
        ]
        if self.title_en:
            out.append(Triple(node, DCT.title, Literal(self.title_en, language="en")))
        if self.description_en:
            out.append(Triple(node, DCT.description, Literal(self.description_en, language="en")))
        if self.homepage:
            out.append(Triple(node, FOAF.homepage, NamedNode(self.homepage)))
        if self.political_geocoding:
            out.append(
                Triple(node, DCATDE.politicalGeocodingURI, NamedNode(self.political_geocoding))
            )
        return out


@dataclass
class PageEntry:
    """One entry on a page: its subject, kind and stored canonical N-Triples."""

    iri: str
    kind: str
    graph: str


def paging_triples(page_url: str, base_url: str, page: int, total: int, size: int) -> list[Triple]:
    """A hydra:PartialCollectionView for page ``page`` (1-based) of ``total`` items."""
    last = max(1, math.ceil(total / size))
    node = NamedNode(page_url)

    def at(n: int) -> NamedNode:
        return NamedNode(f"{base_url}?page={n}")

    out = [
        Triple(node, RDF.type, HYDRA.PartialCollectionView),
        Triple(node, HYDRA.first, at(1)),
        Triple(node, HYDRA.last, at(last)),
        Triple(node, HYDRA.totalItems, Literal(str(total), datatype=XSD.nonNegativeInteger)),
        Triple(node, HYDRA.itemsPerPage, Literal(str(size), datatype=XSD.nonNegativeInteger)),
    ]
    if page > 1:
        out.append(Triple(node, HYDRA.previous, at(min(page - 1, last))))
    if page < last:
        out.append(Triple(node, HYDRA.next, at(page + 1)))
    return out


def catalog_page(
    catalog: CatalogInfo,
    entries: list[PageEntry],
    *,
    fmt: RdfFormat,
    base_url: str,
    page: int,
    total: int,
    size: int,
) -> bytes:
    """Serialise one catalogue page in ``fmt``."""
    page_url = f"{base_url}?page={page}"
    head = catalog.triples() + paging_triples(page_url, base_url, page, total, size)
    catalog_node = NamedNode(catalog.iri)
    head += [Triple(catalog_node, KIND_LINKS[e.kind], NamedNode(e.iri)) for e in entries]
    body = "".join(e.graph for e in entries)
    if fmt is RdfFormat.N_TRIPLES:
        return serialize_rdf(head, fmt) + body.encode("utf-8")
    return serialize_rdf(head + parse_ntriples(body), fmt)


def entry_document(entry: PageEntry, fmt: RdfFormat) -> bytes:
    """One entry's description on its own."""
    if fmt is RdfFormat.N_TRIPLES:
        return entry.graph.encode("utf-8")
    return serialize_rdf(parse_ntriples(entry.graph), fmt)


__all__ = ["KIND_TYPES", "CatalogInfo", "PageEntry", "catalog_page", "entry_document"]
