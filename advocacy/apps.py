from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


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


class AdvocacyAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the project's admin site (advocacy/adminsite.py)."""

    default = False  # INSTALLED_APPS names it; "advocacy" stays AdvocacyConfig
    default_site = "advocacy.adminsite.AdvocacyAdminSite"
