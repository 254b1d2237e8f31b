from django.urls import path, re_path

from .views import ckan, edit, harvest, html, listing, quality, rdf, sparql

app_name = "catalog"

urlpatterns = [
    re_path(r"^api/(?:3/)?action/(?P<name>[\w.-]+)$", ckan.action_view, name="ckan-action"),
    re_path(r"^catalog\.(?P<ext>ttl|rdf|jsonld|nt)$", rdf.catalog_document, name="catalog-rdf"),
    re_path(
        r"^dataset/(?P<name>[-\w]+)\.(?P<ext>ttl|rdf|jsonld|nt)$",
        rdf.dataset_document,
        name="dataset-rdf",
    ),
    path("datasets/", listing.dataset_list, name="dataset-list"),
    path("datasets/suggest", listing.dataset_suggest, name="dataset-suggest"),
    path("datasets/new/", edit.dataset_create, name="dataset-create"),
    path("dataset/<slug:name>", html.dataset_detail, name="dataset"),
    path(
        "dataset/<slug:name>/quality.json",
        quality.dataset_quality_json,
        name="dataset-quality",
    ),
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
    path("sparql", sparql.sparql_endpoint, name="sparql"),
    path("quality/", quality.dashboard, name="quality"),
    path("harvest/", harvest.source_list, name="harvest-list"),
    path("harvest/new/", harvest.source_edit, name="harvest-create"),
    path("harvest/<slug:name>/", harvest.source_detail, name="harvest-source"),
    path("harvest/<slug:name>/edit/", harvest.source_edit, name="harvest-edit"),
    path("harvest/<slug:name>/run/", harvest.source_run, name="harvest-run"),
    path("harvest/<slug:name>/delete/", harvest.source_delete, name="harvest-delete"),
    path("harvest/<slug:name>/runs/<int:pk>/", harvest.run_detail, name="harvest-run-detail"),
]
