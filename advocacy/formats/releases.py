"""Versioned, citable releases of the public data (`manage.py make_release`).

A release is a folder in RELEASES_DIR named by its date (`2026-12-01`; a second one that
day is `2026-12-01.2`) holding:

- `popolo.json`: Popolo (persons, organizations, memberships, events, speeches);
- `ftm.jsonl`: FollowTheMoney entities (advocacy/formats/ftm.py);
- `csv/<kind>.csv`: one CSV per record type, the columns of the site's downloads;
- `changes.json`: what was added, changed and withdrawn since the previous release, by id;
- `datapackage.json`: a Frictionless Data Package describing every file above;
- `manifest.json`: the SHA-256 and size of every file, `datapackage.json` included.

Everything is read from the public rows (already redacted), in one snapshot where the
database gives one (PostgreSQL: a repeatable-read transaction).

A release never shows what a later protection hides. Its row (`DataRelease`) keeps the ids
of the people it holds and the folded words of its text. A protection withdraws, in the
same transaction, every release holding one of the protected names
(`withdraw_mentioning`, called by publication.triggers); and a release is served only
while every person it holds is still public (`is_served`, checked on each request), so a
person unpublished, merged away, deleted or protected by a bulk update that sent no signal
withdraws it too. Withdrawn releases stay listed at /data/, marked so; their files are no
longer served. A protection during a build makes the build discard what it wrote.
"""

import csv
import datetime
import hashlib
import json
import os
import shutil
import time
from collections.abc import Iterable
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone, translation

from advocacy.csvfile import safe_cell
from advocacy.exports import RowBuilder, flatten
from advocacy.formats import ftm, popolo
from advocacy.formats.documents import documents, public_ids
from advocacy.models.public import DataRelease
from advocacy.publication.redaction import strings_of
from advocacy.text import fold

POPOLO = "popolo.json"
FTM = "ftm.jsonl"
CHANGES = "changes.json"
DATAPACKAGE = "datapackage.json"
MANIFEST = "manifest.json"
RECORDS = ".records.json"  # ids and document hashes, for the next release's changes
PROTECTED = ".protected"  # when the last protection happened (ns)
CSV_KINDS = {
    "group": "groups",
    "person": "people",
    "event": "events",
    "statement": "statements",
    "source": "sources",
}
# The kinds a change summary counts.
KINDS = ("group", "person", "membership", "event", "statement", "source")
TITLE = "Advocacy Tracker data"
LICENSE = {"name": "ODC-By-1.0", "path": "https://opendatacommons.org/licenses/by/1-0/"}


class ProtectedWhileBuilding(Exception):
    """Someone was protected while the release was written: it may name them."""


def releases_dir() -> Path:
    return Path(settings.RELEASES_DIR)


def path_of(release: DataRelease, name: str = "") -> Path:
    path = (releases_dir() / release.name / name).resolve()
    if releases_dir().resolve() not in path.parents and path != releases_dir().resolve():
        raise ValueError(name)
    return path


def citation(release: DataRelease) -> str:
    return f"{TITLE}, release {release.name}"


# Serving ---------------------------------------------------------------------------------------


def ids_of(text: str) -> set[int]:
    return {int(value) for value in text.split()}


def is_served(release: DataRelease, public_people: set[int] | None = None) -> bool:
    """Whether the release's files may be served: not withdrawn, and every person it holds
    still public (a protection, however made, removes the person's public row)."""
    if release.withdrawn_at is not None:
        return False
    if public_people is None:
        public_people = public_ids("person")
    return ids_of(release.person_ids) <= public_people


def listing() -> list[tuple[DataRelease, bool]]:
    """Every release, newest first, with whether it is served (two queries)."""
    public_people = public_ids("person")
    return [(r, is_served(r, public_people)) for r in DataRelease.objects.defer("words")]


def latest_served() -> DataRelease | None:
    for release, served in listing():
        if served:
            return release
    return None


def files_of(release: DataRelease) -> list[dict]:
    return json.loads(release.files)


# Withdrawal ------------------------------------------------------------------------------------


def withdraw_mentioning(stems: Iterable[str]) -> int:
    """Withdraw every release whose text holds a word starting with one of these folded
    name stems (a protection's names, as publication.triggers finds the rows to redact).
    Returns how many were withdrawn."""
    stems = {stem for stem in stems if stem}
    _mark_protection()
    transaction.on_commit(_mark_protection)
    if not stems:
        return 0
    condition = Q()
    for stem in stems:
        condition |= Q(words__contains=f" {stem}")
    return DataRelease.objects.filter(condition, withdrawn_at__isnull=True).update(
        withdrawn_at=timezone.now(), withdrawn_reason="A name it holds is now protected."
    )


def _mark_protection() -> None:
    directory = releases_dir()
    if directory.exists():
        (directory / PROTECTED).write_text(str(time.time_ns()))


def _protected_since(started: int) -> bool:
    try:
        return int((releases_dir() / PROTECTED).read_text()) >= started
    except (FileNotFoundError, ValueError):
        return False


