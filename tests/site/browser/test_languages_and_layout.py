"""Every public page type in English, Russian and Ukrainian, at phone and desktop widths, in
a real browser: one h1, hreflang alternates, no sideways scrolling, no clipped timeline
label, no axe-core violation of any impact. A Russian address opened in a fresh browser is
Russian; the switcher moves between a page's addresses. The admin fits 1280 px with its
navigation sidebar open. Screenshots go to test-artifacts/site/ (looked at by hand)."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from tests.site.browser.conftest import DESKTOP, PHONE

pytestmark = pytest.mark.browser

PAGES = {
    "home": "/",
    "about": "/about/",
    "group-list": "/groups/",
    "group-detail": "/groups/put-domoi/",
    "group-members": "/groups/council-of-mothers-and-wives/",
    "person-list": "/people/",
    "person-detail": "/people/olga-tsukanova/",
    "event-list": "/events/",
    "event-detail": "/events/putin-meeting-with-soldiers-mothers-2022/",
    "statement-list": "/statements/",
    "statement-detail": "/statements/tsukanova-are-you-a-man-or-what/",
    "source-list": "/sources/",
    "source-detail": "/sources/mt-2023-12-18-families-call-on-putin-to-end-war/",
    "search": "/search/?q=Мельникова",
    "timeline": "/timeline/",
    "bad-filter": "/statements/?date_after=notadate",
    "not-found": "/groups/no-such-group/",
}
LANGUAGES = {"en": "", "ru": "/ru", "uk": "/uk"}

# Every timeline label (chart labels and ticks, list items) inside what is shown of it.
CLIPPED_TIMELINE_LABELS = """() => {
  const clipped = [];
  for (const svg of document.querySelectorAll('svg.timeline-svg')) {
    if (!svg.getClientRects().length) continue;  // not drawn at this width
    const width = svg.viewBox.baseVal.width;
    for (const text of svg.querySelectorAll('text')) {
      const box = text.getBBox();
      if (box.x < -0.5 || box.x + box.width > width + 0.5) clipped.push(text.textContent);
    }
  }
  for (const item of document.querySelectorAll('.timeline-list li, .undated-list li')) {
    if (item.scrollWidth > item.clientWidth + 1) clipped.push(item.textContent.trim());
  }
  return clipped;
}"""


def hreflangs(tab) -> set[str]:
    return set(
        tab.eval_on_selector_all(
            "head link[rel=alternate][hreflang]", "links => links.map(l => l.hreflang)"
        )
    )


def axe_violations(tab) -> list[str]:
    return [
        f"{violation['id']} ({violation['impact']}): "
        + "; ".join(str(node["target"][0]) for node in violation["nodes"][:3])
        for violation in Axe().run(tab).response["violations"]
    ]


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_in_each_language_at_phone_and_desktop(tab, site, artifacts, language):
    """One live-server session per language; every page's problems reported together."""
    prefix = LANGUAGES[language]
    problems = {}
    for name, path in PAGES.items():
        found = []
        for viewport in (DESKTOP, PHONE):
            tab.set_viewport_size(viewport)
            tab.goto(site + prefix + path)
            width = viewport["width"]
            if tab.locator("h1").count() != 1:
                found.append(f"{width}: not exactly one h1")
            if tab.get_attribute("html", "lang") != language:
                found.append(f"{width}: html lang is not {language}")
            if hreflangs(tab) != {"en", "ru", "uk", "x-default"}:
                found.append(f"{width}: hreflang alternates {sorted(hreflangs(tab))}")
            scroll = tab.evaluate("document.documentElement.scrollWidth")
            if scroll > width:
                found.append(f"{scroll}px wide at {width}px")
            if clipped := tab.evaluate(CLIPPED_TIMELINE_LABELS):
                found.append(f"{width}: clipped timeline labels {clipped[:3]}")
            found += [f"{width}: {v}" for v in axe_violations(tab)]
            tab.screenshot(path=artifacts / f"{language}-{name}-{width}.png", full_page=True)
        if found:
            problems[prefix + path] = found
    assert not problems, problems


def test_a_russian_address_in_a_fresh_browser_is_russian(browser, site):
    context = browser.new_context(viewport=PHONE, locale="en-US")
    page = context.new_page()
    page.goto(site + "/ru/groups/put-domoi/")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    expect(page.get_by_role("navigation", name="Основная")).to_contain_text("Группы")
    # The switcher: the same page in Ukrainian, then in English.
    page.get_by_role("link", name="Українська").click()
    page.wait_for_url(site + "/uk/groups/put-domoi/")
    expect(page.locator("html")).to_have_attribute("lang", "uk")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(site + "/groups/put-domoi/")
    expect(page.locator("h1")).to_contain_text("Put' Domoi")
    context.close()


