"""CKAN -> DCAT-AP.de: the pure part of the CKAN harvester.

``search_url`` and ``parse_search_page`` page through a portal's ``package_search``;
``package_to_record`` maps one package (as ``package_search`` or ``package_show`` returns
it) to a complete DCAT-AP.de description. Nothing here touches the network or the
database. What a package holds that DCAT-AP.de has no place for, or that is not valid
(unknown licence ids, URLs that are no URLs, dates that are no dates), is left out and
named in the record's ``defects``; a value is never invented. The mapping table is in
docs/catalog.md, "CKAN sources".
"""

import json
import re
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

from ..dcat.namespaces import (
    ADMS,
    DCAT,
    DCATDE,
    DCT,
    EU_ACCESS_RIGHT,
    EU_FREQUENCY,
    EU_LANGUAGE,
    EU_THEME,
    FOAF,
    RDF,
    RDFS,
    SKOS,
)
from .ckan_distributions import add_distributions
from .ckan_parties import add_parties
from .ckan_places import add_spatial, add_temporal
from .ckan_terms import (
    Context,
    Fields,
    Sink,
    date_literal,
    iri,
    load_json,
    short,
    text_literal,
    values,
    web_iri,
)
from .ckan_vocab import (
    THEME_CODES,
    frequency_code,
    language_code,
    language_tag,
    licence_code,
    theme_codes,
)

API_PATH = "/api/3/action"
MAX_ROWS = 1000  # CKAN's default ckan.search.rows_max
_SURROGATE = re.compile("[\ud800-\udfff]")
_API_SUFFIX = re.compile(r"/api(/\d+)?(/action)?(/[A-Za-z_]+)?$")
# CKAN's own bookkeeping: no metadata, never reported as unmapped.
# fmt: off
PACKAGE_BOOKKEEPING = frozenset([
    "id", "isopen", "num_resources", "num_tags", "relationships_as_subject",
    "relationships_as_object", "creator_user_id", "owner_org", "private", "state", "type",
    "revision_id", "tracking_summary", "harvest_object_id", "harvest_source_id",
    "harvest_source_title", "harvest_source_url", "spatial_harvester",
])
# fmt: on
NOT_DATASETS = frozenset({"harvest", "showcase"})
ACCESS_RIGHTS = {"public": "PUBLIC", "restricted": "RESTRICTED", "non_public": "NON_PUBLIC"}
# Extras whose values are IRIs of related things (ckanext-dcat, ckanext-dcatde and
# ckanext-spatial names), and where they go.
LINK_FIELDS = {
    "contributorID": DCATDE.contributorID,
    "conforms_to": DCT.conformsTo,
    "spatial-reference-system": DCT.conformsTo,
    "documentation": FOAF.page,
    "has_version": DCT.hasVersion,
    "is_version_of": DCT.isVersionOf,
    "related_resource": DCT.relation,
    "source": DCT.source,
    "references": DCT.references,
    "sample": ADMS.sample,
    "dcat_type": DCT.type,
}
OTHER_IDENTIFIERS = ("name", "guid", "alternate_identifier", "identifier", "uri")


class CkanError(ValueError):
    """A CKAN response or package that cannot be used. The message is one readable line."""


class CkanSkip(CkanError):
    """A package that is no public dataset (private, deleted, draft, a harvest source):
    the harvester skips it, and withdraws a copy it harvested earlier."""


@dataclass
class CkanRecord:
    """One CKAN package as a DCAT-AP.de description."""

    subject: NamedNode  # the dataset IRI: {portal}/dataset/{id}
    identifier: str  # the CKAN package id, stable across renames
    triples: list[Triple]  # dataset, distributions, agents, contact, period, location
    defects: list[str]  # what was odd or lost, one short English line each


def portal_base(api_base: str) -> str:
    """The portal's base URL: ``https://daten.berlin.de/api/3/action`` ->
    ``https://daten.berlin.de``. Raises CkanError for anything but an http(s) URL."""
    base = api_base.strip().split("?", 1)[0].split("#", 1)[0].rstrip("/")
    base = _API_SUFFIX.sub("", base).rstrip("/")
    try:
        parts = urlsplit(base)
    except ValueError:  # a malformed IPv6 host
        parts = urlsplit("")
    if parts.scheme not in ("http", "https") or not parts.netloc or iri(base) is None:
        raise CkanError(f"not a CKAN portal URL: {short(api_base)!r}")
    return base


