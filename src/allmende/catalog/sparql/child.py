"""The query process: reads requests on stdin, runs them on the newest snapshot, answers
on stdout. Started and killed by ``runner``; imports no Django.

Each message is a 4-byte big-endian length and that many bytes: a request is JSON
``{"query", "results", "graph", "limit"}``; an answer is a JSON header
``{"kind", "format", "truncated"}`` or ``{"error", "message"}``, then the body.
"""

import json
import struct
import sys
from pathlib import Path

from pyoxigraph import QueryBoolean, QuerySolutions, RdfFormat, Store, serialize

from .results import BOOLEAN, SOLUTIONS
from .store import StoreMissing, current_snapshot

GRAPH_FORMATS = {
    "turtle": RdfFormat.TURTLE,
    "jsonld": RdfFormat.JSON_LD,
    "nt": RdfFormat.N_TRIPLES,
    "rdfxml": RdfFormat.RDF_XML,
}
PREFIXES = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "dcatde": "http://dcat-ap.de/def/dcatde/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}


class Reader:
    """Keeps the newest snapshot open, reopening when a writer published a newer one."""

    def __init__(self, directory: Path):
        self.directory, self.path, self.store = directory, None, None

    def get(self) -> Store:
        path = current_snapshot(self.directory)
        if path != self.path:
            self.store = Store.read_only(str(path))
            self.path = path
        return self.store


def run(store: Store, request: dict) -> tuple[dict, bytes]:
    """Run one query; the header says what the body is."""
    try:
        result = store.query(request["query"], prefixes=PREFIXES)
    except SyntaxError as exc:
        return {"error": "syntax", "message": str(exc)}, b""
    limit = request["limit"]
    if isinstance(result, QueryBoolean):
        fmt = request["results"]
        if fmt is None:
            return {"error": "not-acceptable", "message": "boolean"}, b""
        return {"kind": "boolean", "format": fmt, "truncated": False}, BOOLEAN[fmt](bool(result))
    if isinstance(result, QuerySolutions):
        fmt = request["results"]
        if fmt is None:
            return {"error": "not-acceptable", "message": "solutions"}, b""
        variables = [v.value for v in result.variables]
        rows = _take(result, limit)
        body = SOLUTIONS[fmt](variables, [[s[v] for v in variables] for s in rows[:limit]])
        return {"kind": "solutions", "format": fmt, "truncated": len(rows) > limit}, body
    fmt = request["graph"]
    if fmt is None:
        return {"error": "not-acceptable", "message": "graph"}, b""
    triples = _take(result, limit)
    body = serialize(triples[:limit], format=GRAPH_FORMATS[fmt], prefixes=PREFIXES)
    return {"kind": "graph", "format": fmt, "truncated": len(triples) > limit}, body or b""


def _take(iterator, limit: int) -> list:
    out = []
    for item in iterator:
        out.append(item)
        if len(out) > limit:
            break
    return out


def _read(stream) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    return stream.read(struct.unpack(">I", head)[0])


def _write(stream, data: bytes) -> None:
    stream.write(struct.pack(">I", len(data)) + data)


def main() -> None:
    reader, stdin, stdout = Reader(Path(sys.argv[1])), sys.stdin.buffer, sys.stdout.buffer
    while (message := _read(stdin)) is not None:
        try:
            header, body = run(reader.get(), json.loads(message))
        except StoreMissing:
            header, body = {"error": "missing", "message": ""}, b""
        except OSError as exc:
            header, body = {"error": "store", "message": str(exc)}, b""
        _write(stdout, json.dumps(header).encode())
        _write(stdout, body)
        stdout.flush()


if __name__ == "__main__":
    main()
