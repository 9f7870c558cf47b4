"""A journalist's path through the site, in a real browser: home, search in Cyrillic,
filters, a statement's quotations, a footnote to the highlighted quote, a download.
Every page type at phone and desktop widths, in each language, checked by axe-core, is
test_languages_and_layout.py."""

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from advocacy.models import Quotation, Statement

pytestmark = pytest.mark.browser


def test_home_page(tab, site):
    tab.goto(site + "/")
    expect(tab.locator("h1")).to_have_count(1)
    expect(tab.locator(".counts")).to_contain_text("statements")
    expect(tab.locator("#groups-title + ul").get_by_role("link", name="Put' Domoi")).to_be_visible()


def test_search_in_cyrillic_finds_tsukanova(tab, site):
    tab.goto(site + "/")
    tab.get_by_label("Search the record").fill("Цуканова")
    tab.keyboard.press("Enter")
    tab.wait_for_url(re.compile(r"/search/\?q="))
    people = tab.locator("#results-people + ul")
    expect(people.get_by_role("link", name="Olga Tsukanova")).to_be_visible()
    expect(tab.locator("mark.hit").first).to_be_visible()


def test_filter_statements_by_group_and_date(tab, site):
    tab.goto(site + "/statements/")
    tab.get_by_label("Group", exact=True).select_option("council-of-mothers-and-wives")
    tab.get_by_label("From date").fill("2022-11-01")
    tab.get_by_label("To date").fill("2022-11-30")
    tab.get_by_role("button", name="Apply filters").click()
    tab.wait_for_url(re.compile(r"group=council-of-mothers-and-wives"))
    results = tab.locator(".record-list")
    expect(results).to_contain_text("Tsukanova asks Putin")
    expect(results).not_to_contain_text("Put' Domoi accuses Putin")
    expect(tab.locator("#results-title")).to_contain_text("records")


def test_statement_quotations_and_footnote_to_the_highlighted_quote(tab, site):
    statement = Statement.objects.get(slug="tsukanova-are-you-a-man-or-what")
    quotation = Quotation.objects.filter(statement=statement, is_verbatim=True).first()
    tab.goto(site + statement.get_absolute_url())
    cards = tab.locator(".quotation-card")
    assert cards.count() >= 2
    expect(cards.first).to_contain_text("The Moscow Times")
    expect(cards.nth(1)).to_contain_text("Newsweek")
    # The quotation's footnote, then the footnote's link to the source page.
    card = tab.locator(f"#quotation-{quotation.pk}")
    card.locator("sup.fn a").first.click()
    note = tab.locator(":target")
    expect(note).to_have_attribute("id", re.compile(r"fn-\d+"))
    note.get_by_role("link", name=re.compile("See it in the source")).click()
    tab.wait_for_url(re.compile(rf"/sources/.+#quotation-{quotation.pk}$"))
    mark = tab.locator(f"mark#quotation-{quotation.pk}")
    expect(mark).to_be_in_viewport()
    expect(mark).to_contain_text(quotation.text[:30])
    background = mark.evaluate("el => getComputedStyle(el).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")


def test_download_csv_of_the_filtered_list(tab, site):
    tab.goto(site + "/people/?q=Цуканова")
    with tab.expect_download() as download_info:
        tab.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("people-")
    with open(download.path(), "rb") as file:
        raw = file.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [row["name"] for row in rows] == ["Olga Tsukanova"]
    assert "Ольга Цуканова" in rows[0]["aliases"]


def test_keyboard_reaches_the_content(tab, site):
    tab.goto(site + "/groups/")
    tab.keyboard.press("Tab")
    expect(tab.get_by_role("link", name="Skip to content")).to_be_focused()
    tab.keyboard.press("Enter")
    assert tab.evaluate("document.activeElement.id") == "main"
