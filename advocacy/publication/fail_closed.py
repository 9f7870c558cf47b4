"""Database triggers that hide public rows when a working record is hidden by any means.

The app's write paths rebuild the public rows in the same transaction (publication
triggers, on the ORM's signals). A bulk `update()`, raw SQL or another program sends no
signal: these triggers make such a write fail closed. When a record stops being published
(unpublished, retracted), a person becomes protected, or a record is deleted, its own
public row and every public row built from it (the dependency table) are deleted in the
same statement. The app's own rebuild, on the signals, then puts back what may still be
shown; without it, `manage.py rebuild_public` does.

Installed by migration 0007 and again after every `migrate` (`install`, idempotent):
SQLite rebuilds a table to alter it, and the triggers go with the old table.
"""

PUBLIC_KINDS = [
    "statement",
    "event",
    "group",
    "person",
    "membership",
    "source",
    "quotation",
    "citation",
    "topic",
]
# Working tables with a publication status: leaving "published" hides them.
PUBLISHABLE = [
    "group",
    "person",
    "membership",
    "grouprelation",
    "event",
    "participation",
    "source",
    "statement",
]
# Every working table a public row may be built from: deleting a record hides its rows.
WORKING = [
    *PUBLISHABLE,
    "groupalias",
    "personalias",
    "citation",
    "conflictingversion",
    "externalidentifier",
    "topic",
    "quotation",
]


def hide_statements(model: str, record: str) -> list[str]:
    """SQL deleting the public rows of, and built from, one working record."""
    statements = []
    if model in PUBLIC_KINDS:
        statements.append(f"DELETE FROM advocacy_public{model} WHERE id = {record};")
    for kind in PUBLIC_KINDS:
        statements.append(
            f"DELETE FROM advocacy_public{kind} WHERE id IN (SELECT row_id FROM "
            f"advocacy_publicdependency WHERE kind = '{kind}' AND model = '{model}' "
            f"AND record_id = {record});"
        )
    return statements


def hiding_condition(model: str) -> str:
    condition = "OLD.status = 'published' AND NEW.status <> 'published'"
    if model == "person":
        condition = f"({condition}) OR (NEW.is_protected AND NOT OLD.is_protected)"
    return condition


def postgresql_sql(model: str) -> tuple[str, str]:
    body = "\n    ".join(hide_statements(model, "record"))
    function = f"advocacy_hide_public_{model}"
    create = [
        f"""CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
DECLARE record bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN record := OLD.id; ELSE record := NEW.id; END IF;
    {body}
    RETURN NULL;
END $$ LANGUAGE plpgsql;""",
        f"CREATE TRIGGER {function}_delete AFTER DELETE ON advocacy_{model} "
        f"FOR EACH ROW EXECUTE FUNCTION {function}();",
    ]
    drop = [
        f"DROP TRIGGER IF EXISTS {function}_delete ON advocacy_{model};",
        f"DROP TRIGGER IF EXISTS {function}_update ON advocacy_{model};",
        f"DROP FUNCTION IF EXISTS {function}();",
    ]
    if model in PUBLISHABLE:
        create.append(
            f"CREATE TRIGGER {function}_update AFTER UPDATE ON advocacy_{model} "
            f"FOR EACH ROW WHEN ({hiding_condition(model)}) EXECUTE FUNCTION {function}();"
        )
    return "\n".join(create), "\n".join(drop)


def sqlite_sql(model: str) -> tuple[str, str]:
    name = f"advocacy_hide_public_{model}"
    create = [
        f"CREATE TRIGGER {name}_delete AFTER DELETE ON advocacy_{model} FOR EACH ROW BEGIN "
        + " ".join(hide_statements(model, "OLD.id"))
        + " END;"
    ]
    if model in PUBLISHABLE:
        create.append(
            f"CREATE TRIGGER {name}_update AFTER UPDATE ON advocacy_{model} FOR EACH ROW "
            f"WHEN {hiding_condition(model)} BEGIN "
            + " ".join(hide_statements(model, "NEW.id"))
            + " END;"
        )
    drop = [f"DROP TRIGGER IF EXISTS {name}_delete;", f"DROP TRIGGER IF EXISTS {name}_update;"]
    return "\n".join(create), "\n".join(drop)


def statements_for(connection, create: bool) -> list[str]:
    make = postgresql_sql if connection.vendor == "postgresql" else sqlite_sql
    found = []
    for model in WORKING:
        up, down = make(model)
        found.append(up if create else down)
    return found


def run(connection, sql_blocks: list[str]) -> None:
    with connection.cursor() as cursor:
        for block in sql_blocks:
            if connection.vendor == "postgresql":
                cursor.execute(block)
            else:
                # SQLite runs one statement per execute; a trigger is one statement.
                for statement in split_sqlite(block):
                    cursor.execute(statement)


def split_sqlite(block: str) -> list[str]:
    """Statements of a block: each CREATE TRIGGER … END; or DROP …; on its own line."""
    return [line for line in block.split("\n") if line.strip()]


def install(connection) -> None:
    """(Re)create every trigger: dropped first, so it is safe to run at any time."""
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    run(connection, statements_for(connection, create=False))
    run(connection, statements_for(connection, create=True))


def uninstall(connection) -> None:
    if connection.vendor not in ("postgresql", "sqlite"):
        return
    run(connection, statements_for(connection, create=False))


def installed(connection) -> set[str]:
    """The names of the hiding triggers present in the database."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE tgname LIKE 'advocacy_hide_public_%%'"
            )
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'advocacy_hide_public_%'"
            )
        return {row[0] for row in cursor.fetchall()}


def expected(connection) -> set[str]:
    names = set()
    for model in WORKING:
        names.add(f"advocacy_hide_public_{model}_delete")
        if model in PUBLISHABLE:
            names.add(f"advocacy_hide_public_{model}_update")
    return names
