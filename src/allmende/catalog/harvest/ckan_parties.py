"""Who stands behind a CKAN package: dct:publisher, dcat:contactPoint, dct:creator.

The organisation is the publisher; the maintainer (else the author) is the contact
point, joined by contacts that extensions add (ckanext-dcat's ``contact_*``,
ckanext-spatial's ``responsible-party``/``contact-email``); the author is the creator.
"""

from dataclasses import dataclass
from urllib.parse import quote

from pyoxigraph import BlankNode, Literal, NamedNode

from ..dcat.namespaces import DCAT, DCT, FOAF, RDF, VCARD
from .ckan_terms import (
    Context,
    Node,
    email_iri,
    iri,
    load_json,
    short,
    tel_iri,
    values,
    web_iri,
)


@dataclass
class Party:
    """A person or office as CKAN names it, with the ways to reach them."""

    name: str = ""
    email: NamedNode | None = None
    url: NamedNode | None = None
    tel: NamedNode | None = None
    node: NamedNode | None = None  # an IRI the source gives for the contact

    @property
    def reachable(self) -> bool:
        return bool(self.email or self.url or self.tel)

    @property
    def key(self) -> str:
        found = self.email or self.url or self.tel
        return found.value.lower() if found else self.name.lower()


def add_parties(ctx: Context) -> None:
    _add_publisher(ctx)
    author = _party(ctx, "author")
    contacts = [_party(ctx, "maintainer"), _party(ctx, "contact"), _spatial_contact(ctx)]
    contacts = [p for p in contacts if p.name or p.reachable] or [author]
    seen: set[str] = set()
    for party in contacts:
        if party.key and party.key not in seen:
            seen.add(party.key)
            _add_contact(ctx, party)
    if author.name:
        _add_agent(ctx, DCT.creator, BlankNode(), author)
    elif author.email and author.key not in seen:
        ctx.defect("author_email without author name: not mapped")


def _party(ctx: Context, role: str) -> Party:
    """``role`` (maintainer, author) with ``role_email``, ``role_url``, ``role_tel``;
    ckanext-dcat's contact is ``contact_name``, ``contact_email``, ``contact_uri``."""
    f, sink = ctx.fields, ctx.sink
    name_key = {"contact": "contact_name", "publisher": "publisher_name"}.get(role, role)
    party = Party(name=f.text(name_key))
    party.email = email_iri(f.text(f"{role}_email"), f"{role}_email", sink)
    party.url = web_iri(f.text(f"{role}_url"), f"{role}_url", sink)
    party.tel = tel_iri(f.text(f"{role}_tel"))
    if role == "contact":
        party.node = iri(f.text("contact_uri"))
    return party


def _spatial_contact(ctx: Context) -> Party:
    """ckanext-spatial: ``responsible-party`` [{"name": ..., "roles": [...]}] and
    ``contact-email``; the point of contact, else the first party."""
    raw = ctx.fields.get("responsible-party")
    parties = load_json(raw)
    parties = [p for p in parties if isinstance(p, dict)] if isinstance(parties, list) else []
    chosen = next((p for p in parties if "pointOfContact" in values(p.get("roles"))), None)
    chosen = chosen or (parties[0] if parties else {})
    email = email_iri(ctx.fields.text("contact-email"), "contact-email", ctx.sink)
    return Party(name=str(chosen.get("name") or "").strip(), email=email)


def _add_contact(ctx: Context, party: Party) -> None:
    node: Node = party.node or BlankNode()
    ctx.add(DCAT.contactPoint, node)
    ctx.sink.add(node, RDF.type, VCARD.Organization)
    ctx.sink.add(node, VCARD.fn, Literal(party.name) if party.name else None)
    ctx.sink.add(node, VCARD.hasEmail, party.email)
    ctx.sink.add(node, VCARD.hasURL, party.url)
    ctx.sink.add(node, VCARD.hasTelephone, party.tel)
    if not party.reachable:
        ctx.defect(f"contact {short(party.name)!r} has no e-mail address, URL or phone")


def _add_publisher(ctx: Context) -> None:
    """The organisation as foaf:Agent ``{portal}/organization/{name}``; ckanext-dcat's
    ``publisher_*`` extras only for a package without organisation."""
    f = ctx.fields
    org = f.get("organization")
    given = f.text("publisher_name")
    if isinstance(org, dict) and (org.get("name") or org.get("id")):
        slug = str(org.get("name") or org.get("id")).strip()
        node = NamedNode(f"{ctx.portal}/organization/{quote(slug, safe='')}")
        name = str(org.get("title") or slug).strip()
        _add_agent(ctx, DCT.publisher, node, Party(name=name), language=ctx.language)
        if given and given != name:
            ctx.defect(f"publisher_name {short(given)!r} not mapped: the organization publishes")
        return
    if given:
        party = _party(ctx, "publisher")
        node = iri(f.text("publisher_uri")) or BlankNode()
        _add_agent(ctx, DCT.publisher, node, party, language=ctx.language)
        return
    ctx.defect("no organization: the dataset has no publisher")


def _add_agent(
    ctx: Context, predicate: NamedNode, node: Node, party: Party, language: str = ""
) -> None:
    ctx.add(predicate, node)
    ctx.sink.add(node, RDF.type, FOAF.Agent)
    name = Literal(party.name, language=language) if language else Literal(party.name)
    ctx.sink.add(node, FOAF.name, name)
    ctx.sink.add(node, FOAF.mbox, party.email)
    ctx.sink.add(node, FOAF.homepage, party.url)
