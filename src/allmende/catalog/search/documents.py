"""Search documents from dataset rows: which columns are searched, faceted and filtered."""

from collections.abc import Iterable, Iterator

from ..models import Dataset
from .base import SearchDocument
from .spatial import bbox_for


def document_for(dataset: Dataset) -> SearchDocument:
    """The search document of a dataset row (publisher, harvest source and quality
    measurement are read through their relations; select them along for many rows)."""
    facets = {
        "publisher": [dataset.publisher.slug],
        "theme": sorted({t.rsplit("/", 1)[-1] for t in dataset.themes}),
        "keyword": sorted({k[:500] for k in dataset.keywords}),
        "format": sorted(set(dataset.formats)),
        "license": [dataset.license[:500]] if dataset.license else [],
        "quality": [band] if (band := _band(dataset)) else [],
        "source": [dataset.harvest_source.name] if dataset.harvest_source_id else [],
    }
    return SearchDocument(
        id=dataset.pk,
        title=dataset.title,
        title_en=dataset.title_en,
        description=dataset.description,
        description_en=dataset.description_en,
        keywords=list(dataset.keywords),
        facets=facets,
        modified=dataset.modified,
        issued=dataset.issued,
        published=dataset.status == Dataset.Status.PUBLISHED,
        publisher_id=dataset.publisher_id,
        bbox=bbox_for(dataset.spatial, dataset.political_geocoding),
    )


def _band(dataset: Dataset) -> str:
    try:
        return dataset.quality.band
    except Dataset.quality.RelatedObjectDoesNotExist:
        return ""


def rows(pks: Iterable[int] | None = None, chunk: int = 1000) -> Iterator[Dataset]:
    """Dataset rows ready for :func:`document_for` (all of them when ``pks`` is None),
    fetched ``chunk`` at a time without the large graph column."""
    queryset = (
        Dataset.objects.select_related("publisher", "harvest_source", "quality")
        .defer("graph", "quality__indicators", "quality__distributions", "quality__shacl_messages")
        .order_by("pk")
    )
    if pks is None:
        yield from queryset.iterator(chunk_size=chunk)
        return
    pks = sorted(set(pks))
    for start in range(0, len(pks), chunk):
        yield from queryset.filter(pk__in=pks[start : start + chunk])
