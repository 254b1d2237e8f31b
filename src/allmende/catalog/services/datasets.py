"""Creating, editing, publishing and deleting datasets and their distributions."""

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from pyoxigraph import NamedNode

from allmende.core.models import Organisation
from allmende.core.rules import can_edit_for
from allmende.core.services.audit import log_action

from ..dcat.build import (
    BuildError,
    apply_distribution_fields,
    apply_entry_fields,
    remove_distribution,
)
from ..dcat.canon import parse_ntriples
from ..dcat.project import DistributionFields, EntryFields
from ..models import Dataset, DatasetFacet, Distribution
from ..signals import dataset_changed, dataset_deleted, dataset_published, dataset_unpublished
from .graphs import (
    DISTRIBUTION_COLUMNS,
    DatasetError,
    agent_for,
    apply_graph,
    distribution_rows,
    facet_rows,
    require_mandatory,
    unique_name,
)


class PermissionDenied(DatasetError):
    """The user may not do this for this publisher."""


class UploadTooLarge(DatasetError):
    """An uploaded file is larger than ``ALLMENDE_MAX_UPLOAD_BYTES``."""


@contextmanager
def _field_errors() -> Iterator[None]:
    """Turn a value the RDF layer cannot write into a DatasetError with its message."""
    try:
        yield
    except BuildError as exc:
        raise DatasetError(_invalid_value(exc)) from None


# The fields as the RDF layer names them (``BuildError.what``), in the reader's language.
FIELD_NAMES = {
    "access URL": gettext_lazy("access URL"),
    "access rights": gettext_lazy("access rights"),
    "contact URL": gettext_lazy("contact URL"),
    "download URL": gettext_lazy("download URL"),
    "email": gettext_lazy("email address"),
    "format": gettext_lazy("format"),
    "homepage": gettext_lazy("homepage"),
    "landing page": gettext_lazy("landing page"),
    "licence": gettext_lazy("licence"),
    "media type": gettext_lazy("media type"),
    "political geocoding": gettext_lazy("political geocoding"),
    "publisher type": gettext_lazy("publisher type"),
    "spatial coverage": gettext_lazy("spatial coverage"),
    "theme": gettext_lazy("theme"),
    "update frequency": gettext_lazy("update frequency"),
}


def _invalid_value(exc: BuildError) -> str:
    if not exc.what:
        return str(exc)
    return _("%(field)s: %(value)r is not a valid IRI or URL") % {
        "field": FIELD_NAMES.get(exc.what, exc.what),
        "value": exc.value,
    }


def require_editor(user: Any, organisation: Organisation) -> None:
    if not can_edit_for(user, organisation):
        raise PermissionDenied(
            _("you may not edit datasets of %(organisation)s") % {"organisation": organisation.name}
        )


# The columns a projection sets on a distribution row (not its dataset, IRI or file).
ROW_FIELDS = [c for c in DISTRIBUTION_COLUMNS if c not in ("dataset_id", "iri", "file")]


def _store(dataset: Dataset, triples: list) -> None:
    """Save graph, projection, distribution rows and facets.

    Distribution rows are matched by IRI and updated in place, so they keep their
    primary key (the JSON API addresses them by it) and their uploaded file.
    """
    subject = NamedNode(dataset.iri)
    fields = apply_graph(dataset, subject, triples)
    dataset.save()
    existing = {d.iri: d for d in dataset.distributions.all()}
    new, changed = [], []
    for row in distribution_rows(dataset, fields):
        old = existing.pop(row.iri, None)
        if old is None:
            new.append(row)
        else:
            row.pk, row.file = old.pk, old.file
            changed.append(row)
    Distribution.objects.filter(pk__in=[d.pk for d in existing.values()]).delete()
    Distribution.objects.bulk_update(changed, ROW_FIELDS)
    Distribution.objects.bulk_create(new)
    DatasetFacet.objects.filter(dataset=dataset).delete()
    DatasetFacet.objects.bulk_create(facet_rows(dataset))


