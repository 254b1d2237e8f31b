"""CKAN's Action API as a wire format: package dicts, the Solr-style ``fq`` grammar,
CKAN's error envelope and the registry of actions.

Pure except for ``actions``/``writes``/``search``, which call the catalogue's selectors and
services; nothing here sees a request object (``views/ckan.py`` does the HTTP). See
docs/ckan-api.md.
"""
