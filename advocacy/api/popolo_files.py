"""The Popolo export as a file, built outside any request and served as it is.

Writing the whole export takes minutes at a million statements, longer than a worker may
hold a request. So `manage.py export_popolo` (once, or `--every N` seconds as docker-compose
runs it) writes it into EXPORTS_DIR as `popolo-<hash>.json`, and then, atomically, the
small pointer `popolo.json.current` naming that file with its ETag (the hash), size and
date. `/api/v1/export/popolo.json` reads the pointer and sends the named file: no query
and no export work in the request.

The file holds only what an anonymous reader may see (the same `popolo_chunks` the
endpoint streamed, for an anonymous audience). It must never outlive a record's
withdrawal: saving a record that was public and is not any more (unpublished, retracted,
a person now protected) or deleting one removes the pointer at once (`withdraw`), again
when the change commits, and a build under way then discards what it wrote (its chunks
read before the change may hold it); the next build makes a new file. Bulk `update()`s
and raw SQL send no signal; the scheduled build notices them by the fingerprint of what is
public (`fingerprint`).

With no file yet (a fresh install, just withdrawn), the endpoint builds one itself when
the export is small (at most EXPORT_BUILD_IN_REQUEST_MAX statements), else answers 503
with Retry-After until the scheduled build has written it.
"""

import datetime
import hashlib
import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Count, Max, Sum
from django.db.models.signals import post_delete, pre_save
from django.utils import timezone, translation
from django.utils.http import quote_etag

from advocacy.api.audience import Audience
from advocacy.choices import Status
from advocacy.formats.popolo import SECTIONS, popolo_chunks
from advocacy.models import Event, Group, Membership, Person, Statement
from advocacy.publication.reading import public_rows

POINTER = "popolo.json.current"
WITHDRAWN = "popolo.json.withdrawn"  # when the last withdrawal happened (ns)
BUILDING = "popolo.json.building"  # present while a build runs
PREFIX = "popolo-"
# The records whose withdrawal must withdraw the file (the export's five sections).
EXPORTED_MODELS = (Person, Group, Membership, Event, Statement)


@dataclass(frozen=True)
class ExportFile:
    name: str  # the file's name inside EXPORTS_DIR
    etag: str  # quoted, as sent in the ETag header
    size: int
    built_at: str  # ISO 8601, UTC
    fingerprint: str  # of the public records the file was built from

    @property
    def path(self) -> Path:
        return exports_dir() / self.name

    @property
    def built(self) -> datetime.datetime:
        return datetime.datetime.fromisoformat(self.built_at)


def exports_dir() -> Path:
    return Path(settings.EXPORTS_DIR)


def current() -> ExportFile | None:
    """The file the endpoint serves now, or None when there is none (yet)."""
    try:
        data = json.loads((exports_dir() / POINTER).read_text())
        return ExportFile(**data)
    except (FileNotFoundError, ValueError, TypeError):
        return None


