"""/sitemap.xml: the public pages, read from the public rows only (advocacy.publication):
drafts and protected people have none, and a slug that named a protected person is
listed without the name. Every page is listed in each interface language (/…, /ru/…,
/uk/…) with its hreflang alternates and the English address as x-default."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from advocacy.publication.reading import public_rows


class LanguagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class RecordSitemap(LanguagesSitemap):
    kind = ""
    changefreq = "weekly"

    def items(self):
        return public_rows(self.kind, documents=False).order_by("pk")

    def location(self, item):
        return reverse(f"{self.kind}-detail", kwargs={"slug": item.slug})

    def lastmod(self, item):
        return item.updated_at


class GroupSitemap(RecordSitemap):
    kind = "group"
    priority = 0.7


class PersonSitemap(RecordSitemap):
    kind = "person"
    priority = 0.7


class EventSitemap(RecordSitemap):
    kind = "event"
    priority = 0.6


class StatementSitemap(RecordSitemap):
    kind = "statement"
    priority = 0.8


class SourceSitemap(RecordSitemap):
    kind = "source"
    priority = 0.5


class PageSitemap(LanguagesSitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return [
            "home",
            "group-list",
            "person-list",
            "event-list",
            "statement-list",
            "source-list",
            "timeline",
            "about",
        ]

    def location(self, item):
        return reverse(item)


SITEMAPS = {
    "pages": PageSitemap,
    "groups": GroupSitemap,
    "people": PersonSitemap,
    "events": EventSitemap,
    "statements": StatementSitemap,
    "sources": SourceSitemap,
}
