"""Catalog tables: the catalogue, datasets (also series and data services), distributions,
harvest sources and their runs, metadata quality."""

from .catalog import Catalog
from .dataset import Dataset, DatasetFacet, Distribution
from .harvest import HarvestIssue, HarvestPageState, HarvestRun, HarvestSource
from .quality import QualityMeasurement, QualitySnapshot, UrlCheck
from .queue import PendingDerivation

__all__ = [
    "Catalog",
    "Dataset",
    "DatasetFacet",
    "Distribution",
    "HarvestIssue",
    "HarvestPageState",
    "HarvestRun",
    "HarvestSource",
    "PendingDerivation",
    "QualityMeasurement",
    "QualitySnapshot",
    "UrlCheck",
]
