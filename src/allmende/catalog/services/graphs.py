"""Storing a description: canonical graph, projection and facet rows, kept in step."""

from django.utils.text import slugify
from pyoxigraph import NamedNode, Triple

from allmende.core.models import Organisation

from ..dcat.build import Agent
from ..dcat.canon import canonical_ntriples
from ..dcat.project import EntryFields, format_label, project_entry
from ..models import Dataset, DatasetFacet, Distribution

PROJECTED = [
    "identifier",
    "title",
    "title_en",
    "description",
    "description_en",
    "license",
    "access_rights",
    "accrual_periodicity",
    "issued",
    "modified",
    "temporal_start",
    "temporal_end",
    "spatial",
    "political_geocoding",
    "contact_name",
    "contact_email",
    "contact_url",
    "landing_page",
    "keywords",
    "themes",
]
LIMITS = {
    f.name: f.max_length for f in Dataset._meta.get_fields() if getattr(f, "max_length", None)
}


class DatasetError(ValueError):
    """A dataset that cannot be stored; the message says why, in words."""


def agent_for(org: Organisation) -> Agent:
    return Agent(
        iri=org.agent_iri,
        name=org.name,
        name_en=org.name_en,
        homepage=org.homepage,
        email=org.email,
        publisher_type=org.publisher_type,
    )


def require_mandatory(fields: EntryFields, label: str = "", kind: str = "dataset") -> None:
    """DCAT-AP.de makes title and description mandatory (for services: the title)."""
    where = f" ({label})" if label else ""
    if not fields.title.strip():
        raise DatasetError(f"a {kind} needs a title{where}")
    if kind != "service" and not fields.description.strip():
        raise DatasetError(f"a dataset needs a description{where}")


def apply_graph(dataset: Dataset, subject: NamedNode, triples: list[Triple]) -> EntryFields:
    """Set the graph, hash and projected fields on ``dataset`` (not saved)."""
    graph, digest = canonical_ntriples(subject, triples)
    fields = project_entry(subject, triples)
    set_projection(dataset, graph, digest, fields)
    return fields


def set_projection(dataset: Dataset, graph: str, digest: str, fields: EntryFields) -> None:
    """Store an already computed canonical graph and projection on ``dataset``."""
    dataset.graph, dataset.graph_hash = graph, digest
    for name in PROJECTED:
        value = getattr(fields, name)
        limit = LIMITS.get(name)
        if limit and isinstance(value, str):
            value = value[:limit]
        setattr(dataset, name, value)
    dataset.formats = fields.formats


def distribution_rows(dataset: Dataset, fields: EntryFields) -> list[Distribution]:
    """Distribution rows for ``dataset`` from its projection (files are kept by IRI)."""
    return [
        Distribution(
            dataset=dataset,
            iri=d.iri[:1000],
            position=i,
            title=d.title[:1000],
            description=d.description,
            access_url=d.access_url[:2000],
            download_url=d.download_url[:2000],
            format=d.format[:500],
            media_type=d.media_type[:200],
            license=d.license[:500],
            byte_size=d.byte_size,
        )
        for i, d in enumerate(fields.distributions)
    ]


def facet_values(dataset: Dataset) -> list[tuple[str, str]]:
    """The (facet, value) pairs a dataset is filtered and counted by."""
    values: set[tuple[str, str]] = {("publisher", dataset.publisher.slug)}
    values |= {("theme", t.rsplit("/", 1)[-1]) for t in dataset.themes}
    values |= {("format", f) for f in dataset.formats}
    values |= {("keyword", k[:500]) for k in dataset.keywords}
    if dataset.license:
        values.add(("license", dataset.license[:500]))
    return sorted(values)


def facet_rows(dataset: Dataset) -> list[DatasetFacet]:
    return [DatasetFacet(dataset=dataset, facet=f, value=v) for f, v in facet_values(dataset)]


def unique_name(base: str, taken: set[str] | None = None) -> str:
    """A free short name from ``base`` (checked against ``taken`` and the database)."""
    stem = slugify(base)[:80].strip("-") or "dataset"
    candidates = [stem] + [f"{stem}-{n}" for n in range(2, 1000)]
    used = set(Dataset.objects.filter(name__startswith=stem).values_list("name", flat=True))
    used |= taken or set()
    for name in candidates:
        if name not in used:
            return name
    raise DatasetError(f"no free short name for {base!r}")


def format_code(iri: str) -> str:
    return format_label(iri)
