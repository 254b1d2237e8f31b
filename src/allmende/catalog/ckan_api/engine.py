"""``package_search`` through the search engine (``catalog/search/``) when it can answer.

A CKAN query goes to the engine when every part of it has an equivalent there: free text
(every word, stemmed, as on the search page), filters on ``organization``, ``groups``,
``tags``, ``res_format`` and ``license_id`` (values of one field OR-ed, fields AND-ed, a
negated value excluded), the always-true fields CKAN clients add, and the sorts by score,
``metadata_modified`` (the dataset's dct:modified there) and title. Anything else (field
queries on name or title, date ranges, other sorts) returns None: search.py then asks the
database as before.
"""

from ..search import SearchQuery
from . import fq
from .search import ALWAYS_TRUE
from .search import FACET_FIELDS as FACETS

SORTS = {
    "score desc, metadata_modified desc": "relevance",
    "score desc": "relevance",
    "metadata_modified desc": "modified",
    "title_string asc": "title",
    "title asc": "title",
}


class _Untranslatable(Exception):
    pass


def engine_query(q: str, filters: list[fq.Node | None], sort: str) -> SearchQuery | None:
    """The engine's query for a package_search, or None when it has no equivalent."""
    sort = ", ".join(" ".join(clause.split()) for clause in sort.split(","))
    if sort not in SORTS:
        return None
    text, nodes = q.strip(), list(filters)
    if text == "*:*":
        text = ""
    elif ":" in text:
        nodes.insert(0, fq.parse(text))
        text = ""
    chosen: dict[str, list[str]] = {}
    excluded: dict[str, list[str]] = {}
    try:
        for node in nodes:
            _add(node, chosen, excluded)
    except _Untranslatable:
        return None
    mode = SORTS[sort]
    if mode == "relevance" and not text and sort.endswith("metadata_modified desc"):
        mode = "modified"
    return SearchQuery(text=text, filters=chosen, exclude=excluded, sort=mode)


def _add(node: fq.Node | None, chosen: dict, excluded: dict) -> None:
    """Fold one filter into the facet filters and exclusions (raises when it cannot)."""
    if node is None or isinstance(node, fq.MatchAll):
        return
    if isinstance(node, fq.And):
        for child in node.children:
            _add(child, chosen, excluded)
    elif isinstance(node, fq.Or):
        pairs = [_facet_value(child) for child in node.children]
        if None in pairs or len({facet for facet, _value in pairs}) != 1:  # type: ignore[misc]
            raise _Untranslatable
        facet = pairs[0][0]  # type: ignore[index]
        values = [value for _facet, value in pairs]  # type: ignore[misc]
        chosen[facet] = _within(chosen.get(facet), values)
    elif isinstance(node, fq.Not):
        pair = _facet_value(node.child)
        if pair is None:
            raise _Untranslatable
        excluded.setdefault(pair[0], []).append(pair[1])
    elif isinstance(node, fq.Term) and _always_true(node):
        return
    else:
        pair = _facet_value(node)
        if pair is None:
            raise _Untranslatable
        chosen[pair[0]] = _within(chosen.get(pair[0]), [pair[1]])


def _within(before: list[str] | None, values: list[str]) -> list[str]:
    """Two filters on one facet must both hold: only one of them can be expressed."""
    if before is not None and set(before) != set(values):
        raise _Untranslatable
    return values


def _always_true(node: fq.Term) -> bool:
    return node.field in ALWAYS_TRUE and node.value in (ALWAYS_TRUE[node.field], "*")


def _facet_value(node: fq.Node) -> tuple[str, str] | None:
    """(engine facet, value) of a CKAN term on a facet field."""
    from .package import licence_iri

    if not isinstance(node, fq.Term) or node.field not in FACETS or node.value == "*":
        return None
    value = node.value
    if node.field == "groups":
        value = value.upper()
    elif node.field == "license_id" and "://" not in value:
        value = licence_iri(value) or value
    elif node.field == "res_format" and value != value.upper():
        return None  # the database compares formats ignoring case
    return FACETS[node.field], value
