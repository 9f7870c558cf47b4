"""Small summaries of related records, and the field that reads as a summary and writes
as an id or slug.

A summary never carries the full related record: id, slug, name, `url` (API) and
`html_url` (public page); a person or group also its `display_name`, the name a reader of
the current language is shown (advocacy.api.names). A protected person is summarised only
as `{"type": "person", "label": "a protected person"}` (never a name in any script); a
record the request may not see is `null`.
"""

import re

from django.db.models import Model
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from advocacy.api.audience import FULL, LABEL, Audience
from advocacy.api.names import DisplayNameSerializer
from advocacy.choices import DatePrecision
from advocacy.models import Event, Group, Person, Source, Statement

SLUG_RE = re.compile(r"^[-a-zA-Z0-9_]+$")
MAX_ID = 2**63 - 1


def person_summary(audience: Audience, person: Person | None) -> dict | None:
    level = audience.level(person)
    if level == FULL:
        return audience.published(
            person,
            {
                "type": "person",
                "id": person.pk,
                "slug": person.slug,
                "name": person.name,
                "display_name": audience.display_name(person),
                "label": person.name,
                "url": audience.api_url("person", person.pk),
                "html_url": audience.html_url("person-detail", person.slug),
            },
        )
    if level == LABEL:
        return {"type": "person", "label": person.public_name}
    return None


def group_summary(audience: Audience, group: Group | None) -> dict | None:
    if audience.level(group) != FULL:
        return None
    return audience.published(
        group,
        {
            "type": "group",
            "id": group.pk,
            "slug": group.slug,
            "name": group.name,
            "display_name": audience.display_name(group),
            "label": group.name,
            "url": audience.api_url("group", group.pk),
            "html_url": audience.html_url("group-detail", group.slug),
        },
    )


def agent_summary(audience: Audience, agent: Person | Group | None) -> dict | None:
    """A speaker, addressee or participant: a person or a group."""
    if isinstance(agent, Person):
        return person_summary(audience, agent)
    return group_summary(audience, agent)


def event_summary(audience: Audience, event: Event | None) -> dict | None:
    if audience.level(event) != FULL:
        return None
    return audience.published(
        event,
        {
            "id": event.pk,
            "slug": event.slug,
            "name": event.name,
            "date": event.date.isoformat() if event.date else None,
            "date_precision": event.date_precision,
            "url": audience.api_url("event", event.pk),
            "html_url": audience.html_url("event-detail", event.slug),
        },
    )


def source_summary(audience: Audience, source: Source | None) -> dict | None:
    """A source reached through a public quotation or citation (both require a public
    source), or any source for a researcher."""
    if source is None:
        return None
    return audience.published(
        source,
        {
            "id": source.pk,
            "slug": source.slug,
            "title": source.title,
            "publisher": source.publisher,
            "published_on": source.published_on.isoformat() if source.published_on else None,
            "source_url": source.url,
            "url": audience.api_url("source", source.pk),
            "html_url": audience.html_url("source-detail", source.slug),
        },
    )


def statement_summary(audience: Audience, statement: Statement | None) -> dict | None:
    if statement is None or audience.level(statement) != FULL:
        return None
    return audience.published(
        statement,
        {
            "id": statement.pk,
            "slug": statement.slug,
            "date": statement.date.isoformat() if statement.date else None,
            "date_precision": statement.date_precision,
            "speaker": agent_summary(audience, statement.speaker),
            "url": audience.api_url("statement", statement.pk),
            "html_url": audience.html_url("statement-detail", statement.slug),
        },
    )


SUMMARIES = {
    Person: person_summary,
    Group: group_summary,
    Event: event_summary,
    Source: source_summary,
    Statement: statement_summary,
}


# Documentation of the summaries' shapes, for the OpenAPI schema.


class AgentSummarySerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=["person", "group"])
    label = serializers.CharField(help_text=_('The name, or "a protected person".'))
    id = serializers.IntegerField(required=False)
    slug = serializers.CharField(required=False)
    name = serializers.CharField(required=False)
    display_name = DisplayNameSerializer(
        required=False,
        help_text=_(
            "The name to show in the reader's language (Accept-Language or ?lang=), and "
            "whether it is recorded or only transliterated for display."
        ),
    )
    url = serializers.URLField(required=False)
    html_url = serializers.URLField(required=False)


class EventSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    name = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    url = serializers.URLField()
    html_url = serializers.URLField()


class SourceSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    title = serializers.CharField()
    publisher = serializers.CharField()
    published_on = serializers.DateField(allow_null=True)
    source_url = serializers.CharField(help_text=_("Where the document was published."))
    url = serializers.URLField()
    html_url = serializers.URLField()


class StatementSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    slug = serializers.CharField()
    date = serializers.DateField(allow_null=True)
    date_precision = serializers.ChoiceField(choices=DatePrecision.choices)
    speaker = AgentSummarySerializer(allow_null=True)
    url = serializers.URLField()
    html_url = serializers.URLField()


SUMMARY_SERIALIZERS = {
    Person: AgentSummarySerializer,
    Group: AgentSummarySerializer,
    Event: EventSummarySerializer,
    Source: SourceSummarySerializer,
    Statement: StatementSummarySerializer,
}


def lookup_record(queryset, value, *, has_slug: bool = True) -> Model:
    """The record an id (number) or slug (text) names, or DoesNotExist / ValueError."""
    if isinstance(value, bool):
        raise ValueError
    if isinstance(value, int) or (isinstance(value, str) and value.isdigit()):
        pk = int(value)
        if not 0 < pk <= MAX_ID:
            raise queryset.model.DoesNotExist
        return queryset.get(pk=pk)
    if has_slug and isinstance(value, str) and SLUG_RE.match(value) and len(value) <= 100:
        return queryset.get(slug=value)
    raise ValueError


class RecordField(serializers.RelatedField):
    """Reads as the related record's summary; writes as its id or slug.

    Only records the requesting user may see can be named.
    """

    default_error_messages = {
        "does_not_exist": _("No {model} with id or slug “{value}”."),
        "invalid": _("Give the {model}'s id (a number) or slug (text)."),
    }

    def __init__(self, model: type[Model], **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        manager = self.model._default_manager
        request = self.context.get("request")
        user = getattr(request, "user", None)
        return manager.visible_to(user) if hasattr(manager, "visible_to") else manager.all()

    def use_pk_only_optimization(self):
        return False

    def to_internal_value(self, data):
        name = self.model._meta.verbose_name
        has_slug = any(f.name == "slug" for f in self.model._meta.fields)
        try:
            return lookup_record(self.get_queryset(), data, has_slug=has_slug)
        except self.model.DoesNotExist:
            self.fail("does_not_exist", model=name, value=data)
        except (ValueError, TypeError):
            self.fail("invalid", model=name)

    def to_representation(self, value):
        return SUMMARIES[self.model](self.context["audience"], value)
