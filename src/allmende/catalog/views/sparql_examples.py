"""Example queries on the SPARQL page; the prefixes dcat, dct, dcatde, foaf, rdf, rdfs,
skos, vcard and xsd are predefined by the endpoint."""

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Example:
    slug: str
    title: Promise
    query: str


EXAMPLES = [
    Example(
        "publishers",
        _("Datasets per publisher"),
        """SELECT ?publisher (SAMPLE(?name) AS ?publisherName)
       (COUNT(DISTINCT ?dataset) AS ?datasets)
WHERE {
  ?dataset a dcat:Dataset ; dct:publisher ?publisher .
  OPTIONAL { ?publisher foaf:name ?name }
}
GROUP BY ?publisher
ORDER BY DESC(?datasets)""",
    ),
    Example(
        "themes",
        _("Datasets per theme"),
        """SELECT ?theme (COUNT(DISTINCT ?dataset) AS ?datasets)
WHERE { ?dataset a dcat:Dataset ; dcat:theme ?theme }
GROUP BY ?theme
ORDER BY DESC(?datasets)""",
    ),
    Example(
        "csv",
        _("Datasets with a CSV distribution"),
        """SELECT DISTINCT ?dataset ?title ?download
WHERE {
  ?dataset a dcat:Dataset ; dct:title ?title ; dcat:distribution ?distribution .
  ?distribution dct:format <http://publications.europa.eu/resource/authority/file-type/CSV> .
  OPTIONAL { ?distribution dcat:downloadURL ?download }
  FILTER (lang(?title) = "de")
}
ORDER BY ?title
LIMIT 100""",
    ),
    Example(
        "licences",
        _("Licences in use"),
        """SELECT ?licence (COUNT(DISTINCT ?distribution) AS ?distributions)
WHERE { ?dataset dcat:distribution ?distribution . ?distribution dct:license ?licence }
GROUP BY ?licence
ORDER BY DESC(?distributions)""",
    ),
    Example(
        "newest",
        _("Recently modified datasets"),
        """SELECT ?dataset ?title ?modified
WHERE {
  ?dataset a dcat:Dataset ; dct:title ?title ; dct:modified ?modified .
  FILTER (lang(?title) = "de")
}
ORDER BY DESC(?modified)
LIMIT 20""",
    ),
    Example(
        "construct",
        _("The description of one dataset (CONSTRUCT)"),
        """CONSTRUCT { ?s ?p ?o }
WHERE {
  { SELECT ?dataset WHERE { ?dataset a dcat:Dataset } ORDER BY ?dataset LIMIT 1 }
  GRAPH ?dataset { ?s ?p ?o }
}""",
    ),
]
