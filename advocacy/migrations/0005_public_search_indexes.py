"""PostgreSQL-only: trigram indexes on the public rows' search keys and facets, so `q=` and
the related-record filters (`facets LIKE '% group:slug %'`) do not scan the table.

On SQLite this migration does nothing.
"""

from django.db import migrations

PUBLIC_TABLES = [
    "advocacy_publicstatement",
    "advocacy_publicevent",
    "advocacy_publicgroup",
    "advocacy_publicperson",
    "advocacy_publicmembership",
    "advocacy_publicsource",
    "advocacy_publicquotation",
    "advocacy_publiccitation",
]
COLUMNS = ["search_key", "facets"]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for table in PUBLIC_TABLES:
        for column in COLUMNS:
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_{column}_trgm "
                f"ON {table} USING gin ({column} gin_trgm_ops)"
            )


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in PUBLIC_TABLES:
        for column in COLUMNS:
            schema_editor.execute(f"DROP INDEX IF EXISTS {table}_{column}_trgm")


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0004_public_read_model")]

    operations = [migrations.RunPython(create_indexes, drop_indexes)]
