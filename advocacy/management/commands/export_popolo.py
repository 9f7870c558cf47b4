import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from advocacy.api import popolo_files
from advocacy.api.audience import Audience
from advocacy.formats.popolo import popolo_chunks


class Command(BaseCommand):
    help = (
        "Write the public Popolo export (what /api/v1/export/popolo.json gives an anonymous "
        "reader). Without PATH: into EXPORTS_DIR, as the file the endpoint serves; with "
        "--every N, check every N seconds and rebuild it when the public records changed "
        "(or it was withdrawn, or is older than --max-age). With PATH: to that file, or to "
        "standard output with '-'."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", nargs="?", help="A file to write ('-' for standard output).")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Prefix of the links in the export, e.g. https://tracker.example.org "
            "(default: EXPORTS_BASE_URL; paths only when that is empty).",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running: check every SECONDS and rebuild the served file when needed.",
        )
        parser.add_argument(
            "--if-changed",
            action="store_true",
            help="Rebuild the served file only when the public records changed since it was "
            "built (or there is none, or it is older than --max-age).",
        )
        parser.add_argument(
            "--max-age",
            type=int,
            default=3600,
            metavar="SECONDS",
            help="With --every or --if-changed: rebuild a file this old in any case "
            "(default 3600).",
        )

    def handle(self, *args, path, base_url, every, if_changed, max_age, **options):
        if path is not None:
            if every or if_changed:
                raise CommandError("--every and --if-changed build the served file: no PATH.")
            return self.write_to(path, base_url)
        if not every:
            self.refresh(base_url, only_if_changed=if_changed, max_age=max_age)
            return
        while True:  # docker-compose's `exporter` service
            try:
                self.refresh(base_url, only_if_changed=True, max_age=max_age)
            except Exception as exc:  # keep the schedule; the last good file stays served
                self.stderr.write(f"Export failed: {exc}")
            close_old_connections()
            time.sleep(every)

    def refresh(self, base_url, *, only_if_changed: bool, max_age: int) -> None:
        current = popolo_files.current()
        if only_if_changed and current is not None:
            fresh = (timezone.now() - current.built).total_seconds() < max_age
            if fresh and current.fingerprint == popolo_files.fingerprint():
                return
        try:
            export = popolo_files.build(base_url=base_url)
        except popolo_files.WithdrawnWhileBuilding as exc:
            raise CommandError(
                "A record left the public while the export was written; nothing was "
                "replaced. Run again (with --every, the next check does)."
            ) from exc
        self.stderr.write(
            self.style.SUCCESS(f"Wrote {export.path} ({export.size} bytes, ETag {export.etag}).")
        )

    def write_to(self, path: str, base_url: str | None) -> None:
        audience = Audience(None)  # anonymous: published records only, names redacted
        audience.base = (base_url or "").rstrip("/")
        if path == "-":
            for chunk in popolo_chunks(audience):
                self.stdout.write(chunk.decode(), ending="")
            return
        target = Path(path)
        partial = target.with_name(target.name + ".partial")
        try:
            with partial.open("wb") as out:
                for chunk in popolo_chunks(audience):
                    out.write(chunk)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {target}: {exc}") from exc
        # Whole or not at all: a reader never finds half an export under the real name.
        partial.replace(target)
        self.stderr.write(self.style.SUCCESS(f"Wrote {target} ({target.stat().st_size} bytes)."))
