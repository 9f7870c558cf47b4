"""One contract for every public page type: each concrete class only says which record
it is about. Published records are shown; drafts are 404 and absent from lists, search,
downloads, feeds, the sitemap and the timeline; a protected person is never named."""

import json

import pytest
from django.urls import reverse

from tests.site.conftest import assert_not_named
from tests.site.sitemaps import sitemap_text


class PageContract:
    list_url_name = ""
    export_url_name = ""
    in_feed = False
    on_timeline = False

    def published(self, world):
        raise NotImplementedError

    def label(self, record) -> str:
        return record.name

    def search_term(self, record) -> str:
        return self.label(record).split()[0]

    # Surfaces

    def pages(self, client, record) -> dict[str, str]:
        """Every public surface this type of record may appear on, as text."""
        pages = {
            "list": client.get(reverse(self.list_url_name)),
            "search": client.get(reverse("search"), {"q": self.search_term(record)}),
            "filtered search": client.get(
                reverse(self.list_url_name), {"q": self.search_term(record)}
            ),
            "csv": client.get(reverse(self.export_url_name, kwargs={"fmt": "csv"})),
            "json": client.get(reverse(self.export_url_name, kwargs={"fmt": "json"})),
            "home": client.get(reverse("home")),
        }
        if self.in_feed:
            pages["feed"] = client.get(reverse("statement-feed"))
        if self.on_timeline:
            pages["timeline"] = client.get(reverse("timeline"))
        for name, response in pages.items():
            assert response.status_code == 200, name
        texts = {name: response.content.decode() for name, response in pages.items()}
        return {**texts, "sitemap": sitemap_text(client)}

    # The contract, checked on one fetch of every surface (pages are slow to build)

    def test_visibility_contract(self, client, world, drafts):
        record, draft = self.published(world), drafts[self.kind]
        url, draft_url = record.get_absolute_url(), draft.get_absolute_url()

        # Published: its page, and listed on every surface.
        detail = client.get(url)
        assert detail.status_code == 200
        detail_html = detail.content.decode()
        assert self.label(record) in detail_html
        pages = self.pages(client, record)
        for surface in ("list", "search", "filtered search", "csv", "json", "sitemap"):
            assert url in pages[surface], f"{url} missing from the {surface}"
        rows = json.loads(pages["json"])["results"]
        assert any(row["url"].endswith(url) for row in rows)
        if self.in_feed:
            assert url in pages["feed"]
        if self.on_timeline:
            assert url in pages["timeline"]

        # Draft: 404, and on no surface, not even when searched for by name.
        assert client.get(draft_url).status_code == 404
        pages["draft search"] = client.get(
            reverse("search"), {"q": self.search_term(draft)}
        ).content.decode()
        pages["draft filtered search"] = client.get(
            reverse(self.list_url_name), {"q": self.search_term(draft)}
        ).content.decode()
        for surface, text in pages.items():
            assert draft_url not in text, f"draft URL on the {surface}"
            assert self.label(draft) not in text, f"draft named on the {surface}"

        # Protected person: named on no surface, nor when searched for by name.
        assert_not_named(detail_html, f"the {self.kind} page")
        for surface, text in pages.items():
            assert_not_named(text, f"the {self.kind} {surface}")
        for query in ("Protectova", "Протектова"):
            html = client.get(reverse(self.list_url_name), {"q": query}).content.decode()
            assert_not_named(html, f"the {self.kind} list for {query}", echo=query)


class TestGroupPages(PageContract):
    kind = "group"
    list_url_name = "group-list"
    export_url_name = "group-export"

    def published(self, world):
        return world.group


class TestPersonPages(PageContract):
    kind = "person"
    list_url_name = "person-list"
    export_url_name = "person-export"

    def published(self, world):
        return world.person


class TestEventPages(PageContract):
    kind = "event"
    list_url_name = "event-list"
    export_url_name = "event-export"
    on_timeline = True

    def published(self, world):
        return world.event


class TestStatementPages(PageContract):
    kind = "statement"
    list_url_name = "statement-list"
    export_url_name = "statement-export"
    in_feed = True
    on_timeline = True

    def published(self, world):
        # The protected person's own statement: public, by a neutral label.
        return world.protected_statement

    def label(self, record):
        return record.quotations.first().text if record.quotations.exists() else record.summary

    def search_term(self, record):
        return "silent" if record.is_published else "Draftstatement"


class TestSourcePages(PageContract):
    kind = "source"
    list_url_name = "source-list"
    export_url_name = "source-export"

    def published(self, world):
        return world.source

    def label(self, record):
        return record.title


@pytest.mark.django_db
def test_no_list_offers_a_draft_or_protected_person_as_a_filter_option(client, world, drafts):
    """Filter dropdowns list public records only."""
    names = [drafts["person"].name, drafts["group"].name, drafts["event"].name]
    names.append(drafts["source"].title)
    for url_name in ("group-list", "person-list", "event-list", "statement-list", "source-list"):
        html = client.get(reverse(url_name)).content.decode()
        for name in names:
            assert name not in html, f"{name} offered on {url_name}"
        assert_not_named(html, url_name)


@pytest.mark.django_db
def test_protected_persons_own_page_is_404(client, world):
    assert client.get(world.protected.get_absolute_url()).status_code == 404
    feed = client.get(reverse("statement-feed")).content.decode()
    assert_not_named(feed, "the feed")
