"""CKAN's package_search through the search engine: ranking and sorting, facet limits,
fq mapped to facets, ranges and the database-only fields, and the queries it refuses.

The catalogue (tests/conftest.py) is made by the services with their after-commit signals
run, so the search index holds it as in production.
"""

import pytest

from allmende.catalog import search
from allmende.catalog.models import Dataset
from allmende.catalog.services.datasets import create_dataset
from allmende.core.services.tokens import create_api_token

from ..conftest import make_fields
from .test_ckan_api import call


def names(client, **params) -> list[str]:
    return [package["name"] for package in call(client, "package_search", **params)["results"]]


NEWEST = ["baumkataster", "luftqualitat", "radwege", "parkhauser"]
BY_TITLE = ["baumkataster", "luftqualitat", "parkhauser", "radwege"]


def test_sorting_ranking_and_paging(client, catalogue):
    assert names(client) == NEWEST  # "score desc, metadata_modified desc": no words to rank
    assert names(client, sort="metadata_modified desc") == NEWEST
    assert names(client, sort="title_string asc") == BY_TITLE
    assert names(client, sort="name asc") == BY_TITLE
    assert names(client, sort="title_string asc", start=1, rows=2) == BY_TITLE[1:3]
    # A word in the title ranks above the same word in the description or keywords.
    assert names(client, q="Radwege") == ["radwege"]
    assert names(client, q="Baum")[0] == "baumkataster"
    result = call(client, "package_search", q="Luft", sort="score desc")
    assert result["results"][0] == call(client, "package_show", id="luftqualitat")


@pytest.mark.parametrize(
    ("sort", "message"),
    [
        ("metadata_modified asc", "sorts desc only"),
        ("title_string desc", "sorts asc only"),
        ("metadata_created desc", "cannot sort by metadata_created"),
        ("colour desc", "cannot sort by"),
        ("title_string up", "asc or desc"),
    ],
)
def test_sorts_the_engine_cannot_give_are_refused(client, catalogue, sort, message):
    error = call(client, "package_search", status=400, sort=sort)
    assert error["__type"] == "Search Query Error" and message in error["message"]


def test_facets_with_limit_and_mincount(client, catalogue):
    result = call(client, "package_search", **{"facet.field": '["tags", "groups"]'})
    assert result["facets"]["tags"] == {"Umwelt": 3, "Verkehr": 2, "Bäume": 1}
    assert list(result["facets"]["tags"]) == ["Umwelt", "Verkehr", "Bäume"]
    groups = result["search_facets"]["groups"]["items"]
    assert [(g["name"], g["count"]) for g in groups] == [("envi", 2), ("tran", 2)]
    assert groups[0]["display_name"] == "Umwelt"
    one = call(client, "package_search", **{"facet.field": '["tags"]', "facet.limit": 1})
    assert one["facets"]["tags"] == {"Umwelt": 3}
    every = call(client, "package_search", **{"facet.field": '["tags"]', "facet.limit": -1})
    assert len(every["facets"]["tags"]) == 3
    frequent = call(client, "package_search", **{"facet.field": '["tags"]', "facet.mincount": 2})
    assert frequent["facets"]["tags"] == {"Umwelt": 3, "Verkehr": 2}
    narrowed = call(client, "package_search", fq="groups:tran", **{"facet.field": '["tags"]'})
    assert narrowed["facets"]["tags"] == {"Verkehr": 2, "Umwelt": 1}
    error = call(client, "package_search", status=400, **{"facet.field": '["colour"]'})
    assert "cannot facet on 'colour'" in error["message"]


