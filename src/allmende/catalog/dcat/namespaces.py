"""IRIs of the vocabularies DCAT-AP.de uses."""

from pyoxigraph import NamedNode


class _Namespace:
    """``DCT.title`` is the NamedNode of dct:title (not a str method: this is no str)."""

    def __init__(self, base: str):
        self.base = base

    def __str__(self) -> str:
        return self.base

    def __getattr__(self, name: str) -> NamedNode:
        if name.startswith("__"):
            raise AttributeError(name)
        node = NamedNode(self.base + name)
        setattr(self, name, node)  # later look-ups are plain attribute reads
        return node

    def term(self, name: str) -> NamedNode:
        return NamedNode(self.base + name)


RDF = _Namespace("http://www.w3.org/1999/02/22-rdf-syntax-ns#")
RDFS = _Namespace("http://www.w3.org/2000/01/rdf-schema#")
XSD = _Namespace("http://www.w3.org/2001/XMLSchema#")
DCAT = _Namespace("http://www.w3.org/ns/dcat#")
DCT = _Namespace("http://purl.org/dc/terms/")
DCATDE = _Namespace("http://dcat-ap.de/def/dcatde/")
DCATAP = _Namespace("http://data.europa.eu/r5r/")
FOAF = _Namespace("http://xmlns.com/foaf/0.1/")
VCARD = _Namespace("http://www.w3.org/2006/vcard/ns#")
ADMS = _Namespace("http://www.w3.org/ns/adms#")
LOCN = _Namespace("http://www.w3.org/ns/locn#")
SKOS = _Namespace("http://www.w3.org/2004/02/skos/core#")
SPDX = _Namespace("http://spdx.org/rdf/terms#")
HYDRA = _Namespace("http://www.w3.org/ns/hydra/core#")
SCHEMA = _Namespace("http://schema.org/")
GEO = _Namespace("http://www.opengis.net/ont/geosparql#")
PROV = _Namespace("http://www.w3.org/ns/prov#")
DQV = _Namespace("http://www.w3.org/ns/dqv#")
OWL = _Namespace("http://www.w3.org/2002/07/owl#")

EU = "http://publications.europa.eu/resource/authority/"
EU_THEME = EU + "data-theme/"
EU_FILE_TYPE = EU + "file-type/"
EU_FREQUENCY = EU + "frequency/"
EU_LANGUAGE = EU + "language/"
EU_ACCESS_RIGHT = EU + "access-right/"
EU_AVAILABILITY = EU + "planned-availability/"
DCATDE_LICENSES = "http://dcat-ap.de/def/licenses/"
POLITICAL_GEOCODING = "http://dcat-ap.de/def/politicalGeocoding/"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"

PREFIXES = {
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "xsd": str(XSD),
    "dcat": str(DCAT),
    "dct": str(DCT),
    "dcatde": str(DCATDE),
    "dcatap": str(DCATAP),
    "foaf": str(FOAF),
    "vcard": str(VCARD),
    "adms": str(ADMS),
    "locn": str(LOCN),
    "skos": str(SKOS),
    "spdx": str(SPDX),
    "hydra": str(HYDRA),
}
