"""Lookup tables from CKAN's free-text codes to the vocabularies DCAT-AP.de prescribes.

CKAN portals name licences, groups, formats and frequencies as they like ("cc-by",
"dl-de-by-2.0", "CC BY 3.0 DE"; "geo", "umwelt_klima"; ".csv", "zip:SHP"). Each lookup
normalises the text first and answers with a code of the controlled vocabulary (the
DCAT-AP.de licence list, the EU data themes, file types, frequencies and languages), or
``None`` when it does not know the value: the mapping then records a defect rather than
guess. Every code here is one of ``shapes/vocabularies/vocabularies.ttl``.
"""

import re
from urllib.parse import urlsplit

# -- Licences: http://dcat-ap.de/def/licenses/<code> ------------------------------------

# fmt: off
LICENCE_CODES = frozenset([
    "apache", "bsd", "cc-by", "cc-by-de/3.0", "cc-by-nc", "cc-by-nc-de/3.0", "cc-by-nc/4.0",
    "cc-by-nd", "cc-by-nd/3.0", "cc-by-nd/4.0", "cc-by-sa", "cc-by-sa-de/3.0", "cc-by-sa/4.0",
    "cc-by/4.0", "cc-zero", "ccpdm/1.0", "dl-by-de/1.0", "dl-by-de/2.0", "dl-by-nc-de/1.0",
    "dl-zero-de/2.0", "geoNutz/20131001", "geonutz/20130319", "gfdl", "gpl/3.0", "mozilla",
    "odbl", "odby", "odcpddl", "officialWork", "other-closed", "other-commercial",
    "other-freeware", "other-open", "other-opensource",
])
# fmt: on
# CKAN's default licence ids, GovData's ids and spellings seen in the wild, normalised by
# ``_slug``. CKAN's generic "other" licences go to the DCAT-AP.de "other" codes: public
# domain and attribution licences are open, non-commercial ones are not.
LICENCE_ALIASES = {
    "dl-de-by-2-0": "dl-by-de/2.0",
    "dl-de-by-2": "dl-by-de/2.0",
    "dl-by-de-2": "dl-by-de/2.0",
    "dl-de-by": "dl-by-de/2.0",
    "dl-de-by-1-0": "dl-by-de/1.0",
    "dl-de-by-nc-1-0": "dl-by-nc-de/1.0",
    "dl-de-zero-2-0": "dl-zero-de/2.0",
    "dl-de-zero": "dl-zero-de/2.0",
    "cc-by-3-0-de": "cc-by-de/3.0",
    "cc-by-sa-3-0-de": "cc-by-sa-de/3.0",
    "cc-by-nc-3-0-de": "cc-by-nc-de/3.0",
    "cc-bysa-4-0": "cc-by-sa/4.0",
    "cc-bync-4-0": "cc-by-nc/4.0",
    "cc-bynd-4-0": "cc-by-nd/4.0",
    "cc-nc": "cc-by-nc",
    "cc0": "cc-zero",
    "cc0-1-0": "cc-zero",
    "cc-0": "cc-zero",
    "cc-zero-1-0": "cc-zero",
    "cc-pdm-1-0": "ccpdm/1.0",
    "odc-odbl": "odbl",
    "odc-odbl-1-0": "odbl",
    "odbl-1-0": "odbl",
    "odc-by": "odby",
    "odc-by-1-0": "odby",
    "odc-pddl": "odcpddl",
    "odc-pddl-1-0": "odcpddl",
    "apache-2-0": "apache",
    "apache-license-2-0": "apache",
    "bsd-license": "bsd",
    "bsd-2-clause": "bsd",
    "bsd-3-clause": "bsd",
    "gpl-3": "gpl/3.0",
    "gplv3": "gpl/3.0",
    "mpl": "mozilla",
    "mpl-2-0": "mozilla",
    "gfdl-1-3": "gfdl",
    "official-work": "officialWork",
    "amtliches-werk": "officialWork",
    "other-pd": "other-open",
    "other-at": "other-open",
    "uk-ogl": "other-open",
    "other-nc": "other-closed",
    # license_title values of CKAN's and GovData's licence registers
    "creative-commons-attribution": "cc-by",
    "creative-commons-attribution-share-alike": "cc-by-sa",
    "creative-commons-cczero": "cc-zero",
    "creative-commons-zero": "cc-zero",
    "creative-commons-non-commercial-any": "cc-by-nc",
    "creative-commons-attribution-4-0": "cc-by/4.0",
    "datenlizenz-deutschland-namensnennung-version-2-0": "dl-by-de/2.0",
    "datenlizenz-deutschland-zero-version-2-0": "dl-zero-de/2.0",
    "open-data-commons-open-database-license-odbl": "odbl",
}
LICENCE_ALIASES.update({re.sub(r"[^a-z0-9]+", "-", c.lower()): c for c in LICENCE_CODES})
# Licence URLs (scheme, "www." and legal-code suffixes removed) -> code.
LICENCE_URLS = {
    "govdata.de/dl-de/by-2-0": "dl-by-de/2.0",
    "govdata.de/dl-de/zero-2-0": "dl-zero-de/2.0",
    "govdata.de/dl-de/by-1-0": "dl-by-de/1.0",
    "govdata.de/dl-de/by-nc-1-0": "dl-by-nc-de/1.0",
    "creativecommons.org/licenses/by/4.0": "cc-by/4.0",
    "creativecommons.org/licenses/by-sa/4.0": "cc-by-sa/4.0",
    "creativecommons.org/licenses/by-nd/4.0": "cc-by-nd/4.0",
    "creativecommons.org/licenses/by-nc/4.0": "cc-by-nc/4.0",
    "creativecommons.org/licenses/by/3.0/de": "cc-by-de/3.0",
    "creativecommons.org/licenses/by-sa/3.0/de": "cc-by-sa-de/3.0",
    "creativecommons.org/licenses/by-nc/3.0/de": "cc-by-nc-de/3.0",
    "creativecommons.org/licenses/by-nd/3.0": "cc-by-nd/3.0",
    "creativecommons.org/publicdomain/zero/1.0": "cc-zero",
    "creativecommons.org/publicdomain/mark/1.0": "ccpdm/1.0",
    "opendefinition.org/licenses/cc-by": "cc-by",
    "opendefinition.org/licenses/cc-by-sa": "cc-by-sa",
    "opendefinition.org/licenses/cc-zero": "cc-zero",
    "opendefinition.org/licenses/odc-odbl": "odbl",
    "opendefinition.org/licenses/odc-by": "odby",
    "opendefinition.org/licenses/odc-pddl": "odcpddl",
    "opendatacommons.org/licenses/odbl": "odbl",
    "opendatacommons.org/licenses/odbl/1.0": "odbl",
    "opendatacommons.org/licenses/odbl/1-0": "odbl",
    "opendatacommons.org/licenses/by": "odby",
    "opendatacommons.org/licenses/pddl": "odcpddl",
}
DCATDE_LICENSES_PATH = "dcat-ap.de/def/licenses/"
EU_LICENCE_PATH = "publications.europa.eu/resource/authority/licence/"


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _url_key(url: str) -> str:
    try:
        parts = urlsplit(url.strip())
    except ValueError:  # a malformed IPv6 host
        return ""
    key = (parts.netloc.lower().removeprefix("www.") + parts.path).rstrip("/")
    for suffix in ("/legalcode.de", "/legalcode", "/deed.de", "/deed.en", "/deed"):
        key = key.removesuffix(suffix)
    return key


