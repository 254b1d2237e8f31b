"""Datasets, distributions, organisations and themes as CKAN dicts (``package_show``'s
shape): the reverse of the CKAN → DCAT-AP.de mapping in ``harvest/ckan*.py``.

Ids are stable UUIDs derived from IRIs (``uuid5``), so a client that stored a package or
resource id finds it again. Timestamps are CKAN's: UTC, no zone, microseconds.
"""

import datetime as dt
import uuid
from typing import Any

from ..dcat.project import format_label
from ..harvest.ckan_vocab import licence_code
from ..labels import LICENCE_NAMES, THEMES

LICENCES = "http://dcat-ap.de/def/licenses/"
THEME_BASE = "http://publications.europa.eu/resource/authority/data-theme/"
FILE_TYPES = "http://publications.europa.eu/resource/authority/file-type/"
# DCAT-AP.de licence codes whose CKAN (or GovData) id differs from the code with "/" → "-".
CKAN_LICENCE_IDS = {
    "dl-by-de/2.0": "dl-de-by-2.0",
    "dl-zero-de/2.0": "dl-de-zero-2.0",
    "dl-by-de/1.0": "dl-de-by-1.0",
    "dl-by-nc-de/1.0": "dl-de-by-nc-1.0",
    "cc-by-nc": "cc-nc",
    "odbl": "odc-odbl",
    "odby": "odc-by",
    "odcpddl": "odc-pddl",
}
# Not open in the sense of the Open Definition (CKAN's ``isopen``).
CLOSED_LICENCES = frozenset(
    {
        "cc-by-nc", "cc-by-nc-de/3.0", "cc-by-nc/4.0", "cc-by-nd", "cc-by-nd/3.0",
        "cc-by-nd/4.0", "dl-by-nc-de/1.0", "other-closed", "other-commercial",
        "other-freeware", "geoNutz/20131001", "geonutz/20130319",
    }
)  # fmt: skip


def stable_id(iri: str) -> str:
    """The CKAN id of whatever ``iri`` names."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, iri))


def ckan_time(value: dt.datetime | dt.date | None) -> str | None:
    """CKAN's timestamp format: naive ISO 8601 in UTC with microseconds."""
    if value is None:
        return None
    if not isinstance(value, dt.datetime):
        return dt.datetime.combine(value, dt.time()).isoformat(timespec="microseconds")
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def licence_id(iri: str) -> str:
    """The CKAN-style id of a DCAT-AP.de licence IRI ("" for none)."""
    code = iri[len(LICENCES) :] if iri.startswith(LICENCES) else licence_code(iri) or ""
    return CKAN_LICENCE_IDS.get(code, code.replace("/", "-"))


def licence_iri(ckan_id: str) -> str | None:
    """The DCAT-AP.de licence IRI for a CKAN licence id, URL or title (None if unknown)."""
    code = licence_code(ckan_id)
    return f"{LICENCES}{code}" if code else None


def licence_dict(code: str) -> dict[str, Any]:
    """One entry of ``license_list``."""
    open_ = code not in CLOSED_LICENCES
    return {
        "id": CKAN_LICENCE_IDS.get(code, code.replace("/", "-")),
        "title": str(LICENCE_NAMES.get(code, code)),
        "url": f"{LICENCES}{code}",
        "status": "active",
        "maintainer": "",
        "family": "",
        "od_conformance": "approved" if open_ else "not reviewed",
        "osd_conformance": "not reviewed",
        "domain_content": False,
        "domain_data": True,
        "domain_software": False,
        "is_generic": code.startswith("other-"),
        "is_okd_compliant": open_,
        "is_osi_compliant": False,
    }


def organization_dict(org: Any, *, package_count: int | None = None) -> dict[str, Any]:
    """An organisation as CKAN's ``organization`` object."""
    out = {
        "id": stable_id(org.agent_iri),
        "name": org.slug,
        "title": org.name,
        "display_name": org.name,
        "type": "organization",
        "description": org.description,
        "image_url": "",
        "image_display_url": "",
        "created": ckan_time(org.created),
        "is_organization": True,
        "approval_status": "approved",
        "state": "active",
    }
    if package_count is not None:
        out["package_count"] = package_count
    return out


