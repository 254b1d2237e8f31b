"""The Solr-style fq grammar of package_search: examples, and properties with Hypothesis."""

import contextlib

import pytest
from hypothesis import given
from hypothesis import strategies as st

from allmende.catalog.ckan_api import fq
from allmende.catalog.ckan_api.errors import SearchQueryError
from allmende.catalog.ckan_api.fq import And, MatchAll, Not, Or, Range, Term

pytestmark = pytest.mark.unit


@pytest.mark.parametrize(
    ("text", "tree"),
    [
        ("tags:a", Term("tags", "a")),
        ('tags:"a b"', Term("tags", "a b", phrase=True)),
        ("-tags:a", Not(Term("tags", "a"))),
        ("!tags:a", Not(Term("tags", "a"))),
        ("NOT tags:a", Not(Term("tags", "a"))),
        ("+tags:a", Term("tags", "a")),
        ("a b", And((Term(None, "a"), Term(None, "b")))),
        ("a && b || c", Or((And((Term(None, "a"), Term(None, "b"))), Term(None, "c")))),
        ("a AND (b OR c)", And((Term(None, "a"), Or((Term(None, "b"), Term(None, "c")))))),
        ("tags:(a OR b)", Or((Term("tags", "a"), Term("tags", "b")))),
        ("m:[2020-01-01T00:00:00Z TO NOW]", Range("m", "2020-01-01T00:00:00Z", "NOW")),
        ("m:{* TO NOW-1DAY]", Range("m", "*", "NOW-1DAY", include_low=False)),
        ("url:http\\://x/y", Term("url", "http://x/y")),
        ("url:http://x/y", Term("url", "http://x/y")),
        ("*:*", MatchAll()),
        ("", None),
    ],
)
def test_parses(text, tree):
    assert fq.parse(text) == tree


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("(tags:a", "unbalanced parentheses"),
        ("tags:a)", "unbalanced parentheses"),
        ('tags:"a', "unbalanced quotes"),
        ("m:[1 TO 2", "unbalanced brackets"),
        ("m:1 TO 2]", "unbalanced brackets"),
        ("m:[1 2]", "[X TO Y]"),
        ("tags:", "ends too early"),
        ("AND a", "needs a clause"),
        (":a", "field name is missing"),
        ("tags:(groups:a)", "inside field"),
    ],
)
def test_refuses_with_a_clear_message(text, message):
    with pytest.raises(SearchQueryError, match=message.replace("[", r"\[").replace("]", r"\]")):
        fq.parse(text)


FIELDS = st.sampled_from([None, "tags", "groups", "organization", "res_format"])
VALUES = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="*"), min_size=1)
BOUNDS = st.sampled_from(["*", "NOW", "NOW-1DAY", "2020-01-01", "2021-02-03T04:05:06Z"])
LEAVES = st.one_of(
    st.builds(Term, FIELDS, VALUES, st.booleans()),
    st.builds(Range, FIELDS, BOUNDS, BOUNDS, st.booleans(), st.booleans()),
    st.just(MatchAll()),
)
TREES = st.recursive(
    LEAVES,
    lambda children: st.one_of(
        st.builds(Not, children),
        st.builds(And, st.lists(children, min_size=2, max_size=3).map(tuple)),
        st.builds(Or, st.lists(children, min_size=2, max_size=3).map(tuple)),
    ),
    max_leaves=8,
)


@given(TREES)
def test_to_text_parses_back(tree):
    assert fq.parse(fq.to_text(tree)) == tree


@given(st.text(alphabet='ab :()[]{}"\\-!+*TOANDOR', max_size=30))
def test_any_input_parses_or_raises_search_query_error(text):
    try:
        fq.parse(text)
    except SearchQueryError as error:
        assert str(error)


@given(st.text(max_size=40))
def test_arbitrary_text_never_crashes(text):
    with contextlib.suppress(SearchQueryError):
        fq.parse(text)


def test_trees_become_search_criteria():
    from datetime import UTC, datetime

    from django.db.models import Q

    from allmende.catalog.ckan_api.search import criteria_for

    found = criteria_for(
        [
            fq.parse("tags:(a OR b) -groups:envi Baum"),
            fq.parse("metadata_modified:{2024-01-01T00:00:00Z TO 2025-01-01T00:00:00Z}"),
            fq.parse("+dataset_type:dataset"),
        ]
    )
    assert found.words == ["Baum"]
    assert found.filters == {"keyword": ["a", "b"]}
    assert found.exclude == {"theme": ["ENVI", "envi"]}
    # The index keeps seconds: excluded bounds move by a second (below: a microsecond).
    assert found.modified_from == datetime(2024, 1, 1, 0, 0, 1, tzinfo=UTC)
    assert found.modified_until == datetime(2024, 12, 31, 23, 59, 59, 999999, tzinfo=UTC)
    assert not found.database and not found.nothing and not found.public_only
    by_name = criteria_for([fq.parse("name:a OR -name:b"), fq.parse("capacity:public")])
    assert by_name.database == [Q(name="a") | ~Q(name="b")] and by_name.public_only
    assert criteria_for([fq.parse("state:deleted")]).nothing
