"""export_archive / import_archive: nothing lost, nothing half-restored.

The round trip goes through both databases whatever the suite runs on: the test database
(SQLite or PostgreSQL) -> a scratch PostgreSQL database -> a scratch SQLite file, each
restored by `import_archive` in a fresh process and exported again; every archive's
counts and checksums must equal the first one's.
"""

import datetime
import hashlib
import io
import json
import os
import shutil
import uuid

import psycopg2
import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from advocacy import models
from advocacy.services.archive import (
    ArchiveError,
    archived_models,
    export_archive,
    import_archive,
    read_manifest,
)
from bench.synthetic import generate
from tests import factories
from tests.production.helpers import manage, production_env

# An administrative connection to the PostgreSQL server, to create the scratch database.
POSTGRES_ADMIN_URL = os.environ.get(
    "ARCHIVE_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/postgres"
)


def contents(manifest: dict) -> dict[str, tuple[int, str]]:
    return {entry["model"]: (entry["count"], entry["sha256"]) for entry in manifest["models"]}


def edge_cases() -> None:
    """Values that serializers tend to lose: microseconds, Unicode, newlines, empties."""
    user = factories.UserFactory(username="ольга", first_name="Ольга 🕊")
    editors = AuthGroup.objects.create(name="editors")
    editors.permissions.set(Permission.objects.filter(codename__startswith="change_")[:5])
    user.groups.add(editors)
    user.user_permissions.set(Permission.objects.filter(codename="view_source"))
    user.last_login = timezone.make_aware(datetime.datetime(2024, 2, 29, 23, 59, 59, 999999))
    user.save()
    source = factories.SourceFactory(
        archived_text="Строка один.\r\nLine two — «quoted» \u200b\n\n\tTabbed; emoji 🇺🇦.\n",
        notes="",
    )
    group = factories.GroupFactory(name="Совет матерей и жён", description="")
    factories.CitationFactory(content_object=group, source=source, excerpt="Строка один.")
    group.name = "Совет матерей и жён (renamed)"
    group.save()  # a second history row
    models.SlugRedirect.objects.create(
        content_type_id=factories.ContentType.objects.get_for_model(group).pk,
        old_slug="old-council",
        object_id=group.pk,
    )


@pytest.fixture
def synthetic(seeded):
    """The seed data, a synthetic set and the edge cases."""
    generate(scale=1, seed=11)
    edge_cases()


@pytest.fixture
def small(db):
    """Enough records of every kind for the refusal tests, quickly."""
    factories.StatementFactory()
    factories.CitationFactory()
    edge_cases()


@pytest.fixture
def scratch_postgres():
    name = f"test_archive_{uuid.uuid4().hex[:10]}"
    admin = psycopg2.connect(POSTGRES_ADMIN_URL)
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    base = POSTGRES_ADMIN_URL.rsplit("/", 1)[0]
    yield f"{base}/{name}"
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def restore_and_export(archive, database_url, out):
    env = production_env(DATABASE_URL=database_url, DB_STATEMENT_TIMEOUT_MS="0")
    for args in (("migrate", "--noinput"), ("import_archive", str(archive))):
        result = manage(*args, env=env)
        assert result.returncode == 0, result.stderr
    result = manage("export_archive", str(out), env=env)
    assert result.returncode == 0, result.stderr
    return env


def test_round_trip_through_postgresql_and_sqlite_loses_nothing(
    synthetic, tmp_path, scratch_postgres
):
    first = export_archive(tmp_path / "first")
    counts = {label: count for label, (count, _) in contents(first).items()}
    # Everything that matters is in it, history included.
    for label in (
        "advocacy.group",
        "advocacy.historicalgroup",
        "advocacy.citation",
        "advocacy.conflictingversion",
        "advocacy.source",
        "advocacy.quotation",
        "advocacy.slugredirect",
        "auth.user",
        "auth.group",
    ):
        assert counts[label] > 0, label
    assert counts["advocacy.historicalgroup"] > counts["advocacy.group"]

    postgres_env = restore_and_export(tmp_path / "first", scratch_postgres, tmp_path / "postgres")
    second = read_manifest(tmp_path / "postgres")
    assert second["database_vendor"] == "postgresql"
    assert contents(second) == contents(first)

    sqlite_url = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    sqlite_env = restore_and_export(tmp_path / "postgres", sqlite_url, tmp_path / "sqlite")
    third = read_manifest(tmp_path / "sqlite")
    assert third["database_vendor"] == "sqlite"
    assert contents(third) == contents(first)

    # Both restored databases keep working: new records get fresh ids (sequences were
    # reset), history goes on, the restored users can still log in.
    for env in (postgres_env, sqlite_env):
        check = manage("shell", "-c", AFTER_RESTORE, env=env)
        assert check.returncode == 0, check.stderr
        after = json.loads(check.stdout.strip().splitlines()[-1])
        assert after["group"] > max(models.Group.objects.values_list("pk", flat=True))
        assert after["source"] > max(models.Source.objects.values_list("pk", flat=True))
        assert after["history"] == 1
        assert after["login"] == "ольга"


AFTER_RESTORE = """
import json
from django.contrib.auth import authenticate
from tests.factories import GroupFactory, SourceFactory
group = GroupFactory()
user = authenticate(username="ольга", password="correct horse battery staple")
print(json.dumps({"group": group.pk, "source": SourceFactory().pk,
                  "history": group.history.count(), "login": user.username}))
"""


