"""Writing many public rows at once: the builders' deletes and inserts, in one statement each.

Public rows have no relations and no signal anyone listens to, so they are deleted without
Django fetching them first, and on PostgreSQL inserted with COPY (several times faster than
a many-row INSERT for the server, and without building the statement's parameters).
"""

import datetime
import hashlib
import io
from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connections, models, router, transaction


def delete_rows(queryset: models.QuerySet) -> None:
    """Delete public rows in one statement. With any delete receiver connected, Django
    would first fetch every row (documents and all) and delete them by id in batches."""
    queryset._raw_delete(queryset.db)


def vacuum_or_analyze(tables: Iterable[type[models.Model]]) -> None:
    """Have the database read the tables' statistics again, after writing most of their
    rows: until autovacuum gets to a table it was planned from what it held before (for a
    new one, nothing), and a detail page found its row by walking the list's order index
    instead of looking its slug up.

    On PostgreSQL outside a transaction (`rebuild_public`), VACUUM (ANALYZE): it also marks
    the rewritten pages all-visible, so counting up to 10,000 rows reads a small index, not
    the table (the home page of 9,000 statements took half as long). Inside one (a seed,
    an archive's restore), where VACUUM cannot run, ANALYZE alone."""
    for model in tables:
        alias = router.db_for_write(model)
        connection = connections[alias]
        table = connection.ops.quote_name(model._meta.db_table)
        if connection.vendor != "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {table}")
        elif connection.get_autocommit() and not connection.in_atomic_block:
            with connection.cursor() as cursor, _without_timeout(cursor, local=False):
                cursor.execute(f"VACUUM (ANALYZE) {table}")
        else:
            with (
                transaction.atomic(using=alias),
                connection.cursor() as cursor,
                _without_timeout(cursor, local=True),
            ):
                cursor.execute(f"ANALYZE {table}")


@contextmanager
def _without_timeout(cursor, *, local: bool):
    """The statement timeout lifted, then set back: ANALYZE reads a sample of the rows,
    documents and all (half a second at a million statements), and VACUUM every page, not
    to be cut short by the timeout for requests, which holds again for what follows (the
    rest of the caller's transaction, or the connection's next requests)."""
    cursor.execute("SHOW statement_timeout")
    (timeout,) = cursor.fetchone()
    cursor.execute(f"SET {'LOCAL ' if local else ''}statement_timeout = 0")
    succeeded = False
    try:
        yield
        succeeded = True
    finally:
        # A failure inside a transaction aborts it, and its SET LOCAL goes with it.
        if succeeded or not local:
            cursor.execute("SELECT set_config('statement_timeout', %s, %s)", [timeout, local])


# Values Django gives the database driver as they are (a datetime is made aware first).
_PLAIN = (str, int, bool, type(None), datetime.date)


class _SHA256(models.Func):
    template = "sha256(convert_to(%(expressions)s, 'UTF8'))"
    output_field = models.BinaryField()


def _hashed(model: type[models.Model]) -> bool:
    return connections[router.db_for_read(model)].vendor == "postgresql"


def stored_fingerprints(model: type[models.Model], ids, fields) -> dict[int, tuple]:
    """{id: (updated_at, fingerprint)} of the stored rows with these ids, the fingerprint
    being `fingerprint(row, fields)` of what is stored: on PostgreSQL each field's SHA-256,
    computed there (a batch's documents are not sent back to be compared), elsewhere the
    fields themselves."""
    rows = model._default_manager.filter(pk__in=ids)
    if _hashed(model):
        hashes = {f"{field}_sha256": _SHA256(field) for field in fields}
        rows = rows.annotate(**hashes).values_list("pk", "updated_at", *hashes)
        return {pk: (updated_at, tuple(map(bytes, values))) for pk, updated_at, *values in rows}
    rows = rows.values_list("pk", "updated_at", *fields)
    return {pk: (updated_at, tuple(values)) for pk, updated_at, *values in rows}


def fingerprint(row: models.Model, fields) -> tuple:
    """What `stored_fingerprints` gives for the row once stored."""
    if _hashed(type(row)):
        return tuple(hashlib.sha256(getattr(row, field).encode()).digest() for field in fields)
    return tuple(getattr(row, field) for field in fields)


def _copy_value(value) -> str:
    """A value in COPY's text format."""
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        # (`str.replace` four times is many times faster than one `str.translate`.)
        return (
            value.replace("\\", "\\\\")
            .replace("\t", "\\t")
            .replace("\n", "\\n")
            .replace("\r", "\\r")
        )
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime.date):  # dates and aware datetimes
        return value.isoformat()
    raise TypeError(f"no COPY text for {type(value).__name__}")


def insert_rows(model: type[models.Model], rows: list[models.Model], **options) -> None:
    """Insert new rows, as `bulk_create(rows, **options)` would. On PostgreSQL with COPY:
    these rows' keys are new (the builders delete their old rows first, in the same
    transaction), so `ignore_conflicts` has nothing to ignore; a concurrent rebuild of the
    same rows fails on the public row's key as `bulk_create` would."""
    if not rows:
        return
    alias = router.db_for_write(model)
    connection = connections[alias]
    if connection.vendor != "postgresql" or not hasattr(connection.Database, "extensions"):
        # SQLite, or psycopg 3 (whose COPY is another API): as Django does it.
        model._default_manager.using(alias).bulk_create(rows, **options)
        return
    fields = [
        field
        for field in model._meta.concrete_fields
        if not (field.primary_key and isinstance(field, models.AutoField))
    ]
    generated = [
        getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        for field in fields
    ]

    def prepared(row, field, generated):
        value = field.pre_save(row, True) if generated else getattr(row, field.attname)
        if type(value) in _PLAIN:
            return value
        return field.get_db_prep_save(value, connection)

    buffer = io.StringIO()
    for row in rows:
        buffer.write(
            "\t".join(
                _copy_value(prepared(row, field, auto))
                for field, auto in zip(fields, generated, strict=True)
            )
        )
        buffer.write("\n")
    buffer.seek(0)
    columns = ", ".join(connection.ops.quote_name(field.column) for field in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    with connection.cursor() as cursor:
        cursor.cursor.copy_expert(f"COPY {table} ({columns}) FROM STDIN", buffer)
