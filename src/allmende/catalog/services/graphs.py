"""Storing a description: canonical graph, projection and facet rows, kept in step."""

from django.utils.text import slugify
from django.utils.translation import gettext as _
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
    """A dataset that cannot be stored; the message says why, in words.

    ``field`` names the input field at fault, when there is one (forms and the JSON API
    show the message next to it).
    """

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


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
        message = {
            "series": _("a dataset series needs a title"),
            "service": _("a data service needs a title"),
        }.get(kind) or _("a dataset needs a title")
        raise DatasetError(message + where, field="title")
    if kind != "service" and not fields.description.strip():
        message = (
            _("a dataset series needs a description")
            if kind == "series"
            else _("a dataset needs a description")
        )
        raise DatasetError(message + where, field="description")


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


DISTRIBUTION_COLUMNS = [
    "dataset_id",
    "iri",
    "position",
    "title",
    "description",
    "access_url",
    "download_url",
    "format",
    "media_type",
    "license",
    "byte_size",
    "file",
]


def distribution_values(dataset_id: int | None, fields: EntryFields) -> list[tuple]:
    """Rows (in ``DISTRIBUTION_COLUMNS`` order) for a dataset's projected distributions."""
    return [
        (
            dataset_id,
            d.iri[:1000],
            i,
            d.title[:1000],
            d.description,
            d.access_url[:2000],
            d.download_url[:2000],
            d.format[:500],
            d.media_type[:200],
            d.license[:500],
            d.byte_size,
            "",
        )
        for i, d in enumerate(fields.distributions)
    ]


def distribution_rows(dataset: Dataset, fields: EntryFields) -> list[Distribution]:
    """Distribution rows for ``dataset`` from its projection (files are kept by IRI)."""
    names = DISTRIBUTION_COLUMNS[1:]
    return [
        Distribution(dataset=dataset, **dict(zip(names, values[1:], strict=True)))
        for values in distribution_values(dataset.pk, fields)
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
    raise DatasetError(_("no free short name for %(name)r") % {"name": base})


def format_code(iri: str) -> str:
    return format_label(iri)
