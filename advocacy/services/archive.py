"""A complete, versioned archive of the database, and its restore into an empty database.

An archive is a folder:

    manifest.json             format name and version, when and from what it was made, the
                              applied migrations, and for every model its file, row count
                              and SHA-256
    data/<app>.<model>.jsonl  one record per line, in Django's serialization format
                              ({"model", "pk", "fields"}), ordered by primary key

It holds every record of every installed app (all advocacy records, their simple-history
tables, citations, conflicting versions, archived source texts, slug redirects), the users and
their groups and permissions, and the admin log. Content types and permissions are written
by natural key, since `migrate` creates them afresh in every database. Left out on purpose:
sessions, API tokens (bearer secrets: reissue them) and login-lockout records (`axes`).

The output is deterministic: the same data gives byte-identical files (and checksums) on
SQLite and PostgreSQL, so two archives can be compared by their manifests.

`import_archive()` restores into an EMPTY, migrated database at the same migrations, in one
transaction, after checking every file's count and checksum: any error leaves the database
as it was.
"""

import datetime
import decimal
import hashlib
import json
import uuid
from collections.abc import Iterable, Iterator
from pathlib import Path

import django
from django.apps import apps
from django.core import serializers
from django.core.management.color import no_style
from django.core.serializers.base import DeserializationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.db.models import Prefetch
from django.utils import timezone

from advocacy.publication.builders import rebuild_all

FORMAT = "advocacy-tracker-archive"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DATA_DIR = "data"
CHUNK = 1000

# Created by `migrate` in every database, so referred to by natural key instead.
CREATED_BY_MIGRATE = {"contenttypes.contenttype", "auth.permission"}
# Not data worth restoring, or secrets that must not travel in a backup.
LEFT_OUT = {"sessions.session", "authtoken.token"}
LEFT_OUT_APPS = {"axes"}


class ArchiveError(Exception):
    """An archive cannot be written or restored; the message says why."""


def archived_models() -> list[type[models.Model]]:
    """Every concrete model whose rows an archive holds, parents before children."""
    chosen = [
        model
        for model in apps.get_models()
        if model._meta.managed
        and not model._meta.proxy
        and model._meta.label_lower not in CREATED_BY_MIGRATE | LEFT_OUT
        and model._meta.app_label not in LEFT_OUT_APPS
        # Public rows are built from the records, not kept: a restore rebuilds them.
        and not model._meta.model_name.startswith("public")
    ]
    return _dependency_order(chosen)


def _dependency_order(chosen: list[type[models.Model]]) -> list[type[models.Model]]:
    """Models after the models their foreign keys point at (stable, by label otherwise)."""
    remaining = sorted(chosen, key=lambda model: model._meta.label_lower)
    in_set = set(remaining)
    ordered: list[type[models.Model]] = []
    while remaining:
        for model in remaining:
            targets = {
                field.related_model
                for field in model._meta.concrete_fields
                if field.is_relation and field.related_model is not model
            }
            if not (targets & in_set) - set(ordered):
                break
        else:  # A cycle: foreign keys are checked at commit, so any order loads.
            model = remaining[0]
        ordered.append(model)
        remaining.remove(model)
    return ordered


def file_name(model: type[models.Model]) -> str:
    return f"{DATA_DIR}/{model._meta.label_lower}.jsonl"


def _json_default(value):
    # Full precision, unlike DjangoJSONEncoder, which cuts datetimes to milliseconds.
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"Cannot archive a value of type {type(value).__name__}: {value!r}")


def _dumps(record: dict) -> str:
    return json.dumps(
        record, default=_json_default, ensure_ascii=False, sort_keys=True, separators=(",", ":")
    )


def _natural_keyed(model: type[models.Model]) -> bool:
    return hasattr(model, "natural_key")


def _rows(model: type[models.Model], using: str) -> Iterator[dict]:
    """The model's records as Django's "python" serialization, by primary key, with
    natural keys for related models that have one and m2m lists sorted."""
    queryset = model._base_manager.using(using).order_by("pk")
    natural_fks = [
        field.name
        for field in model._meta.concrete_fields
        if field.is_relation and _natural_keyed(field.related_model)
    ]
    if natural_fks:
        queryset = queryset.select_related(*natural_fks)
    m2m = _auto_m2m(model)
    for field in m2m:
        related = field.related_model._base_manager.all()
        if related.model._meta.label_lower == "auth.permission":
            related = related.select_related("content_type")
        queryset = queryset.prefetch_related(Prefetch(field.name, queryset=related))
    objects = queryset.iterator(chunk_size=CHUNK)
    while chunk := [obj for _, obj in zip(range(CHUNK), objects, strict=False)]:
        for record in serializers.serialize(
            "python", chunk, use_natural_foreign_keys=True, use_natural_primary_keys=False
        ):
            for field in m2m:
                record["fields"][field.name] = sorted(
                    record["fields"][field.name], key=lambda value: _dumps(value)
                )
            yield record


