"""The corrections log end to end in a browser: an editor corrects a published statement's
date in the admin and saves it (an editor's save publishes); the statement's public page
then lists the correction under "Changes", in plain words, in each language."""

import datetime
import re

import pytest
from django.conf import settings
from django.contrib.auth.models import Group as AuthGroup
from django.utils import translation
from playwright.sync_api import expect

from advocacy.dates import format_partial_date
from advocacy.models import Statement
from advocacy.services.roles import EDITOR, roles_setup
from tests.factories import UserFactory

pytestmark = pytest.mark.browser

SLUG = "putin-we-share-your-pain"
CORRECTED = datetime.date(2022, 11, 24)


@pytest.fixture
def editor(site):
    """A user in the editors' role (setup_roles), not a superuser."""
    roles_setup()
    user = UserFactory(username="editor", is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=EDITOR))
    return user


def said(language: str, before: datetime.date, after: datetime.date) -> str:
    """The correction as the page says it in a language ("Date corrected from … to …")."""
    with translation.override(language):
        return translation.gettext("%(field)s corrected from “%(old)s” to “%(new)s”.") % {
            "field": translation.gettext("date").capitalize(),
            "old": format_partial_date(before, "day"),
            "new": format_partial_date(after, "day"),
        }


def test_an_editor_corrects_a_date_and_the_public_page_lists_the_correction(
    tab, site, editor, artifacts
):
    statement = Statement.objects.get(slug=SLUG)
    before = statement.date
    assert statement.status == "published" and statement.date_precision == "day"
    assert before != CORRECTED
    page = f"{site}/statements/{SLUG}/"
    tab.goto(page)
    changes = tab.locator("section.changes")
    expect(changes).to_contain_text("First published.")
    expect(changes).not_to_contain_text("corrected")

    tab.goto(f"{site}/{settings.ADMIN_URL}login/")
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", "correct horse battery staple")
    tab.click("input[type=submit]")
    tab.wait_for_url(re.compile(rf"/{settings.ADMIN_URL}$"))
    tab.goto(f"{site}/{settings.ADMIN_URL}advocacy/statement/{statement.pk}/change/")
    expect(tab.locator("#id_date")).to_have_value(before.isoformat())
    tab.fill("#id_date", CORRECTED.isoformat())
    tab.click("input[name=_save]")
    expect(tab.locator(".messagelist")).to_contain_text("was changed successfully")

    statement.refresh_from_db()
    assert (statement.date, statement.status) == (CORRECTED, "published")
    for prefix, language in (("", "en"), ("/ru", "ru"), ("/uk", "uk")):
        tab.goto(f"{site}{prefix}/statements/{SLUG}/")
        entries = tab.locator("section.changes li")
        # Newest first: the correction, then the first publication.
        expect(entries).to_have_count(2)
        expect(entries.first).to_contain_text(said(language, before, CORRECTED))
        tab.locator("section.changes").screenshot(
            path=artifacts / f"{language}-corrections-log-1280.png"
        )
        with translation.override(language):
            shown = format_partial_date(CORRECTED, "day")
        expect(tab.locator(".record-header .meta-line")).to_contain_text(shown)
