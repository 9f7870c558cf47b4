from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advocacy.api.audience import Audience
from advocacy.api.popolo import popolo_chunks


class Command(BaseCommand):
    help = (
        "Write the public Popolo export (what /api/v1/export/popolo.json gives an anonymous "
        "reader) to PATH, or to standard output with '-': for archives too large to download "
        "in one request, or to publish as a file."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The file to write ('-' for standard output).")
        parser.add_argument(
            "--base-url",
            default="",
            help="Prefix of the links in the export, e.g. https://tracker.example.org "
            "(default: paths only).",
        )

    def handle(self, *args, path, base_url, **options):
        audience = Audience(None)  # anonymous: published records only, names redacted
        audience.base = base_url.rstrip("/")
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
