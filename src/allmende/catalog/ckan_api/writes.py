"""The write actions (``package_create``, ``package_update``, ``package_patch``,
``package_delete``, ``resource_create``): CKAN dicts in, the catalogue's services out.

They need a token's user; the services check the editor role, write the audit log and
send the catalogue's signals, exactly as the web forms and the JSON API do.
"""

import datetime as dt
import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import transaction
from django.utils import translation

from allmende.core.models import Organisation

from ..api.common import DATASET_FIELDS, entry_fields
from ..dcat.project import DistributionFields
from ..harvest.ckan_vocab import file_type, frequency_code
from ..labels import THEMES
from ..models import Dataset
from ..services import datasets as services
from ..services.graphs import DatasetError
from .actions import find_dataset, show
from .errors import NotAuthorized, ValidationError
from .package import FILE_TYPES, THEME_BASE, ckan_time, licence_iri, resource_dict, stable_id
from .registry import action, required

NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
FREQUENCIES = "http://publications.europa.eu/resource/authority/frequency/"
# Our field names (services, DatasetError.field) → CKAN's.
CKAN_FIELDS = {
    "description": "notes",
    "license": "license_id",
    "keywords": "tags",
    "themes": "groups",
    "landing_page": "url",
    "contact_email": "maintainer_email",
    "contact_name": "maintainer",
    "access_url": "url",
    "download_url": "url",
    "media_type": "mimetype",
}
# CKAN package keys → our fields, taken as they are.
PLAIN = {"title": "title", "notes": "description", "url": "landing_page"}
# extras → our fields.
EXTRAS = {
    "access_rights": "access_rights",
    "politicalGeocodingURI": "political_geocoding",
    "contact_uri": "contact_url",
}


def _user(user: Any, name: str) -> Any:
    if user is None:
        raise NotAuthorized(f"Action {name} requires an authenticated user")
    return user


@contextmanager
def _service_errors() -> Iterator[None]:
    """Refusals of the services as CKAN errors, worded in English as CKAN's are."""
    try:
        with translation.override("en"):
            yield
    except services.PermissionDenied as exc:
        raise NotAuthorized(str(exc)) from None
    except DatasetError as exc:
        key = CKAN_FIELDS.get(exc.field, exc.field) or "__all__"
        raise ValidationError(fields={key: [str(exc)]}) from None


def _names(value: Any, key: str) -> list[str]:
    """Names from CKAN's list of dicts (``[{"name": ...}]``) or of strings."""
    if not isinstance(value, list):
        raise ValidationError(fields={key: ["Must be a list"]})
    names = [v.get("name", "") if isinstance(v, dict) else v for v in value]
    if not all(isinstance(n, str) and n.strip() for n in names):
        raise ValidationError(fields={key: ["Each entry needs a name"]})
    return [n.strip() for n in names]


def _themes(value: Any) -> list[str]:
    codes = {c.lower(): c for c in THEMES}
    out = []
    for name in _names(value, "groups"):
        code = codes.get(name.lower().rsplit("/", 1)[-1])
        if code is None:
            raise ValidationError(fields={"groups": [f"Group {name} does not exist"]})
        out.append(THEME_BASE + code)
    return out


def _licence(value: Any) -> str:
    if not value:
        return ""
    iri = licence_iri(str(value))
    if iri is None:
        raise ValidationError(fields={"license_id": [f"Unknown licence {value!r}"]})
    return iri


def _date(value: Any, key: str) -> dt.date | None:
    if not value:
        return None
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        raise ValidationError(fields={key: ["Date format incorrect"]}) from None


