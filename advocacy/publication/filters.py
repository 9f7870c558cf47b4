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
from advocacy.filterfields import UtcDateTimeFilter
from advocacy.models.public import (
    PublicCitation,
    PublicEvent,
    PublicGroup,
    PublicMembership,
    PublicPerson,
    PublicQuotation,
    PublicSource,
    PublicStatement,
)
from advocacy.publication import lexicon
from advocacy.text import MAX_QUERY_LENGTH


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
        return qs.filter(facets__contains=f" {self.facet}:{value.slug} ")


class ValueFacetFilter(filters.ChoiceFilter):
    """A choice (a language, a part) matched against the rows' facets."""

    def __init__(self, *args, facet: str, **kwargs):
        self.facet = facet
        super().__init__(*args, **kwargs)

    def filter(self, qs, value):
        if value in ("", None):
            return qs
        return qs.filter(facets__contains=f" {self.facet}:{value} ")


class TopicFilter(filters.CharFilter):
    def filter(self, qs, value):
        if not value:
            return qs
        return qs.filter(facets__contains=f" topic:{value} ")


class PublicSearchFilterSet(filters.FilterSet):
    q = filters.CharFilter(method="search", max_length=MAX_QUERY_LENGTH, label=_("Search"))
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        # Every term, or one of its near spellings (a word of the public text).
        return lexicon.matching(queryset, value)


class PublicDateRangeMixin(filters.FilterSet):
    date_after = filters.DateFilter(field_name="latest_date", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte")


# Callables (django-filter calls them with the request): a queryset given as such would be
# deep-copied with every FilterSet, a few milliseconds a request.
def _people(request=None):
    return PublicPerson.objects.all()


def _groups(request=None):
    return PublicGroup.objects.all()


def _events(request=None):
    return PublicEvent.objects.all()


def _sources(request=None):
    return PublicSource.objects.all()


def _statements(request=None):
    return PublicStatement.objects.all()


class PublicStatementFilterSet(PublicDateRangeMixin, PublicSearchFilterSet):
    speaker = FacetFilter(facet="speaker", queryset=_people)
    group = FacetFilter(facet="group", queryset=_groups)
    medium = filters.ChoiceFilter(choices=Medium.choices)
    language = ValueFacetFilter(facet="lang", choices=Language.choices)
    event = FacetFilter(facet="event", queryset=_events)
    source = FacetFilter(facet="source", queryset=_sources)
    topic = TopicFilter()
    has_conflict = filters.BooleanFilter()
    ordering = filters.OrderingFilter(
        fields=(("date", "date"), ("updated_at", "updated"), ("id", "id"))
    )

    class Meta:
        model = PublicStatement
        fields = []


class PublicEventFilterSet(PublicDateRangeMixin, PublicSearchFilterSet):
    kind = filters.ChoiceFilter(choices=EventKind.choices)
    place = filters.CharFilter(lookup_expr="icontains", max_length=200)
    person = FacetFilter(facet="person", queryset=_people)
    group = FacetFilter(facet="group", queryset=_groups)
    part = ValueFacetFilter(facet="part", choices=ParticipantRole.choices)
    topic = TopicFilter()
    has_conflict = filters.BooleanFilter()
    ordering = filters.OrderingFilter(
        fields=(("date", "date"), ("name", "name"), ("updated_at", "updated"), ("id", "id"))
    )

    class Meta:
        model = PublicEvent
        fields = []


class PublicGroupFilterSet(PublicSearchFilterSet):
    kind = filters.ChoiceFilter(choices=GroupKind.choices)
    country = filters.ChoiceFilter(choices=Country.choices)
    has_conflict = filters.BooleanFilter()
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("updated_at", "updated"), ("id", "id"))
    )

    class Meta:
        model = PublicGroup
        fields = []


class PublicPersonFilterSet(PublicSearchFilterSet):
    group = FacetFilter(facet="group", queryset=_groups)
    role = filters.CharFilter(field_name="roles", lookup_expr="icontains", max_length=200)
    country = filters.ChoiceFilter(choices=Country.choices)
    has_conflict = filters.BooleanFilter()
    ordering = filters.OrderingFilter(
        fields=(("name", "name"), ("updated_at", "updated"), ("id", "id"))
    )

    class Meta:
        model = PublicPerson
        fields = []


class PublicSourceFilterSet(PublicSearchFilterSet):
    publisher = filters.CharFilter(lookup_expr="icontains", max_length=200)
    language = filters.ChoiceFilter(choices=Language.choices)
    kind = filters.ChoiceFilter(choices=SourceKind.choices)
    date_after = filters.DateFilter(field_name="published_on", lookup_expr="gte")
    date_before = filters.DateFilter(field_name="published_on", lookup_expr="lte")
    ordering = filters.OrderingFilter(
        fields=(
            ("published_on", "date"),
            ("title", "name"),
            ("updated_at", "updated"),
            ("id", "id"),
        )
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


class PublicQuotationFilterSet(filters.FilterSet):
    statement = FacetFilter(facet="statement", queryset=_statements)
    source = FacetFilter(facet="source", queryset=_sources)
    language = filters.ChoiceFilter(choices=Language.choices)
    is_verbatim = filters.BooleanFilter()
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = PublicQuotation
        fields = []


class PublicCitationFilterSet(filters.FilterSet):
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