# Building --------------------------------------------------------------------------------------


class _Output:
    """A file written in binary, its folder made first."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.out = path.open("wb")

    def write(self, data: bytes) -> None:
        self.out.write(data)

    def close(self) -> None:
        self.out.close()


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _name_for(today: datetime.date) -> str:
    taken = set(DataRelease.objects.values_list("name", flat=True))
    name, n = today.isoformat(), 1
    while name in taken or (releases_dir() / name).exists():
        n += 1
        name = f"{today.isoformat()}.{n}"
    return name


class _Origin:
    """What the CSV rows need of a request: the origin of their links."""

    def __init__(self, base: str):
        self.base = base

    def build_absolute_uri(self, location: str = "/") -> str:
        return self.base + location


class _CsvFile:
    """One CSV per kind, written a row at a time with the downloads' cells (exports.py):
    UTF-8 with a byte-order mark, CRLF, formula-like cells neutralised (csvfile.py)."""

    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.handle = path.open("w", encoding="utf-8", newline="")
        self.handle.write("\ufeff")
        self.writer = csv.writer(self.handle, lineterminator="\r\n")
        self.columns: list[str] | None = None

    def write(self, row: dict) -> None:
        if self.columns is None:
            self.columns = list(row)
            self.writer.writerow([safe_cell(c) for c in self.columns])
        self.writer.writerow([safe_cell(flatten(row[c])) for c in self.columns])

    def close(self) -> None:
        self.handle.close()


def _write_contents(folder: Path, base: str) -> dict:
    """Write the data files; return what the release row and the summary need."""
    records: dict[str, dict[str, str]] = {kind: {} for kind in KINDS}
    words: set[str] = set()
    people: set[int] = set()
    # The people's CSV lists each role's citations: the memberships' documents first.
    membership_citations = {
        d["id"]: {"citations": d.get("citations") or []} for d in documents("membership", base=base)
    }
    row_builder = RowBuilder(_Origin(base), memberships=membership_citations)
    csv_files = {kind: _CsvFile(folder / "csv" / f"{name}.csv") for kind, name in CSV_KINDS.items()}

    def seen(kind: str, document: dict) -> None:
        text = json.dumps(document, ensure_ascii=False, sort_keys=True)
        records[kind][str(document["id"])] = hashlib.sha256(text.encode()).hexdigest()[:20]
        words.update(fold(" ".join(strings_of(document))).split())
        if kind in CSV_KINDS:
            row = SimpleNamespace(document=document, latest_date=None)
            csv_files[kind].write(getattr(row_builder, kind)(row))
        for entity in _ftm_entities(kind, document):
            ftm_file.write(_ftm_line(entity))

    popolo_file, ftm_file = _Output(folder / POPOLO), _Output(folder / FTM)
    try:
        popolo_file.write(b'{"meta":' + popolo._json(popolo.META))
        for key, kind, build in popolo.SECTIONS:
            popolo_file.write(f',"{key}":['.encode())
            separator = b""
            for document in documents(kind, base=base):
                seen(kind, document)
                if kind == "person":
                    people.add(document["id"])
                row = build(document)
                if row is not None:
                    popolo_file.write(separator + popolo._json(row))
                    separator = b","
            popolo_file.write(b"]")
        popolo_file.write(b"}")
        for document in documents("source", base=base):
            seen("source", document)
    finally:
        popolo_file.close()
        ftm_file.close()
        for csv_file in csv_files.values():
            csv_file.close()
    (folder / RECORDS).write_text(json.dumps(records, sort_keys=True))
    return {
        "records": records,
        "words": words,
        "people": people,
        "columns": {kind: f.columns or [] for kind, f in csv_files.items()},
    }


def _ftm_entities(kind: str, document: dict):
    if kind == "source":
        yield ftm.source(document)
    elif kind == "person":
        yield ftm.person(document)
    elif kind == "group":
        yield ftm.organization(document)
    elif kind == "membership":
        entity = ftm.membership(document)
        if entity is not None:
            yield entity
    elif kind == "event":
        yield ftm.event(document)
    elif kind == "statement":
        yield from ftm.quotations(document)


def _ftm_line(entity) -> bytes:
    return json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True).encode() + b"\n"


def _previous_records(before: str) -> tuple[str | None, dict]:
    previous = DataRelease.objects.exclude(name=before).order_by("-created_at").first()
    if previous is None:
        return None, {}
    try:
        return previous.name, json.loads((releases_dir() / previous.name / RECORDS).read_text())
    except (FileNotFoundError, ValueError):
        return previous.name, {}


def change_summary(records: dict, previous_name: str | None, previous: dict) -> dict:
    """Added, changed and withdrawn records per kind, by id only (a withdrawn record may be
    a person now protected: no name, no document)."""
    kinds = {}
    for kind in KINDS:
        now, before = records.get(kind, {}), previous.get(kind, {})
        kinds[kind] = {
            "added": sorted(int(pk) for pk in now.keys() - before.keys()),
            "changed": sorted(
                int(pk) for pk in now.keys() & before.keys() if now[pk] != before[pk]
            ),
            "withdrawn": sorted(int(pk) for pk in before.keys() - now.keys()),
        }
    return {"previous_release": previous_name, "records": kinds}


def _resource(folder: Path, relative: str, **fields) -> dict:
    path = folder / relative
    return {
        "name": relative.replace("/", "-").replace(".", "-").replace("_", "-").lower(),
        "path": relative,
        "bytes": path.stat().st_size,
        "hash": f"sha256:{_sha256(path)}",
        **fields,
    }


def _datapackage(folder: Path, name: str, created: datetime.datetime, columns: dict) -> dict:
    resources = [
        _resource(
            folder,
            POPOLO,
            type="json",
            format="json",
            mediatype="application/json",
            encoding="utf-8",
            title="Popolo JSON",
            description="Persons, organizations, memberships, events and statements as "
            "speeches (popoloproject.com).",
        ),
        _resource(
            folder,
            FTM,
            type="file",
            format="jsonl",
            mediatype="application/x-ndjson",
            encoding="utf-8",
            title="FollowTheMoney entities",
            description="One FollowTheMoney entity a line (followthemoney.tech); statements' "
            "quotations are Documentation entities.",
        ),
        _resource(
            folder,
            CHANGES,
            type="json",
            format="json",
            mediatype="application/json",
            encoding="utf-8",
            title="Changes since the previous release",
            description="Ids of the records added, changed and withdrawn, per kind.",
        ),
    ]
    for kind, filename in CSV_KINDS.items():
        resources.append(
            _resource(
                folder,
                f"csv/{filename}.csv",
                type="table",
                format="csv",
                mediatype="text/csv",
                encoding="utf-8-sig",
                title=f"{filename.capitalize()} (CSV)",
                dialect={"csv": {"delimiter": ",", "lineTerminator": "\r\n"}},
                schema={"fields": [{"name": c, "type": "string"} for c in columns[kind]]},
            )
        )
    return {
        "name": "advocacy-tracker",
        "title": f"{TITLE}, release {name}",
        "version": name,
        "created": created.isoformat(),
        "licenses": [LICENSE],
        "resources": resources,
    }


def _write_json(path: Path, value) -> None:
    path.write_text(json.dumps(value, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")


def build(*, base_url: str | None = None, today: datetime.date | None = None) -> DataRelease:
    """Write a new release and record it. Raises ProtectedWhileBuilding, keeping nothing,
    when someone was protected while it was written."""
    base = (settings.EXPORTS_BASE_URL if base_url is None else base_url).rstrip("/")
    directory = releases_dir()
    directory.mkdir(parents=True, exist_ok=True)
    started = time.time_ns()
    created = timezone.now()
    name = _name_for(today or timezone.localdate())
    folder = directory / f".building-{name}-{os.getpid()}"
    folder.mkdir()
    try:
        outer = connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and not outer:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            # Labels ("a protected person", kinds) in the site's language.
            with translation.override(settings.LANGUAGE_CODE):
                contents = _write_contents(folder, base)
        previous_name, previous = _previous_records(name)
        summary = change_summary(contents["records"], previous_name, previous)
        _write_json(folder / CHANGES, {"release": name, **summary})
        package = _datapackage(folder, name, created, contents["columns"])
        _write_json(folder / DATAPACKAGE, package)
        listed = [r["path"] for r in package["resources"]] + [DATAPACKAGE]
        files = [
            {
                "path": relative,
                "bytes": (folder / relative).stat().st_size,
                "sha256": _sha256(folder / relative),
                "mediatype": next(
                    (r["mediatype"] for r in package["resources"] if r["path"] == relative),
                    "application/json",
                ),
            }
            for relative in listed
        ]
        _write_json(folder / MANIFEST, {"release": name, "files": files})
        files.append(
            {
                "path": MANIFEST,
                "bytes": (folder / MANIFEST).stat().st_size,
                "sha256": _sha256(folder / MANIFEST),
                "mediatype": "application/json",
            }
        )
        if _protected_since(started):
            raise ProtectedWhileBuilding
        folder.rename(directory / name)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    release = DataRelease.objects.create(
        name=name,
        created_at=created,
        files=json.dumps(files),
        counts=json.dumps({kind: len(ids) for kind, ids in contents["records"].items()}),
        changes=json.dumps(
            {
                kind: {key: len(ids) for key, ids in changes.items()}
                for kind, changes in summary["records"].items()
            }
        ),
        person_ids=" ".join(str(pk) for pk in sorted(contents["people"])),
        words=f" {' '.join(sorted(contents['words']))} ",
    )
    if _protected_since(started):  # between the check above and the row
        release.withdrawn_at = timezone.now()
        release.withdrawn_reason = "Someone was protected while it was built."
        release.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        raise ProtectedWhileBuilding
    return release
