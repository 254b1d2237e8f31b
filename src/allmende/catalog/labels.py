"""Human names for vocabulary IRIs (themes, licences, frequencies, access rights)."""

from django.utils.translation import gettext_lazy as _

EU = "http://publications.europa.eu/resource/authority/"
LICENSES = "http://dcat-ap.de/def/licenses/"

THEMES = {
    "AGRI": _("Agriculture, fisheries, forestry and food"),
    "ECON": _("Economy and finance"),
    "EDUC": _("Education, culture and sport"),
    "ENER": _("Energy"),
    "ENVI": _("Environment"),
    "GOVE": _("Government and public sector"),
    "HEAL": _("Health"),
    "INTR": _("International issues"),
    "JUST": _("Justice, legal system and public safety"),
    "REGI": _("Regions and cities"),
    "SOCI": _("Population and society"),
    "TECH": _("Science and technology"),
    "TRAN": _("Transport"),
}

LICENCE_NAMES = {
    "dl-by-de/2.0": "Datenlizenz Deutschland – Namensnennung – 2.0",
    "dl-zero-de/2.0": "Datenlizenz Deutschland – Zero – 2.0",
    "cc-by/4.0": "Creative Commons BY 4.0",
    "cc-by-sa/4.0": "Creative Commons BY-SA 4.0",
    "cc-zero": "Creative Commons CC0",
    "officialWork": _("Official work (§ 5 UrhG), free of licence"),
    "odbl": "Open Database License (ODbL)",
    "other-open": _("Other open licence"),
    "other-opensource": _("Other open-source licence"),
    "other-closed": _("Other closed licence"),
}

FREQUENCIES = {
    "CONT": _("continuously"),
    "HOURLY": _("hourly"),
    "DAILY": _("daily"),
    "WEEKLY": _("weekly"),
    "MONTHLY": _("monthly"),
    "QUARTERLY": _("quarterly"),
    "ANNUAL": _("annually"),
    "BIENNIAL": _("every two years"),
    "IRREG": _("irregularly"),
    "NEVER": _("never"),
    "UNKNOWN": _("unknown"),
}

ACCESS_RIGHTS = {
    "PUBLIC": _("public"),
    "RESTRICTED": _("restricted"),
    "NON_PUBLIC": _("not public"),
}

FILE_TYPES = [
    "CSV",
    "JSON",
    "GEOJSON",
    "XML",
    "PDF",
    "XLSX",
    "ODS",
    "ZIP",
    "HTML",
    "KML",
    "SHP",
    "WMS_SRVC",
    "WFS_SRVC",
    "TXT",
    "RDF_TURTLE",
]


def code(iri: str) -> str:
    return iri.rstrip("/").rsplit("/", 1)[-1] if iri else ""


def theme_label(value: str) -> str:
    """A theme IRI or code -> its name in the active language."""
    return str(THEMES.get(code(value), code(value)))


def licence_label(iri: str) -> str:
    if iri.startswith(LICENSES):
        key = iri[len(LICENSES) :]
        return str(LICENCE_NAMES.get(key, key))
    return iri


def frequency_label(iri: str) -> str:
    return str(FREQUENCIES.get(code(iri), code(iri)))


def access_label(iri: str) -> str:
    return str(ACCESS_RIGHTS.get(code(iri), code(iri)))


def facet_label(facet: str, value: str) -> str:
    if facet == "theme":
        return theme_label(value)
    if facet == "license":
        return licence_label(value)
    if facet == "quality":
        from .models.quality import Band

        return str(Band(value).label) if value in Band.values else value
    return value


def theme_choices() -> list[tuple[str, str]]:
    return [(EU + "data-theme/" + c, str(label)) for c, label in THEMES.items()]


def licence_choices() -> list[tuple[str, str]]:
    return [(LICENSES + k, str(v)) for k, v in LICENCE_NAMES.items()]


def frequency_choices() -> list[tuple[str, str]]:
    return [("", "–")] + [(EU + "frequency/" + c, str(v)) for c, v in FREQUENCIES.items()]


def access_choices() -> list[tuple[str, str]]:
    return [(EU + "access-right/" + c, str(v)) for c, v in ACCESS_RIGHTS.items()]


def file_type_choices() -> list[tuple[str, str]]:
    return [("", "–")] + [(EU + "file-type/" + c, c.replace("_SRVC", "")) for c in FILE_TYPES]
