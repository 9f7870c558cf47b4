from django.core.management.base import BaseCommand, CommandError

from advocacy.services.archive import ArchiveError, import_archive


class Command(BaseCommand):
    help = (
        "Restore an archive written by export_archive into an EMPTY, migrated database, in "
        "one transaction. Refuses, changing nothing, a damaged archive (counts or checksums), "
        "one made at other migrations, and a database that already holds records."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="The archive folder (with manifest.json).")
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Load and check everything, then roll back: a restore drill.",
        )

    def handle(self, *args, **options):
        try:
            loaded = import_archive(
                options["path"], using=options["database"], dry_run=options["dry_run"]
            )
        except ArchiveError as exc:
            raise CommandError(str(exc)) from exc
        for label, count in loaded.items():
            if count:
                self.stdout.write(f"  {label}: {count}")
        total = sum(loaded.values())
        if options["dry_run"]:
            self.stdout.write(
                self.style.SUCCESS(f"Dry run: {total} records load cleanly; rolled back.")
            )
        else:
            self.stdout.write(self.style.SUCCESS(f"Restored {total} records."))
