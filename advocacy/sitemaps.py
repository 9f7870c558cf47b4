"""/sitemap.xml: the public pages only (selectors with no user, so drafts and protected
people are never listed)."""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from advocacy.selectors import event_list, group_list, person_list, source_list, statement_list


class RecordSitemap(Sitemap):
    selector = None
    changefreq = "weekly"

    def items(self):
        # Only what the URLs and dates need; the selector's prefetching is not.
        return self.selector(user=None).prefetch_related(None).order_by("pk")

    def lastmod(self, item):
        return item.updated_at


class GroupSitemap(RecordSitemap):
    selector = staticmethod(group_list)
    priority = 0.7


class PersonSitemap(RecordSitemap):
    selector = staticmethod(person_list)
    priority = 0.7


class EventSitemap(RecordSitemap):
    selector = staticmethod(event_list)
    priority = 0.6


class StatementSitemap(RecordSitemap):
    selector = staticmethod(statement_list)
    priority = 0.8


class SourceSitemap(RecordSitemap):
    selector = staticmethod(source_list)
    priority = 0.5


class PageSitemap(Sitemap):
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
