"""SensorThings API 1.1 query options ($filter, $expand, $orderby, …) parsed from text.

Pure Python, no Django and no database: the layer that turns the query parameters of a
request into immutable trees (``ast``) for the compilation to SQL. See
docs/sensors-query.md for the grammar and the error format.
"""

from .errors import QueryError
from .filter import FUNCTIONS, MAX_DEPTH, MAX_LENGTH, parse_filter
from .options import MAX_EXPAND_DEPTH, Expand, OrderBy, QueryOptions, parse_query

__all__ = [
    "FUNCTIONS",
    "MAX_DEPTH",
    "MAX_EXPAND_DEPTH",
    "MAX_LENGTH",
    "Expand",
    "OrderBy",
    "QueryError",
    "QueryOptions",
    "parse_filter",
    "parse_query",
]
