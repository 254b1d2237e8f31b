"""SPARQL 1.1 Query Results in JSON, XML, CSV and TSV, written from a list of solutions.

Written here rather than by pyoxigraph's ``QuerySolutions.serialize`` because the
endpoint cuts results at a limit: it serialises the first N solutions it has read.
Specs: https://www.w3.org/TR/sparql11-results-json/, /rdf-sparql-XMLres/,
/sparql11-results-csv-tsv/.
"""

import json
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from pyoxigraph import BlankNode, Literal, NamedNode, Triple

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
RDF_LANG_STRING = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"

Row = Sequence[object | None]  # one term (or None: unbound) per variable


def _json_term(term: object) -> dict:
    if isinstance(term, NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, Triple):
        return {
            "type": "triple",
            "value": {
                "subject": _json_term(term.subject),
                "predicate": _json_term(term.predicate),
                "object": _json_term(term.object),
            },
        }
    raise TypeError(term)


def solutions_json(variables: list[str], rows: list[Row]) -> bytes:
    bindings = [
        {name: _json_term(value) for name, value in zip(variables, row, strict=True) if value}
        for row in rows
    ]
    body = {"head": {"vars": variables}, "results": {"bindings": bindings}}
    return json.dumps(body, ensure_ascii=False).encode("utf-8")


def boolean_json(value: bool) -> bytes:
    return json.dumps({"head": {}, "boolean": value}).encode("utf-8")


XML_HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">'


def _xml_term(term: object) -> str:
    if isinstance(term, NamedNode):
        return f"<uri>{escape(term.value)}</uri>"
    if isinstance(term, BlankNode):
        return f"<bnode>{escape(term.value)}</bnode>"
    if isinstance(term, Literal):
        if term.language:
            return f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
        if term.datatype.value != XSD_STRING:
            datatype = quoteattr(term.datatype.value)
            return f"<literal datatype={datatype}>{escape(term.value)}</literal>"
        return f"<literal>{escape(term.value)}</literal>"
    if isinstance(term, Triple):
        parts = zip(("subject", "predicate", "object"), term, strict=True)
        return "<triple>" + "".join(f"<{n}>{_xml_term(t)}</{n}>" for n, t in parts) + "</triple>"
    raise TypeError(term)


def solutions_xml(variables: list[str], rows: list[Row]) -> bytes:
    out = [XML_HEAD, "<head>"]
    out += [f"<variable name={quoteattr(v)}/>" for v in variables]
    out.append("</head><results>")
    for row in rows:
        out.append("<result>")
        for name, value in zip(variables, row, strict=True):
            if value is not None:
                out.append(f"<binding name={quoteattr(name)}>{_xml_term(value)}</binding>")
        out.append("</result>")
    out.append("</results></sparql>\n")
    return "".join(out).encode("utf-8")


def boolean_xml(value: bool) -> bytes:
    return f"{XML_HEAD}<head/><boolean>{str(value).lower()}</boolean></sparql>\n".encode()


def _csv_field(term: object | None) -> str:
    if term is None:
        text = ""
    elif isinstance(term, BlankNode):
        text = f"_:{term.value}"
    elif isinstance(term, NamedNode | Literal):
        text = term.value
    else:
        text = str(term)
    if any(c in text for c in '",\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def solutions_csv(variables: list[str], rows: list[Row]) -> bytes:
    lines = [",".join(_csv_field(v) for v in [*map(Literal, variables)])]
    lines += [",".join(_csv_field(term) for term in row) for row in rows]
    return ("\r\n".join(lines) + "\r\n").encode("utf-8")


def solutions_tsv(variables: list[str], rows: list[Row]) -> bytes:
    # TSV writes terms in Turtle/N-Triples syntax, which str() of a pyoxigraph term is.
    lines = ["\t".join(f"?{v}" for v in variables)]
    lines += ["\t".join("" if term is None else str(term) for term in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


SOLUTIONS = {
    "json": solutions_json,
    "xml": solutions_xml,
    "csv": solutions_csv,
    "tsv": solutions_tsv,
}
BOOLEAN = {
    "json": boolean_json,
    "xml": boolean_xml,
    "csv": lambda value: f"_askResult\r\n{str(value).lower()}\r\n".encode(),
    "tsv": lambda value: f"?_askResult\n{str(value).lower()}\n".encode(),
}
