"""Metadata quality: DCAT-AP.de 3.0 SHACL validation, offline."""