def licence_code(*candidates: str) -> str | None:
    """The DCAT-AP.de licence code for the first candidate (a CKAN licence id, a
    DCAT-AP.de or EU licence IRI, a licence URL or title) that names a known licence."""
    for text in candidates:
        text = (text or "").strip()
        if not text:
            continue
        key = _url_key(text) if "://" in text else ""
        if key.startswith(DCATDE_LICENSES_PATH) and key[len(DCATDE_LICENSES_PATH) :] in (
            LICENCE_CODES
        ):
            return key[len(DCATDE_LICENSES_PATH) :]
        if key.startswith(EU_LICENCE_PATH):
            text = key[len(EU_LICENCE_PATH) :]
        found = LICENCE_URLS.get(key) or LICENCE_ALIASES.get(_slug(text))
        if found:
            return found
    return None


# -- Themes: http://publications.europa.eu/resource/authority/data-theme/<code> ----------

# fmt: off
THEME_CODES = frozenset([
    "AGRI", "ECON", "EDUC", "ENER", "ENVI", "GOVE", "HEAL", "INTR", "JUST", "REGI", "SOCI",
    "TECH", "TRAN",
])
# fmt: on
# Group names (``name`` slugs, folded) of GovData's former categories and of Berlin.
GROUP_THEMES = {
    "bevoelkerung": "SOCI",
    "bildung_wissenschaft": "EDUC",
    "geo": "REGI",
    "gesetze_justiz": "JUST",
    "gesundheit": "HEAL",
    "infrastruktur_bauen_wohnen": "REGI",
    "kultur_freizeit_sport_tourismus": "EDUC",
    "oeffentliche_verwaltung_haushalt_steuern": "GOVE",
    "oeffentlich_verwaltung_haushalt_steuern": "GOVE",
    "politik_wahlen": "GOVE",
    "soziales": "SOCI",
    "transport_verkehr": "TRAN",
    "umwelt_klima": "ENVI",
    "verbraucher": "ECON",
    "wirtschaft_arbeit": "ECON",
    "energie": "ENER",
}
# Single words of group names and titles (folded), for groups not in GROUP_THEMES.
_THEME_WORDS = {
    "SOCI": "bevoelkerung gesellschaft soziales sozial sozialleistungen jugend familie"
    " familien senioren demografie demographie population society",
    "EDUC": "bildung schule schulen kultur kunst sport freizeit erholung tourismus education"
    " culture",
    "TECH": "wissenschaft forschung technologie technik digitalisierung science technology",
    "REGI": "geo geographie geografie geodaten stadtplanung stadtentwicklung raumordnung bauen"
    " wohnen immobilien infrastruktur regionen regions cities",
    "JUST": "gesetze justiz recht sicherheit polizei feuerwehr katastrophenschutz justice",
    "HEAL": "gesundheit pflege health",
    "GOVE": "verwaltung haushalt steuern politik wahl wahlen protokolle beschluesse government",
    "TRAN": "verkehr transport mobilitaet",
    "ENVI": "umwelt klima natur naturschutz environment climate",
    "ENER": "energie energy",
    "ECON": "wirtschaft arbeit arbeitsmarkt finanzen verbraucher handel economy finance",
    "AGRI": "landwirtschaft forst forstwirtschaft fischerei ernaehrung agriculture",
    "INTR": "international internationales europa",
}
WORD_THEMES = {word: code for code, words in _THEME_WORDS.items() for word in words.split()}
WORD_THEMES.update({code.lower(): code for code in THEME_CODES})
_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def fold(text: str) -> str:
    """Lower case with German umlauts spelled out: "Öffentliche" -> "oeffentliche"."""
    return text.lower().translate(_FOLD)


