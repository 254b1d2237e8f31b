"""Real-world defects of harvested records, found and named per record.

Portals publish records with faults that must not cost the record: a language given as
a literal instead of an IRI, access URLs as literals, predicates from a mangled
namespace, dates that are no dates, e-mail addresses resolved against the page's URL,
a catalogue without title. The record is kept exactly as it came (lossless); each fault
becomes one short English line in the run report, so publishers know what to fix.
"""

import re
from dataclasses import dataclass
from functools import cache

from pyoxigraph import Literal, NamedNode, Triple

from ..dcat.extract import Description, Document
from ..dcat.namespaces import ADMS, DCAT, DCATDE, DCT, FOAF, VCARD, XSD

#: Predicates whose object must be an IRI (DCAT-AP.de 3.0 ranges).
IRI_PREDICATES = {
    DCT.language: "dct:language",
    DCT.license: "dct:license",
    DCT.format: "dct:format",
    DCT.accessRights: "dct:accessRights",
    DCT.accrualPeriodicity: "dct:accrualPeriodicity",
    DCT.publisher: "dct:publisher",
    DCT.conformsTo: "dct:conformsTo",
    DCAT.accessURL: "dcat:accessURL",
    DCAT.downloadURL: "dcat:downloadURL",
    DCAT.mediaType: "dcat:mediaType",
    DCAT.theme: "dcat:theme",
    DCAT.landingPage: "dcat:landingPage",
    DCAT.contactPoint: "dcat:contactPoint",
    DCAT.distribution: "dcat:distribution",
    FOAF.homepage: "foaf:homepage",
    FOAF.page: "foaf:page",
    ADMS.status: "adms:status",
}
DATE_PREDICATES = {DCT.issued: "dct:issued", DCT.modified: "dct:modified"}
_DATE = re.compile(r"^-?\d{4,}-\d{2}-\d{2}(Z|[+-]\d{2}:\d{2})?$")
_DATE_TIME = re.compile(r"^-?\d{4,}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")
#: Namespaces that are known misspellings of the ones DCAT-AP.de uses.
MANGLED_NAMESPACES = {
    "https://www.dcat-ap.de/def/dcatde/1.1/": str(DCATDE),
    "https://www.dcat-ap.de/def/dcatde/": str(DCATDE),
    "http://www.dcat-ap.de/def/dcatde/": str(DCATDE),
    "http://dcat-ap.de/def/dcatde/1.1/": str(DCATDE),
    "https://dcat-ap.de/def/dcatde/": str(DCATDE),
    "https://www.w3.org/ns/dcat#": str(DCAT),
    "http://www.w3.org/ns/dcat/": str(DCAT),
    "https://purl.org/dc/terms/": str(DCT),
    "http://purl.org/dc/terms#": str(DCT),
}


def record_defects(description: Description, page_url: str = "") -> list[str]:
    """Every defect of one record, each as one line (deduplicated, sorted)."""
    found: dict[str, None] = {}
    for triple in description.triples:
        checks = _checks(triple.predicate.value)
        if checks is not None:
            for defect in _triple_defects(triple, checks, page_url):
                found.setdefault(defect, None)
    return sorted(found)


@dataclass(frozen=True)
class _Checks:
    iri_name: str = ""  # the object must be an IRI
    date_name: str = ""  # the object must be a date
    email: bool = False
    mangled: str = ""  # the right IRI of a misspelt predicate


@cache
def _checks(predicate: str) -> _Checks | None:
    """What to check for a predicate (None: nothing), worked out once per predicate."""
    node = NamedNode(predicate)
    checks = _Checks(
        iri_name=IRI_PREDICATES.get(node, ""),
        date_name=DATE_PREDICATES.get(node, ""),
        email=node == VCARD.hasEmail,
        mangled=_mangled(predicate),
    )
    return checks if checks != _Checks() else None


def _triple_defects(triple: Triple, checks: _Checks, page_url: str) -> list[str]:
    out = []
    obj = triple.object
    if checks.iri_name and isinstance(obj, Literal):
        out.append(f"{checks.iri_name} is a literal ({_short(obj.value)}), not an IRI")
    if checks.date_name and isinstance(obj, Literal) and not _valid_date(obj):
        out.append(f"{checks.date_name} is no valid date: {_short(obj.value)}")
    if checks.email and isinstance(obj, NamedNode) and not obj.value.startswith("mailto:"):
        relative = page_url and obj.value.startswith(page_url.rsplit("/", 1)[0])
        why = "a relative reference resolved against the page" if relative else "no mailto:"
        out.append(f"vcard:hasEmail is {why}: {_short(obj.value)}")
    if checks.mangled:
        out.append(f"predicate {triple.predicate.value} is a misspelling of {checks.mangled}")
    return out


def defect_kind(message: str) -> str:
    """What a defect line says without its example: for counting defects by kind."""
    return re.split(r" \(|: ", message, maxsplit=1)[0]


def _valid_date(literal: Literal) -> bool:
    datatype = literal.datatype.value if literal.datatype else ""
    if datatype == XSD.dateTime.value:
        return bool(_DATE_TIME.match(literal.value))
    if datatype == XSD.date.value:
        return bool(_DATE.match(literal.value))
    text = literal.value.strip()  # untyped: either form is fine
    return bool(_DATE.match(text) or _DATE_TIME.match(text))


def _mangled(predicate: str) -> str:
    """The right IRI for a predicate from a misspelt namespace ("" if it is fine)."""
    for wrong, right in MANGLED_NAMESPACES.items():
        if predicate.startswith(wrong):
            return right + predicate[len(wrong) :]
    return ""


def document_defects(document: Document) -> list[str]:
    """Defects of the page itself: a catalogue without title or publisher."""
    out = []
    for catalog in document.catalogs:
        own = [t for t in document.catalog_triples if t.subject == catalog]
        if not any(t.predicate == DCT.title for t in own):
            out.append(f"the catalogue {catalog.value} has no dct:title")
        if not any(t.predicate == DCT.publisher for t in own):
            out.append(f"the catalogue {catalog.value} has no dct:publisher")
    return out


def _short(text: str, limit: int = 80) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
