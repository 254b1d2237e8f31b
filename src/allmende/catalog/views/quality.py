"""Metadata quality for people and programs: ``/dataset/<name>/quality.json``, the block
on the dataset page and the ``/quality/`` dashboard."""

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from ..models import Dataset, QualityMeasurement, QualitySnapshot
from ..models.quality import Band
from ..quality import figures
from ..quality.advice import DIMENSION_LABELS, fixes
from ..quality.charts import ACCENT, BAND_COLOURS, BarChart, bar_chart, line_chart
from ..quality.export import dqv_ntriples, json_document
from ..quality.mqa import BANDS, DIMENSION_MAX, DIMENSIONS, MAX_POINTS
from ..services.quality import measurement_for


@require_GET
def dataset_quality_json(request: HttpRequest, name: str) -> HttpResponse:
    """The dataset's MQA measurement; measured now when there is none for its graph."""
    dataset = get_object_or_404(Dataset.objects.visible_to(request.user), name=name)
    measurement = measurement_for(dataset)
    if measurement is None:
        raise Http404("quality is measured for datasets only")
    response = JsonResponse(
        json_document(dataset.name, dataset.iri, measurement),
        json_dumps_params={"ensure_ascii": False},
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def dimension_chart(dimensions: dict[str, float]) -> BarChart:
    """Bars of the points per dimension, each against its own maximum."""
    return bar_chart(
        [
            (
                str(DIMENSION_LABELS[d]),
                dimensions.get(d, 0) / DIMENSION_MAX[d],
                f"{dimensions.get(d, 0):.0f} / {DIMENSION_MAX[d]}",
                ACCENT,
            )
            for d in DIMENSIONS
        ],
        maximum=1,
    )


def dataset_quality(dataset: Dataset, *, can_edit: bool) -> dict | None:
    """For the dataset page: the stored measurement (None for series and services), its
    chart, and for editors what to fix. Never measures: the page stays fast."""
    if dataset.kind != Dataset.Kind.DATASET:
        return None
    measurement = QualityMeasurement.objects.filter(dataset=dataset).first()
    if measurement is None:
        return {"measurement": None}
    return {
        "measurement": measurement,
        "current": measurement.graph_hash == dataset.graph_hash,
        "max": MAX_POINTS,
        "band_label": Band(measurement.band).label,
        "chart": dimension_chart(measurement.dimensions),
        "dimensions": [
            (DIMENSION_LABELS[d], getattr(measurement, d), DIMENSION_MAX[d]) for d in DIMENSIONS
        ],
        "fixes": fixes(measurement.indicators) if can_edit else [],
    }


def _band_rows() -> list[tuple[str, str, int, int]]:
    """(band, label, lowest, highest points) from the best band down."""
    out, highest = [], MAX_POINTS
    for band, lowest in BANDS:
        out.append((band, Band(band).label, lowest, highest))
        highest = lowest - 1
    return out


def _scope(request: HttpRequest, publishers: list, sources: list):
    """The group the figures and the history are about: ?publisher=, ?source= or all."""
    for param, scope, groups in (
        ("publisher", QualitySnapshot.Scope.PUBLISHER, publishers),
        ("source", QualitySnapshot.Scope.SOURCE, sources),
    ):
        key = request.GET.get(param)
        if key:
            for group in groups:
                if group.key == key:
                    return scope, group
            raise Http404("no such group")
    return QualitySnapshot.Scope.CATALOG, figures.catalogue_figures()


@require_GET
def dashboard(request: HttpRequest) -> HttpResponse:
    """Catalogue-wide figures, the band distribution, tables per publisher and per
    harvest source, and the mean score over time, all without scripts."""
    publishers, sources = figures.publisher_figures(), figures.source_figures()
    scope, selected = _scope(request, publishers, sources)
    history = figures.history(scope, selected.object_id)
    band_chart = bar_chart(
        [
            (str(Band(b).label), selected.bands.get(b, 0), str(selected.bands.get(b, 0)), c)
            for b, c in BAND_COLOURS.items()
        ]
    )
    return render(
        request,
        "catalog/quality_dashboard.html",
        {
            "scope": scope,
            "selected": selected,
            "publishers": publishers,
            "sources": sources,
            "band_chart": band_chart,
            "dimension_chart": dimension_chart(selected.dimensions),
            "history": line_chart([(s.date, s.mean_score) for s in history]),
            "history_rows": history,
            "unmeasured": figures.unmeasured_count() if scope == "catalog" else 0,
            "bands": _band_rows(),
            "band_label": Band(selected.band).label if selected.band else "",
            "max": MAX_POINTS,
        },
    )


def quality_ntriples(dataset: Dataset) -> str:
    """DQV of the dataset's measurement if it was made from its current graph, else ""."""
    measurement = QualityMeasurement.objects.filter(
        dataset_id=dataset.pk, graph_hash=dataset.graph_hash
    ).first()
    return dqv_ntriples(dataset.iri, measurement) if measurement is not None else ""