def theme_codes(name: str, title: str = "") -> list[str]:
    """EU data-theme codes for a CKAN group, from its name, else the words of its name
    or title ("Infrastruktur, Bauen und Umwelt" -> REGI, ENVI); [] when none fits."""
    key = re.sub(r"[^a-z0-9]+", "_", fold(name)).strip("_")
    if key in GROUP_THEMES:
        return [GROUP_THEMES[key]]
    for text in (name, title):
        found = [WORD_THEMES[w] for w in re.split(r"[^a-z0-9]+", fold(text)) if w in WORD_THEMES]
        if found:
            return list(dict.fromkeys(found))
    return []


# -- File types: http://publications.europa.eu/resource/authority/file-type/<code> ------

# fmt: off
FILE_TYPES = frozenset([
    "ATOM", "CSV", "DBF", "DOC", "DOCX", "E00", "ECW", "GDB", "GEOJSON", "GIF", "GML", "GZIP",
    "HTML", "ICS", "JPEG", "JPEG2000", "JSON", "JSON_LD", "KML", "KMZ", "LAS", "LAZ", "MDB",
    "NETCDF", "ODG", "ODS", "ODT", "PDF", "PNG", "PPT", "PPTX", "RAR", "RDF", "RDF_N_QUADS",
    "RDF_N_TRIPLES", "RDF_TRIG", "RDF_TURTLE", "RDF_XML", "RSS", "RTF", "SHP", "SPARQLQ", "SQL",
    "SVG", "TAR", "TAR_GZ", "TIFF", "TSV", "TXT", "WFS_SRVC", "WMS_SRVC", "XHTML", "XLS",
    "XLSX", "XML", "XYZ", "ZIP",
])
# fmt: on
# fmt: off
FORMAT_ALIASES = {
    "HTM": "HTML", "WEBSEITE": "HTML", "WEBSITE": "HTML", "EXCEL": "XLS",
    "SHAPE": "SHP", "SHAPEFILE": "SHP", "ESRI SHAPEFILE": "SHP",
    "WMS": "WMS_SRVC", "WFS": "WFS_SRVC", "TEXT": "TXT",
    "TTL": "RDF_TURTLE", "TURTLE": "RDF_TURTLE", "RDF/XML": "RDF_XML", "RDFXML": "RDF_XML",
    "NT": "RDF_N_TRIPLES", "N-TRIPLES": "RDF_N_TRIPLES", "NTRIPLES": "RDF_N_TRIPLES",
    "JSON-LD": "JSON_LD", "JSONLD": "JSON_LD", "JPG": "JPEG", "TIF": "TIFF", "GEOTIFF": "TIFF",
    "GZ": "GZIP", "TAR.GZ": "TAR_GZ", "TGZ": "TAR_GZ", "NC": "NETCDF", "SPARQL": "SPARQLQ",
}
# fmt: on
MEDIA_FILE_TYPES = {
    "text/csv": "CSV",
    "application/json": "JSON",
    "application/geo+json": "GEOJSON",
    "application/vnd.geo+json": "GEOJSON",
    "application/xml": "XML",
    "text/xml": "XML",
    "text/html": "HTML",
    "application/xhtml+xml": "XHTML",
    "application/pdf": "PDF",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
    "application/vnd.ms-excel": "XLS",
    "application/vnd.oasis.opendocument.spreadsheet": "ODS",
    "application/vnd.oasis.opendocument.text": "ODT",
    "application/msword": "DOC",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
    "application/zip": "ZIP",
    "application/x-zip-compressed": "ZIP",
    "application/gzip": "GZIP",
    "application/vnd.google-earth.kml+xml": "KML",
    "application/vnd.google-earth.kmz": "KMZ",
    "application/gml+xml": "GML",
    "application/rdf+xml": "RDF_XML",
    "text/turtle": "RDF_TURTLE",
    "application/n-triples": "RDF_N_TRIPLES",
    "application/ld+json": "JSON_LD",
    "application/rss+xml": "RSS",
    "application/atom+xml": "ATOM",
    "text/plain": "TXT",
    "text/tab-separated-values": "TSV",
    "image/png": "PNG",
    "image/jpeg": "JPEG",
    "image/tiff": "TIFF",
    "image/svg+xml": "SVG",
}
# File name extensions that mark a URL as a direct download, with their file type.
_FILE_EXTENSIONS = (
    "csv json geojson xml html pdf xlsx xls ods odt doc docx zip kml kmz shp gml txt rdf tsv"
    " png gif svg rss dbf sql"
)
EXTENSION_FILE_TYPES = {
    **{ext: ext.upper() for ext in _FILE_EXTENSIONS.split()},
    "htm": "HTML",
    "ttl": "RDF_TURTLE",
    "jsonld": "JSON_LD",
    "nt": "RDF_N_TRIPLES",
    "tif": "TIFF",
    "tiff": "TIFF",
    "jpg": "JPEG",
    "jpeg": "JPEG",
    "gz": "GZIP",
    "nc": "NETCDF",
}
SERVICE_TYPES = frozenset({"WMS_SRVC", "WFS_SRVC", "HTML", "SPARQLQ"})


