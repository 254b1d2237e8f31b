"""Metadata quality: DCAT-AP.de 3.0 SHACL validation, offline (``shacl``), and the score of
data.europa.eu's Metadata Quality Assessment (``mqa``, with ``vocabulary``, ``advice``,
``export`` for JSON and DQV, ``figures`` and ``charts`` for the dashboard)."""
