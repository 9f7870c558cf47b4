"""Database triggers that hide public rows when a working record is hidden by any means
(advocacy/publication/fail_closed.py, which reinstalls them after every `migrate`)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from advocacy.publication.fail_closed import install

    install(schema_editor.connection)


def backwards(apps, schema_editor):
    from advocacy.publication.fail_closed import uninstall

    uninstall(schema_editor.connection)


class Migration(migrations.Migration):
    dependencies = [("advocacy", "0006_public_pages_and_topics")]

    operations = [migrations.RunPython(forwards, backwards)]