def search_url(api_base: str, *, start: int, rows: int) -> str:
    """URL of ``package_search`` for one page, sorted by id: a total order that edits do
    not change (CKAN's default, relevance then ``metadata_modified``, reshuffles the pages
    whenever a dataset is edited during a run)."""
    if start < 0 or not 0 < rows <= MAX_ROWS:
        raise ValueError(f"start must be >= 0 and rows 1..{MAX_ROWS}")
    query = urlencode({"q": "*:*", "sort": "id asc", "rows": rows, "start": start})
    return f"{portal_base(api_base)}{API_PATH}/package_search?{query}"


def parse_search_page(body: bytes) -> tuple[int, list[dict]]:
    """``(count, results)`` of a ``package_search`` response. Raises CkanError when the
    body is not a successful CKAN envelope."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        text = body[:60].decode("utf-8", "replace") if isinstance(body, bytes) else body
        raise CkanError(f"not a CKAN API response (not JSON): {short(text, 60)!r}") from None
    if not isinstance(data, dict) or "success" not in data:
        raise CkanError("not a CKAN API response: no 'success' member")
    if data["success"] is not True:
        raise CkanError(f"CKAN answered with an error: {_error_text(data.get('error'))}")
    result = data.get("result")
    count = result.get("count") if isinstance(result, dict) else None
    results = result.get("results") if isinstance(result, dict) else None
    if not isinstance(count, int) or isinstance(count, bool) or count < 0:
        raise CkanError("CKAN response has no result count")
    if not isinstance(results, list) or not all(isinstance(p, dict) for p in results):
        raise CkanError("CKAN response has no list of packages in result.results")
    return count, results


def _error_text(error: object) -> str:
    if not isinstance(error, dict):
        return short(error or "no details", 200)
    kind = error.get("__type", "")
    details = [f"{k}: {v}" for k, v in error.items() if k not in ("__type", "message")]
    message = "; ".join([str(error["message"])] if error.get("message") else details)
    return short(f"{kind}: {message}" if kind else message or "no details", 200)


def package_to_record(package: dict, *, api_base: str) -> CkanRecord:
    """Map one CKAN package to DCAT-AP.de. Raises CkanError for a package that cannot
    become a dataset (no id, no title), CkanSkip for one that is not public."""
    if not isinstance(package, dict):
        raise CkanError("a CKAN package must be a JSON object")
    sink = Sink()
    package = _valid_text(package, sink)
    raw_id = package.get("id")
    identifier = str(raw_id).strip() if isinstance(raw_id, str | int) else ""
    if not identifier:
        raise CkanError("package without id")
    identifier_text = short(identifier)
    _check_public(package, identifier_text)
    portal = portal_base(api_base)
    fields = Fields(package, sink, ignored=PACKAGE_BOOKKEEPING)
    title = fields.get("title")
    if not isinstance(title, str) or not title.strip():
        raise CkanError(f"package {identifier_text} has no title")
    subject = NamedNode(f"{portal}/dataset/{quote(identifier, safe='')}")
    ctx = Context(portal, subject, identifier, _language_tag(fields), fields, sink)
    ctx.add(RDF.type, DCAT.Dataset)
    _add_texts(ctx, title.strip())
    _add_identifiers(ctx)
    _add_keywords_and_themes(ctx)
    _add_dates(ctx)
    add_temporal(ctx)
    add_spatial(ctx)
    add_parties(ctx)
    _add_links(ctx)
    _add_classifications(ctx)
    add_distributions(ctx, _licence(ctx))
    _report_unmapped(ctx)
    return CkanRecord(subject, identifier, list(dict.fromkeys(sink.triples)), sink.defects)


def _check_public(package: dict, identifier: str) -> None:
    if package.get("private") is True:
        raise CkanSkip(f"package {identifier} is private")
    state = package.get("state") or "active"
    if state != "active":
        raise CkanSkip(f"package {identifier} is {short(state, 20)}")
    kind = package.get("type")
    if isinstance(kind, str) and kind in NOT_DATASETS:
        raise CkanSkip(f"package {identifier} is a {kind}, not a dataset")


def _valid_text(package: dict, sink: Sink) -> dict:
    """The package with lone surrogates (JSON allows "\\ud800", RDF does not) replaced."""
    try:
        text = json.dumps(package, ensure_ascii=False, default=str)
        text.encode("utf-8")
    except RecursionError:
        raise CkanError("package nested too deeply") from None
    except UnicodeEncodeError:
        sink.defect("text with invalid characters (lone surrogates): replaced")
        return json.loads(_SURROGATE.sub("\ufffd", text))
    return package


def _language_tag(fields: Fields) -> str:
    """The tag for the package's texts: its metadata language, else German if among its
    languages, else its first language, else German."""
    declared = [language_code(v) for v in values(fields.get("metadata-language"))]
    if declared and declared[0]:
        return language_tag(declared[0])
    codes = [c for c in (language_code(v) for v in values(fields.get("language"))) if c]
    return language_tag("DEU" if not codes or "DEU" in codes else codes[0])


def _add_texts(ctx: Context, title: str) -> None:
    f = ctx.fields
    ctx.add(DCT.title, Literal(title, language=ctx.language))
    notes = f.text("notes")
    if not notes:
        ctx.defect("no description (notes): the title is used as description")
    ctx.add(DCT.description, Literal(notes or title, language=ctx.language))
    _add_translations(ctx)
    ctx.add(DCAT.landingPage, web_iri(f.text("url"), "url", ctx.sink))
    version = f.text("version")
    ctx.add(DCAT.version, Literal(version) if version else None)
    ctx.add(ADMS.versionNotes, text_literal(f.text("version_notes"), ctx.language))


def _add_translations(ctx: Context) -> None:
    """ckanext-fluent's ``title_translated`` and ``notes_translated``: {"en": "..."}."""
    for key, predicate in (("title_translated", DCT.title), ("notes_translated", DCT.description)):
        translated = ctx.fields.get(key)
        for code, text in translated.items() if isinstance(translated, dict) else ():
            found = language_code(str(code))
            if found and language_tag(found) != ctx.language:
                ctx.add(predicate, text_literal(text, language_tag(found)))


