from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from advocacy.formats import ftm


class Command(BaseCommand):
    help = (
        "Write the public records as FollowTheMoney entities, one JSON object a line (what "
        "/api/v1/export/ftm.jsonl serves and the `ftm` tools read), to PATH ('-' for "
        "standard output)."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A file to write ('-' for standard output).")
        parser.add_argument(
            "--base-url",
            default=None,
            help="Prefix of our links in the entities, e.g. https://tracker.example.org "
            "(default: EXPORTS_BASE_URL; paths only when that is empty).",
        )

    def handle(self, *args, path, base_url, **options):
        from django.conf import settings

        base = (settings.EXPORTS_BASE_URL if base_url is None else base_url).rstrip("/")
        if path == "-":
            for line in ftm.lines(base=base):
                self.stdout.write(line.decode(), ending="")
            return
        target = Path(path)
        partial = target.with_name(target.name + ".partial")
        count = 0
        try:
            with partial.open("wb") as out:
                for line in ftm.lines(base=base):
                    out.write(line)
                    count += 1
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise CommandError(f"Could not write {target}: {exc}") from exc
        # Whole or not at all: a reader never finds half an export under the real name.
        partial.replace(target)
        self.stderr.write(self.style.SUCCESS(f"Wrote {count} entities to {target}."))
