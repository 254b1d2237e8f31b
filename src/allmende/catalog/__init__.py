"""Catalog: DCAT-AP.de records, RDF endpoints, import, publishing forms and the JSON API.

The wire format lives in ``dcat/`` as pure functions over pyoxigraph triples; the database
keeps each dataset's canonical RDF graph (lossless) beside a projection of the fields that
lists, filters and forms need.
"""
