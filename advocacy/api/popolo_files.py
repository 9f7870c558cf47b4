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
a person now protected) or deleting one removes the pointer at once (`withdraw`), and
the next build makes a new file. Bulk `update()`s and raw SQL send no signal; the
scheduled build notices them by the fingerprint of what is public (`fingerprint`).

With no file yet (a fresh install, just withdrawn), the endpoint builds one itself when
the export is small (at most EXPORT_BUILD_IN_REQUEST_MAX statements), else answers 503
with Retry-After until the scheduled build has written it.
"""

import datetime
import hashlib
import json
import os
import tempfile
from dataclasses import asdict, dataclass
from pathlib import Path

from django.conf import settings
from django.db.models import Count, Max, Sum
from django.db.models.signals import post_delete, pre_save
from django.utils import timezone, translation
from django.utils.http import quote_etag

from advocacy.api.audience import Audience
from advocacy.api.popolo import SECTIONS, popolo_chunks
from advocacy.choices import Status
from advocacy.models import Event, Group, Membership, Person, Statement

POINTER = "popolo.json.current"
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
    for key, selector, _ in SECTIONS:
        row = selector(user=None).aggregate(n=Count("pk"), ids=Sum("pk"), latest=Max("updated_at"))
        latest = row["latest"].isoformat() if row["latest"] else ""
        parts.append(f"{key}:{row['n']}:{row['ids'] or 0}:{latest}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]


def _write_atomically(path: Path, write) -> None:
    """Write through a temporary file beside `path`, then rename it over `path`: a
    reader finds the old file or the new one, never half of one."""
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
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
    """Write the anonymous export into EXPORTS_DIR and make it the one served."""
    directory = exports_dir()
    directory.mkdir(parents=True, exist_ok=True)
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

    staging = directory / f"{PREFIX}building-{os.getpid()}.json"
    _write_atomically(staging, write)
    etag = digest.hexdigest()[:32]
    name = f"{PREFIX}{etag}.json"
    os.replace(staging, directory / name)
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
    _remove_old_files(keep=name)
    return export


def _remove_old_files(*, keep: str) -> None:
    """Earlier exports, except the one just replaced: a reader that read the pointer a
    moment ago may still be opening it (an open file stays readable once unlinked)."""
    older = sorted(
        (p for p in exports_dir().glob(f"{PREFIX}*.json") if p.name != keep),
        key=lambda p: p.stat().st_mtime,
    )
    for path in older[:-1]:
        path.unlink(missing_ok=True)


def withdraw() -> None:
    """Stop serving the current file (it may name what is no longer public)."""
    (exports_dir() / POINTER).unlink(missing_ok=True)


def is_small() -> bool:
    """Few enough public statements to build the export within a request (one bounded
    count, asked only while there is no file)."""
    limit = settings.EXPORT_BUILD_IN_REQUEST_MAX
    return Statement.objects.public()[: limit + 1].count() <= limit


# Withdrawal on the ORM's signals --------------------------------------------------------


def _withdraw_if_leaving_public(sender, instance, raw=False, **kwargs):
    if raw or instance.pk is None or not (exports_dir() / POINTER).exists():
        return
    # The cheap test first: a record staying public needs no query.
    if not _public_now(instance) and (
        sender._default_manager.public().filter(pk=instance.pk).exists()
    ):
        withdraw()


def _public_now(instance) -> bool:
    """Whether the record, as it is about to be saved, passes its own part of the public
    rule (a related record's part is judged when that record is saved)."""
    return instance.status == Status.PUBLISHED and not getattr(instance, "is_protected", False)


def _withdraw_on_delete(sender, instance, **kwargs):
    export = current()
    if export is not None and instance.created_at <= export.built:
        withdraw()


def connect_signals() -> None:
    for model in EXPORTED_MODELS:
        pre_save.connect(_withdraw_if_leaving_public, sender=model, dispatch_uid=f"popolo-{model}")
        post_delete.connect(_withdraw_on_delete, sender=model, dispatch_uid=f"popolo-{model}")
