"""One search over groups, people, events, statements and sources, grouped by type, in the
public rows: their search keys were made from redacted text only, so a protected name
finds nothing."""

from urllib.parse import quote_plus

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from advocacy.publication.counting import before_counting
from advocacy.publication.filters import search_rows
from advocacy.publication.lexicon import expand_query
from advocacy.publication.reading import counted_documents, public_rows
from advocacy.text import MAX_QUERY_LENGTH, matched_spans
from advocacy.views.base import PublicPageMixin
from advocacy.views.presentation import other_names_listed

# Each section says how many it found up to here, then "1000+": counting every match of a
# common name among a million statements would cost more than the search itself.
SECTION_COUNT_LIMIT = 1_000
# Kept for the page's wording: matches are listed in each list's usual order.
RANK_LIMIT = 500

SECTIONS = [
    ("groups", gettext_lazy("Groups"), "group"),
    ("people", gettext_lazy("People"), "person"),
    ("events", gettext_lazy("Events"), "event"),
    ("statements", gettext_lazy("Statements"), "statement"),
    ("sources", gettext_lazy("Sources"), "source"),
]


class SearchView(PublicPageMixin, TemplateView):
    template_name = "advocacy/search.html"
    page_title = gettext_lazy("Search")
    section = "search"
    per_section = 10

    def get(self, request, *args, **kwargs):
        self.query = request.GET.get("q", "").strip()
        self.status = 200
        self.error = ""
        if len(self.query) > MAX_QUERY_LENGTH:
            self.status = 400
            self.error = _(
                "Your search is %(length)s characters long; the limit is %(limit)s. "
                "Shorten it and try again."
            ) % {"length": len(self.query), "limit": MAX_QUERY_LENGTH}
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=self.status)

    def get_meta(self):
        meta = super().get_meta()
        if self.query and not self.error:
            meta["title"] = _("Search: %(query)s") % {"query": self.query}
        return meta

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sections = []
        if self.query and not self.error:
            sections = self.search_sections()
        context.update(
            query=self.query,
            search_error=self.error,
            sections=sections,
            total=sum(section["count"] for section in sections),
            capped=any(section["capped"] for section in sections),
            count_limit=SECTION_COUNT_LIMIT,
            rank_limit=RANK_LIMIT,
            max_query_length=MAX_QUERY_LENGTH,
        )
        return context

    def search_sections(self) -> list[dict]:
        # The near spellings of the query's words, looked up once for every section.
        expanded = expand_query(self.query)
        lists = [search_rows(public_rows(kind), self.query, expanded) for *_, kind in SECTIONS]
        # The planner's estimates first: a section it puts far past the limit (a common
        # name) is not counted.
        known = before_counting(lists, SECTION_COUNT_LIMIT)
        read = counted_documents(
            [
                (rows if before.decided is None else None, rows[: self.per_section])
                for before, rows in zip(known, lists, strict=True)
            ],
            SECTION_COUNT_LIMIT,
        )
        sections = []
        for (key, label, kind), before, (counted, documents) in zip(
            SECTIONS, known, read, strict=True
        ):
            found = before.counted(counted)
            sections.append(
                {
                    "key": key,
                    "label": label,
                    "count": min(found.value, SECTION_COUNT_LIMIT),
                    "capped": not found.exact,
                    "rows": [self.describe(key, document) for document in documents],
                    "more_url": f"{reverse(f'{kind}-list')}?q={quote_plus(self.query)}",
                }
            )
        return sections

    def describe(self, key: str, document: dict) -> dict:
        """The record, and which of its other names or words matched (shown under it)."""
        also: list[str] = []
        if key in {"groups", "people"}:
            # Its names besides the one its heading shows (the record's own, on a Russian or
            # Ukrainian page that heads it with a local name).
            also = [
                name["name"]
                for name in other_names_listed(document)
                if matched_spans(name["name"], self.query)
            ]
        elif key == "statements":
            also = [
                q["text"] for q in document["quotations"] if matched_spans(q["text"], self.query)
            ]
        return {"record": document, "also": also[:3]}
