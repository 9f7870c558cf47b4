"""The home page, and the list and detail pages of groups, people, events, statements and
sources, read from the public rows (`advocacy.publication.reading`) only.

A detail page is its record's public document and page extras, plus the public rows of
other kinds that name it (a person's statements: the statement rows whose facets hold
`speaker:<slug>`), each read with one query.
"""

from __future__ import annotations

import datetime
from collections import OrderedDict

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from advocacy.choices import GroupKind, ParticipantRole
from advocacy.formats.documents import partial_date
from advocacy.publication.counting import count_tables
from advocacy.publication.reading import (
    document_of,
    document_title,
    documents_of,
    fixed_documents,
    other_names,
    page_of,
    public_rows,
    recorded_name,
)
from advocacy.views.base import FilteredListView, PublicPageMixin, RecordDetailView
from advocacy.views.presentation import (
    Footnotes,
    cite_this,
    first_quotation_text,
    source_date,
)

# Statements listed on a group's, person's or event's page; the statements list, filtered
# by the record, has them all.
RELATED_LIMIT = 100


def iso_partial(date: str | None, precision: str | None) -> str:
    """A schema.org date at the precision we know it: 2022, 2022-11 or 2022-11-25."""
    return partial_date(date, precision) or ""


def having(kind: str, facet: str, slug: str, *, pages: bool = False):
    """The public rows of a kind whose facets name this record."""
    return public_rows(kind, pages=pages).filter(facets__has=f"{facet}:{slug}")


def latest_statements():
    return public_rows("statement")[:6]


def advocacy_groups():
    return public_rows("group").filter(kind=GroupKind.ADVOCACY_GROUP).order_by("name")[:12]


def upcoming_events(today: datetime.date):
    return public_rows("event").filter(latest_date__gte=today).order_by("date", "name")[:5]


def recent_events(today: datetime.date):
    return public_rows("event").filter(latest_date__lt=today).order_by("-date", "name")[:5]


class HomeView(PublicPageMixin, TemplateView):
    template_name = "advocacy/home.html"
    page_title = gettext_lazy("Soldiers' families' advocacy, on the record")
    section = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        today = datetime.date.today()
        kinds = [
            ("group", _("groups")),
            ("person", _("people")),
            ("event", _("events")),
            ("statement", _("statements")),
            ("source", _("sources")),
        ]
        counts = count_tables([public_rows(kind, documents=False) for kind, _label in kinds])
        context["counts"] = [
            (reverse(f"{kind}-list"), label, count)
            for (kind, label), count in zip(kinds, counts, strict=True)
        ]
        # The top of /statements/ in its order (an index's), then groups and events.
        (
            context["latest_statements"],
            context["groups"],
            context["upcoming_events"],
            context["recent_events"],
        ) = fixed_documents(
            (latest_statements, ()),
            (advocacy_groups, ()),
            (upcoming_events, (today,)),
            (recent_events, (today,)),
        )
        return context


# Lists


class GroupListView(FilteredListView):
    section = "groups"
    template_name = "advocacy/group_list.html"
    kind = "group"
    export_url_name = "group-export"
    page_title = gettext_lazy("Groups")
    meta_description = gettext_lazy("Advocacy groups, government bodies and media, with sources.")


class PersonListView(FilteredListView):
    section = "people"
    template_name = "advocacy/person_list.html"
    kind = "person"
    export_url_name = "person-export"
    page_title = gettext_lazy("People")
    meta_description = gettext_lazy("People named in the record, with their roles and sources.")


class EventListView(FilteredListView):
    section = "events"
    template_name = "advocacy/event_list.html"
    kind = "event"
    export_url_name = "event-export"
    page_title = gettext_lazy("Events")
    meta_description = gettext_lazy("Meetings, appeals, protests and conferences, with dates.")


class StatementListView(FilteredListView):
    section = "statements"
    template_name = "advocacy/statement_list.html"
    kind = "statement"
    export_url_name = "statement-export"
    page_title = gettext_lazy("Statements")
    meta_description = gettext_lazy("Who said what, when, and where it was printed.")


