"""Editor pages: create, edit, publish, unpublish and delete datasets and distributions.

Views only parse forms and call the services, which check permissions again.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from allmende.core.rules import can_edit_for, editable_organisations

from ..forms import DatasetForm, DistributionForm
from ..models import Dataset, Distribution
from ..services import datasets as services
from ..services.graphs import DatasetError


def _editable(request: HttpRequest, name: str) -> Dataset:
    dataset = get_object_or_404(Dataset, name=name)
    if not can_edit_for(request.user, dataset.publisher):
        raise DjangoPermissionDenied(_("You may not edit this dataset."))
    return dataset


@login_required
def dataset_create(request: HttpRequest) -> HttpResponse:
    organisations = editable_organisations(request.user)
    if not organisations.exists():
        raise DjangoPermissionDenied(_("You hold no editor role in any organisation."))
    form = DatasetForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            dataset = services.create_dataset(
                publisher=form.cleaned_data["publisher"],
                fields=form.entry_fields(),
                by=request.user,
            )
        except services.PermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc)) from None
        except DatasetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The dataset was saved as a draft."))
            return redirect(dataset)
    return render(request, "catalog/dataset_form.html", {"form": form, "dataset": None})


@login_required
def dataset_edit(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _editable(request, name)
    form = DatasetForm(
        request.POST or None,
        organisations=editable_organisations(request.user),
        initial=DatasetForm.initial_for(dataset),
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.update_dataset(
                dataset,
                fields=form.entry_fields(dataset.iri),
                by=request.user,
                publisher=form.cleaned_data["publisher"],
            )
        except services.PermissionDenied as exc:
            raise DjangoPermissionDenied(str(exc)) from None
        except DatasetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The changes were saved."))
            return redirect(dataset)
    return render(request, "catalog/dataset_form.html", {"form": form, "dataset": dataset})


@login_required
@require_POST
def dataset_publish(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _editable(request, name)
    services.publish_dataset(dataset, by=request.user)
    messages.success(request, _("The dataset is published."))
    return redirect(dataset)


@login_required
@require_POST
def dataset_unpublish(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _editable(request, name)
    services.unpublish_dataset(dataset, by=request.user)
    messages.success(request, _("The dataset is a draft again."))
    return redirect(dataset)


@login_required
def dataset_delete(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _editable(request, name)
    if request.method == "POST":
        services.delete_dataset(dataset, by=request.user)
        messages.success(request, _("The dataset was deleted."))
        return redirect("catalog:dataset-list")
    return render(request, "catalog/confirm_delete.html", {"object": dataset, "dataset": dataset})


@login_required
def distribution_create(request: HttpRequest, name: str) -> HttpResponse:
    dataset = _editable(request, name)
    return _distribution_form(request, dataset, None)


@login_required
def distribution_edit(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    dataset = _editable(request, name)
    distribution = get_object_or_404(Distribution, pk=pk, dataset=dataset)
    return _distribution_form(request, dataset, distribution)


def _distribution_form(request: HttpRequest, dataset: Dataset, dist: Distribution | None):
    initial = {}
    if dist is not None:
        initial = {
            k: getattr(dist, k)
            for k in ("title", "description", "access_url", "download_url", "format", "media_type")
        }
    form = DistributionForm(
        request.POST or None,
        request.FILES or None,
        initial=initial,
        has_file=bool(dist and dist.file),
    )
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data.get("file")
        try:
            if dist is None:
                services.add_distribution(
                    dataset, fields=form.distribution_fields(), by=request.user, upload=upload
                )
            else:
                services.update_distribution(
                    dist, fields=form.distribution_fields(dist.iri), by=request.user, upload=upload
                )
        except DatasetError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("The distribution was saved."))
            return redirect(dataset)
    context = {"form": form, "dataset": dataset, "distribution": dist}
    return render(request, "catalog/distribution_form.html", context)


@login_required
def distribution_delete(request: HttpRequest, name: str, pk: int) -> HttpResponse:
    dataset = _editable(request, name)
    distribution = get_object_or_404(Distribution, pk=pk, dataset=dataset)
    if request.method == "POST":
        services.delete_distribution(distribution, by=request.user)
        messages.success(request, _("The distribution was deleted."))
        return redirect(dataset)
    return render(
        request, "catalog/confirm_delete.html", {"object": distribution, "dataset": dataset}
    )