def _after_commit(signal, dataset: Dataset) -> None:
    transaction.on_commit(lambda: signal.send(sender=Dataset, dataset=dataset))


@transaction.atomic
def create_dataset(
    *,
    publisher: Organisation,
    fields: EntryFields,
    by: Any,
    kind: str = Dataset.Kind.DATASET,
    name: str = "",
    is_demo: bool = False,
    check_permission: bool = True,
) -> Dataset:
    """Create a draft dataset. Raises DatasetError without title or description."""
    if check_permission:
        require_editor(by, publisher)
    require_mandatory(fields)
    name = unique_name(name or fields.title)
    iri = f"{settings.SITE_URL}/dataset/{name}"
    now = timezone.now()
    fields.issued = fields.issued or now
    fields.modified = now
    fields.identifier = fields.identifier or iri
    dataset = Dataset(name=name, kind=kind, iri=iri, publisher=publisher, is_demo=is_demo)
    with _field_errors():
        triples = apply_entry_fields([], NamedNode(iri), kind, fields, agent_for(publisher))
    _store(dataset, triples)
    log_action(dataset, "catalog.dataset.created", user=by)
    _after_commit(dataset_changed, dataset)
    return dataset


@transaction.atomic
def update_dataset(
    dataset: Dataset, *, fields: EntryFields, by: Any, publisher: Organisation | None = None
) -> Dataset:
    """Write edited fields into the dataset's graph; all other triples stay."""
    require_editor(by, dataset.publisher)
    if publisher is not None and publisher != dataset.publisher:
        require_editor(by, publisher)
        dataset.publisher = publisher
    require_mandatory(fields, kind=dataset.kind)
    fields.modified = timezone.now()
    fields.issued = fields.issued or dataset.issued
    # Not on the form: kept as they are unless the caller sets them (a spatial value that
    # only repeats the political geocoding follows that field instead).
    fields.identifier = fields.identifier or dataset.identifier
    if not fields.spatial and dataset.spatial != dataset.political_geocoding:
        fields.spatial = dataset.spatial
    with _field_errors():
        triples = apply_entry_fields(
            parse_ntriples(dataset.graph),
            NamedNode(dataset.iri),
            dataset.kind,
            fields,
            agent_for(dataset.publisher),
        )
    _store(dataset, triples)
    log_action(dataset, "catalog.dataset.updated", user=by)
    _after_commit(dataset_changed, dataset)
    return dataset


@transaction.atomic
def publish_dataset(dataset: Dataset, *, by: Any) -> Dataset:
    """Make a draft public."""
    require_editor(by, dataset.publisher)
    fields = EntryFields(iri=dataset.iri, title=dataset.title, description=dataset.description)
    require_mandatory(fields, kind=dataset.kind)
    dataset.status = Dataset.Status.PUBLISHED
    dataset.published_at = dataset.published_at or timezone.now()
    dataset.save(update_fields=["status", "published_at", "updated"])
    log_action(dataset, "catalog.dataset.published", user=by)
    _after_commit(dataset_published, dataset)
    return dataset


@transaction.atomic
def unpublish_dataset(dataset: Dataset, *, by: Any) -> Dataset:
    """Take a public dataset back to draft."""
    require_editor(by, dataset.publisher)
    dataset.status = Dataset.Status.DRAFT
    dataset.save(update_fields=["status", "updated"])
    log_action(dataset, "catalog.dataset.unpublished", user=by)
    _after_commit(dataset_unpublished, dataset)
    return dataset


@transaction.atomic
def delete_dataset(dataset: Dataset, *, by: Any) -> None:
    """Delete a dataset, its distributions and uploaded files."""
    require_editor(by, dataset.publisher)
    pk, iri = dataset.pk, dataset.iri
    files = [d.file for d in dataset.distributions.all() if d.file]
    log_action(dataset, "catalog.dataset.deleted", user=by, data={"iri": iri})
    dataset.delete()

    def cleanup() -> None:
        for f in files:
            f.storage.delete(f.name)
        dataset_deleted.send(sender=Dataset, pk=pk, iri=iri)

    transaction.on_commit(cleanup)