def _extras(extras: Any) -> dict[str, Any]:
    if not isinstance(extras, list):
        raise ValidationError(fields={"extras": ["Must be a list of {key, value}"]})
    values = {e.get("key"): e.get("value") for e in extras if isinstance(e, dict)}
    out: dict[str, Any] = {f: values[k] or "" for k, f in EXTRAS.items() if k in values}
    for key in ("temporal_start", "temporal_end"):
        if key in values:
            out[key] = _date(values[key], key)
    if "frequency" in values:
        code = frequency_code(str(values["frequency"] or ""))
        out["accrual_periodicity"] = FREQUENCIES + code if code else ""
    return out


def changes_from(package: dict[str, Any]) -> dict[str, Any]:
    """Our dataset fields from the CKAN keys present in ``package``."""
    changes: dict[str, Any] = {f: package[k] or "" for k, f in PLAIN.items() if k in package}
    if "tags" in package:
        changes["keywords"] = _names(package["tags"], "tags")
    if "groups" in package:
        changes["themes"] = _themes(package["groups"])
    if "license_id" in package:
        changes["license"] = _licence(package["license_id"])
    for key in ("maintainer", "author"):
        if package.get(key):
            changes.setdefault("contact_name", package[key])
        if package.get(f"{key}_email"):
            changes.setdefault("contact_email", package[f"{key}_email"])
    if "extras" in package:
        changes.update(_extras(package["extras"]))
    for key, field in (("title_translated", "title_en"), ("notes_translated", "description_en")):
        if isinstance(package.get(key), dict):
            changes[field] = str(package[key].get("en") or "")
    return changes


def _organisation(ident: Any) -> Organisation:
    if not isinstance(ident, str) or not ident:
        raise ValidationError(fields={"owner_org": ["Missing value"]})
    org = Organisation.objects.filter(slug=ident).first()
    if org is None:
        org = next((o for o in Organisation.objects.all() if stable_id(o.agent_iri) == ident), None)
    if org is None:
        raise ValidationError(fields={"owner_org": ["Organization does not exist"]})
    return org


def _check_name(name: Any, dataset: Dataset | None = None) -> str:
    if name is None or name == "":
        raise ValidationError(fields={"name": ["Missing value"]})
    if not isinstance(name, str) or not NAME.match(name):
        raise ValidationError(
            fields={
                "name": [
                    "Must be purely lowercase alphanumeric (ascii) characters and these "
                    "symbols: -_ (2 to 100 of them)"
                ]
            }
        )
    taken = Dataset.objects.filter(name=name)
    if dataset is not None:
        taken = taken.exclude(pk=dataset.pk)
    if taken.exists():
        raise ValidationError(fields={"name": ["That URL is already in use."]})
    return name


def _visibility(dataset: Dataset, package: dict[str, Any], user: Any) -> None:
    """``private`` true or ``state`` draft keep a draft; otherwise the dataset is public."""
    private = package.get("private") in (True, "true", "True")
    if private or package.get("state") == "draft":
        if dataset.status == Dataset.Status.PUBLISHED:
            services.unpublish_dataset(dataset, by=user)
    elif dataset.status != Dataset.Status.PUBLISHED:
        services.publish_dataset(dataset, by=user)


def distribution_from(resource: dict[str, Any]) -> DistributionFields:
    """A CKAN resource dict as the fields of a linked distribution."""
    url = resource.get("url")
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise ValidationError(fields={"url": ["A resource needs an http(s) url"]})
    fmt = str(resource.get("format") or "")
    code = file_type(fmt) if fmt else None
    if fmt and code is None:
        raise ValidationError(fields={"format": [f"Unknown format {fmt!r}"]})
    return DistributionFields(
        iri="",
        title=str(resource.get("name") or ""),
        description=str(resource.get("description") or ""),
        access_url=url,
        format=FILE_TYPES + code if code else "",
        media_type=str(resource.get("mimetype") or ""),
    )