class SourceListView(FilteredListView):
    section = "sources"
    template_name = "advocacy/source_list.html"
    kind = "source"
    export_url_name = "source-export"
    page_title = gettext_lazy("Sources")
    meta_description = gettext_lazy("The published documents every fact rests on.")


# Details


class CitableDetailView(RecordDetailView):
    """A detail page with numbered footnotes and a ready-to-paste citation."""

    def absolute(self, url: str | None) -> str:
        return self.request.build_absolute_uri(url) if url else ""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # Filled while the page renders: the side panel lists every source cited above it.
        context["footnotes"] = Footnotes()
        context["cite_this"] = cite_this(
            context["meta"]["title"], context["permalink"], context["site_name"]
        )
        return context

    def participations_of(self, facet: str) -> list[dict]:
        """The events this record took part in, each with its part and citations."""
        slug = self.object["slug"]
        found = []
        for event in documents_of(having("event", facet, slug).order_by("-date", "id")):
            for participation in event["participations"]:
                if (participation.get("participant") or {}).get("slug") == slug:
                    found.append({**participation, "event": event})
        return found

    def topics_of(self, slugs: list[str]) -> list[dict]:
        return documents_of(public_rows("topic").filter(slug__in=slugs).order_by("name"))


class GroupDetailView(CitableDetailView):
    section = "groups"
    template_name = "advocacy/group_detail.html"
    kind = "group"
    context_object_name = "group"

    def get_meta(self):
        group = self.object
        return {
            "title": recorded_name(group),
            "description": group["description"] or _("A group in the record, with its sources."),
            "type": "profile",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        group = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": recorded_name(group),
            "url": self.absolute(group["html_url"]),
            "alternateName": other_names(group),
        }
        if group["description"]:
            data["description"] = group["description"]
        same_as = [identifier["url"] for identifier in group["identifiers"] if identifier["url"]]
        if group["website"]:
            same_as.append(group["website"])
        if same_as:
            data["sameAs"] = same_as
        if group["founded_on"]:
            data["foundingDate"] = iso_partial(group["founded_on"], group["founded_precision"])
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.object["slug"]
        # One row per person, with every role the sources give them.
        members: dict = {}
        for membership in documents_of(
            having("membership", "group", slug).order_by("sort_key", "id")
        ):
            person = membership["person"] or {}
            key = person.get("id") or f"membership-{membership['id']}"
            members.setdefault(key, {"person": person, "roles": []})["roles"].append(membership)
        context["members"] = list(members.values())
        context["participations"] = self.participations_of("group")
        context["statements"] = documents_of(
            having("statement", "group", slug).order_by("-date", "id")[:RELATED_LIMIT]
        )
        return context


class PersonDetailView(CitableDetailView):
    section = "people"
    template_name = "advocacy/person_detail.html"
    kind = "person"
    context_object_name = "person"

    def get_meta(self):
        person = self.object
        return {
            "title": recorded_name(person),
            "description": person["description"],
            "type": "profile",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        person = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": recorded_name(person),
            "url": self.absolute(person["html_url"]),
            "alternateName": other_names(person),
        }
        if person["description"]:
            data["description"] = person["description"]
        same_as = [identifier["url"] for identifier in person["identifiers"] if identifier["url"]]
        if same_as:
            data["sameAs"] = same_as
        affiliations = [
            {
                "@type": "Organization",
                "name": recorded_name(membership["group"]),
                "url": self.absolute(membership["group"]["html_url"]),
            }
            for membership in person["memberships"]
            if membership.get("group")
        ]
        if affiliations:
            data["affiliation"] = affiliations
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        slug = self.object["slug"]
        # The person's memberships as documents of their own: with citations and conflicts.
        context["memberships"] = documents_of(
            having("membership", "person", slug).order_by("sort_key", "id")
        )
        context["statements"] = documents_of(
            having("statement", "speaker", slug).order_by("-date", "id")[:RELATED_LIMIT]
        )
        context["participations"] = self.participations_of("person")
        return context


