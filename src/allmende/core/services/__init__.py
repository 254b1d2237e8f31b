"""Core services: every write with a business rule goes through these functions."""