@pytest.mark.parametrize(
    ("fq", "found"),
    [
        ("-tags:Verkehr", ["baumkataster", "luftqualitat"]),
        ("groups:(envi OR tran)", NEWEST),
        ("organization:stadt-jena AND -groups:tran", ["baumkataster", "luftqualitat"]),
        ("NOT (tags:Verkehr OR groups:envi)", []),
        ("license_id:cc-by-4.0", ["parkhauser"]),
        ("license_id:http\\://dcat-ap.de/def/licenses/cc-by/4.0", ["parkhauser"]),
        ("organization:stadt-jena AND organization:other", []),
        ("res_format:csv", ["baumkataster"]),
        ("metadata_modified:[2024-01-01 TO 2025-01-01T00:00:00Z]", ["luftqualitat", "radwege"]),
        ("metadata_modified:{2024-03-01T00:00:00Z TO *]", ["baumkataster", "luftqualitat"]),
        ("metadata_modified:[* TO 2025-01-01T00:00:00Z}", ["radwege", "parkhauser"]),
        ("-metadata_modified:[2024-01-01T00:00:00Z TO *]", ["parkhauser"]),
        ("-metadata_modified:[* TO 2024-03-01T00:00:00Z]", ["baumkataster", "luftqualitat"]),
        ("name:radwege OR name:parkhauser", ["radwege", "parkhauser"]),
        ("-name:radwege", ["baumkataster", "luftqualitat", "parkhauser"]),
        ("metadata_created:[NOW-1DAY TO *]", NEWEST),
        ("metadata_created:[* TO 2000-01-01]", []),
        ("capacity:public AND state:active", NEWEST),
        ("title:Radwege", ["radwege"]),
        ('text:"Luft"', ["luftqualitat"]),
        ("-*:*", []),
    ],
)
def test_fq_through_the_engine(client, catalogue, fq, found):
    assert names(client, fq=fq) == found


def test_q_words_and_fq_together(client, catalogue):
    assert names(client, q="Bäume", fq="groups:envi") == ["baumkataster", "luftqualitat"]
    # A q naming a field is read as fq: its words must occur, its filters hold.
    assert names(client, q="Parkhäuser tags:Umwelt") == []
    assert names(client, q="Verkehr tags:Umwelt") == ["radwege"]
    assert names(client, q="tags:Umwelt Radwege") == ["radwege"]
    assert names(client, method="post", fq_list=["groups:tran", "-tags:Umwelt"]) == ["parkhauser"]


@pytest.mark.parametrize(
    ("fq", "message"),
    [
        ("organization:stadt-jena OR tags:Umwelt", "OR joins values of one field"),
        ("tags:(Umwelt OR name:x)", "inside field"),
        ("tags:Umwelt AND tags:Verkehr", "several tags at once"),
        ("-Radwege", "without the word"),
        ("NOT (tags:Umwelt AND groups:envi)", "use NOT on each part"),
        ("tags:*", "any value"),
        ("-metadata_modified:[2020-01-01 TO 2021-01-01]", "use an open end"),
        ("name:[a TO b]", "cannot search a range of name"),
        ("metadata_created:2020", "takes a range"),
    ],
)
def test_queries_the_engine_cannot_answer_are_refused(client, catalogue, fq, message):
    error = call(client, "package_search", status=400, fq=fq)
    assert error["__type"] == "Search Query Error" and message in error["message"]


def test_private_and_withdrawn_datasets(client, catalogue, organisation, editor, committed):
    token = create_api_token(user=editor, name="ckan")[1]
    committed(
        create_dataset, publisher=organisation, fields=make_fields(title="Entwurf"), by=editor
    )
    gone = catalogue["park"]
    Dataset.objects.filter(pk=gone.pk).update(status=Dataset.Status.WITHDRAWN)
    search.index_datasets([gone.pk])  # as a harvest withdrawing it does
    assert names(client, sort="title_string asc") == ["baumkataster", "luftqualitat", "radwege"]
    mine = names(client, token=token, include_private="true", sort="title_string asc")
    assert mine == ["baumkataster", "entwurf", "luftqualitat", "radwege"]
    private = names(client, token=token, include_private="true", fq="capacity:private")
    assert private == ["entwurf"]
    public = names(client, token=token, include_private="true", fq="capacity:public")
    assert "entwurf" not in public and len(public) == 3
    assert names(client, token=token, fq="capacity:private") == []  # without include_private
