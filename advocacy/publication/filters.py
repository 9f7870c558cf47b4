"""The public FilterSets: the same parameters as `advocacy.filters`, over the public rows.

Related-record filters (`speaker`, `group`, `event`, `source`, `topic`…) take a public
slug, checked against the public rows of that kind, and match the row's facets; `q`
matches the row's search key, made from redacted text only, so a protected name finds
nothing; a word not in the public text is also looked for by its near spellings (the
lexicon, `advocacy.publication.lexicon`). No working table is read.
"""

import django_filters as filters
from django.utils.translation import gettext_lazy as _

from advocacy.choices import (
    Country,
    EventKind,
    GroupKind,
    Language,
    Medium,
    ParticipantRole,
    SourceKind,
)
from advocacy.filterfields import (
    FilterSet,
    OrderingFilter,
    PartialDateRangeMixin,
    SearchFilterSet,
    UtcDateTimeFilter,
)
from advocacy.models.public import (
    PublicCitation,
    PublicEvent,
    PublicGroup,
    PublicMembership,
    PublicPerson,
    PublicQuotation,
    PublicSource,
    PublicStatement,
    PublicTopic,
)
from advocacy.publication import lexicon


def search_rows(rows, query: str, expanded: list[list[str]] | None = None):
    """The public rows whose search key holds every term of the query, or one of its near
    spellings (a word of the public text: advocacy.publication.lexicon). `expanded`: the
    query's terms and near spellings, if already looked up."""
    if not query.strip():
        return rows
    return lexicon.matching(rows, query, expanded=expanded)


class FacetFilter(filters.ModelChoiceFilter):
    """A public record by slug (an unknown slug is refused, as a choice filter does),
    matched against the `facet:slug` tokens of each row."""

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        kwargs.setdefault("to_field_name", "slug")
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(facets__has=f"{self.facet}:{value.slug}")


class ValueFacetFilter(filters.ChoiceFilter):
    """A choice (a language, a part) matched against the rows' facets."""

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return qs.filter(facets__has=f"{self.facet}:{value}")


class PublicSearchFilterSet(SearchFilterSet):
    # Public records' querysets are the same for every reader.
    fields_for_any_request = True

    def search(self, queryset, name, value):
        return search_rows(queryset, value)


# Callables (django-filter calls them with the request): a queryset given as such would be
# deep-copied with every FilterSet, a few milliseconds a request. A slug is checked by its
# id and slug only, not the row's three documents and pages.
def _people(request=None):
    return PublicPerson.objects.only("id", "slug")


def _groups(request=None):
    return PublicGroup.objects.only("id", "slug")


def _events(request=None):
    return PublicEvent.objects.only("id", "slug")


def _sources(request=None):
    return PublicSource.objects.only("id", "slug")


def _statements(request=None):
    return PublicStatement.objects.only("id", "slug")


def _topics(request=None):
    return PublicTopic.objects.only("id", "slug")


class PublicStatementFilterSet(PartialDateRangeMixin, PublicSearchFilterSet):
    speaker = FacetFilter(facet="speaker", queryset=_people, label=_("Speaker"))
    group = FacetFilter(
        facet="group",
        queryset=_groups,
        label=_("Group"),
        help_text=_("Statements by the group or by its members."),
    )
    medium = filters.ChoiceFilter(choices=Medium.choices, label=_("Medium"))
    language = ValueFacetFilter(facet="lang", choices=Language.choices, label=_("Language"))
    event = FacetFilter(facet="event", queryset=_events, label=_("Event"))
    source = FacetFilter(facet="source", queryset=_sources, label=_("Source"))
    topic = FacetFilter(facet="topic", queryset=_topics, label=_("Topic"))
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("date", "date"), ("updated_at", "updated"), ("id", "id")), label=_("Order by")
    )

    class Meta:
        model = PublicStatement
        fields = []


class PublicEventFilterSet(PartialDateRangeMixin, PublicSearchFilterSet):
    kind = filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    place = filters.CharFilter(lookup_expr="icontains", max_length=200, label=_("Place"))
    person = FacetFilter(facet="person", queryset=_people, label=_("Participant (person)"))
    group = FacetFilter(facet="group", queryset=_groups, label=_("Participant (group)"))
    part = ValueFacetFilter(facet="part", choices=ParticipantRole.choices, label=_("Part"))
    topic = FacetFilter(facet="topic", queryset=_topics, label=_("Topic"))
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("date", "date"), ("name", "name"), ("updated_at", "updated"), ("id", "id")),
        label=_("Order by"),
    )

    class Meta:
        model = PublicEvent
        fields = []


class PublicGroupFilterSet(PublicSearchFilterSet):
    kind = filters.ChoiceFilter(choices=GroupKind.choices, label=_("Kind"))
    country = filters.ChoiceFilter(choices=Country.choices, label=_("Country"))
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("updated_at", "updated"), ("id", "id")), label=_("Order by")
    )

    class Meta:
        model = PublicGroup
        fields = []


class PublicPersonFilterSet(PublicSearchFilterSet):
    group = FacetFilter(facet="group", queryset=_groups, label=_("Group"))
    role = filters.CharFilter(
        field_name="roles", lookup_expr="icontains", max_length=200, label=_("Role")
    )
    country = filters.ChoiceFilter(choices=Country.choices, label=_("Country"))
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("updated_at", "updated"), ("id", "id")), label=_("Order by")
    )

    class Meta:
        model = PublicPerson
        fields = []


class PublicSourceFilterSet(PublicSearchFilterSet):
    publisher = filters.CharFilter(lookup_expr="icontains", max_length=200, label=_("Publisher"))
    language = filters.ChoiceFilter(choices=Language.choices, label=_("Language"))
    kind = filters.ChoiceFilter(choices=SourceKind.choices, label=_("Kind"))
    date_after = filters.DateFilter(
        field_name="published_on", lookup_expr="gte", label=_("Published from")
    )
    date_before = filters.DateFilter(
        field_name="published_on", lookup_expr="lte", label=_("Published until")
    )
    ordering = OrderingFilter(
        fields=(
            ("published_on", "date"),
            ("title", "name"),
            ("updated_at", "updated"),
            ("id", "id"),
        ),
        label=_("Order by"),
    )

    class Meta:
        model = PublicSource
        fields = []


class PublicMembershipFilterSet(PublicSearchFilterSet):
    person = FacetFilter(facet="person", queryset=_people)
    group = FacetFilter(facet="group", queryset=_groups)
    role = filters.CharFilter(lookup_expr="icontains", max_length=200)
    has_conflict = filters.BooleanFilter()

    class Meta:
        model = PublicMembership
        fields = []


class PublicQuotationFilterSet(FilterSet):
    fields_for_any_request = True

    statement = FacetFilter(facet="statement", queryset=_statements)
    source = FacetFilter(facet="source", queryset=_sources)
    language = filters.ChoiceFilter(choices=Language.choices)
    is_verbatim = filters.BooleanFilter()
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = PublicQuotation
        fields = []


class PublicCitationFilterSet(FilterSet):
    fields_for_any_request = True

    source = FacetFilter(facet="source", queryset=_sources)
    model = filters.CharFilter(max_length=50)
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = PublicCitation
        fields = []


PUBLIC_FILTERSETS = {
    "statement": PublicStatementFilterSet,
    "event": PublicEventFilterSet,
    "group": PublicGroupFilterSet,
    "person": PublicPersonFilterSet,
    "source": PublicSourceFilterSet,
    "membership": PublicMembershipFilterSet,
    "quotation": PublicQuotationFilterSet,
    "citation": PublicCitationFilterSet,
}