def _auto_m2m(model: type[models.Model]) -> list[models.ManyToManyField]:
    """Many-to-many fields stored with the model; an explicit `through` model is archived
    as a model of its own."""
    return [
        field for field in model._meta.many_to_many if field.remote_field.through._meta.auto_created
    ]


def applied_migrations(using: str, app_labels: Iterable[str]) -> dict[str, list[str]]:
    applied = MigrationRecorder(connections[using]).applied_migrations()
    labels = set(app_labels)
    result: dict[str, list[str]] = {label: [] for label in sorted(labels)}
    for app_label, name in applied:
        if app_label in labels:
            result[app_label].append(name)
    return {label: sorted(names) for label, names in result.items()}


def export_archive(path: Path | str, *, using: str = "default") -> dict:
    """Write an archive of the whole database to the folder `path` (new or empty).

    Reads in one transaction (REPEATABLE READ on PostgreSQL), so the archive is a
    consistent snapshot even while the site is being written to.
    """
    path = Path(path)
    if path.exists() and (not path.is_dir() or any(path.iterdir())):
        raise ArchiveError(f"{path} already exists and is not an empty folder.")
    (path / DATA_DIR).mkdir(parents=True, exist_ok=True)
    connection = connections[using]
    entries = []
    # Inside a caller's transaction (a test) the snapshot is the caller's to choose.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic(using=using):
        if snapshot:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        chosen = archived_models()
        for model in chosen:
            digest, count = hashlib.sha256(), 0
            with (path / file_name(model)).open("w", encoding="utf-8", newline="\n") as out:
                for record in _rows(model, using):
                    line = _dumps(record) + "\n"
                    digest.update(line.encode())
                    out.write(line)
                    count += 1
            entries.append(
                {
                    "model": model._meta.label_lower,
                    "file": file_name(model),
                    "count": count,
                    "sha256": digest.hexdigest(),
                }
            )
        migrations = applied_migrations(using, {model._meta.app_label for model in chosen})
    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "created_at": timezone.now().isoformat(),
        "django_version": django.get_version(),
        "database_vendor": connection.vendor,
        "migrations": migrations,
        "left_out": sorted(LEFT_OUT | {f"{app}.*" for app in LEFT_OUT_APPS}),
        "models": entries,
    }
    (path / MANIFEST).write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return manifest