def group_dict(code: str, *, package_count: int | None = None) -> dict[str, Any]:
    """A data theme (EU vocabulary code) as a CKAN group."""
    title = str(THEMES.get(code, code))
    out: dict[str, Any] = {
        "id": stable_id(THEME_BASE + code),
        "name": code.lower(),
        "title": title,
        "display_name": title,
        "description": "",
        "image_display_url": "",
    }
    if package_count is not None:
        out.update(type="group", is_organization=False, state="active", approval_status="approved")
        out["package_count"] = package_count
    return out


def tag_dict(name: str) -> dict[str, Any]:
    return {
        "id": stable_id("tag:" + name),
        "name": name,
        "display_name": name,
        "state": "active",
        "vocabulary_id": None,
    }


def resource_dict(dist: Any, package_id: str, created: str | None) -> dict[str, Any]:
    """A distribution as a CKAN resource."""
    return {
        "id": stable_id(dist.iri),
        "package_id": package_id,
        "url": dist.download_url or dist.access_url,
        "name": dist.title or None,
        "description": dist.description,
        "format": format_label(dist.format) if dist.format else "",
        "mimetype": dist.media_type or None,
        "mimetype_inner": None,
        "size": dist.byte_size,
        "hash": "",
        "created": created,
        "last_modified": None,
        "metadata_modified": created,
        "position": dist.position,
        "state": "active",
        "url_type": "upload" if dist.file else None,
        "resource_type": None,
        "cache_url": None,
        "cache_last_updated": None,
        "access_url": dist.access_url,
        "download_url": dist.download_url or None,
        "license": dist.license or None,
    }


def _extras(dataset: Any) -> list[dict[str, str]]:
    """DCAT-AP fields CKAN's core schema has no place for (keys as ckanext-dcat names
    them, DCAT-AP.de's own where it has none)."""
    values = {
        "uri": dataset.iri,
        "identifier": dataset.identifier,
        "issued": ckan_time(dataset.issued),
        "modified": ckan_time(dataset.modified),
        "temporal_start": dataset.temporal_start and dataset.temporal_start.isoformat(),
        "temporal_end": dataset.temporal_end and dataset.temporal_end.isoformat(),
        "spatial_uri": dataset.spatial,
        "politicalGeocodingURI": dataset.political_geocoding,
        "frequency": dataset.accrual_periodicity,
        "access_rights": dataset.access_rights,
        "contact_uri": dataset.contact_url,
    }
    return [{"key": k, "value": v} for k, v in sorted(values.items()) if v]


def _translated(german: str, english: str) -> dict[str, str]:
    return {"de": german, "en": english} if english else {"de": german}


def package_dict(dataset: Any, distributions: list[Any]) -> dict[str, Any]:
    """A dataset (publisher loaded, ``distributions`` in order) as CKAN's package dict."""
    package_id = stable_id(dataset.iri)
    licence = licence_id(dataset.license) if dataset.license else ""
    code = dataset.license[len(LICENCES) :] if dataset.license.startswith(LICENCES) else ""
    created = ckan_time(dataset.created)
    organization = organization_dict(dataset.publisher)
    tags = [tag_dict(k) for k in sorted(dataset.keywords)]
    themes = sorted({t.rstrip("/").rsplit("/", 1)[-1] for t in dataset.themes})
    resources = [resource_dict(d, package_id, created) for d in distributions]
    return {
        "id": package_id,
        "name": dataset.name,
        "title": dataset.title,
        "notes": dataset.description,
        "url": dataset.landing_page,
        "version": None,
        "author": dataset.contact_name or None,
        "author_email": dataset.contact_email or None,
        "maintainer": dataset.contact_name or None,
        "maintainer_email": dataset.contact_email or None,
        "license_id": licence,
        "license_title": str(LICENCE_NAMES.get(code, licence)) if licence else None,
        "license_url": dataset.license or None,
        "isopen": bool(licence) and code not in CLOSED_LICENCES,
        "private": dataset.status != "published",
        # A draft is what CKAN calls a private dataset: active, seen by its organisation.
        "state": "active",
        "type": "dataset",
        "metadata_created": created,
        "metadata_modified": ckan_time(dataset.updated),
        "creator_user_id": None,
        "owner_org": organization["id"],
        "organization": organization,
        "groups": [group_dict(code) for code in themes],
        "tags": tags,
        "num_tags": len(tags),
        "resources": resources,
        "num_resources": len(resources),
        "extras": _extras(dataset),
        # ckanext-fluent's multilingual fields
        "title_translated": _translated(dataset.title, dataset.title_en),
        "notes_translated": _translated(dataset.description, dataset.description_en),
        "relationships_as_object": [],
        "relationships_as_subject": [],
    }
