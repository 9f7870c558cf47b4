"""Playwright driving Debian's chromium against pytest-django's live server."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, transaction

# Playwright's sync API runs an event loop in this thread; Django's ORM calls made from it
# (fixtures, assertions) are still synchronous and safe here.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import sync_playwright

from tests.conftest import app_tables

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
ARTIFACTS = Path(settings.BASE_DIR) / "test-artifacts" / "site"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}


@pytest.fixture(scope="session")
def browser():
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def tab(browser):
    """A fresh browser tab at desktop width, downloads allowed."""
    context = browser.new_context(viewport=DESKTOP, accept_downloads=True, locale="en-GB")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def seed_snapshot(django_db_setup, django_db_blocker):
    """The seed command's rows, and the content types they refer to by natural key.

    Live-server tests flush the database after each test, and the flush recreates the
    content types under new ids; generic relations (citations) are remapped on load.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed", stdout=io.StringIO())
        rows = {model: list(model._default_manager.values()) for model in app_tables()}
        content_types = {ct.pk: ct.natural_key() for ct in ContentType.objects.all()}
        transaction.set_rollback(True)
    return rows, content_types


@pytest.fixture
def site(live_server, transactional_db, seed_snapshot):
    """The live server's base URL, with the seed data loaded and committed."""
    rows_by_model, content_types = seed_snapshot
    ContentType.objects.clear_cache()
    current = {ct.natural_key(): ct.pk for ct in ContentType.objects.all()}
    with transaction.atomic():
        for model, rows in rows_by_model.items():
            objects = []
            for row in rows:
                if row.get("content_type_id") is not None:
                    row = {**row, "content_type_id": current[content_types[row["content_type_id"]]]}
                objects.append(model(**row))
            model._default_manager.bulk_create(objects)
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), list(rows_by_model)):
                cursor.execute(statement)
    yield live_server.url
    ContentType.objects.clear_cache()


@pytest.fixture(scope="session")
def artifacts():
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
