"""Demo content modelled on Jena's open data portal, and real files and records."""
