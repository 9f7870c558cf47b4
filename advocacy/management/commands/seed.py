from django.core.management.base import BaseCommand, CommandError

from advocacy.services.seeding import FIXTURE_DIR, SeedError, seed_database


class Command(BaseCommand):
    help = "Load the records built from the five seed articles. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=str(FIXTURE_DIR), help="Folder of fixture files to load."
        )

    def handle(self, *args, **options):
        try:
            report = seed_database(fixture_dir=options["fixtures"])
        except SeedError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Seed data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Seed data already up to date; nothing changed."))
