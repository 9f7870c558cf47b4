"""One address per page and language (/…, /ru/…, /uk/…), hreflang alternates in the head
and the sitemap, the switcher between a page's three addresses; the API and the admin keep
their unprefixed addresses and negotiated language; /favicon.ico; the about page."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from advocacy.models.public import PUBLIC_MODELS
from tests.factories import StatementFactory
from tests.site.sitemaps import sitemap_text

EVENT = "/events/putin-meeting-with-soldiers-mothers-2022/"


def html_of(client, url, **extra) -> str:
    response = client.get(url, **extra)
    assert response.status_code == 200, url
    return response.content.decode()


def alternates(html: str) -> dict[str, str]:
    head = html[: html.index("</head>")]
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', head))


def switcher(html: str) -> dict[str, str]:
    nav = html[html.index('class="lang-switch"') :]
    nav = nav[: nav.index("</nav>")]
    return {
        code: href
        for href, code in re.findall(r'<a href="([^"]+)" hreflang="(\w+)" lang="\w+"', nav)
    }


@pytest.mark.parametrize(
    ("prefix", "language", "nav", "date"),
    [
        ("", "en", "Groups", "Nov. 25, 2022"),
        ("/ru", "ru", "Группы", "25 ноября 2022 г."),
        ("/uk", "uk", "Групи", "25 листопада 2022 р."),
    ],
)
def test_each_language_has_its_own_address(client, seeded, prefix, language, nav, date):
    html = html_of(client, prefix + EVENT)
    assert f'<html lang="{language}">' in html
    assert f">{nav}</a>" in html
    assert date in html


def test_the_home_pages_lists_are_each_pages_language(client, seeded):
    """The home page's lists run SQL kept once per language (`reading.fixed_documents`):
    each address shows its own language's documents, whichever was asked for first."""
    from django.utils import translation

    from advocacy.publication.reading import documents_of
    from advocacy.views import records

    def dates(language):
        with translation.override(language):
            lists = [records.latest_statements(), records.recent_events(datetime.date.today())]
            return {d["date_display"] for rows in lists for d in documents_of(rows)} - {""}

    expected = {language: dates(language) for language in ("en", "ru", "uk")}
    assert expected["en"] and expected["en"] != expected["ru"] != expected["uk"]
    for prefix, language in [("", "en"), ("/ru", "ru"), ("/uk", "uk"), ("", "en")]:
        html = html_of(client, prefix + "/")
        missing = {date for date in expected[language] if f"{date}</span>" not in html}
        assert not missing, (language, missing)


def test_a_russian_address_is_russian_whatever_the_browser_says(db):
    """A fresh reader (no cookie) whose browser prefers English, and one with a Ukrainian
    cookie: the address decides."""
    fresh = Client(HTTP_ACCEPT_LANGUAGE="en-GB,en;q=0.9")
    assert '<html lang="ru">' in html_of(fresh, "/ru/about/")
    cookie = Client()
    cookie.cookies[settings.LANGUAGE_COOKIE_NAME] = "uk"
    assert '<html lang="ru">' in html_of(cookie, "/ru/about/")
    assert '<html lang="en">' in html_of(cookie, "/about/")


def test_the_head_lists_the_page_in_every_language_and_x_default(client, seeded):
    html = html_of(client, "/uk" + EVENT)
    assert alternates(html) == {
        "en": f"http://testserver{EVENT}",
        "ru": f"http://testserver/ru{EVENT}",
        "uk": f"http://testserver/uk{EVENT}",
        "x-default": f"http://testserver{EVENT}",
    }
    assert f'<link rel="canonical" href="http://testserver/uk{EVENT}">' in html


def test_the_switcher_moves_between_the_same_pages_addresses(client, seeded):
    html = html_of(client, "/ru/statements/?group=put-domoi&ordering=-date")
    query = "?group=put-domoi&amp;ordering=-date"
    assert switcher(html) == {
        "en": f"/statements/{query}",
        "ru": f"/ru/statements/{query}",
        "uk": f"/uk/statements/{query}",
    }
    assert '<a href="/ru/statements/' + query + '" hreflang="ru" lang="ru" aria-current' in html
    # Each language is offered under its own name, whatever the current one.
    for name in ("English", "Русский", "Українська"):
        assert f">{name}</a>" in html


def test_links_on_a_russian_page_stay_in_russian(client, seeded):
    html = html_of(client, "/ru/")
    assert 'href="/ru/groups/"' in html
    assert 'href="/ru/events/putin-meeting-with-soldiers-mothers-2022/"' in html
    assert 'href="/groups/"' not in html.split("lang-switch")[0]


def test_the_old_language_form_still_answers_with_the_pages_address(client, seeded):
    response = client.post(reverse("set_language"), {"language": "ru", "next": EVENT})
    assert response.status_code == 302
    assert response["Location"] == "/ru" + EVENT


def test_api_and_admin_keep_their_addresses_and_negotiated_language(client, seeded):
    response = client.get("/api/v1/groups/", HTTP_ACCEPT_LANGUAGE="ru")
    assert response.status_code == 200
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" in response["Vary"]
    assert client.get("/ru/api/v1/groups/").status_code == 404
    assert client.get(f"/ru/{settings.ADMIN_URL}").status_code == 404
    login = client.get(f"/{settings.ADMIN_URL}login/", HTTP_ACCEPT_LANGUAGE="uk")
    assert login.status_code == 200
    assert login["Content-Language"] == "uk"


