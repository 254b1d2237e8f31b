"""The controlled vocabularies the metadata quality assessment checks values against.

- File types: the EU Publications Office file-type table, as shipped for the SHACL shapes
  (``shapes/vocabularies/vocabularies.ttl``), so "from the vocabulary" means the same
  thing here and in DCAT-AP.de validation.
- Media types: the IANA media types register. There is no offline copy of the whole
  register; :data:`IANA_MEDIA_TYPES` lists the registered types that data is published in
  (every registered type the file-type table maps to, and the common data formats).
  A type not listed counts as not from the register, as unregistered ``x-`` types do.
- Non-proprietary and machine-readable formats: our classification of the file-type
  table, by the definitions of the methodology. Non-proprietary: the specification is
  openly published and free to implement, not controlled by one vendor (so the Microsoft
  Office formats and the Esri shapefile are not). Machine-readable: a program can read
  the data's structure without a person (so PDF, images and plain text are not).
- Licences: the DCAT-AP.de licence list and the EU licence authority table.
- Access rights: the EU access-right authority table.
"""

import re
from functools import cache
from pathlib import Path

from ..dcat.namespaces import DCATDE_LICENSES, EU, EU_ACCESS_RIGHT, EU_FILE_TYPE
from .build_vocabularies import EU_TABLES, LICENCES

VOCABULARIES_TTL = Path(__file__).resolve().parent.parent / "shapes/vocabularies/vocabularies.ttl"
IANA_PREFIXES = (
    "https://www.iana.org/assignments/media-types/",
    "http://www.iana.org/assignments/media-types/",
)
EU_LICENCE = EU + "licence/"


def _codes(text: str) -> frozenset[str]:
    return frozenset(text.split())


NON_PROPRIETARY = _codes(
    """ATOM BITS CSS CSV DTD_SGML DTD_XML EPUB FMX2 FMX3 FMX4 GEOJSON GIF GML GMZ GPKG GZIP
    HDF HTML HTML_SIMPL ICS JATS JPEG JPEG2000 JSON JSON_LD KML KMZ LAS LAZ MBOX METS
    METS_ZIP N3 NETCDF ODB ODC ODF ODG ODS ODT OWL PARQUET PDF PDF1X PDFA1A PDFA1B PDFA2A
    PDFA2B PDFA3 PDFX PDFX1A PDFX2A PDFX4 PNG RDF RDFA RDF_N_QUADS RDF_N_TRIPLES RDF_TRIG
    RDF_TURTLE RDF_XML RSS SCHEMA_XML SDMX SGML SKOS_XML SPARQLQ SPARQLQRES SVG TAR TAR_GZ
    TAR_XZ TIFF TMX TSV TXT WARC WARC_GZ WFS_SRVC WMS_SRVC XHTML XHTML_SIMPL XLIFF XML
    XSLFO XSLT ZIP"""
)

MACHINE_READABLE = _codes(
    """ATOM BITS CSV DBF E00 FMX2 FMX3 FMX4 GDB GEOJSON GML GMZ GPKG GRID_ASCII HDF ICS JATS
    JSON JSON_LD KML KMZ LAS LAZ MDB METS N3 NETCDF ODS OWL PARQUET RDF RDFA RDF_N_QUADS
    RDF_N_TRIPLES RDF_TRIG RDF_TURTLE RDF_XML RSS SCHEMA_XML SDMX SHP SKOS_XML SPARQLQRES
    SQL TAB TMX TSV WFS_SRVC XLIFF XLS XLSX XML"""
)

#: Registered media types and the file type each stands for ("" where none fits).
IANA_MEDIA_TYPES: dict[str, str] = {
    "application/atom+xml": "ATOM",
    "application/epub+zip": "EPUB",
    "application/geo+json": "GEOJSON",
    "application/geopackage+sqlite3": "GPKG",
    "application/gml+xml": "GML",
    "application/gzip": "GZIP",
    "application/json": "JSON",
    "application/ld+json": "JSON_LD",
    "application/mbox": "MBOX",
    "application/mets+xml": "METS",
    "application/msword": "DOC",
    "application/n-quads": "RDF_N_QUADS",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/octet-stream": "OCTET",
    "application/pdf": "PDF",
    "application/postscript": "PS",
    "application/rdf+xml": "RDF_XML",
    "application/rtf": "RTF",
    "application/sgml": "SGML",
    "application/sparql-query": "SPARQLQ",
    "application/sparql-results+json": "SPARQLQRES",
    "application/sparql-results+xml": "SPARQLQRES",
    "application/sql": "SQL",
    "application/trig": "RDF_TRIG",
    "application/vnd.apache.parquet": "PARQUET",
    "application/vnd.dbf": "DBF",
    "application/vnd.google-earth.kml+xml": "KML",
    "application/vnd.google-earth.kmz": "KMZ",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.ms-powerpoint": "PPT",
    "application/vnd.oasis.opendocument.chart": "ODC",
    "application/vnd.oasis.opendocument.database": "ODB",
    "application/vnd.oasis.opendocument.formula": "ODF",
    "application/vnd.oasis.opendocument.graphics": "ODG",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
    "application/vnd.openxmlformats-officedocument.presentationml.slideshow": "PPSX",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/vnd.shp": "SHP",
    "application/vnd.sqlite3": "",
    "application/warc": "WARC",
    "application/xhtml+xml": "XHTML",
    "application/xliff+xml": "XLIFF",
    "application/xml": "XML",
    "application/xml-dtd": "DTD_XML",
    "application/xslt+xml": "XSLT",
    "application/yaml": "",
    "application/zip": "ZIP",
    "image/bmp": "BMP",
    "image/gif": "GIF",
    "image/jp2": "JPEG2000",
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/svg+xml": "SVG",
    "image/tiff": "TIFF",
    "image/tiff-fx": "TIFF_FX",
    "text/calendar": "ICS",
    "text/css": "CSS",
    "text/csv": "CSV",
    "text/html": "HTML",
    "text/markdown": "",
    "text/n3": "N3",
    "text/plain": "TXT",
    "text/rtf": "RTF",
    "text/sgml": "SGML",
    "text/tab-separated-values": "TSV",
    "text/turtle": "RDF_TURTLE",
    "text/xml": "XML",
    "video/mp4": "MPEG4",
    "video/mpeg": "MPEG2",
}

