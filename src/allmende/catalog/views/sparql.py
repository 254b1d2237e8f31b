"""``/sparql``: the SPARQL 1.1 Protocol query operation over the published catalogue
(GET, POST form, POST ``application/sparql-query``), read-only, and a page to try it."""

import json

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from ..services.sparql_store import store_directory, wait_for_writes
from ..sparql.protocol import (
    GRAPH_TYPES,
    RESULT_TYPES,
    NotAcceptable,
    choose_formats,
    looks_like_update,
    uses_service,
)
from ..sparql.runner import Answer, Busy, QueryTimeout, run_query
from .sparql_examples import EXAMPLES

TRUNCATED_HEADER = "Results-Truncated"
# Format names are the same in every language; only the first choice is words.
FORMAT_CHOICES = [
    ("json", "SPARQL JSON"),
    ("xml", "SPARQL XML"),
    ("csv", "CSV"),
    ("tsv", "TSV"),
    ("turtle", "Turtle (CONSTRUCT, DESCRIBE)"),
    ("jsonld", "JSON-LD (CONSTRUCT, DESCRIBE)"),
    ("nt", "N-Triples (CONSTRUCT, DESCRIBE)"),
]


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status


def _cors(response: HttpResponse) -> HttpResponse:
    response["Access-Control-Allow-Origin"] = "*"
    response["Access-Control-Expose-Headers"] = TRUNCATED_HEADER
    response["Vary"] = "Accept"
    return response


def error_response(status: int, message: str) -> HttpResponse:
    body = " ".join(message.split()) + "\n"  # one line, whatever the parser said
    return _cors(HttpResponse(body, status=status, content_type="text/plain; charset=utf-8"))


def read_query(request: HttpRequest) -> tuple[str | None, dict]:
    """The query and the other parameters of a request; raises ProtocolError."""
    limit = settings.ALLMENDE_SPARQL_MAX_QUERY_BYTES
    if request.method == "GET":
        params = request.GET
        query = params.get("query")
    else:
        content_type = request.content_type or ""
        if content_type == "application/sparql-update":
            raise ProtocolError(400, _("This endpoint is read-only: SPARQL Update is refused."))
        if int(request.headers.get("Content-Length") or 0) > limit:
            raise ProtocolError(413, _("The query is longer than %(n)s bytes.") % {"n": limit})
        if content_type == "application/sparql-query":
            params = request.GET
            query = request.body.decode("utf-8", errors="replace")
        elif content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
            params = request.POST
            query = params.get("query")
        else:
            raise ProtocolError(415, _("Send the query as form data or application/sparql-query."))
    if "update" in params:
        raise ProtocolError(400, _("This endpoint is read-only: SPARQL Update is refused."))
    if "default-graph-uri" in params or "named-graph-uri" in params:
        raise ProtocolError(400, _("default-graph-uri and named-graph-uri are not supported."))
    if query is not None and len(query.encode("utf-8")) > limit:
        raise ProtocolError(413, _("The query is longer than %(n)s bytes.") % {"n": limit})
    return query, params


def check_query(query: str) -> None:
    if not query.strip():
        raise ProtocolError(400, _("The query is empty."))
    if looks_like_update(query):
        raise ProtocolError(400, _("This endpoint is read-only: SPARQL Update is refused."))
    if uses_service(query):
        raise ProtocolError(400, _("Federated queries (SERVICE) are not supported."))


def execute(query: str, results: str | None, graph: str | None) -> Answer:
    """Run ``query`` in the query process; raises ProtocolError for what went wrong."""
    check_query(query)
    timeout = settings.ALLMENDE_SPARQL_TIMEOUT
    request = {
        "query": query,
        "results": results,
        "graph": graph,
        "limit": settings.ALLMENDE_SPARQL_MAX_RESULTS,
    }
    wait_for_writes(timeout)  # read what this process just wrote
    try:
        answer = run_query(store_directory(), request, timeout=timeout)
    except QueryTimeout:
        raise ProtocolError(
            503,
            _("The query ran longer than the limit of %(seconds)s s and was stopped.")
            % {"seconds": f"{timeout:g}"},
        ) from None
    except Busy:
        raise ProtocolError(503, _("The SPARQL endpoint is busy; try again shortly.")) from None
    except OSError:
        raise ProtocolError(500, _("The SPARQL query process failed.")) from None
    _raise_for(answer.header)
    return answer