def _add_identifiers(ctx: Context) -> None:
    """dct:identifier is the package id (it survives renames); the name and identifiers
    from elsewhere (ISO guid, ckanext-dcat's identifier and uri) are adms:identifier."""
    ctx.add(DCT.identifier, Literal(ctx.identifier))
    seen = {ctx.identifier}
    for _key, raw in ctx.fields.all(*OTHER_IDENTIFIERS):
        for value in values(raw):
            if value in seen:
                continue
            seen.add(value)
            node = BlankNode()
            ctx.add(ADMS.identifier, node)
            ctx.sink.add(node, RDF.type, ADMS.Identifier)
            ctx.sink.add(node, SKOS.notation, Literal(value))


def _add_keywords_and_themes(ctx: Context) -> None:
    f = ctx.fields
    tags = f.get("tags")
    for tag in tags if isinstance(tags, list) else []:
        word = (tag.get("display_name") or tag.get("name")) if isinstance(tag, dict) else tag
        ctx.add(DCAT.keyword, text_literal(word, ctx.language))
    groups = f.get("groups")
    for group in groups if isinstance(groups, list) else []:
        if isinstance(group, dict):
            _add_group(ctx, str(group.get("name") or ""), str(group.get("title") or ""))
    for value in values(f.get("theme")):
        code = value.rstrip("/").rsplit("/", 1)[-1].upper()
        if code in THEME_CODES:
            ctx.add(DCAT.theme, NamedNode(EU_THEME + code))
        else:
            ctx.defect(f"theme {short(value)!r} is not an EU data theme: left out")


def _add_group(ctx: Context, name: str, title: str) -> None:
    codes = theme_codes(name, title)
    for code in codes:
        ctx.add(DCAT.theme, NamedNode(EU_THEME + code))
    label = (title or name).strip()
    if not codes and label:
        ctx.add(DCAT.keyword, Literal(label, language=ctx.language))
        ctx.defect(f"group {short(name or title)!r} has no EU data theme: kept as keyword")


