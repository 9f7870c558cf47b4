"""The home page, and the list and detail pages of groups, people, events, statements and
sources. Every read goes through a selector (advocacy/selectors.py) or `visible_to()`."""

from __future__ import annotations

import datetime
from collections import OrderedDict

from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from advocacy.caching import kept_count
from advocacy.choices import DatePrecision, GroupKind, ParticipantRole
from advocacy.filters import (
    EventFilterSet,
    GroupFilterSet,
    PersonFilterSet,
    SourceFilterSet,
    StatementFilterSet,
)
from advocacy.models import (
    ConflictingVersion,
    Event,
    Group,
    GroupRelation,
    Membership,
    Participation,
    Person,
    Source,
    Statement,
)
from advocacy.redaction import redact
from advocacy.selectors import (
    citation_list,
    citations_prefetch,
    event_list,
    group_list,
    membership_list,
    person_list,
    quotation_list,
    source_list,
    statement_list,
)
from advocacy.views.base import FilteredListView, PublicPageMixin, RecordDetailView
from advocacy.views.presentation import (
    MarkedText,
    cite_this,
    first_quotation_text,
    is_named,
    source_reference,
    statement_title,
)


def iso_partial(date, precision) -> str:
    """A schema.org date at the precision we know it: 2022, 2022-11 or 2022-11-25."""
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def absolute(request, url: str) -> str:
    return request.build_absolute_uri(url) if url else ""


def source_references(records) -> list[Source]:
    """The distinct sources behind some cited records, in order of first citation."""
    seen: OrderedDict[int, Source] = OrderedDict()
    for record in records:
        for citation in record.citations.all():
            seen.setdefault(citation.source_id, citation.source)
        if isinstance(record, Statement):
            for quotation in record.quotations.all():
                seen.setdefault(quotation.source_id, quotation.source)
    return list(seen.values())


class HomeView(PublicPageMixin, TemplateView):
    template_name = "advocacy/home.html"
    page_title = gettext_lazy("Soldiers' families' advocacy, on the record")
    section = "home"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        user = self.request.user
        today = datetime.date.today()
        context["counts"] = [
            ("group-list", _("groups"), kept_count(group_list(user=user))),
            ("person-list", _("people"), kept_count(person_list(user=user))),
            ("event-list", _("events"), kept_count(event_list(user=user))),
            ("statement-list", _("statements"), kept_count(statement_list(user=user))),
            ("source-list", _("sources"), kept_count(source_list(user=user))),
        ]
        context["latest_statements"] = list(statement_list(user=user).order_by("-date", "-pk")[:6])
        context["groups"] = list(
            group_list(user=user).filter(kind=GroupKind.ADVOCACY_GROUP).order_by("name")[:12]
        )
        context["upcoming_events"] = list(
            event_list(user=user).filter(latest_date__gte=today).order_by("date", "name")[:5]
        )
        context["recent_events"] = list(
            event_list(user=user).filter(latest_date__lt=today).order_by("-date", "name")[:5]
        )
        return context


# Lists


class GroupListView(FilteredListView):
    section = "groups"
    template_name = "advocacy/group_list.html"
    selector = staticmethod(group_list)
    filterset_class = GroupFilterSet
    export_url_name = "group-export"
    page_title = gettext_lazy("Groups")
    meta_description = gettext_lazy("Advocacy groups, government bodies and media, with sources.")


class PersonListView(FilteredListView):
    section = "people"
    template_name = "advocacy/person_list.html"
    selector = staticmethod(person_list)
    filterset_class = PersonFilterSet
    export_url_name = "person-export"
    page_title = gettext_lazy("People")
    meta_description = gettext_lazy("People named in the record, with their roles and sources.")


class EventListView(FilteredListView):
    section = "events"
    template_name = "advocacy/event_list.html"
    selector = staticmethod(event_list)
    filterset_class = EventFilterSet
    export_url_name = "event-export"
    page_title = gettext_lazy("Events")
    meta_description = gettext_lazy("Meetings, appeals, protests and conferences, with dates.")


class StatementListView(FilteredListView):
    section = "statements"
    template_name = "advocacy/statement_list.html"
    selector = staticmethod(statement_list)
    filterset_class = StatementFilterSet
    export_url_name = "statement-export"
    page_title = gettext_lazy("Statements")
    meta_description = gettext_lazy("Who said what, when, and where it was printed.")


class SourceListView(FilteredListView):
    section = "sources"
    template_name = "advocacy/source_list.html"
    selector = staticmethod(source_list)
    filterset_class = SourceFilterSet
    export_url_name = "source-export"
    page_title = gettext_lazy("Sources")
    meta_description = gettext_lazy("The published documents every fact rests on.")


# Details


class CitableDetailView(RecordDetailView):
    """A detail page with a ready-to-paste citation and its original sources."""

    def cited_records(self) -> list:
        return [self.object]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cite_this"] = cite_this(
            context["meta"]["title"],
            context["permalink"],
            self.protected_names,
            context["site_name"],
        )
        context["original_sources"] = [
            {"source": source, "reference": redact(source_reference(source), self.protected_names)}
            for source in source_references(self.cited_records())
        ]
        return context


