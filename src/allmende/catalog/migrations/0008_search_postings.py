"""PostgreSQL search by compressed bitmaps (ADR 0009): the search table keeps the keys each
document is filed under instead of a tsvector, and three tables hold the bitmaps, the log of
changes since they were written and the generation counter processes follow.

Created only on PostgreSQL. The search table is emptied: run ``allmende catalog reindex``.
"""

from django.db import migrations

FORWARD = """
TRUNCATE catalog_search;
DROP INDEX IF EXISTS catalog_search_document, catalog_search_publisher, catalog_search_theme,
    catalog_search_keyword, catalog_search_format, catalog_search_license,
    catalog_search_quality, catalog_search_source, catalog_search_visible, catalog_search_box,
    catalog_search_title, catalog_search_modified, catalog_search_issued;
ALTER TABLE catalog_search DROP COLUMN document, DROP COLUMN suggest,
    ADD COLUMN keys text NOT NULL DEFAULT '';
CREATE INDEX catalog_search_title ON catalog_search (title_sort COLLATE "C", id);
CREATE TABLE catalog_search_postings (key text PRIMARY KEY, bits bytea NOT NULL);
CREATE TABLE catalog_search_log (
    seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    generation bigint NOT NULL,
    token text NOT NULL,
    id bigint NOT NULL,
    removed text[] NOT NULL,
    added text[] NOT NULL,
    columns double precision[]
);
CREATE INDEX catalog_search_log_generation ON catalog_search_log (generation);
CREATE TABLE catalog_search_state (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    generation bigint NOT NULL,
    token text NOT NULL,
    snapshot bigint NOT NULL,
    snapshot_token text NOT NULL,
    floor bigint NOT NULL,
    pending bigint NOT NULL
);
INSERT INTO catalog_search_state VALUES (true, 0, '', 0, '', 0, 0);
"""

BACKWARD = """
DROP TABLE IF EXISTS catalog_search_postings, catalog_search_log, catalog_search_state;
TRUNCATE catalog_search;
ALTER TABLE catalog_search DROP COLUMN keys,
    ADD COLUMN document tsvector NOT NULL DEFAULT ''::tsvector,
    ADD COLUMN suggest text[] NOT NULL DEFAULT '{}';
CREATE INDEX catalog_search_document ON catalog_search USING gin (document);
DROP INDEX IF EXISTS catalog_search_title;
CREATE INDEX catalog_search_title ON catalog_search (title_sort);
CREATE INDEX catalog_search_modified ON catalog_search (modified);
"""


def forward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0007_derivation_queue"),
    ]

    operations = [migrations.RunPython(forward, backward)]