def test_a_page_in_the_address_language_does_not_vary_on_accept_language(client, seeded):
    response = client.get("/ru/groups/")
    assert response["Content-Language"] == "ru"
    assert "Accept-Language" not in response.get("Vary", "")


def test_machine_files_stay_unprefixed(client, seeded):
    assert client.get("/robots.txt").status_code == 200
    assert client.get("/sitemap.xml").status_code == 200
    assert client.get("/ru/sitemap.xml").status_code == 404
    # The feed is a public page like the others: English unprefixed, Russian under /ru/.
    assert client.get("/feeds/statements/").status_code == 200
    assert client.get("/ru/feeds/statements/")["Content-Language"] == "ru"


def test_the_sitemap_lists_every_language_with_alternates(client, seeded):
    xml = sitemap_text(client)
    for path in ("/groups/put-domoi/", "/ru/groups/put-domoi/", "/uk/groups/put-domoi/"):
        assert f"<loc>http://testserver{path}</loc>" in xml
    entry = xml[xml.index("<loc>http://testserver/ru/groups/put-domoi/</loc>") :]
    entry = entry[: entry.index("</url>")]
    links = dict(re.findall(r'hreflang="([\w-]+)" href="([^"]+)"', entry))
    assert links == {
        "en": "http://testserver/groups/put-domoi/",
        "ru": "http://testserver/ru/groups/put-domoi/",
        "uk": "http://testserver/uk/groups/put-domoi/",
        "x-default": "http://testserver/groups/put-domoi/",
    }
    assert "<loc>http://testserver/uk/about/</loc>" in xml


def test_favicon_answers_on_every_address(client, db):
    response = client.get("/favicon.ico", follow=True)
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    assert client.get("/ru/favicon.ico").status_code == 404  # nobody asks there
    assert 'rel="icon"' in html_of(client, "/ru/about/")


# The about page


@pytest.mark.parametrize(
    ("prefix", "heading", "date"),
    [
        ("", "About the records", "March 5, 2031"),
        ("/ru", "О записях", "5 марта 2031 г."),
        ("/uk", "Про записи", "5 березня 2031 р."),
    ],
)
def test_about_page_says_when_the_public_data_last_changed(
    client, seeded, settings, prefix, heading, date
):
    settings.CONTACT_EMAIL = "corrections@example.org"
    settings.DATA_LICENSE = "CC BY 4.0"
    moment = datetime.datetime(2031, 3, 5, 9, 30, tzinfo=datetime.UTC)
    for model in PUBLIC_MODELS.values():
        model.objects.update(updated_at=moment - datetime.timedelta(days=1))
    PUBLIC_MODELS["event"].objects.filter(slug=EVENT.split("/")[2]).update(updated_at=moment)
    html = html_of(client, prefix + "/about/")
    assert f"<h1>{heading}</h1>" in html
    assert f'<time datetime="2031-03-05T09:30:00+00:00">{date}, 09:30 UTC</time>' in html
    assert 'href="mailto:corrections@example.org"' in html
    assert "CC BY 4.0" in html
    for anchor in ("records", "sourcing", "conflicts", "protected", "citing", "errors"):
        assert f'id="{anchor}"' in html


def test_about_page_ignores_what_is_not_public(client, seeded):
    """A draft saved now changes the working tables, not the public rows: the date stays."""
    moment = datetime.datetime(2030, 1, 2, tzinfo=datetime.UTC)
    for model in PUBLIC_MODELS.values():
        model.objects.update(updated_at=moment)
    StatementFactory(draft=True)
    assert "Jan. 2, 2030" in html_of(client, "/about/")


def test_about_page_without_a_contact_address_says_so(client, db, settings):
    settings.CONTACT_EMAIL = ""
    html = html_of(client, "/about/")
    assert "mailto:" not in html
    assert "has not published a contact address" in html
    assert "Nothing has been published here yet." in html


def test_about_is_linked_from_every_page(client, seeded):
    for path in ("/", "/ru/groups/", "/uk" + EVENT):
        prefix = path[:3] if path[:4] in ("/ru/", "/uk/") else ""
        assert f'<a href="{prefix}/about/"' in html_of(client, path), path


def test_the_navigation_and_footer_follow_each_pages_language_and_section(client, seeded):
    """They are rendered once per language and section (`fixed_include`), so a page must
    never show another's: asked in turn, each page shows its own."""

    def main_nav(html):
        return html[html.index('<nav class="main-nav"') : html.index("</nav>")]

    for _round in range(2):
        statements = html_of(client, "/statements/")
        assert '<a href="/statements/" aria-current="page">Statements</a>' in main_nav(statements)
        assert 'aria-current="page">People' not in statements
        assert 'class="site-search"' in statements
        assert "Atom feed of new statements" in statements

        people = html_of(client, "/ru/people/")
        assert '<a href="/ru/people/" aria-current="page">Люди</a>' in main_nav(people)
        assert '<a href="/ru/statements/">Заявления</a>' in main_nav(people)
        assert 'action="/ru/search/"' in people
        assert "Atom feed" not in people

        home = html_of(client, "/uk/")
        assert 'aria-current="page"' not in main_nav(home).split("</a>", 1)[1]
        assert 'class="site-search"' not in home  # the home page has its own search box
