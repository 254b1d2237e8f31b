from django.urls import path, re_path

from .views import edit, html, rdf

app_name = "catalog"

urlpatterns = [
    re_path(r"^catalog\.(?P<ext>ttl|rdf|jsonld|nt)$", rdf.catalog_document, name="catalog-rdf"),
    re_path(
        r"^dataset/(?P<name>[-\w]+)\.(?P<ext>ttl|rdf|jsonld|nt)$",
        rdf.dataset_document,
        name="dataset-rdf",
    ),
    path("datasets/", html.dataset_list, name="dataset-list"),
    path("datasets/new/", edit.dataset_create, name="dataset-create"),
    path("dataset/<slug:name>", html.dataset_detail, name="dataset"),
    path("dataset/<slug:name>/edit/", edit.dataset_edit, name="dataset-edit"),
    path("dataset/<slug:name>/publish/", edit.dataset_publish, name="dataset-publish"),
    path("dataset/<slug:name>/unpublish/", edit.dataset_unpublish, name="dataset-unpublish"),
    path("dataset/<slug:name>/delete/", edit.dataset_delete, name="dataset-delete"),
    path(
        "dataset/<slug:name>/distributions/new/",
        edit.distribution_create,
        name="distribution-create",
    ),
    path(
        "dataset/<slug:name>/distributions/<int:pk>/edit/",
        edit.distribution_edit,
        name="distribution-edit",
    ),
    path(
        "dataset/<slug:name>/distributions/<int:pk>/delete/",
        edit.distribution_delete,
        name="distribution-delete",
    ),
    path("organisation/", html.publisher_list, name="publisher-list"),
    path("organisation/<slug:slug>", html.publisher_detail, name="publisher"),
    path("developers/", html.developers, name="developers"),
]
