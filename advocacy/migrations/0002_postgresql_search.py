"""PostgreSQL-only search support: trigram and full-text indexes on the search keys.

On SQLite this migration does nothing; search falls back to substring matching.
"""

from django.db import migrations

SEARCHABLE_TABLES = [
    "advocacy_group",
    "advocacy_person",
    "advocacy_event",
    "advocacy_statement",
    "advocacy_source",
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in SEARCHABLE_TABLES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_trgm "
            f"ON {table} USING gin (search_key gin_trgm_ops)"
        )
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_search_fts "
            f"ON {table} USING gin (to_tsvector('simple', search_key))"
        )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in SEARCHABLE_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_trgm")
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_search_fts")


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0001_initial")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
