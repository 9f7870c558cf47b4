"""/sitemap.xml: an index of the sections' pages (/sitemap-statements.xml?p=2), which list
the public pages, read from the public rows only (advocacy.publication): drafts and
protected people have none, and a slug that named a protected person is listed without
the name. Every page is listed in each interface language (/…, /ru/…, /uk/…) with its
hreflang alternates and the English address as x-default."""

from django.contrib.sitemaps import Sitemap
from django.core.paginator import Paginator
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils.functional import cached_property

from advocacy.publication.reading import public_rows


class LanguagesSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True


class InEachLanguage:
    """(record, language) for each record and language, in that order, as Django's i18n
    sitemaps list them, for a Paginator: a page's slice reads only its records, where
    Django makes the list of every record first, to page it."""

    def __init__(self, records: QuerySet, languages: list[str]):
        self.records, self.languages = records, languages

    @cached_property
    def length(self) -> int:
        return self.records.count() * len(self.languages)

    def __len__(self) -> int:
        return self.length

    def __getitem__(self, page: slice) -> list[tuple]:
        start, stop, _step = page.indices(len(self))
        each = len(self.languages)
        records = self.records[start // each : -(-stop // each)]
        pairs = [(record, language) for record in records for language in self.languages]
        first = start % each  # the page may begin within a record's languages
        return pairs[first : first + stop - start]


class RecordSitemap(LanguagesSitemap):
    kind = ""
    changefreq = "weekly"
    # Addresses a page (a record has one in each language, with four alternates): about
    # 1 MB and a second, well within a search engine's 50 MB and 50,000 addresses.
    limit = 2_000

    def items(self):
        return public_rows(self.kind, documents=False).order_by("pk")

    @property
    def paginator(self):
        return Paginator(InEachLanguage(self.items(), self._languages()), self.limit)

    def get_latest_lastmod(self):
        """The index's date for the section, read as one maximum: Django's default reads
        every record."""
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

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
