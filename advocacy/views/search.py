"""One search over groups, people, events, statements and sources, grouped by type."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from advocacy.search import (
    MAX_QUERY_LENGTH,
    RANK_LIMIT,
    count_up_to,
    matched_spans,
    search_queryset,
)
from advocacy.selectors import event_list, group_list, person_list, source_list, statement_list
from advocacy.views.base import PublicPageMixin

# Each section says how many it found up to here, then "1000+": counting every match of a
# common name among a million statements would cost more than the search itself.
SECTION_COUNT_LIMIT = 1_000

SECTIONS = [
    ("groups", gettext_lazy("Groups"), group_list, "group-list"),
    ("people", gettext_lazy("People"), person_list, "person-list"),
    ("events", gettext_lazy("Events"), event_list, "event-list"),
    ("statements", gettext_lazy("Statements"), statement_list, "statement-list"),
    ("sources", gettext_lazy("Sources"), source_list, "source-list"),
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
            # Near spellings only when nothing anywhere matches exactly ("Tsukanva").
            sections = self.search_sections(near_spellings=False)
            if not any(section["count"] for section in sections):
                sections = self.search_sections(near_spellings=True)
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

    def search_sections(self, *, near_spellings: bool) -> list[dict]:
        sections = []
        user = self.request.user
        for key, label, selector, list_url_name in SECTIONS:
            queryset = search_queryset(
                selector(user=user),
                self.query,
                user=user,
                near_spellings=near_spellings,
                names=self.protected_names,
            )
            found = count_up_to(queryset, SECTION_COUNT_LIMIT)
            rows = list(queryset[: self.per_section]) if found else []
            sections.append(
                {
                    "key": key,
                    "label": label,
                    "count": min(found, SECTION_COUNT_LIMIT),
                    "capped": found > SECTION_COUNT_LIMIT,
                    "rows": [self.describe(key, row) for row in rows],
                    "more_url": f"{reverse(list_url_name)}?q={self.query_param()}",
                }
            )
        return sections

    def query_param(self) -> str:
        from urllib.parse import quote_plus

        return quote_plus(self.query)

    def describe(self, key: str, row) -> dict:
        """The row, and which of its other names or words matched (shown under it)."""
        also: list[str] = []
        if key in {"groups", "people"}:
            also = [a.name for a in row.aliases.all() if matched_spans(a.name, self.query)]
        elif key == "statements":
            also = [q.text for q in row.quotations.all() if matched_spans(q.text, self.query)]
        return {"record": row, "also": also[:3]}
