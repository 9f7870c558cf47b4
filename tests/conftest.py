import io

import pytest
from django.apps import apps
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import translation
from rest_framework.test import APIClient

from advocacy.publication.triggers import forget_pending
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def _no_public_rebuild_left_pending():
    """Each test starts with nothing pending for the public rows (an earlier test's
    changes were rolled back with it)."""
    forget_pending()


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the site's default language: a request to a /ru/ or /uk/ page
    leaves its language active in the thread, and `reverse()` in the next test would give
    that language's addresses."""
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def exports_dir(settings, tmp_path):
    """Each test its own EXPORTS_DIR: the Popolo file one test built is never served to the
    next."""
    settings.EXPORTS_DIR = tmp_path / "exports"
    return settings.EXPORTS_DIR


@pytest.fixture(autouse=True)
def releases_dir(settings, tmp_path):
    """Each test its own RELEASES_DIR: no test sees another's data releases."""
    settings.RELEASES_DIR = tmp_path / "releases"
    return settings.RELEASES_DIR


@pytest.fixture
def researcher(db):
    """Can view and change everything, drafts included, but is not a superuser."""
    return UserFactory(is_staff=True, permissions=["view", "add", "change"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def researcher_client(client, researcher):
    client.force_login(researcher)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


def app_tables():
    """Every table of the app, history and many-to-many tables included."""
    return list(apps.get_app_config("advocacy").get_models(include_auto_created=True))


@pytest.fixture(scope="session")
def seed_rows(django_db_setup, django_db_blocker):
    """The rows one real run of `manage.py seed` writes, taken once per session."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", stdout=io.StringIO())
        rows = {model: list(model._default_manager.values()) for model in app_tables()}
        transaction.set_rollback(True)
    return rows


@pytest.fixture
def seeded(db, seed_rows):
    """The five seed articles' records, exactly as the seed command loads them.

    Restored in bulk from one real run per session, instead of re-running the command
    (two thousand queries) in every test that reads the seed data.
    """
    for model, rows in seed_rows.items():
        model._default_manager.bulk_create(model(**row) for row in rows)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), list(seed_rows)):
            cursor.execute(statement)
