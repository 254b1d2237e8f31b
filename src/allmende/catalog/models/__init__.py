"""Catalog tables: the catalogue, datasets (also series and data services), distributions."""

from .catalog import Catalog
from .dataset import Dataset, DatasetFacet, Distribution

__all__ = ["Catalog", "Dataset", "DatasetFacet", "Distribution"]
