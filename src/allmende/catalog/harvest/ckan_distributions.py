"""CKAN resources -> dcat:Distribution.

A resource becomes ``{dataset IRI}/resource/{resource id}``. Its URL is the access URL
(required: a resource without an http(s) URL is skipped with a defect); it is also the
download URL for uploads and URLs that end in a file name. The package's licence,
attribution text and rights statements go on every distribution, as DCAT-AP.de wants
the licence there.
"""

import re
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode

from ..dcat.namespaces import (
    DCAT,
    DCATDE,
    DCT,
    EU_FILE_TYPE,
    EU_LANGUAGE,
    IANA_MEDIA_TYPES,
    RDF,
    RDFS,
    SPDX,
    XSD,
)
from .ckan_terms import (
    Context,
    Fields,
    Node,
    date_literal,
    integer_literal,
    short,
    text_literal,
    values,
    web_iri,
)
from .ckan_vocab import (
    SERVICE_TYPES,
    extension_file_type,
    file_type,
    language_code,
    licence_code,
    media_file_type,
)

# CKAN's bookkeeping on resources: no metadata, never reported as unmapped.
# fmt: off
RESOURCE_BOOKKEEPING = frozenset([
    "package_id", "position", "state", "cache_url", "cache_last_updated", "mimetype_inner",
    "datastore_active", "datastore_contains_all_records_of_source", "revision_id",
    "resource_group_id", "webstore_url", "webstore_last_updated", "tracking_summary",
    "has_views", "on_same_domain", "ckan_url", "metadata_modified", "resource_type",
])
# fmt: on
RIGHTS_KEYS = ("access_constraints", "licence", "rights")  # ckanext-spatial, ckanext-dcat
_MEDIA_TYPE = re.compile(r"^[a-z0-9][a-z0-9!#$&^_.+-]*/[a-z0-9][a-z0-9!#$&^_.+-]*$")
_HEX = re.compile(r"^[0-9a-fA-F]+$")
CHECKSUM_LENGTHS = {32: "md5", 40: "sha1", 64: "sha256", 128: "sha512"}


def add_distributions(ctx: Context, licence: NamedNode | None) -> None:
    """Every usable resource of the package as a distribution of ``ctx.subject``."""
    shared = _shared(ctx, licence)
    resources = ctx.fields.get("resources")
    resources = resources if isinstance(resources, list) else []
    unmapped: set[str] = set()
    added = 0
    for number, resource in enumerate(resources, start=1):
        if not isinstance(resource, dict):
            ctx.defect(f"resource {number} is not an object: skipped")
        elif (resource.get("state") or "active") == "active":
            added += _add_distribution(ctx, number, resource, shared, unmapped)
    if not resources:
        ctx.defect("no resources: the dataset has no distribution")
    elif not added:
        ctx.defect("no resource with a usable URL: the dataset has no distribution")
    if unmapped:
        ctx.defect("unmapped resource fields: " + ", ".join(sorted(unmapped)))


def _shared(ctx: Context, licence: NamedNode | None) -> dict:
    """What the package says about all its distributions: licence, attribution text and
    rights statements (ckanext-spatial's access constraints, ckanext-dcat's rights)."""
    attribution = ctx.fields.text("attribution_text", "licenseAttributionByText")
    texts = [text for _key, raw in ctx.fields.all(*RIGHTS_KEYS) for text in values(raw)]
    return {
        DCT.license: licence,
        DCATDE.licenseAttributionByText: text_literal(attribution, ctx.language),
        DCT.rights: [Literal(text, language=ctx.language) for text in texts],
    }


def _add_distribution(
    ctx: Context, number: int, resource: dict, shared: dict, unmapped: set[str]
) -> int:
    """1 if the resource became a distribution, else 0 (with a defect)."""
    f = Fields(resource, ctx.sink, ignored=RESOURCE_BOOKKEEPING)
    what = f"resource {number}"
    raw_url = _resolved_url(ctx, f)
    if not raw_url:
        ctx.defect(f"{what} has no URL: skipped")
        return 0
    url = web_iri(raw_url, f"{what} URL", ctx.sink, outcome="skipped")
    if url is None:
        return 0
    node = _node(ctx, f, what)
    ctx.add(DCAT.distribution, node)
    add = ctx.sink.add
    add(node, RDF.type, DCAT.Distribution)
    add(node, DCAT.accessURL, url)
    add(node, DCT.title, text_literal(f.text("name"), ctx.language))
    add(node, DCT.description, text_literal(f.text("description"), ctx.language))
    code = _add_format(ctx, f, node, url.value, what)
    _add_download(ctx, f, node, url, code, what)
    _add_details(ctx, f, node, what)
    _add_licence(ctx, f, node, shared, what)
    unmapped.update(f.unread()[0])
    return 1


def _resolved_url(ctx: Context, f: Fields) -> str:
    """The resource URL; an upload given by file name alone points to CKAN's download
    path ``{portal}/dataset/{id}/resource/{resource id}/download/{file}``."""
    url = f.text("access_url", "url")
    if url and f.text("url_type") == "upload" and "://" not in url and f.text("id"):
        return f"{ctx.subject.value}/resource/{quote(f.text('id'), safe='')}/download/{url}"
    return url