def test_favicon_is_found_with_no_console_error(tab, site):
    errors = []
    tab.on("console", lambda message: message.type == "error" and errors.append(message.text))
    tab.goto(site + "/ru/")
    response = tab.request.get(site + "/favicon.ico")
    assert response.ok
    assert response.headers["content-type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    assert errors == []


def test_timeline_is_a_month_list_on_a_phone_and_a_chart_on_a_desktop(tab, site):
    tab.set_viewport_size(PHONE)
    tab.goto(site + "/timeline/")
    expect(tab.locator("svg.timeline-svg")).to_be_hidden()
    expect(tab.locator(".timeline-period h3").first).to_be_visible()
    expect(tab.locator("#undated-title")).to_be_visible()
    tab.set_viewport_size(DESKTOP)
    expect(tab.locator("svg.timeline-svg")).to_be_visible()


def test_home_number_tiles_take_little_of_a_phones_first_screen(tab, site, artifacts):
    tab.set_viewport_size(PHONE)
    tab.goto(site + "/")
    box = tab.locator(".counts").bounding_box()
    assert box["height"] <= PHONE["height"] / 4, box


# The admin at 1280 px with the navigation sidebar open

ADMIN_PASSWORD = "a long password for the browser test"


@pytest.fixture
def admin_tab(tab, site):
    get_user_model().objects.create_superuser("editor", "editor@example.org", ADMIN_PASSWORD)
    tab.set_viewport_size({"width": 1280, "height": 900})
    tab.goto(f"{site}/{settings.ADMIN_URL}login/")
    tab.fill("#id_username", "editor")
    tab.fill("#id_password", ADMIN_PASSWORD)
    tab.click("input[type=submit]")
    tab.wait_for_url(re.compile(rf"/{settings.ADMIN_URL}$"))
    return tab


TITLE_CLEAR_OF_BUTTONS = """() => {
  const tools = document.querySelector('.object-tools');
  if (!tools) return true;
  const t = tools.getBoundingClientRect();
  for (const title of document.querySelectorAll('#content > h1, #content > h2')) {
    const range = document.createRange();
    range.selectNodeContents(title);
    for (const r of range.getClientRects()) {
      if (r.right > t.left && r.left < t.right && r.bottom > t.top && r.top < t.bottom) {
        return false;
      }
    }
  }
  return true;
}"""


def test_admin_fits_1280_px_with_the_sidebar_open(admin_tab, site, artifacts):
    tab = admin_tab
    base = f"{site}/{settings.ADMIN_URL}"
    tab.goto(base)
    expect(tab.locator("#nav-sidebar")).to_be_hidden()  # the index lists the apps itself
    index = tab.locator("#content-main")
    expect(index.get_by_role("link", name="User groups (permissions)")).to_be_visible()
    expect(index.get_by_role("link", name="Groups", exact=True)).to_have_count(1)
    tab.screenshot(path=artifacts / "admin-index-1280.png")

    tab.goto(base + "advocacy/statement/")
    expect(tab.locator("#nav-sidebar")).to_be_visible()
    results = tab.locator(".results")
    assert results.evaluate("el => el.scrollWidth <= el.clientWidth"), "changelist scrolls"
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
    assert tab.evaluate(TITLE_CLEAR_OF_BUTTONS)
    tab.screenshot(path=artifacts / "admin-statement-changelist-1280.png", full_page=True)

    tab.locator("#result_list tbody tr th a").first.click()
    tab.wait_for_url(re.compile(r"/change/$"))
    assert tab.evaluate("document.documentElement.scrollWidth") <= 1280
    assert tab.evaluate(TITLE_CLEAR_OF_BUTTONS), "title under HISTORY / VIEW ON SITE"
    citations = tab.locator(".inline-group").filter(has=tab.locator("h2", has_text="Citations"))
    for column in ("Note", "Delete?"):
        header = citations.locator("thead th", has_text=column)
        box = header.bounding_box()
        assert box and box["x"] + box["width"] <= 1280, column
    tab.screenshot(path=artifacts / "admin-statement-form-1280.png", full_page=True)
