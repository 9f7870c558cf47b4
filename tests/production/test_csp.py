"""The Content-Security-Policy header: strict everywhere, and pages that need no exception.

The browser test (test_csp_browser.py) proves pages work under it; this one checks the
policy itself on every kind of page and that the HTML carries no inline script or style.
"""

from html.parser import HTMLParser

import pytest
from django.test import Client
from django.urls import reverse

from tests import factories


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


class InlineFinder(HTMLParser):
    """Inline <script> and <style> elements, style="" and on*="" attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []
        self._in_inline_script = False

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script" and "src" not in attributes:
            kind = attributes.get("type", "text/javascript")
            if kind in ("text/javascript", "module", "application/javascript"):
                self._in_inline_script = True
        if tag == "style":
            self.found.append("<style> element")
        for name in attributes:
            if name == "style" or name.startswith("on"):
                self.found.append(f"<{tag} {name}=…>")
        if tag == "a" and (attributes.get("href") or "").lower().startswith("javascript:"):
            self.found.append("javascript: link")

    def handle_data(self, data):
        if self._in_inline_script and data.strip():
            self.found.append(f"inline <script>: {data.strip()[:60]}")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_inline_script = False


def inline_code(html: str) -> list[str]:
    finder = InlineFinder()
    finder.feed(html)
    return finder.found


@pytest.fixture
def records(db):
    statement = factories.StatementFactory()
    factories.CitationFactory(content_object=statement.speaker_person)
    return {
        "group": factories.GroupFactory(),
        "person": statement.speaker_person,
        "event": factories.EventFactory(),
        "statement": statement,
        "source": statement.quotations.get().source,
    }


def public_pages(records) -> list[str]:
    pages = [reverse("home"), reverse("search") + "?q=mothers", reverse("timeline")]
    for name, record in records.items():
        pages += [reverse(f"{name}-list"), record.get_absolute_url()]
    return pages


def test_policy_is_strict_on_every_kind_of_page(records, admin_client):
    pages = [
        *public_pages(records),
        reverse("admin:index"),
        reverse("admin:advocacy_group_changelist"),
        reverse("admin:advocacy_statement_change", args=[records["statement"].pk]),
        "/api/docs/",
        "/api/redoc/",
        "/api/v1/groups/",
    ]
    for url in pages:
        response = admin_client.get(url, secure=True)
        assert response.status_code == 200, url
        directives = policy(response)
        assert directives["default-src"] == ["'self'"], url
        assert directives["script-src"] == ["'self'"], url
        assert directives["object-src"] == ["'none'"], url
        assert directives["base-uri"] == ["'none'"], url
        assert directives["frame-ancestors"] == ["'none'"], url
        assert directives["form-action"] == ["'self'"], url
        everything = [value for values in directives.values() for value in values]
        assert not [value for value in everything if value.startswith(("http:", "https:"))], url
        assert "'unsafe-inline'" not in everything and "'unsafe-eval'" not in everything, url
        # Styles: our own files; a one-request nonce only where a page asks for one.
        style = directives["style-src"]
        assert style[0] == "'self'" and all(v.startswith("'nonce-") for v in style[1:]), url
        if url != "/api/redoc/":
            assert style == ["'self'"], url


def test_the_admin_login_page_is_strict_too(db, client):
    response = client.get(reverse("admin:login"))
    assert policy(response)["script-src"] == ["'self'"]
    assert policy(response)["style-src"] == ["'self'"]


def test_the_nonce_changes_on_every_request(db, client):
    first = policy(client.get("/api/redoc/"))["style-src"][1]
    second = policy(client.get("/api/redoc/"))["style-src"][1]
    assert first.startswith("'nonce-") and first != second


@pytest.mark.parametrize("url", ["/api/docs/", "/api/redoc/"])
def test_api_docs_have_no_inline_code_and_no_third_party_origin(db, client, url):
    html = client.get(url).content.decode()
    assert inline_code(html) == []
    assert "googleapis" not in html and "cdn." not in html


def test_public_pages_have_no_inline_script_or_style(records, client):
    offenders = {}
    for url in public_pages(records):
        response = client.get(url)
        assert response.status_code == 200, url
        found = inline_code(response.content.decode())
        if found:
            offenders[url] = found
    assert offenders == {}


def test_admin_pages_have_no_inline_script_or_style(records, admin_client):
    offenders = {}
    login = inline_code(Client().get(reverse("admin:login")).content.decode())
    if login:
        offenders["login"] = login
    for url in [
        reverse("admin:index"),
        reverse("admin:advocacy_group_changelist"),
        reverse("admin:advocacy_statement_changelist"),
        reverse("admin:advocacy_statement_change", args=[records["statement"].pk]),
    ]:
        found = inline_code(admin_client.get(url).content.decode())
        if found:
            offenders[url] = found
    assert offenders == {}


def test_error_pages_carry_the_policy(db, client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert policy(response)["script-src"] == ["'self'"]


def test_redoc_bundle_is_served_from_our_origin_with_the_page_nonce(db, client):
    from advocacy.api.docs import PAGE_NONCE

    response = client.get(reverse("api:redoc-bundle"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/javascript"
    bundle = response.content.decode()
    assert "cdn.redoc.ly" not in bundle
    assert PAGE_NONCE in bundle
    page = client.get("/api/redoc/").content.decode()
    assert reverse("api:redoc-bundle") in page