class GroupDetailView(CitableDetailView):
    section = "groups"
    template_name = "advocacy/group_detail.html"
    model = Group
    selector = staticmethod(group_list)
    context_object_name = "group"

    def get_meta(self):
        group = self.object
        return {
            "title": group.name,
            "description": group.description or _("A group in the record, with its sources."),
            "type": "profile",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        group = self.object
        names = self.protected_names
        data = {
            "@context": "https://schema.org",
            "@type": "Organization",
            "name": redact(group.name, names),
            "url": self.request.build_absolute_uri(group.get_absolute_url()),
            "alternateName": [alias.name for alias in group.aliases.all()],
        }
        if group.description:
            data["description"] = redact(group.description, names)
        same_as = [identifier.url for identifier in group.identifiers.all() if identifier.url]
        if group.website:
            same_as.append(group.website)
        if same_as:
            data["sameAs"] = same_as
        if group.founded_on:
            data["foundingDate"] = iso_partial(group.founded_on, group.founded_precision)
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        group, user = self.object, self.request.user
        members = membership_list(user=user).filter(group=group).order_by("person__name", "pk")
        context["memberships"] = list(members)
        context["relations"] = list(
            GroupRelation.objects.visible_to(user)
            .filter(Q(subject=group) | Q(object=group))
            .select_related("subject", "object")
            .prefetch_related(*citations_prefetch(user=user))
            .order_by("kind", "pk")
        )
        context["participations"] = list(
            Participation.objects.visible_to(user)
            .filter(group=group)
            .select_related("event")
            .prefetch_related(*citations_prefetch(user=user))
            .order_by("-event__date", "pk")
        )
        member_ids = membership_list(user=user).filter(group=group).values("person")
        context["statements"] = list(
            statement_list(user=user)
            .filter(Q(speaker_group=group) | Q(speaker_person__in=member_ids))
            .order_by("-date", "pk")
        )
        return context


class PersonDetailView(CitableDetailView):
    section = "people"
    template_name = "advocacy/person_detail.html"
    model = Person
    selector = staticmethod(person_list)
    context_object_name = "person"

    def get_meta(self):
        person = self.object
        return {
            "title": person.public_name,
            "description": person.description if is_named(person) else "",
            "type": "profile",
            "jsonld": self.jsonld() if is_named(person) else None,
        }

    def jsonld(self):
        person = self.object
        names = self.protected_names
        data = {
            "@context": "https://schema.org",
            "@type": "Person",
            "name": person.name,
            "url": self.request.build_absolute_uri(person.get_absolute_url()),
            "alternateName": [alias.name for alias in person.aliases.all()],
        }
        if person.description:
            data["description"] = redact(person.description, names)
        same_as = [identifier.url for identifier in person.identifiers.all() if identifier.url]
        if same_as:
            data["sameAs"] = same_as
        affiliations = []
        for membership in person.memberships.all():
            affiliations.append(
                {
                    "@type": "Organization",
                    "name": membership.group.name,
                    "url": self.request.build_absolute_uri(membership.group.get_absolute_url()),
                }
            )
        if affiliations:
            data["affiliation"] = affiliations
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person, user = self.object, self.request.user
        context["statements"] = list(
            statement_list(user=user).filter(speaker_person=person).order_by("-date", "pk")
        )
        context["participations"] = list(
            Participation.objects.visible_to(user)
            .filter(person=person)
            .select_related("event")
            .prefetch_related(*citations_prefetch(user=user))
            .order_by("-event__date", "pk")
        )
        return context


class EventDetailView(CitableDetailView):
    section = "events"
    template_name = "advocacy/event_detail.html"
    model = Event
    selector = staticmethod(event_list)
    context_object_name = "event"

    def get_meta(self):
        event = self.object
        return {
            "title": event.name,
            "description": event.description or event.date_display,
            "type": "article",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        event = self.object
        names = self.protected_names
        data = {
            "@context": "https://schema.org",
            "@type": "Event",
            "name": redact(event.name, names),
            "url": self.request.build_absolute_uri(event.get_absolute_url()),
        }
        if event.date:
            data["startDate"] = iso_partial(event.date, event.date_precision)
        if event.end_date:
            data["endDate"] = event.end_date.isoformat()
        if event.place:
            data["location"] = {"@type": "Place", "name": event.place}
        if event.description:
            data["description"] = redact(event.description, names)
        organisers = [
            p.participant
            for p in event.participations.all()
            if p.part == ParticipantRole.ORGANISER and is_named(p.participant)
        ]
        if organisers:
            data["organizer"] = [
                {
                    "@type": "Person" if isinstance(o, Person) else "Organization",
                    "name": o.name,
                }
                for o in organisers
            ]
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        event, user = self.object, self.request.user
        parts = OrderedDict((value, []) for value, _label in ParticipantRole.choices)
        for participation in event.participations.all():
            parts.setdefault(participation.part, []).append(participation)
        labels = dict(ParticipantRole.choices)
        context["parts"] = [
            {"part": part, "label": labels.get(part, part), "participations": rows}
            for part, rows in parts.items()
            if rows
        ]
        context["statements"] = list(
            statement_list(user=user).filter(event=event).order_by("date", "pk")
        )
        return context


class StatementDetailView(CitableDetailView):
    section = "statements"
    template_name = "advocacy/statement_detail.html"
    model = Statement
    selector = staticmethod(statement_list)
    context_object_name = "statement"

    def get_object(self):
        statement = super().get_object()
        self.redirect_by_id = None
        slug = self.kwargs["slug"]
        # An id is a (big) integer; a longer run of digits is only an unknown slug.
        if statement is None and slug.isdigit() and len(slug) <= 18:
            # /statements/<id>/ answers with the canonical slug URL.
            self.redirect_by_id = self.selector(user=self.request.user).filter(pk=int(slug)).first()
        return statement

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object is None and self.redirect_by_id is not None:
            return self.redirect_to(self.redirect_by_id)
        return super().get(request, *args, **kwargs)

    def get_meta(self):
        statement = self.object
        names = self.protected_names
        quote = first_quotation_text(statement)
        return {
            "title": statement_title(statement, names),
            "description": f"“{quote}”" if quote else statement.summary,
            "type": "article",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        statement = self.object
        names = self.protected_names
        data = {
            "@context": "https://schema.org",
            "@type": "Quotation",
            "url": self.request.build_absolute_uri(statement.get_absolute_url()),
            "text": redact(first_quotation_text(statement), names),
        }
        speaker = statement.speaker
        if speaker is not None and is_named(speaker):
            data["creator"] = {
                "@type": "Person" if isinstance(speaker, Person) else "Organization",
                "name": speaker.name,
                "url": self.request.build_absolute_uri(speaker.get_absolute_url()),
            }
        if statement.date:
            data["dateCreated"] = iso_partial(statement.date, statement.date_precision)
        sources = source_references([statement])
        if sources:
            data["isBasedOn"] = [
                {
                    "@type": "CreativeWork",
                    "name": source.title,
                    "publisher": source.publisher,
                    "url": source.url or absolute(self.request, source.get_absolute_url()),
                }
                for source in sources
            ]
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["quotations"] = list(self.object.quotations.all())
        context["quotation_source_count"] = len({q.source_id for q in context["quotations"]})
        return context


class SourceDetailView(RecordDetailView):
    section = "sources"
    template_name = "advocacy/source_detail.html"
    model = Source
    selector = staticmethod(source_list)
    context_object_name = "source"

    def get_meta(self):
        source = self.object
        return {
            "title": source.title,
            "description": _("%(publisher)s, %(date)s: the passages quoted and cited from it.")
            % {"publisher": source.publisher, "date": source.published_display},
            "type": "article",
            "jsonld": self.jsonld(),
        }

    def jsonld(self):
        source = self.object
        data = {
            "@context": "https://schema.org",
            "@type": "NewsArticle" if source.kind == "news_article" else "CreativeWork",
            "headline": source.title,
            "url": self.request.build_absolute_uri(source.get_absolute_url()),
            "inLanguage": source.language,
        }
        if source.url:
            data["sameAs"] = source.url
        if source.publisher:
            data["publisher"] = {"@type": "Organization", "name": source.publisher}
        if source.authors:
            data["author"] = source.authors
        if source.published_on:
            data["datePublished"] = iso_partial(source.published_on, source.published_precision)
        return data

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source, user = self.object, self.request.user
        quotations = list(
            quotation_list(user=user).filter(source=source).order_by("start_offset", "pk")
        )
        marked = MarkedText(source, quotations, self.protected_names)
        context["quotations"] = quotations
        context["paragraphs"] = marked.paragraphs_in_context()
        context["unlocated"] = [q for q in quotations if q.start_offset is None]
        context["show_full_text"] = source.full_text_public or user.has_perm("advocacy.view_source")
        context["full_text"] = marked.full_text() if context["show_full_text"] else []
        targets = GenericPrefetch(
            "content_object",
            [
                Group.objects.all(),
                Person.objects.all(),
                Event.objects.all(),
                Membership.objects.select_related("person", "group"),
                GroupRelation.objects.select_related("subject", "object"),
                Participation.objects.select_related("event", "person", "group"),
                Statement.objects.select_related("speaker_person", "speaker_group"),
            ],
        )
        context["citations"] = list(
            citation_list(user=user).filter(source=source).prefetch_related(targets)
        )
        conflicts = (
            ConflictingVersion.objects.visible_to(user)
            .filter(source=source)
            .select_related("source")
            .prefetch_related(targets)
        )
        context["conflicting_versions"] = list(conflicts)
        context["reference"] = redact(source_reference(source), self.protected_names)
        return context