def _raise_for(header: dict) -> None:
    error = header.get("error")
    if error == "syntax":
        raise ProtocolError(400, _("SPARQL syntax error: %(error)s") % {"error": header["message"]})
    if error == "not-acceptable":
        raise ProtocolError(406, _("No format of the Accept header fits this query's result."))
    if error == "missing":
        raise ProtocolError(
            503, _("The SPARQL store has not been built yet: run 'allmende catalog reindex'.")
        )
    if error:
        raise ProtocolError(500, _("The SPARQL store could not be read."))


def answer_response(answer: Answer) -> HttpResponse:
    header = answer.header
    types = GRAPH_TYPES if header["kind"] == "graph" else RESULT_TYPES
    media = types[header["format"]]
    if media.startswith("text/"):
        media += "; charset=utf-8"
    response = _cors(HttpResponse(answer.body, content_type=media))
    if header["truncated"]:
        response[TRUNCATED_HEADER] = str(settings.ALLMENDE_SPARQL_MAX_RESULTS)
    return response


def _wants_page(request: HttpRequest) -> bool:
    accept = request.headers.get("Accept", "")
    return "text/html" in accept or "application/xhtml+xml" in accept


@csrf_exempt
@require_http_methods(["GET", "POST", "OPTIONS"])
def sparql_endpoint(request: HttpRequest) -> HttpResponse:
    if request.method == "OPTIONS":  # CORS preflight for POST application/sparql-query
        response = _cors(HttpResponse(status=204))
        response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        return response
    try:
        query, params = read_query(request)
        if params.get("format") == "html":
            return try_page(request, query or "")
        if query is None:
            if request.method == "GET" and _wants_page(request):
                return try_page(request, "")
            raise ProtocolError(400, _("Pass a SPARQL query in the query parameter."))
        try:
            formats = choose_formats(request.headers.get("Accept", ""), params.get("format", ""))
        except NotAcceptable:
            message = _("None of the formats in the Accept header is served.")
            raise ProtocolError(406, message) from None
        return answer_response(execute(query, formats.results, formats.graph))
    except ProtocolError as exc:
        return error_response(exc.status, str(exc))


def try_page(request: HttpRequest, query: str) -> HttpResponse:
    """The page to try queries: a form, examples and the result as a table."""
    context: dict = {
        "query": query,
        "examples": EXAMPLES,
        "format_choices": [("html", _("Table on this page")), *FORMAT_CHOICES],
        "chosen_format": "html",
        "status": 200,
        "site": settings.SITE_URL,
        "timeout": f"{settings.ALLMENDE_SPARQL_TIMEOUT:g}",
        "max_results": settings.ALLMENDE_SPARQL_MAX_RESULTS,
        "limit": settings.ALLMENDE_SPARQL_MAX_RESULTS,
    }
    if query:
        try:
            answer = execute(query, "json", "turtle")
        except ProtocolError as exc:
            context.update(error=str(exc), status=exc.status)
        else:
            context.update(_page_result(answer))
    if not query:
        context["query"] = EXAMPLES[0].query
    return render(request, "catalog/sparql.html", context, status=context["status"])


def _page_result(answer: Answer) -> dict:
    kind = answer.header["kind"]
    out = {"kind": kind, "truncated": answer.header["truncated"]}
    if kind == "graph":
        return {**out, "graph": answer.body.decode("utf-8")}
    data = json.loads(answer.body)
    if kind == "boolean":
        return {**out, "boolean": data["boolean"]}
    variables = data["head"]["vars"]
    rows = [[_cell(row.get(name)) for name in variables] for row in data["results"]["bindings"]]
    return {**out, "variables": variables, "rows": rows}


def _cell(term: dict | None) -> dict | None:
    if term is None:
        return None
    return {"type": term["type"], "value": term["value"], "lang": term.get("xml:lang", "")}
