from django.apps import AppConfig


class AdvocacyConfig(AppConfig):
    name = "advocacy"
    verbose_name = "Advocacy Tracker"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from advocacy.publication import triggers

        triggers.connect()
