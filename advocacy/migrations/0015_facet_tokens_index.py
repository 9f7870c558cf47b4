"""PostgreSQL-only: a GIN index on the public rows' facet tokens as an array, matching a
token exactly (`facets__has`, `advocacy.models.public.HasFacet`). It replaces the trigram
indexes on facets (migration 0005): every row holds `group:` and `-1`, so a trigram match
rechecked nearly the whole table. On SQLite the indexes are not made.
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
    "advocacy_publictopic",
]
# As `HasFacet.TOKENS` writes it, so the planner matches the index.
TOKENS = "string_to_array(btrim(facets), ' ')"


def index_tokens(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in PUBLIC_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_facets_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {table}_facet_tokens ON {table} USING gin (({TOKENS}))"
        )


def index_trigrams(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in PUBLIC_TABLES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {table}_facet_tokens")
        if table != "advocacy_publictopic":  # 0005 made none there
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {table}_facets_trgm "
                f"ON {table} USING gin (facets gin_trgm_ops)"
            )


class Migration(migrations.Migration):
    dependencies = [
        ("advocacy", "0014_published_means_reviewed"),
    ]

    operations = [
        migrations.RunPython(index_tokens, index_trigrams),
    ]
