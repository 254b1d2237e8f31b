"""HTTP views of the catalog: thin, they parse, call a service or selector and render."""
