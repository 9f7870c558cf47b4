"""The admin's index names its two kinds of groups apart, and the statement changelist keeps
its columns few and its summaries short (its layout at 1280 px is checked in the browser:
tests/site/browser/test_languages_and_layout.py)."""

import pytest
from django.urls import reverse

from advocacy.admin.records import SUMMARY_LENGTH
from tests.factories import StatementFactory


@pytest.mark.django_db
def test_index_tells_user_groups_from_advocacy_groups(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    assert "User groups (permissions)" in html
    assert "Users and access" in html
    assert html.count(">Groups</a>") == 1  # the advocacy groups, the records


@pytest.mark.django_db
def test_statement_changelist_cuts_summaries_at_a_word(admin_client):
    summary = "Mothers of mobilized soldiers ask " + "for the return of their sons " * 10
    StatementFactory(summary=summary)
    html = admin_client.get(reverse("admin:advocacy_statement_changelist")).content.decode()
    shown = summary[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"
    assert shown in html
    assert summary.strip() not in html
    assert "1 quotation" in html or "0 quotations" in html
