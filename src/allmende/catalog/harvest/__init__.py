"""Harvesting: gathering catalogue records from other portals and files.

Pure parts live here (paging, defect detection, the CKAN mapping, the harvesters that
fetch and read pages); the run itself — change detection, writing, withdrawal and the
report — is the service ``catalog/services/harvesting.py``.
"""