def _check_upload(upload: UploadedFile) -> None:
    limit = settings.ALLMENDE_MAX_UPLOAD_BYTES
    if upload.size is not None and upload.size > limit:
        raise UploadTooLarge(
            _("the file has %(size)s bytes, more than the limit of %(limit)s")
            % {"size": upload.size, "limit": limit},
            field="file",
        )


@transaction.atomic
def add_distribution(
    dataset: Dataset, *, fields: DistributionFields, by: Any, upload: UploadedFile | None = None
) -> Distribution:
    """Add a linked or uploaded distribution. Raises UploadTooLarge over the size limit."""
    require_editor(by, dataset.publisher)
    fields.iri = fields.iri or f"{dataset.iri}/distribution/{uuid.uuid4().hex[:12]}"
    return _save_distribution(dataset, fields, by=by, upload=upload, verb="created")


@transaction.atomic
def update_distribution(
    distribution: Distribution,
    *,
    fields: DistributionFields,
    by: Any,
    upload: UploadedFile | None = None,
) -> Distribution:
    """Change a distribution; a new upload replaces its file (the old one is deleted)."""
    dataset = distribution.dataset
    require_editor(by, dataset.publisher)
    fields.iri = distribution.iri
    if upload is None and distribution.file:
        fields.download_url = fields.download_url or _file_url(distribution)
    old_file = distribution.file if upload is not None else None
    saved = _save_distribution(dataset, fields, by=by, upload=upload, verb="updated")
    if old_file:
        transaction.on_commit(lambda: old_file.storage.delete(old_file.name))
    return saved


def _save_distribution(
    dataset: Dataset, fields: DistributionFields, *, by: Any, upload: UploadedFile | None, verb: str
) -> Distribution:
    stored = _store_upload(dataset, fields, upload) if upload is not None else None
    try:
        if not (fields.access_url or fields.download_url):
            raise DatasetError(
                _("a distribution needs a file or an access URL"), field="access_url"
            )
        with _field_errors():
            triples = apply_distribution_fields(
                parse_ntriples(dataset.graph), NamedNode(dataset.iri), fields, dataset.license
            )
        _store(dataset, triples)
        distribution = dataset.distributions.get(iri=fields.iri)
        if stored is not None:
            distribution.file = stored
            distribution.save(update_fields=["file"])
    except Exception:
        if stored is not None:  # nothing half-written: the file goes with the refusal
            stored.storage.delete(stored.name)
        raise
    log_action(distribution, f"catalog.distribution.{verb}", user=by)
    _after_commit(dataset_changed, dataset)
    return distribution


def _store_upload(dataset: Dataset, fields: DistributionFields, upload: UploadedFile):
    """Save an uploaded file (after the size check) and point the distribution at it."""
    _check_upload(upload)
    holder = Distribution(dataset=dataset, iri=fields.iri)
    holder.file.save(upload.name or "upload", upload, save=False)
    fields.byte_size = upload.size
    fields.download_url = f"{settings.SITE_URL}{settings.MEDIA_URL}{holder.file.name}"
    fields.access_url = fields.access_url or fields.download_url
    return holder.file


def _file_url(distribution: Distribution) -> str:
    return f"{settings.SITE_URL}{settings.MEDIA_URL}{distribution.file.name}"


@transaction.atomic
def delete_distribution(distribution: Distribution, *, by: Any) -> None:
    dataset = distribution.dataset
    require_editor(by, dataset.publisher)
    log_action(distribution, "catalog.distribution.deleted", user=by)
    graph = parse_ntriples(dataset.graph)
    triples = remove_distribution(graph, NamedNode(dataset.iri), distribution.iri)
    old_file = distribution.file
    _store(dataset, triples)
    if old_file:
        transaction.on_commit(lambda: old_file.storage.delete(old_file.name))
    _after_commit(dataset_changed, dataset)