def _node(ctx: Context, f: Fields, what: str) -> Node:
    resource_id = f.text("id")
    if not resource_id:
        ctx.defect(f"{what} has no id: its distribution has no IRI")
        return BlankNode()
    return NamedNode(f"{ctx.subject.value}/resource/{quote(resource_id, safe='')}")


def _add_format(ctx: Context, f: Fields, node: Node, url: str, what: str) -> str | None:
    """dct:format as EU file type from the format text, else from the media type or the
    URL's file name; "zip:SHP" is SHP in a ZIP (dcat:compressFormat)."""
    given = f.text("format")
    if given.lower().startswith("zip:"):
        given = given[4:]
        ctx.sink.add(node, DCAT.compressFormat, NamedNode(IANA_MEDIA_TYPES + "application/zip"))
    media = f.text("mimetype").split(";")[0].strip().lower()
    if given:
        code = file_type(given)
        if code is None:
            ctx.defect(f"{what} format {short(given)!r} is not an EU file type: left out")
    else:
        code = (media_file_type(media) if media else None) or extension_file_type(url)
    ctx.sink.add(node, DCT.format, NamedNode(EU_FILE_TYPE + code) if code else None)
    if media and _MEDIA_TYPE.match(media):
        ctx.sink.add(node, DCAT.mediaType, NamedNode(IANA_MEDIA_TYPES + media))
    elif media:
        ctx.defect(f"{what} mimetype {short(media)!r} is not a media type: left out")
    return code


def _add_download(
    ctx: Context, f: Fields, node: Node, url: NamedNode, code: str | None, what: str
) -> None:
    """dcat:downloadURL: given explicitly (ckanext-dcat), else the URL of an upload or
    of a file (its name ends in a data format's extension; no web page or service)."""
    given = f.text("download_url")
    if given:
        ctx.sink.add(node, DCAT.downloadURL, web_iri(given, f"{what} download_url", ctx.sink))
        return
    extension = extension_file_type(url.value)
    is_file = extension is not None and extension not in SERVICE_TYPES
    if f.text("url_type") == "upload" or (is_file and code not in SERVICE_TYPES):
        ctx.sink.add(node, DCAT.downloadURL, url)


def _add_details(ctx: Context, f: Fields, node: Node, what: str) -> None:
    """Size, dates, languages and checksum, each only when valid."""
    size = f.get("size")
    ctx.sink.add(node, DCAT.byteSize, integer_literal(size))
    if size is not None and integer_literal(size) is None:
        ctx.defect(f"{what} size {short(size)!r} is no number of bytes: left out")
    for predicate, key in ((DCT.issued, "issued"), (DCT.modified, "modified")):
        found = f.all(key, "created" if key == "issued" else "last_modified")
        for field_name, raw in found:
            moment = date_literal(raw)
            if moment is not None:
                ctx.sink.add(node, predicate, moment)
                break
            ctx.defect(f"{what} {field_name} {short(raw)!r} is no date: left out")
    for value in values(f.get("language")):
        code = language_code(value)
        ctx.sink.add(node, DCT.language, NamedNode(EU_LANGUAGE + code) if code else None)
        if code is None:
            ctx.defect(f"{what} language {short(value)!r} is not a known language: left out")
    _add_checksum(ctx, f, node, what)


def _add_checksum(ctx: Context, f: Fields, node: Node, what: str) -> None:
    """spdx:checksum from CKAN's ``hash`` ("sha256:ab12…" or bare hex; the algorithm
    from ``hash_algorithm`` or the length)."""
    given = f.text("hash")
    if not given:
        return
    algorithm, _, value = given.rpartition(":")
    algorithm = (f.text("hash_algorithm") or algorithm).rsplit("_", 1)[-1].lower()
    algorithm = algorithm.replace("-", "") or CHECKSUM_LENGTHS.get(len(value), "")
    if not _HEX.match(value) or algorithm not in CHECKSUM_LENGTHS.values():
        ctx.defect(f"{what} hash {short(given)!r} is no known checksum: left out")
        return
    checksum = BlankNode()
    ctx.sink.add(node, SPDX.checksum, checksum)
    ctx.sink.add(checksum, RDF.type, SPDX.Checksum)
    ctx.sink.add(checksum, SPDX.algorithm, SPDX.term(f"checksumAlgorithm_{algorithm}"))
    ctx.sink.add(checksum, SPDX.checksumValue, Literal(value.lower(), datatype=XSD.hexBinary))


def _add_licence(ctx: Context, f: Fields, node: Node, shared: dict, what: str) -> None:
    """The package's licence, attribution and rights; a resource's own licence
    (ckanext-dcat's ``license``) wins."""
    licence, own = shared[DCT.license], f.text("license", "license_id")
    if own:
        code = licence_code(own)
        licence = NamedNode(f"http://dcat-ap.de/def/licenses/{code}") if code else None
        if code is None:
            ctx.defect(f"{what} licence {short(own)!r} is unknown: left out")
    ctx.sink.add(node, DCT.license, licence)
    ctx.sink.add(node, DCATDE.licenseAttributionByText, shared[DCATDE.licenseAttributionByText])
    if shared[DCT.rights]:  # one statement per distribution keeps each description a tree
        rights = BlankNode()
        ctx.sink.add(node, DCT.rights, rights)
        ctx.sink.add(rights, RDF.type, DCT.RightsStatement)
        for label in shared[DCT.rights]:
            ctx.sink.add(rights, RDFS.label, label)
