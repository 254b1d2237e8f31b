"""DCAT-AP.de on the wire: pure functions over pyoxigraph terms, no requests, no database.

- ``rdfio``: parse and serialise the four RDF formats, hardened against hostile input
- ``extract``: split a parsed file into the descriptions of its datasets, series and services
- ``canon``: canonical N-Triples of one description (stable blank node labels, a hash)
- ``project``: the fields lists, filters and forms need, read from a description
- ``build``: write form fields back into a description, keeping every other triple
- ``page``: a hydra-paged catalogue document
"""
