"""What to fix, in words: one sentence per indicator that missed points.

Worded when asked for, in the active language, from a stored indicator (its ``met``,
``of`` and ``pending`` counts), so a measurement made by the worker in German reads in
English on an English page.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .mqa import DISTRIBUTION, METRIC_BY_KEY, METRICS

#: Names of the dimensions and indicators, for pages and charts (bands: models.quality.Band).
DIMENSION_LABELS = {
    "findability": gettext_lazy("Findability"),
    "accessibility": gettext_lazy("Accessibility"),
    "interoperability": gettext_lazy("Interoperability"),
    "reusability": gettext_lazy("Reusability"),
    "contextuality": gettext_lazy("Contextuality"),
}
INDICATOR_LABELS = {
    "keywordAvailability": gettext_lazy("Keywords"),
    "categoryAvailability": gettext_lazy("Themes"),
    "spatialAvailability": gettext_lazy("Spatial coverage"),
    "temporalAvailability": gettext_lazy("Temporal coverage"),
    "accessUrlStatusCode": gettext_lazy("Access URL reachable"),
    "downloadUrlAvailability": gettext_lazy("Download URL given"),
    "downloadUrlStatusCode": gettext_lazy("Download URL reachable"),
    "formatAvailability": gettext_lazy("Format given"),
    "mediaTypeAvailability": gettext_lazy("Media type given"),
    "formatMediaTypeVocabularyAlignment": gettext_lazy("Format and media type from vocabularies"),
    "formatMediaTypeNonProprietary": gettext_lazy("Non-proprietary format"),
    "formatMediaTypeMachineInterpretable": gettext_lazy("Machine-readable format"),
    "dcatApCompliance": gettext_lazy("DCAT-AP.de compliance"),
    "licenceAvailability": gettext_lazy("Licence given"),
    "knownLicence": gettext_lazy("Licence from vocabulary"),
    "accessRightsAvailability": gettext_lazy("Access rights given"),
    "accessRightsVocabularyAlignment": gettext_lazy("Access rights from vocabulary"),
    "contactPointAvailability": gettext_lazy("Contact point"),
    "publisherAvailability": gettext_lazy("Publisher"),
    "rightsAvailability": gettext_lazy("Rights statement"),
    "byteSizeAvailability": gettext_lazy("File size"),
    "dateIssuedAvailability": gettext_lazy("Date of issue"),
    "dateModifiedAvailability": gettext_lazy("Modification date"),
}

#: The fix for each indicator; for distribution indicators, how many distributions miss
#: it is put in front.
_FIXES = {
    "keywordAvailability": gettext_lazy(
        "Add keywords (dcat:keyword), so that searches find the dataset."
    ),
    "categoryAvailability": gettext_lazy(
        "Assign at least one theme of the EU data themes (dcat:theme)."
    ),
    "spatialAvailability": gettext_lazy(
        "Describe the area the data covers (dct:spatial), for example with the "
        "municipality key; dcatde:politicalGeocodingURI alone does not count."
    ),
    "temporalAvailability": gettext_lazy("State the period the data covers (dct:temporal)."),
    "accessUrlStatusCode": gettext_lazy(
        "Repair or replace access URLs that cannot be reached (dcat:accessURL)."
    ),
    "downloadUrlAvailability": gettext_lazy(
        "Give a direct download URL for each file (dcat:downloadURL)."
    ),
    "downloadUrlStatusCode": gettext_lazy(
        "Repair or replace download URLs that cannot be reached (dcat:downloadURL)."
    ),
    "formatAvailability": gettext_lazy("State the file format (dct:format)."),
    "mediaTypeAvailability": gettext_lazy(
        "State the media type, such as text/csv (dcat:mediaType)."
    ),
    "formatMediaTypeVocabularyAlignment": gettext_lazy(
        "Take formats from the EU file-type vocabulary and media types from the IANA register."
    ),
    "formatMediaTypeNonProprietary": gettext_lazy(
        "Also offer the data in a non-proprietary format, such as CSV, JSON or GeoJSON."
    ),
    "formatMediaTypeMachineInterpretable": gettext_lazy(
        "Also offer the data in a machine-readable format, such as CSV, JSON or XML "
        "(PDF and images are not)."
    ),
    "dcatApCompliance": gettext_lazy("Fix the violations of DCAT-AP.de rules listed on this page."),
    "licenceAvailability": gettext_lazy("Name the licence of each distribution (dct:license)."),
    "knownLicence": gettext_lazy(
        "Use a licence from the DCAT-AP.de licence list, such as "
        "Datenlizenz Deutschland – Namensnennung – 2.0."
    ),
    "accessRightsAvailability": gettext_lazy(
        "State whether access is public or restricted (dct:accessRights)."
    ),
    "accessRightsVocabularyAlignment": gettext_lazy(
        "Take the access rights from the EU access-right vocabulary "
        "(PUBLIC, RESTRICTED, NON_PUBLIC)."
    ),
    "contactPointAvailability": gettext_lazy(
        "Name a contact point for questions about the data (dcat:contactPoint)."
    ),
    "publisherAvailability": gettext_lazy("Name the publisher (dct:publisher)."),
    "rightsAvailability": gettext_lazy("Add a statement of the rights of use (dct:rights)."),
    "byteSizeAvailability": gettext_lazy("State the file size in bytes (dcat:byteSize)."),
    "dateIssuedAvailability": gettext_lazy("State when the data was first published (dct:issued)."),
    "dateModifiedAvailability": gettext_lazy(
        "State when the data was last changed (dct:modified)."
    ),
}

_URL_METRICS = ("accessUrlStatusCode", "downloadUrlStatusCode")


@dataclass
class Fix:
    """One missed indicator and what to do about it."""

    key: str
    label: str
    points: int  # the points it would add
    text: str


def fixes(indicators: dict[str, dict]) -> list[Fix]:
    """One :class:`Fix` per indicator below its maximum, the most points first."""
    out = []
    for metric in METRICS:
        data = indicators.get(metric.key)
        if data is None or data["points"] >= data["max"]:
            continue
        out.append(
            Fix(
                key=metric.key,
                label=str(INDICATOR_LABELS[metric.key]),
                points=data["max"] - data["points"],
                text=fix_text(metric.key, data),
            )
        )
    return sorted(out, key=lambda f: -f.points)


def fix_text(key: str, data: dict) -> str:
    """The sentence for one stored indicator."""
    metric = METRIC_BY_KEY[key]
    fix = str(_FIXES[key])
    if metric.on == DISTRIBUTION and not data["of"]:
        return _("Add at least one distribution with an access URL.") + " " + fix
    if key in _URL_METRICS and data.get("pending"):
        waiting = ngettext(
            "%(count)s URL has not been checked yet; that happens in the background.",
            "%(count)s URLs have not been checked yet; that happens in the background.",
            data["pending"],
        ) % {"count": data["pending"]}
        if data["of"] - data["met"] == data["pending"]:
            return waiting
        fix = f"{fix} {waiting}"
    if metric.on == DISTRIBUTION and data["of"] > 1:
        share = _("Affected distributions: %(missing)s of %(of)s.") % {
            "missing": data["of"] - data["met"],
            "of": data["of"],
        }
        return f"{share} {fix}"
    return fix