def read_manifest(path: Path | str) -> dict:
    path = Path(path)
    try:
        manifest = json.loads((path / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ArchiveError(f"{path} is not an archive: it has no {MANIFEST}.") from exc
    except json.JSONDecodeError as exc:
        raise ArchiveError(f"{path / MANIFEST} is not valid JSON: {exc}.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ArchiveError(f"{path / MANIFEST} is not an {FORMAT} manifest.")
    version = manifest.get("format_version")
    if version != FORMAT_VERSION:
        raise ArchiveError(
            f"Archive format version {version!r} is not supported "
            f"(this version of the app reads version {FORMAT_VERSION})."
        )
    return manifest


def verify_archive(path: Path | str) -> dict:
    """Check every file against the manifest's counts and checksums; return the manifest."""
    path = Path(path)
    manifest = read_manifest(path)
    problems = []
    for entry in manifest["models"]:
        file = path / entry["file"]
        if not file.is_file():
            problems.append(f"{entry['file']}: missing")
            continue
        digest, count = hashlib.sha256(), 0
        with file.open("rb") as data:
            for line in data:
                digest.update(line)
                count += 1
        if digest.hexdigest() != entry["sha256"]:
            problems.append(
                f"{entry['file']}: checksum mismatch "
                f"(manifest {entry['sha256']}, file {digest.hexdigest()})"
            )
        if count != entry["count"]:
            problems.append(f"{entry['file']}: {count} records, manifest says {entry['count']}")
    if problems:
        raise ArchiveError("The archive is damaged; nothing was imported. " + "; ".join(problems))
    return manifest


def non_empty_tables(using: str = "default") -> dict[str, int]:
    return {
        model._meta.label_lower: count
        for model in archived_models()
        if (count := model._base_manager.using(using).count())
    }


def import_archive(path: Path | str, *, using: str = "default", dry_run: bool = False) -> dict:
    """Restore the archive at `path` into the empty database `using`, atomically.

    Refuses, changing nothing, a damaged archive (count or checksum), one made at other
    migrations or with models this app does not have, and a database that holds records.
    With `dry_run`, everything is loaded and checked, then rolled back.
    Returns {model label: records loaded}.
    """
    path = Path(path)
    manifest = verify_archive(path)
    entries = manifest["models"]
    try:
        archive_models = [apps.get_model(entry["model"]) for entry in entries]
    except LookupError as exc:
        raise ArchiveError(f"The archive holds a model this app does not have: {exc}") from exc

    ours = applied_migrations(using, manifest["migrations"])
    if ours != manifest["migrations"]:
        differences = [
            f"{app}: archive at {theirs[-1] if theirs else 'none'}, "
            f"database at {ours[app][-1] if ours[app] else 'none'}"
            for app, theirs in manifest["migrations"].items()
            if ours.get(app) != theirs
        ]
        raise ArchiveError(
            "The archive was made at other migrations than this database's; nothing was "
            "imported (" + "; ".join(differences) + "). Restore into a database migrated to "
            "the archive's migrations, then run `migrate`."
        )

    occupied = non_empty_tables(using)
    if occupied:
        listed = ", ".join(f"{label} ({count})" for label, count in sorted(occupied.items()))
        raise ArchiveError(
            "The database is not empty; nothing was imported. An archive is restored only "
            f"into a freshly migrated database. Records found: {listed}."
        )

    loaded: dict[str, int] = {}
    connection = connections[using]
    try:
        with transaction.atomic(using=using):
            for entry, model in zip(entries, archive_models, strict=True):
                loaded[entry["model"]] = _load_file(path / entry["file"], entry, model, using)
            statements = connection.ops.sequence_reset_sql(no_style(), archive_models)
            if statements:
                with connection.cursor() as cursor:
                    for statement in statements:
                        cursor.execute(statement)
            connection.check_constraints(
                table_names=[model._meta.db_table for model in archive_models]
            )
            if using == DEFAULT_DB_ALIAS:
                # Loaded raw (no signals): what the public sees is built once, at the end.
                rebuild_all()
            for entry, model in zip(entries, archive_models, strict=True):
                count = model._base_manager.using(using).count()
                if count != entry["count"]:
                    raise ArchiveError(
                        f"{entry['model']}: {count} records after loading, "
                        f"archive has {entry['count']}; nothing was imported."
                    )
            if dry_run:
                raise _DryRunDone
    except _DryRunDone:
        pass
    except IntegrityError as exc:
        raise ArchiveError(
            f"The archive's records do not fit together; nothing was imported. {exc}"
        ) from exc
    return loaded


class _DryRunDone(Exception):
    pass


def _load_file(file: Path, entry: dict, model: type[models.Model], using: str) -> int:
    count = 0
    with file.open(encoding="utf-8") as data:
        while True:
            lines = [line for _, line in zip(range(CHUNK), data, strict=False)]
            if not lines:
                return count
            first = count + 1
            records = []
            for offset, line in enumerate(lines):
                try:
                    record = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise ArchiveError(
                        f"{entry['file']} line {first + offset}: not valid JSON: {exc}"
                    ) from exc
                if record.get("model") != entry["model"]:
                    raise ArchiveError(
                        f"{entry['file']} line {first + offset}: a {record.get('model')!r} "
                        f"record in the file of {entry['model']!r}"
                    )
                records.append(record)
            try:
                objects = list(serializers.deserialize("python", records, using=using))
            except (DeserializationError, LookupError, ValueError) as exc:
                raise ArchiveError(
                    f"{entry['file']} lines {first}-{first + len(records) - 1}: {exc}"
                ) from exc
            _insert_raw(model, [item.object for item in objects], using)
            _load_m2m(model, objects, using)
            count += len(objects)


def _insert_raw(model: type[models.Model], objects: list, using: str) -> None:
    """INSERT the rows exactly as archived, like `loaddata` (raw: no `auto_now` timestamps
    refreshed, no save() logic or signals, so no new history rows), in batches."""
    fields = model._meta.local_concrete_fields
    batch = max(connections[using].ops.bulk_batch_size(fields, objects), 1)
    manager = model._base_manager.using(using)
    for start in range(0, len(objects), batch):
        manager._insert(objects[start : start + batch], fields=fields, raw=True, using=using)


def _load_m2m(model: type[models.Model], objects: list, using: str) -> None:
    for field in _auto_m2m(model):
        through = field.remote_field.through
        source, target = field.m2m_field_name(), field.m2m_reverse_field_name()
        rows = [
            through(**{f"{source}_id": item.object.pk, f"{target}_id": related_pk})
            for item in objects
            for related_pk in item.m2m_data.get(field.name, [])
        ]
        if rows:
            through._base_manager.using(using).bulk_create(rows)
