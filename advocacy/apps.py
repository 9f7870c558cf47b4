from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = "Advocacy Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advocacy.publication import triggers

        triggers.connect()

        # A saved or deleted record that leaves the public withdraws the Popolo export file.
        from advocacy.api.popolo_files import connect_signals

        connect_signals()
