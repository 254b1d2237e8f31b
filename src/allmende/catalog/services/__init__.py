"""Catalog services: every write to datasets and distributions goes through here."""