class EventDetailView(CitableDetailView):
    section = "events"
    template_name = "advocacy/event_detail.html"
    kind = "event"
    context_object_name = "event"

    def get_meta(self):
        event = self.object
        return {
            "title": event["name"],
            "description": event["description"] or event["date_display"],
            "type": "article",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        event = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": event["name"],
            "url": self.absolute(event["html_url"]),
        }
        if event["date"]:
            data["startDate"] = iso_partial(event["date"], event["date_precision"])
        if event["end_date"]:
            data["endDate"] = event["end_date"]
        if event["place"]:
            data["location"] = {"@type": "Place", "name": event["place"]}
        if event["description"]:
            data["description"] = event["description"]
        organisers = [
            p["participant"]
            for p in event["participations"]
            if p["part"] == ParticipantRole.ORGANISER
            and p.get("participant")
            and p["participant"].get("html_url")
        ]
        if organisers:
            data["organizer"] = [
                {
                    "@type": "Person" if agent["type"] == "person" else "Organization",
                    "name": recorded_name(agent),
                }
                for agent in organisers
            ]
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event = self.object
        parts = OrderedDict((value, []) for value, _label in ParticipantRole.choices)
        for participation in event["participations"]:
            parts.setdefault(participation["part"], []).append(participation)
        labels = dict(ParticipantRole.choices)
        context["parts"] = [
            {"part": part, "label": labels.get(part, part), "participations": rows}
            for part, rows in parts.items()
            if rows
        ]
        context["statements"] = documents_of(
            having("statement", "event", event["slug"]).order_by("date", "id")[:RELATED_LIMIT]
        )
        context["topics"] = self.topics_of(event["topics"])
        return context


class StatementDetailView(CitableDetailView):
    section = "statements"
    template_name = "advocacy/statement_detail.html"
    kind = "statement"
    context_object_name = "statement"

    def get_meta(self):
        statement = self.object
        quote = first_quotation_text(statement)
        return {
            "title": document_title(statement),
            "description": f"“{quote}”" if quote else statement["summary"],
            "type": "article",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        statement = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "Quotation",
            "url": self.absolute(statement["html_url"]),
            "text": first_quotation_text(statement),
        }
        speaker = statement.get("speaker") or {}
        if speaker.get("html_url"):
            data["creator"] = {
                "@type": "Person" if speaker["type"] == "person" else "Organization",
                "name": recorded_name(speaker),
                "url": self.absolute(speaker["html_url"]),
            }
        if statement["date"]:
            data["dateCreated"] = iso_partial(statement["date"], statement["date_precision"])
        sources: dict = {}
        for item in [*statement["citations"], *statement["quotations"]]:
            sources.setdefault(item["source"]["id"], item["source"])
        if sources:
            data["isBasedOn"] = [
                {
                    "@type": "CreativeWork",
                    "name": source["title"],
                    "publisher": source["publisher"],
                    "url": source["source_url"] or self.absolute(source["html_url"]),
                }
                for source in sources.values()
            ]
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        quotations = self.object["quotations"]
        context["quotation_source_count"] = len({q["source"]["id"] for q in quotations})
        context["topics"] = self.topics_of(self.object["topics"])
        return context


class SourceDetailView(RecordDetailView):
    section = "sources"
    template_name = "advocacy/source_detail.html"
    kind = "source"
    context_object_name = "source"

    def get_meta(self):
        source = self.object
        return {
            "title": source["title"],
            "description": _("%(publisher)s, %(date)s: the passages quoted and cited from it.")
            % {"publisher": source["publisher"], "date": source_date(source)},
            "type": "article",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        source = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle" if source["kind"] == "news_article" else "CreativeWork",
            "headline": source["title"],
            "url": self.request.build_absolute_uri(source["html_url"]),
            "inLanguage": source["language"],
        }
        if source["source_url"]:
            data["sameAs"] = source["source_url"]
        if source["publisher"]:
            data["publisher"] = {"@type": "Organization", "name": source["publisher"]}
        if source["authors"]:
            data["author"] = source["authors"]
        if source["published_on"]:
            data["datePublished"] = iso_partial(
                source["published_on"], source["published_precision"]
            )
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["citations"] = [
            {**document_of(row), "page": page_of(row)}
            for row in having("citation", "source", self.object["slug"], pages=True).order_by("id")
        ]
        return context
