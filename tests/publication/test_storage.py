"""How the public rows are stored: what every public read decompresses."""

from importlib import import_module

import pytest
from django.apps import apps
from django.db import connection

from advocacy.models.public import PUBLIC_MODELS, PublicStatement
from advocacy.publication import builders
from advocacy.publication.triggers import flush
from tests import factories

lz4_migration = import_module("advocacy.migrations.0017_public_rows_lz4")

pytestmark = pytest.mark.django_db


def lz4_here() -> bool:
    return connection.vendor == "postgresql" and lz4_migration.lz4_available(connection)


def long_public_statement() -> None:
    """A statement whose public row PostgreSQL compresses: past about 2 KB."""
    factories.StatementFactory(summary="Mothers of the mobilised ask for a meeting. " * 100)
    flush()
    assert len(PublicStatement.objects.get().document_en) > 4000


def stored_compression(model, column: str) -> str | None:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT pg_column_compression({column}) FROM {model._meta.db_table}")
        return cursor.fetchone()[0]


def test_the_public_rows_text_is_compressed_with_lz4_on_postgresql():
    """Every public read decompresses the documents it serves, faster from lz4 than from
    pglz, PostgreSQL's default. The migration finds every public table (a new kind
    included) by its documents; on SQLite, which stores text as it is, it does nothing."""
    columns = lz4_migration.public_text_columns(apps)
    assert set(columns) == {model._meta.db_table for model in PUBLIC_MODELS.values()}
    for table_columns in columns.values():
        assert {"document_en", "document_ru", "page_uk", "search_key", "facets"} <= set(
            table_columns
        )
    long_public_statement()
    if not lz4_here():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT attrelid::regclass::text, attname FROM pg_attribute "
            "WHERE attrelid = ANY(%s::regclass[]) AND attnum > 0 AND NOT attisdropped "
            "AND atttypid = 'text'::regtype AND attcompression <> 'l'",
            [list(columns)],
        )
        assert cursor.fetchall() == []
    assert stored_compression(PublicStatement, "document_en") == "lz4"


def test_a_full_rebuild_compresses_again_what_was_stored_before_lz4():
    """An upgraded database keeps pglz for what it stored before migration 0017 until
    `rebuild_public`, which writes every row again: an unchanged one as it was, `updated_at`
    included, but compressed as its columns now ask."""
    long_public_statement()
    table = PublicStatement._meta.db_table
    if lz4_here():
        with connection.cursor() as cursor:
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN document_en SET COMPRESSION pglz")
            cursor.execute(f"UPDATE {table} SET document_en = document_en || ''")
            cursor.execute(f"ALTER TABLE {table} ALTER COLUMN document_en SET COMPRESSION lz4")
        assert stored_compression(PublicStatement, "document_en") == "pglz"
    before = PublicStatement.objects.values("document_en", "document_ru", "updated_at").get()
    builders.rebuild_all(kinds=["statement"])
    after = PublicStatement.objects.values("document_en", "document_ru", "updated_at").get()
    assert after == before
    if lz4_here():
        assert stored_compression(PublicStatement, "document_en") == "lz4"
