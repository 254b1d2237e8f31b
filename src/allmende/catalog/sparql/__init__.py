"""SPARQL 1.1 over the published catalogue.

``store`` keeps the on-disk pyoxigraph store and its read-only snapshots (ADR 5),
``protocol`` and ``results`` are the pure wire format of the SPARQL 1.1 Protocol and
Query Results, ``runner`` runs each query in a child process that is killed at the
time limit, ``child`` is that process.
"""