#: Unregistered types in common use: they name a file type, but are not from the register.
UNREGISTERED_MEDIA_TYPES: dict[str, str] = {
    "application/rss+xml": "RSS",
    "application/x-gzip": "GZIP",
    "application/x-hdf": "HDF",
    "application/x-netcdf": "NETCDF",
    "application/x-tar": "TAR",
    "application/x-zip-compressed": "ZIP",
}

_CONCEPT = re.compile(r"^<" + re.escape(EU_FILE_TYPE) + r"([A-Za-z0-9_]+)> a skos:Concept", re.M)


@cache
def file_types() -> frozenset[str]:
    """The codes of the EU file-type table shipped with the shapes."""
    return frozenset(_CONCEPT.findall(VOCABULARIES_TTL.read_text(encoding="utf-8")))


LICENCE_CODES = frozenset(LICENCES)
EU_LICENCE_CODES = _codes(
    """CC0 CC_BY CC_BYNC CC_BYNCND CC_BYNCND_1_0 CC_BYNCND_2_0 CC_BYNCND_2_5 CC_BYNCND_3_0
    CC_BYNCND_4_0 CC_BYNCSA CC_BYNCSA_1_0 CC_BYNCSA_2_0 CC_BYNCSA_2_5 CC_BYNCSA_3_0
    CC_BYNCSA_4_0 CC_BYNC_1_0 CC_BYNC_2_0 CC_BYNC_2_5 CC_BYNC_3_0 CC_BYNC_4_0 CC_BYND
    CC_BYND_1_0 CC_BYND_2_0 CC_BYND_2_5 CC_BYND_3_0 CC_BYND_4_0 CC_BYSA CC_BYSA_1_0
    CC_BYSA_2_0 CC_BYSA_2_5 CC_BYSA_3_0 CC_BYSA_4_0 CC_BY_1_0 CC_BY_2_0 CC_BY_2_5 CC_BY_3_0
    CC_BY_4_0 COM_REUSE EUPL_1_0 EUPL_1_1 EUPL_1_2 GNU_FDL ISA_OML ODC_BL ODC_BY ODC_PDDL
    OP_DATPRO"""
)
ACCESS_RIGHT_CODES = frozenset(EU_TABLES["access-right"])


def media_type_of(value: str) -> str:
    """``https://www.iana.org/assignments/media-types/text/csv`` or ``text/csv; charset=x``
    -> ``text/csv``."""
    text = value.strip()
    for prefix in IANA_PREFIXES:
        if text.startswith(prefix):
            text = text[len(prefix) :]
            break
    return text.split(";", 1)[0].strip().lower()


def file_type_of(value: str) -> str:
    """The file-type code a dct:format names: ``.../file-type/CSV`` or a literal ``csv``."""
    text = value.strip()
    if text.startswith(EU_FILE_TYPE):
        return text[len(EU_FILE_TYPE) :].strip("/")
    if "/" in text and not text.startswith(("http://", "https://")):  # a media type as format
        code = IANA_MEDIA_TYPES.get(media_type_of(text)) or UNREGISTERED_MEDIA_TYPES.get(
            media_type_of(text), ""
        )
        return code
    return text.rstrip("/").rsplit("/", 1)[-1].upper().replace("-", "_").replace(" ", "_")


def format_in_vocabulary(value: str, *, is_iri: bool) -> bool:
    """dct:format is an IRI of the EU file-type table."""
    return is_iri and value.startswith(EU_FILE_TYPE) and file_type_of(value) in file_types()


def media_type_in_vocabulary(value: str) -> bool:
    """dcat:mediaType is a type of the IANA register (as IANA IRI or as plain text)."""
    return media_type_of(value) in IANA_MEDIA_TYPES


def media_type_file_type(value: str) -> str:
    kind = media_type_of(value)
    return IANA_MEDIA_TYPES.get(kind) or UNREGISTERED_MEDIA_TYPES.get(kind, "")


def licence_in_vocabulary(value: str) -> bool:
    if value.startswith(DCATDE_LICENSES):
        return value[len(DCATDE_LICENSES) :] in LICENCE_CODES
    if value.startswith(EU_LICENCE):
        return value[len(EU_LICENCE) :] in EU_LICENCE_CODES
    return False


def access_right_in_vocabulary(value: str) -> bool:
    return value.startswith(EU_ACCESS_RIGHT) and value[len(EU_ACCESS_RIGHT) :] in (
        ACCESS_RIGHT_CODES
    )