def _add_dates(ctx: Context) -> None:
    """dct:issued and dct:modified: the portal's own fields for the data (Berlin's
    date_released/date_updated, extras issued/modified, ISO reference dates) before
    CKAN's metadata timestamps."""
    reference = _reference_dates(ctx.fields.get("dataset-reference-date"))
    for predicate, keys, kind, fallback in (
        (DCT.issued, ("date_released", "issued"), "publication", "metadata_created"),
        (DCT.modified, ("date_updated", "modified"), "revision", "metadata_modified"),
    ):
        found = [*ctx.fields.all(*keys), *reference.get(kind, []), *ctx.fields.all(fallback)]
        for key, raw in found:
            moment = date_literal(raw)
            if moment is not None:
                ctx.add(predicate, moment)
                break
            ctx.defect(f"{key} {short(raw)!r} is no date: left out")


def _reference_dates(raw: object) -> dict[str, list[tuple[str, object]]]:
    """ckanext-spatial's ``dataset-reference-date``: [{"type": ..., "value": ...}]."""
    items = load_json(raw)
    out: dict[str, list[tuple[str, object]]] = {}
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("value"):
            key = f"dataset-reference-date ({item.get('type')})"
            out.setdefault(str(item.get("type")), []).append((key, item["value"]))
    return out


def _add_links(ctx: Context) -> None:
    for key, predicate in LINK_FIELDS.items():
        for value in values(ctx.fields.get(key)):
            node = web_iri(value, key, ctx.sink) if value.startswith("http") else iri(value)
            if node is None and not value.startswith("http"):
                ctx.defect(f"{key} {short(value)!r} is not an IRI: left out")
            ctx.add(predicate, node)
    raw = ctx.fields.get("coupled-resource")  # ckanext-spatial: [{"href": [...]}]
    coupled = load_json(raw)
    for item in coupled if isinstance(coupled, list) else []:
        for href in values(item.get("href")) if isinstance(item, dict) else []:
            ctx.add(DCT.relation, web_iri(href, "coupled-resource", ctx.sink))


def _add_classifications(ctx: Context) -> None:
    """Frequency, access rights, languages, provenance: EU vocabularies where they apply."""
    f = ctx.fields
    frequency = f.text("frequency", "accrual_periodicity", "frequency-of-update")
    if frequency:
        code = frequency_code(frequency)
        ctx.add(DCT.accrualPeriodicity, NamedNode(EU_FREQUENCY + code) if code else None)
        if code is None:
            ctx.defect(f"frequency {short(frequency)!r} is not an EU frequency: left out")
    access = f.text("access_rights")
    if access:
        code = ACCESS_RIGHTS.get(access.rstrip("/").rsplit("/", 1)[-1].lower())
        ctx.add(DCT.accessRights, NamedNode(EU_ACCESS_RIGHT + code) if code else None)
        if code is None:
            ctx.defect(f"access_rights {short(access)!r} is not an EU access right: left out")
    for value in values(f.get("language")):
        code = language_code(value)
        ctx.add(DCT.language, NamedNode(EU_LANGUAGE + code) if code else None)
        if code is None:
            ctx.defect(f"language {short(value)!r} is not a known language: left out")
    provenance = text_literal(f.text("provenance"), ctx.language)
    if provenance is not None:
        node = BlankNode()
        ctx.add(DCT.provenance, node)
        ctx.sink.add(node, RDF.type, DCT.ProvenanceStatement)
        ctx.sink.add(node, RDFS.label, provenance)


def _licence(ctx: Context) -> NamedNode | None:
    """The DCAT-AP.de licence IRI for the package (from license_id, else license_url or
    license_title), or None with a defect."""
    f = ctx.fields
    given = f.text("license_id"), f.text("license_url"), f.text("license_title")
    code = licence_code(*given)
    if code:
        return NamedNode(f"http://dcat-ap.de/def/licenses/{code}")
    if not any(given) or given[0] == "notspecified":
        ctx.defect("no licence given: the distributions have none")
    else:
        ctx.defect(f"unknown licence {short(given[0] or given[1] or given[2])!r}: left out")
    return None


def _report_unmapped(ctx: Context) -> None:
    top, extras = ctx.fields.unread()
    if top:
        ctx.defect("unmapped fields: " + ", ".join(top))
    if extras:
        ctx.defect("unmapped extras: " + ", ".join(extras))
