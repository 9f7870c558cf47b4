from django.core.management.base import BaseCommand

from advocacy.services.roles import roles_setup


class Command(BaseCommand):
    help = (
        "Create or update the viewer, researcher and editor groups and their permissions. "
        "Safe to run again."
    )

    def handle(self, *args, **options):
        for line in roles_setup():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS("Roles are set up."))
