"""The PostgreSQL full-text search table (see catalog/search/postgres_backend.py).

Created only on PostgreSQL; on SQLite search uses the tantivy index and this does nothing.
The table is derived data, rebuilt by ``allmende catalog reindex``; it has no foreign key,
so it never stands in the way of deleting or truncating datasets.
"""

from django.db import migrations

CREATE = """
CREATE TABLE IF NOT EXISTS catalog_search (
    id bigint PRIMARY KEY,
    published boolean NOT NULL,
    publisher_id bigint NOT NULL,
    document tsvector NOT NULL,
    title_sort text NOT NULL,
    publisher text[] NOT NULL DEFAULT '{}',
    theme text[] NOT NULL DEFAULT '{}',
    keyword text[] NOT NULL DEFAULT '{}',
    format text[] NOT NULL DEFAULT '{}',
    license text[] NOT NULL DEFAULT '{}',
    quality text[] NOT NULL DEFAULT '{}',
    source text[] NOT NULL DEFAULT '{}',
    suggest text[] NOT NULL DEFAULT '{}',
    modified timestamptz,
    issued timestamptz,
    west double precision,
    south double precision,
    east double precision,
    north double precision
);
CREATE INDEX IF NOT EXISTS catalog_search_document ON catalog_search USING gin (document);
CREATE INDEX IF NOT EXISTS catalog_search_publisher ON catalog_search USING gin (publisher);
CREATE INDEX IF NOT EXISTS catalog_search_theme ON catalog_search USING gin (theme);
CREATE INDEX IF NOT EXISTS catalog_search_keyword ON catalog_search USING gin (keyword);
CREATE INDEX IF NOT EXISTS catalog_search_format ON catalog_search USING gin (format);
CREATE INDEX IF NOT EXISTS catalog_search_license ON catalog_search USING gin (license);
CREATE INDEX IF NOT EXISTS catalog_search_quality ON catalog_search USING gin (quality);
CREATE INDEX IF NOT EXISTS catalog_search_source ON catalog_search USING gin (source);
CREATE INDEX IF NOT EXISTS catalog_search_visible ON catalog_search (published, publisher_id);
CREATE INDEX IF NOT EXISTS catalog_search_title ON catalog_search (title_sort);
CREATE INDEX IF NOT EXISTS catalog_search_modified ON catalog_search (modified);
CREATE INDEX IF NOT EXISTS catalog_search_issued ON catalog_search (issued);
CREATE INDEX IF NOT EXISTS catalog_search_box ON catalog_search (west, east, south, north);
"""


def create(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS catalog_search")


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_harvest_pages"),
    ]

    operations = [migrations.RunPython(create, drop)]