def file_type(text: str) -> str | None:
    """The EU file-type code of a CKAN format ("csv", ".CSV", "GeoJSON-Datei", "WMS",
    "text/csv", a file-type IRI), else None."""
    value = text.strip()
    if "/file-type/" in value:
        value = value.rstrip("/").rsplit("/", 1)[-1]
    if value.lower() in MEDIA_FILE_TYPES:
        return MEDIA_FILE_TYPES[value.lower()]
    key = value.upper().lstrip(".").strip()
    if key in FILE_TYPES or key in FORMAT_ALIASES:
        return FORMAT_ALIASES.get(key, key)
    for word in re.split(r"[^A-Z0-9_]+", key):  # "GEOJSON-DATEI", "CSV (ZIP)"
        if word in FILE_TYPES or word in FORMAT_ALIASES:
            return FORMAT_ALIASES.get(word, word)
    return None


def media_file_type(media_type: str) -> str | None:
    return MEDIA_FILE_TYPES.get(media_type.split(";")[0].strip().lower())


def extension_file_type(url: str) -> str | None:
    """The file type a URL's path ends in (``…/all.json?q=`` -> JSON), else None."""
    name = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    if "." not in name:
        return None
    return EXTENSION_FILE_TYPES.get(name.rsplit(".", 1)[-1])


