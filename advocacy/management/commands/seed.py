from django.core.management.base import BaseCommand, CommandError

from advocacy.services.seeding import FIXTURE_DIR, SeedError, seed_database


class Command(BaseCommand):
    help = (
        "Load the records built from the five seed articles. Safe to run again: it creates "
        "what is missing and keeps records researchers have edited."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures", default=str(FIXTURE_DIR), help="Folder of fixture files to load."
        )
        parser.add_argument(
            "--update",
            action="store_true",
            help="Restore the fixtures' values over edits made since (researchers' work is lost).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Load only into a database with no records yet (for container starts).",
        )

    def handle(self, *args, **options):
        try:
            report = seed_database(
                fixture_dir=options["fixtures"],
                update=options["update"],
                if_empty=options["if_empty"],
            )
        except SeedError as exc:
            raise CommandError(f"Nothing was loaded. {exc}") from exc
        if report.skipped:
            self.stdout.write("The database already holds records; seed data not loaded.")
            return
        for line in report.lines():
            self.stdout.write(f"  {line}")
        if sum(report.kept.values()):
            self.stdout.write(
                "Records edited since they were seeded were kept; --update restores the seed."
            )
        if report.changed:
            self.stdout.write(self.style.SUCCESS("Seed data loaded."))
        else:
            self.stdout.write(self.style.SUCCESS("Seed data already up to date; nothing changed."))
