"""Staff pages for harvest sources: list, add, edit, run by hand, run history, reports."""

from collections import Counter

from django import forms
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.core.paginator import Paginator
from django.db import models
from django.db.models import OuterRef, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..harvest.defects import defect_kind
from ..models import HarvestRun, HarvestSource
from ..services.harvesting import delete_source, request_run, save_source


def _formfield(field: models.Field, **kwargs) -> forms.Field | None:
    if isinstance(field, models.URLField):
        kwargs["assume_scheme"] = "https"
    return field.formfield(**kwargs)


class HarvestSourceForm(forms.ModelForm):
    class Meta:
        model = HarvestSource
        fields = ["name", "title", "url", "kind", "publisher", "interval_hours", "enabled"]
        widgets = {"url": forms.URLInput(attrs={"spellcheck": "false"})}
        formfield_callback = _formfield


@staff_member_required
def source_list(request: HttpRequest) -> HttpResponse:
    last = HarvestRun.objects.filter(source=OuterRef("pk")).order_by("-started_at", "-id")
    sources = HarvestSource.objects.select_related("publisher").annotate(
        last_run_id=Subquery(last.values("pk")[:1])
    )
    runs = HarvestRun.objects.in_bulk([s.last_run_id for s in sources if s.last_run_id])
    rows = [(source, runs.get(source.last_run_id)) for source in sources]
    return render(request, "catalog/harvest_list.html", {"rows": rows})


@staff_member_required
def source_edit(request: HttpRequest, name: str | None = None) -> HttpResponse:
    source = get_object_or_404(HarvestSource, name=name) if name else None
    form = HarvestSourceForm(request.POST or None, instance=source)
    if request.method == "POST" and form.is_valid():
        source = save_source(form.save(commit=False), by=request.user)
        messages.success(request, _("The harvest source was saved."))
        return redirect(source)
    return render(request, "catalog/harvest_form.html", {"form": form, "source": source})


@staff_member_required
def source_detail(request: HttpRequest, name: str) -> HttpResponse:
    source = get_object_or_404(HarvestSource.objects.select_related("publisher"), name=name)
    runs = list(source.runs.all()[:30])
    context = {
        "source": source,
        "runs": runs,
        "chart": _chart_rows(runs),
        "chart_width": max(len(runs) * 14, 14),
        "datasets": source.datasets.count(),
        "latest": runs[0] if runs else None,
    }
    return render(request, "catalog/harvest_detail.html", context)


@staff_member_required
def run_detail(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    run = get_object_or_404(HarvestRun.objects.select_related("source"), pk=pk, source__name=name)
    kind = request.GET.get("kind", "")
    issues = run.issues.all()
    if kind in ("failed", "defect"):
        issues = issues.filter(kind=kind)
    page = Paginator(issues, 50).get_page(request.GET.get("page"))
    context = {
        "run": run,
        "page": page,
        "kind": kind,
        "query": request.GET,
        "kinds": _defect_kinds(run),
    }
    return render(request, "catalog/harvest_run.html", context)


@staff_member_required
@require_POST
def source_run(request: HttpRequest, name: str) -> HttpResponse:
    source = get_object_or_404(HarvestSource, name=name)
    request_run(source, by=request.user)
    messages.success(request, _("The run is queued: the background worker starts it shortly."))
    return redirect(source)


@staff_member_required
def source_delete(request: HttpRequest, name: str) -> HttpResponse:
    source = get_object_or_404(HarvestSource, name=name)
    if request.method == "POST":
        delete_source(source, by=request.user)
        messages.success(request, _("The harvest source was deleted; its datasets stay."))
        return redirect("catalog:harvest-list")
    return render(request, "catalog/harvest_delete.html", {"source": source})


def _chart_rows(runs: list[HarvestRun]) -> list[dict]:
    """Bars for the run history chart (oldest first), as percentages of the largest run."""
    ordered = list(reversed(runs))
    largest = max((r.created + r.updated + r.unchanged + r.failed for r in ordered), default=0)
    rows = []
    for i, run in enumerate(ordered):
        parts, y = [], 100.0
        for key in ("unchanged", "updated", "created", "failed"):
            height = 100.0 * getattr(run, key) / largest if largest else 0.0
            y -= height
            parts.append({"key": key, "y": round(y, 2), "height": round(height, 2)})
        rows.append({"run": run, "x": i * 14, "parts": parts})
    return rows


def _defect_kinds(run: HarvestRun) -> list[tuple[str, int]]:
    """How often each kind of defect or failure occurs in the run, most frequent first."""
    counts: Counter[str] = Counter()
    for lines in run.issues.values_list("messages", flat=True).iterator():
        counts.update({defect_kind(line) for line in lines})
    return counts.most_common(15)