# -- Frequencies: http://publications.europa.eu/resource/authority/frequency/<code> ----

# fmt: off
FREQUENCY_CODES = frozenset([
    "1MIN", "5MIN", "10MIN", "15MIN", "30MIN", "HOURLY", "12HRS", "DAILY", "DAILY_2", "WEEKLY",
    "WEEKLY_2", "WEEKLY_3", "BIWEEKLY", "MONTHLY", "MONTHLY_2", "MONTHLY_3", "BIMONTHLY",
    "QUARTERLY", "ANNUAL", "ANNUAL_2", "ANNUAL_3", "BIENNIAL", "TRIENNIAL", "QUADRENNIAL",
    "QUINQUENNIAL", "DECENNIAL", "CONT", "UPDATE_CONT", "IRREG", "NEVER", "OTHER", "UNKNOWN",
])
# fmt: on
# ISO 19115 maintenance frequency codes (ckanext-spatial), English and German words.
# fmt: off
FREQUENCY_WORDS = {
    "continual": "CONT", "continuous": "CONT", "kontinuierlich": "CONT",
    "hourly": "HOURLY", "stuendlich": "HOURLY", "daily": "DAILY", "taeglich": "DAILY",
    "weekly": "WEEKLY", "woechentlich": "WEEKLY", "fortnightly": "BIWEEKLY",
    "monthly": "MONTHLY", "monatlich": "MONTHLY", "quarterly": "QUARTERLY",
    "vierteljaehrlich": "QUARTERLY", "quartalsweise": "QUARTERLY",
    "biannually": "ANNUAL_2", "halbjaehrlich": "ANNUAL_2", "annually": "ANNUAL",
    "annual": "ANNUAL", "yearly": "ANNUAL", "jaehrlich": "ANNUAL",
    "asneeded": "IRREG", "irregular": "IRREG", "unregelmaessig": "IRREG",
    "notplanned": "NEVER", "never": "NEVER", "unknown": "UNKNOWN", "unbekannt": "UNKNOWN",
}
# fmt: on