@action("package_create", write=True)
@transaction.atomic
def package_create(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """Create a dataset. Parameters: name, title, notes, owner_org (required), url, tags,
    groups (themes), license_id, maintainer/author and their emails, extras, resources,
    private (true keeps it a draft)."""
    user = _user(user, "package_create")
    name = _check_name(params.get("name"))
    publisher = _organisation(params.get("owner_org"))
    resources = params.get("resources") or []
    distributions = [distribution_from(r) for r in resources if isinstance(r, dict)]
    with _service_errors():
        dataset = services.create_dataset(
            publisher=publisher, fields=entry_fields(changes_from(params)), by=user, name=name
        )
        for fields in distributions:
            services.add_distribution(dataset, fields=fields, by=user)
        _visibility(dataset, params, user)
    return show(find_dataset(user, dataset.name))


def _edit(params: dict[str, Any], user: Any, *, replace: bool) -> dict[str, Any]:
    dataset = find_dataset(user, params.get("id") or required(params, "name"))
    changes = changes_from(params)
    if replace:  # package_update: what is not sent is cleared, as in CKAN
        changes = {**dict.fromkeys(DATASET_FIELDS), **changes}
    publisher = _organisation(params["owner_org"]) if params.get("owner_org") else None
    if params.get("name") and params.get("id") and params["name"] != dataset.name:
        raise ValidationError(fields={"name": ["Renaming a dataset is not supported"]})
    with _service_errors():
        services.update_dataset(
            dataset, fields=entry_fields(changes, dataset), by=user, publisher=publisher
        )
        if isinstance(params.get("resources"), list):
            _sync_resources(dataset, params["resources"], user)
        if replace or "private" in params or "state" in params:
            _visibility(dataset, params, user)
    return show(find_dataset(user, dataset.name))


def _sync_resources(dataset: Dataset, resources: list[Any], user: Any) -> None:
    """Make the distributions those of ``resources`` (CKAN's rule when a package is sent
    with its resources): known ids are changed, new ones added, missing ones deleted."""
    existing = {stable_id(d.iri): d for d in dataset.distributions.all()}
    for resource in resources:
        if not isinstance(resource, dict):
            raise ValidationError(fields={"resources": ["Each resource must be an object"]})
        fields = distribution_from(resource)
        current = existing.pop(str(resource.get("id") or ""), None)
        if current is None:
            services.add_distribution(dataset, fields=fields, by=user)
            continue
        if fields.access_url in (current.download_url, current.access_url):
            fields.access_url, fields.download_url = current.access_url, current.download_url
        services.update_distribution(current, fields=fields, by=user)
    for gone in existing.values():
        services.delete_distribution(gone, by=user)


@action("package_update", write=True)
@transaction.atomic
def package_update(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """Replace a dataset's fields (those not sent are cleared). Parameters: id (name or
    id) and the fields of package_create; resources, when sent, replace the dataset's
    (matched by id; without resources they stay)."""
    return _edit(params, _user(user, "package_update"), replace=True)


@action("package_patch", write=True)
@transaction.atomic
def package_patch(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """Change the fields sent; the others stay. Parameters: id and any field of
    package_create (resources, when sent, as in package_update)."""
    return _edit(params, _user(user, "package_patch"), replace=False)


@action("package_delete", write=True)
def package_delete(params: dict[str, Any], user: Any) -> None:
    """Delete a dataset with its distributions (for good: there is no "deleted" state).
    Parameters: id."""
    user = _user(user, "package_delete")
    dataset = find_dataset(user, required(params, "id"))
    with _service_errors():
        services.delete_dataset(dataset, by=user)


@action("resource_create", write=True)
def resource_create(params: dict[str, Any], user: Any) -> dict[str, Any]:
    """Add a linked resource to a dataset. Parameters: package_id, url, name,
    description, format, mimetype. Uploads go through the JSON API."""
    user = _user(user, "resource_create")
    dataset = find_dataset(user, required(params, "package_id"))
    fields = distribution_from(params)
    with _service_errors():
        dist = services.add_distribution(dataset, fields=fields, by=user)
    return resource_dict(dist, stable_id(dataset.iri), ckan_time(dataset.created))
