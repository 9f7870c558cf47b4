from django.core.management.base import BaseCommand, CommandError

from advocacy.services.archive import ArchiveError, export_archive


class Command(BaseCommand):
    help = (
        "Write a complete, versioned archive of the database (every record, its history, "
        "citations, archived source texts, users and groups) to the folder PATH: JSON lines "
        "plus a manifest with counts and SHA-256 checksums. Restore with import_archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="A new (or empty) folder to write the archive to.")
        parser.add_argument("--database", default="default")

    def handle(self, *args, **options):
        try:
            manifest = export_archive(options["path"], using=options["database"])
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        total = sum(entry["count"] for entry in manifest["models"])
        for entry in manifest["models"]:
            if entry["count"]:
                self.stdout.write(f"  {entry['model']}: {entry['count']}")
        self.stdout.write(
            self.style.SUCCESS(
                f"Archived {total} records of {len(manifest['models'])} models to "
                f"{options['path']} (format version {manifest['format_version']})."
            )
        )
