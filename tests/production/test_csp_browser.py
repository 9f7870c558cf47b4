"""In a real browser, the site, the admin and the API docs work under the CSP: the console
shows no Content-Security-Policy violation on any of them."""

import pytest
from django.urls import reverse

from tests import factories

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]
PASSWORD = "correct horse battery staple"

# Collects violations as the page reports them, from the first script on.
LISTEN = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"} ` +
    `at ${event.sourceFile}:${event.lineNumber}`);
});
"""


@pytest.fixture
def site(live_server, settings):
    """Records to show and an administrator, committed for the live server's thread."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    statement = factories.StatementFactory()
    group = factories.GroupFactory()
    factories.CitationFactory(content_object=group)
    factories.UserFactory(username="csp-admin", is_staff=True, is_superuser=True)
    return {
        "home": reverse("home"),
        "list": reverse("group-list"),
        "detail": group.get_absolute_url(),
        "statement": statement.get_absolute_url(),
        "search": reverse("search") + "?q=mothers",
        "changelist": reverse("admin:advocacy_group_changelist"),
        "change": reverse("admin:advocacy_statement_change", args=[statement.pk]),
        "api docs": "/api/docs/",
        "base": live_server.url,
    }


def test_no_csp_violation_on_site_admin_and_api_docs(site):
    from playwright.sync_api import sync_playwright

    base = site.pop("base")
    problems: list[str] = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page()
        page.add_init_script(LISTEN)
        # The browser's own "Refused to ..." console messages, not only the page's.
        cdp = page.context.new_cdp_session(page)
        cdp.send("Log.enable")
        console: list[str] = []
        cdp.on("Log.entryAdded", lambda event: console.append(event["entry"]["text"]))
        page.on("console", lambda message: console.append(message.text))

        def visit(name: str, path: str, ready: str) -> None:
            console.clear()
            response = page.goto(base + path, wait_until="networkidle")
            assert response.status == 200, (name, response.status)
            page.wait_for_selector(ready, timeout=15_000)
            violations = page.evaluate("window.__cspViolations")
            refused = [
                text for text in console if "Content Security Policy" in text or "Refused" in text
            ]
            if violations or refused:
                problems.append(f"{name} {path}: {violations} {refused}")

        for name in ("home", "list", "detail", "statement", "search"):
            visit(name, site[name], "main")

        visit("admin login", reverse("admin:login"), "#login-form")
        page.fill("#id_username", "csp-admin")
        page.fill("#id_password", PASSWORD)
        page.click("input[type=submit]")
        page.wait_for_url(f"{base}{reverse('admin:index')}")
        visit("admin changelist", site["changelist"], "#result_list")
        visit("admin change form", site["change"], "#content-main form")

        # Swagger UI renders the operations only if its scripts and styles all loaded.
        visit("API docs", site["api docs"], "#swagger-ui .opblock")
        # ReDoc renders its menu only if its (self-hosted, patched) bundle ran; its search
        # runs in a blob: worker.
        visit("API docs (ReDoc)", "/api/redoc/", ".menu-content")
        page.fill("input[placeholder='Search...']", "groups")
        page.wait_for_selector("[data-role='search:results']", timeout=15_000)
        if page.evaluate("window.__cspViolations"):
            problems.append(f"ReDoc search: {page.evaluate('window.__cspViolations')}")
        browser.close()
    assert problems == []
