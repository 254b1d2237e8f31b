"""Reads for the quality dashboard and the daily snapshots: aggregates of the current
measurements of published datasets, for the catalogue, each publisher and each harvest
source, and their history."""

from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from ..models import Dataset, QualityMeasurement, QualitySnapshot
from .mqa import DIMENSIONS, band_for

BAND_NAMES = ("excellent", "good", "sufficient", "bad")


@dataclass
class Figures:
    """The quality of a group of published datasets."""

    label: str = ""
    key: str = ""  # publisher slug or harvest source name, for links
    object_id: int = 0
    datasets: int = 0
    mean_score: float = 0.0
    bands: dict[str, int] = field(default_factory=dict)
    dimensions: dict[str, float] = field(default_factory=dict)

    @property
    def band(self) -> str:
        """The band of the mean score."""
        return band_for(round(self.mean_score)) if self.datasets else ""

    def snapshot_values(self) -> dict:
        return {
            "datasets": self.datasets,
            "mean_score": self.mean_score,
            **{band: self.bands.get(band, 0) for band in BAND_NAMES},
            "dimensions": self.dimensions,
        }


def published_measurements() -> QuerySet:
    return QualityMeasurement.objects.filter(
        dataset__status=Dataset.Status.PUBLISHED, dataset__kind=Dataset.Kind.DATASET
    )


def _aggregates() -> dict:
    out: dict = {"n": Count("pk"), "mean": Avg("total")}
    out |= {f"band_{band}": Count("pk", filter=Q(band=band)) for band in BAND_NAMES}
    out |= {f"dim_{name}": Avg(name) for name in DIMENSIONS}
    return out


def _figures(row: dict, **extra) -> Figures:
    return Figures(
        datasets=row["n"] or 0,
        mean_score=round(row["mean"] or 0.0, 1),
        bands={band: row[f"band_{band}"] or 0 for band in BAND_NAMES},
        dimensions={name: round(row[f"dim_{name}"] or 0.0, 1) for name in DIMENSIONS},
        **extra,
    )


def catalogue_figures() -> Figures:
    return _figures(published_measurements().aggregate(**_aggregates()))


def publisher_figures() -> list[Figures]:
    rows = (
        published_measurements()
        .values("dataset__publisher", "dataset__publisher__name", "dataset__publisher__slug")
        .annotate(**_aggregates())
        .order_by("dataset__publisher__name")
    )
    return [
        _figures(
            row,
            label=row["dataset__publisher__name"],
            key=row["dataset__publisher__slug"],
            object_id=row["dataset__publisher"],
        )
        for row in rows
    ]


def source_figures() -> list[Figures]:
    rows = (
        published_measurements()
        .filter(dataset__harvest_source__isnull=False)
        .values(
            "dataset__harvest_source",
            "dataset__harvest_source__name",
            "dataset__harvest_source__title",
        )
        .annotate(**_aggregates())
        .order_by("dataset__harvest_source__name")
    )
    return [
        _figures(
            row,
            label=row["dataset__harvest_source__title"] or row["dataset__harvest_source__name"],
            key=row["dataset__harvest_source__name"],
            object_id=row["dataset__harvest_source"],
        )
        for row in rows
    ]


def unmeasured_count() -> int:
    """Published datasets without a measurement yet (the worker catches up)."""
    return (
        Dataset.objects.published().filter(kind=Dataset.Kind.DATASET, quality__isnull=True).count()
    )


def snapshot_rows() -> list[tuple[str, int, str, dict]]:
    """(scope, object id, label, values) of today's snapshot rows."""
    scope = QualitySnapshot.Scope
    catalogue = catalogue_figures()
    rows = [(scope.CATALOG, 0, "", catalogue.snapshot_values())] if catalogue.datasets else []
    rows += [
        (scope.PUBLISHER, f.object_id, f.label, f.snapshot_values()) for f in publisher_figures()
    ]
    rows += [(scope.SOURCE, f.object_id, f.label, f.snapshot_values()) for f in source_figures()]
    return rows


def history(scope: str, object_id: int = 0, days: int = 365) -> list[QualitySnapshot]:
    """The daily snapshots of one scope over the last ``days`` days, oldest first."""
    since = timezone.localdate() - timedelta(days=days)
    return list(
        QualitySnapshot.objects.filter(scope=scope, object_id=object_id, date__gte=since).order_by(
            "date"
        )
    )
