from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


def install_fail_closed_triggers(sender, using, **kwargs):
    """After every migrate: SQLite drops a table's triggers when a migration rebuilds it."""
    from django.db import connections, router

    from advocacy.publication.fail_closed import install

    if router.allow_migrate(using, "advocacy"):  # never on a read-only replica
        install(connections[using])


class AdvocacyConfig(AppConfig):
    default = True
    name = "advocacy"
    verbose_name = "Advocacy Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advocacy.publication import triggers

        triggers.connect()

        # A saved or deleted record that leaves the public withdraws the Popolo export file.
        from advocacy.api.popolo_files import connect_signals

        connect_signals()

        post_migrate.connect(
            install_fail_closed_triggers, sender=self, dispatch_uid="advocacy-fail-closed"
        )


class AdvocacyAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's admin site (advocacy/adminsite.py)."""

    default = False  # INSTALLED_APPS names it; "advocacy" stays AdvocacyConfig
    default_site = "advocacy.adminsite.AdvocacyAdminSite"
