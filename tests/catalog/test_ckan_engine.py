"""package_search queries the search engine can answer, and those left to the database."""

import pytest

from allmende.catalog.ckan_api import fq
from allmende.catalog.ckan_api.engine import engine_query
from allmende.catalog.search import SearchQuery

DEFAULT = "score desc, metadata_modified desc"
LICENCE = "http://dcat-ap.de/def/licenses/dl-by-de/2.0"


def translate(q="", fqs=(), sort=DEFAULT):
    return engine_query(q, [fq.parse(text) for text in fqs], sort)


@pytest.mark.unit
def test_words_filters_and_exclusions_become_an_engine_query():
    query = translate(
        "Bäume Jena",
        ["groups:(envi OR tran) AND res_format:CSV", "-tags:Wald", "+dataset_type:dataset"],
    )
    assert query == SearchQuery(
        text="Bäume Jena",
        filters={"theme": ["ENVI", "TRAN"], "format": ["CSV"]},
        exclude={"keyword": ["Wald"]},
        sort="relevance",
    )
    assert translate(fqs=["license_id:dl-by-de/2.0"]).filters == {"license": [LICENCE]}
    assert translate("organization:stadt-jena").filters == {"publisher": ["stadt-jena"]}


@pytest.mark.unit
def test_sorts_without_words_follow_the_modified_date():
    assert translate().sort == "modified"
    assert translate("*:*", sort="title_string asc").sort == "title"
    assert translate("Bäume", sort="metadata_modified desc").sort == "modified"


@pytest.mark.unit
@pytest.mark.parametrize(
    ("q", "fqs", "sort"),
    [
        ("", ["name:baumkataster"], DEFAULT),
        ("", ["metadata_modified:[NOW-1DAY TO *]"], DEFAULT),
        ("", ["groups:envi OR tags:Wald"], DEFAULT),
        ("", ["groups:envi", "groups:tran"], DEFAULT),
        ("", ["res_format:csv"], DEFAULT),
        ("", ["-(groups:envi OR groups:tran)"], DEFAULT),
        ("Bäume", [], "name asc"),
        ("title:Bäume", [], DEFAULT),
    ],
)
def test_what_the_engine_cannot_express_is_left_to_the_database(q, fqs, sort):
    assert translate(q, fqs, sort) is None
