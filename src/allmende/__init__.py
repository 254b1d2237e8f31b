"""Allmende: an open-source smart-city platform (open data, sensors, participation, strategy)."""

__version__ = "0.1.0"