def fingerprint() -> str:
    """What the public export holds, in one aggregate query per section: how many records,
    which (the sum of their ids) and their latest change. A publish, an edit, an
    unpublish or a protection — through the ORM or not — changes it."""
    parts = []
    for key, kind, _ in SECTIONS:
        row = public_rows(kind, documents=False).aggregate(
            n=Count("pk"), ids=Sum("pk"), latest=Max("updated_at")
        )
        latest = row["latest"].isoformat() if row["latest"] else ""
        parts.append(f"{key}:{row['n']}:{row['ids'] or 0}:{latest}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


class WithdrawnWhileBuilding(Exception):
    """A record left the public while the export was being written: the file may name it."""


def _write_atomically(path: Path, write) -> None:
    """Write through a temporary file beside `path`, then rename it over `path`: a
    reader finds the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as out:
            write(out)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temporary, 0o644)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def build(*, base_url: str | None = None) -> ExportFile:
    """Write the anonymous export into EXPORTS_DIR and make it the one served.

    Raises WithdrawnWhileBuilding, serving nothing, when a withdrawal came after it began
    (the chunks read before it may hold what is no longer public); the next build retries.
    """
    directory = exports_dir()
    directory.mkdir(parents=True, exist_ok=True)
    started = time.time_ns()
    audience = Audience(None)  # anonymous: published records only, names redacted
    audience.base = (settings.EXPORTS_BASE_URL if base_url is None else base_url).rstrip("/")
    stamp = fingerprint()  # before reading: a change while writing shows in the next build
    digest = hashlib.sha256()
    size = 0

    def write(out):
        nonlocal size
        # Labels ("a protected person") in the site's language, whoever asked.
        with translation.override(settings.LANGUAGE_CODE):
            for chunk in popolo_chunks(audience):
                digest.update(chunk)
                size += len(chunk)
                out.write(chunk)
        if _withdrawn_since(started):
            raise WithdrawnWhileBuilding

    name = f"{PREFIX}{started}.json"
    building = directory / f"{BUILDING}.{os.getpid()}.{started}"
    building.touch()
    try:
        _write_atomically(directory / name, write)
    finally:
        building.unlink(missing_ok=True)
    etag = digest.hexdigest()[:32]
    export = ExportFile(
        name=name,
        etag=quote_etag(etag),
        size=size,
        built_at=timezone.now().isoformat(),
        fingerprint=stamp,
    )
    _write_atomically(
        directory / POINTER, lambda out: out.write(json.dumps(asdict(export)).encode())
    )
    if _withdrawn_since(started):  # between the check above and the pointer
        withdraw()
        raise WithdrawnWhileBuilding
    _remove_old_files(keep=name)
    return export


def _remove_old_files(*, keep: str) -> None:
    """Earlier exports, except the one just replaced: a reader that read the pointer a
    moment ago may still be opening it (an open file stays readable once unlinked)."""
    # Named by when each build began, so sorting by name sorts by age.
    older = sorted(p for p in exports_dir().glob(f"{PREFIX}*.json") if p.name != keep)
    for path in older[:-1]:
        path.unlink(missing_ok=True)


def withdraw() -> None:
    """Stop serving the current file (it may name what is no longer public), and make any
    build under way discard what it wrote."""
    directory = exports_dir()
    if directory.exists():
        _write_atomically(
            directory / WITHDRAWN, lambda out: out.write(str(time.time_ns()).encode())
        )
    (directory / POINTER).unlink(missing_ok=True)


def _withdrawn_since(started: int) -> bool:
    try:
        return int((exports_dir() / WITHDRAWN).read_text()) >= started
    except (FileNotFoundError, ValueError):
        return False


def is_small() -> bool:
    """Few enough public statements to build the export within a request (one bounded
    count, asked only while there is no file)."""
    limit = settings.EXPORT_BUILD_IN_REQUEST_MAX
    return public_rows("statement", documents=False)[: limit + 1].count() <= limit


# Withdrawal on the ORM's signals --------------------------------------------------------


def _withdraw_if_leaving_public(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not _served_or_building():
        return
    # The cheap test first: a record staying public needs no query.
    if not _public_now(instance) and (
        sender._default_manager.public().filter(pk=instance.pk).exists()
    ):
        _withdraw_now_and_on_commit()


def _served_or_building() -> bool:
    directory = exports_dir()
    return (directory / POINTER).exists() or any(directory.glob(f"{BUILDING}.*"))


def _withdraw_now_and_on_commit() -> None:
    # Now, so nothing serves the file from here on; once more at commit, so a build that
    # began before the change was visible is discarded too.
    withdraw()
    transaction.on_commit(withdraw)


def _public_now(instance) -> bool:
    """Whether the record, as it is about to be saved, passes its own part of the public
    rule (a related record's part is judged when that record is saved)."""
    return instance.status == Status.PUBLISHED and not getattr(instance, "is_protected", False)


def _withdraw_on_delete(sender, instance, **kwargs):
    if not _served_or_building():
        return
    export = current()
    # A record created after the file was built is not in it.
    if export is None or instance.created_at <= export.built:
        _withdraw_now_and_on_commit()


def connect_signals() -> None:
    for model in EXPORTED_MODELS:
        pre_save.connect(_withdraw_if_leaving_public, sender=model, dispatch_uid=f"popolo-{model}")
        post_delete.connect(_withdraw_on_delete, sender=model, dispatch_uid=f"popolo-{model}")