def frequency_code(text: str) -> str | None:
    value = text.strip().rstrip("/").rsplit("/", 1)[-1]
    if value.upper() in FREQUENCY_CODES:
        return value.upper()
    return FREQUENCY_WORDS.get(re.sub(r"[^a-z]", "", fold(value)))


# -- Languages: EU language code and the tag for literals -------------------------------

LANGUAGES = {  # EU code: (language tag, other names)
    "DEU": ("de", "de deu ger german deutsch"),
    "ENG": ("en", "en eng english englisch"),
    "FRA": ("fr", "fr fra fre french franzoesisch"),
    "ITA": ("it", "it ita italian italienisch"),
    "SPA": ("es", "es spa spanish spanisch"),
    "NLD": ("nl", "nl nld dut dutch niederlaendisch"),
    "POL": ("pl", "pl pol polish polnisch"),
    "CES": ("cs", "cs ces cze czech tschechisch"),
    "DAN": ("da", "da dan danish daenisch"),
    "RUS": ("ru", "ru rus russian russisch"),
    "TUR": ("tr", "tr tur turkish tuerkisch"),
    "UKR": ("uk", "uk ukr ukrainian ukrainisch"),
    "ARA": ("ar", "ar ara arabic arabisch"),
    "DSB": ("dsb", "dsb"),
    "HSB": ("hsb", "hsb"),
    "FRR": ("frr", "frr"),
    "NDS": ("nds", "nds"),
}
_LANGUAGE_NAMES = {
    name: code for code, (_tag, names) in LANGUAGES.items() for name in names.split()
}


def language_code(text: str) -> str | None:
    """The EU language code for "de", "ger", "Deutsch", "de-DE" or a language IRI."""
    value = text.strip().rstrip("/").rsplit("/", 1)[-1]
    if value.upper() in LANGUAGES:
        return value.upper()
    return _LANGUAGE_NAMES.get(fold(value).split("-")[0].split("_")[0])


def language_tag(code: str) -> str:
    return LANGUAGES[code][0]


# -- Temporal resolution (xsd:duration) from words such as Berlin's "Jahr", "5 Jahre" ---

DURATION_UNITS = {
    "jahr": "Y", "jahre": "Y", "year": "Y", "years": "Y",
    "quartal": "3M", "quartale": "3M", "quarter": "3M",
    "monat": "M", "monate": "M", "month": "M", "months": "M",
    "woche": "7D", "wochen": "7D", "week": "7D", "weeks": "7D",
    "tag": "D", "tage": "D", "day": "D", "days": "D",
    "stunde": "TH", "stunden": "TH", "hour": "TH", "hours": "TH",
    "minute": "TM", "minuten": "TM", "minutes": "TM",
}  # fmt: skip
NO_RESOLUTION = frozenset({"keine", "none", "no", "-"})
_DURATION = re.compile(
    r"^-?P(?=\d|T\d)(\d+Y)?(\d+M)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+(\.\d+)?S)?)?$"
)


def duration(text: str) -> str | None:
    """An xsd:duration for "Jahr", "5 Jahre", "Quartal", "P1D"; None if unknown."""
    value = text.strip()
    if _DURATION.match(value):
        return value
    found = re.match(r"^(\d+)?\s*([a-z]+)$", fold(value))
    if not found or found.group(2) not in DURATION_UNITS:
        return None
    count, unit = int(found.group(1) or 1), DURATION_UNITS[found.group(2)]
    if unit[0].isdigit():  # "3M", "7D": a multiple of another unit
        count, unit = count * int(unit[:-1]), unit[-1]
    return f"PT{count}{unit[1]}" if unit.startswith("T") else f"P{count}{unit}"