def test_the_manifest_describes_the_archive(small, tmp_path):
    manifest = export_archive(tmp_path / "archive")
    assert manifest["format"] == "advocacy-tracker-archive"
    assert manifest["format_version"] == 1
    assert manifest["migrations"]["advocacy"]
    assert {entry["model"] for entry in manifest["models"]} == {
        model._meta.label_lower for model in archived_models()
    }
    for entry in manifest["models"]:
        lines = (tmp_path / "archive" / entry["file"]).read_text().splitlines()
        assert len(lines) == entry["count"]
        assert all(json.loads(line)["model"] == entry["model"] for line in lines)
    # Secrets and per-login state stay out.
    assert "authtoken.token" in manifest["left_out"]
    assert "auth.permission" not in contents(manifest)


def test_export_is_deterministic(small, tmp_path):
    assert contents(export_archive(tmp_path / "a")) == contents(export_archive(tmp_path / "b"))


def test_export_refuses_a_folder_with_files(small, tmp_path):
    (tmp_path / "busy").mkdir()
    (tmp_path / "busy" / "keep.txt").write_text("mine")
    with pytest.raises(CommandError, match="not an empty folder"):
        call_command("export_archive", str(tmp_path / "busy"), stdout=io.StringIO())


def test_import_refuses_a_non_empty_database_and_changes_nothing(small, tmp_path):
    export_archive(tmp_path / "archive")
    before = models.Group.objects.count()
    with pytest.raises(CommandError, match=r"not empty; nothing was imported.*advocacy\.group"):
        call_command("import_archive", str(tmp_path / "archive"), stdout=io.StringIO())
    assert models.Group.objects.count() == before


@pytest.fixture
def archive_and_empty_database(small, tmp_path):
    """An archive of the synthetic set, then the test database emptied."""
    export_archive(tmp_path / "archive")
    for model in reversed(archived_models()):
        for field in model._meta.many_to_many:
            field.remote_field.through._base_manager.all()._raw_delete(connection.alias)
        model._base_manager.all()._raw_delete(connection.alias)
    return tmp_path / "archive"


def test_import_restores_into_the_emptied_database(archive_and_empty_database, tmp_path):
    out = io.StringIO()
    call_command("import_archive", str(archive_and_empty_database), stdout=out)
    assert "Restored" in out.getvalue()
    again = export_archive(tmp_path / "again")
    assert contents(again) == contents(read_manifest(archive_and_empty_database))


def test_a_checksum_mismatch_is_refused_and_nothing_is_imported(archive_and_empty_database):
    archive = archive_and_empty_database
    data = archive / "data" / "advocacy.group.jsonl"
    data.write_text(data.read_text().replace("Example", "Exampel", 1))
    with pytest.raises(CommandError, match=r"damaged.*advocacy\.group\.jsonl: checksum mismatch"):
        call_command("import_archive", str(archive), stdout=io.StringIO())
    assert not any(model._base_manager.exists() for model in archived_models())


def test_a_missing_record_is_refused(archive_and_empty_database):
    data = archive_and_empty_database / "data" / "advocacy.citation.jsonl"
    data.write_text("".join(data.read_text().splitlines(keepends=True)[1:]))
    with pytest.raises(ArchiveError, match=r"citation\.jsonl"):
        import_archive(archive_and_empty_database)
    assert not models.Source.objects.exists()


def test_a_broken_record_rolls_everything_back(archive_and_empty_database):
    """Checksums match (the manifest is rewritten to fit) but a record cannot load: the
    records loaded before it are rolled back."""
    archive = archive_and_empty_database
    manifest = json.loads((archive / "manifest.json").read_text())
    entry = next(e for e in manifest["models"] if e["model"] == "advocacy.quotation")
    data = archive / entry["file"]
    lines = data.read_text().splitlines(keepends=True)
    record = json.loads(lines[-1])
    record["fields"]["statement"] = 10**9  # a statement that does not exist
    lines[-1] = json.dumps(record) + "\n"
    data.write_text("".join(lines))
    entry["sha256"] = hashlib.sha256(data.read_bytes()).hexdigest()
    (archive / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArchiveError, match=r"do not fit together.*advocacy_quotation"):
        import_archive(archive)
    assert not any(model._base_manager.exists() for model in archived_models())


def test_other_migrations_are_refused(archive_and_empty_database):
    archive = archive_and_empty_database
    manifest = json.loads((archive / "manifest.json").read_text())
    manifest["migrations"]["advocacy"].append("0099_from_the_future")
    (archive / "manifest.json").write_text(json.dumps(manifest))
    with pytest.raises(ArchiveError, match="archive at 0099_from_the_future"):
        import_archive(archive)


def test_dry_run_checks_everything_and_keeps_nothing(archive_and_empty_database):
    out = io.StringIO()
    call_command("import_archive", str(archive_and_empty_database), "--dry-run", stdout=out)
    assert "load cleanly; rolled back" in out.getvalue()
    assert not any(model._base_manager.exists() for model in archived_models())


def test_not_an_archive(tmp_path, db):
    with pytest.raises(CommandError, match=r"has no manifest\.json"):
        call_command("import_archive", str(tmp_path), stdout=io.StringIO())


def test_unknown_format_version(tmp_path, db):
    shutil.rmtree(tmp_path)
    tmp_path.mkdir()
    (tmp_path / "manifest.json").write_text(
        json.dumps({"format": "advocacy-tracker-archive", "format_version": 2, "models": []})
    )
    with pytest.raises(ArchiveError, match="version 2 is not supported"):
        import_archive(tmp_path)
