"""One FilterSet per resource, used by the public list pages and the API alike.

Choice filters offer only public records (a draft or protected person is never a filter
option), and every FilterSet has `q`, the cross-script search.
"""

import django_filters as filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from advocacy import filterfields
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
    UtcDateTimeFilter,
)
from advocacy.models import (
    Citation,
    Event,
    Group,
    Membership,
    Person,
    Quotation,
    Source,
    Statement,
    Topic,
)


def public_groups(request=None):
    return Group.objects.public()


def public_people(request=None):
    return Person.objects.public()


def public_events(request=None):
    return Event.objects.public()


def public_sources(request=None):
    return Source.objects.public()


def public_statements(request=None):
    return Statement.objects.public()


class SearchFilterSet(filterfields.SearchFilterSet):
    def search(self, queryset, name, value):
        from advocacy.search import search_queryset

        if not value.strip():
            return queryset
        return search_queryset(queryset, value, user=getattr(self.request, "user", None))


class StatementFilterSet(PartialDateRangeMixin, SearchFilterSet):
    speaker = filters.ModelChoiceFilter(
        field_name="speaker_person",
        to_field_name="slug",
        queryset=public_people,
        label=_("Speaker"),
    )
    group = filters.ModelChoiceFilter(
        method="filter_group",
        to_field_name="slug",
        queryset=public_groups,
        label=_("Group"),
        help_text=_("Statements by the group or by its members."),
    )
    medium = filters.ChoiceFilter(choices=Medium.choices, label=_("Medium"))
    language = filters.ChoiceFilter(
        field_name="quotations__language",
        choices=Language.choices,
        distinct=True,
        label=_("Language"),
    )
    event = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=public_events, label=_("Event")
    )
    source = filters.ModelChoiceFilter(
        field_name="quotations__source",
        to_field_name="slug",
        queryset=public_sources,
        distinct=True,
        label=_("Source"),
    )
    topic = filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), label=_("Topic")
    )
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("date", "date"), ("updated_at", "updated"), ("pk", "id")),
        label=_("Order by"),
    )

    class Meta:
        model = Statement
        fields = []

    def filter_group(self, queryset, name, group):
        member_ids = Membership.objects.public().filter(group=group).values("person")
        return queryset.filter(Q(speaker_group=group) | Q(speaker_person__in=member_ids))


class EventFilterSet(PartialDateRangeMixin, SearchFilterSet):
    kind = filters.ChoiceFilter(choices=EventKind.choices, label=_("Kind"))
    place = filters.CharFilter(lookup_expr="icontains", max_length=200, label=_("Place"))
    person = filters.ModelChoiceFilter(
        field_name="participations__person",
        to_field_name="slug",
        queryset=public_people,
        distinct=True,
        label=_("Participant (person)"),
    )
    group = filters.ModelChoiceFilter(
        field_name="participations__group",
        to_field_name="slug",
        queryset=public_groups,
        distinct=True,
        label=_("Participant (group)"),
    )
    part = filters.ChoiceFilter(
        field_name="participations__part",
        choices=ParticipantRole.choices,
        distinct=True,
        label=_("Part"),
    )
    topic = filters.ModelChoiceFilter(
        field_name="topics", to_field_name="slug", queryset=Topic.objects.all(), label=_("Topic")
    )
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("date", "date"), ("name", "name"), ("updated_at", "updated"), ("pk", "id")),
        label=_("Order by"),
    )

    class Meta:
        model = Event
        fields = []


class GroupFilterSet(SearchFilterSet):
    kind = filters.ChoiceFilter(choices=GroupKind.choices, label=_("Kind"))
    country = filters.ChoiceFilter(choices=Country.choices, label=_("Country"))
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("updated_at", "updated"), ("pk", "id")), label=_("Order by")
    )

    class Meta:
        model = Group
        fields = []


class PersonFilterSet(SearchFilterSet):
    group = filters.ModelChoiceFilter(
        field_name="memberships__group",
        to_field_name="slug",
        queryset=public_groups,
        distinct=True,
        label=_("Group"),
    )
    role = filters.CharFilter(
        field_name="memberships__role",
        lookup_expr="icontains",
        max_length=200,
        distinct=True,
        label=_("Role"),
    )
    country = filters.ChoiceFilter(choices=Country.choices, label=_("Country"))
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))
    ordering = OrderingFilter(
        fields=(("name", "name"), ("updated_at", "updated"), ("pk", "id")), label=_("Order by")
    )

    class Meta:
        model = Person
        fields = []


class SourceFilterSet(SearchFilterSet):
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
            ("pk", "id"),
        ),
        label=_("Order by"),
    )

    class Meta:
        model = Source
        fields = []


class MembershipFilterSet(SearchFilterSet):
    person = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=public_people, label=_("Person")
    )
    group = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=public_groups, label=_("Group")
    )
    role = filters.CharFilter(lookup_expr="icontains", max_length=200, label=_("Role"))
    has_conflict = filters.BooleanFilter(label=_("Sources conflict"))

    class Meta:
        model = Membership
        fields = []

    def search(self, queryset, name, value):
        from advocacy.search import query_terms

        condition = Q()
        for term in query_terms(value):
            condition &= Q(person__search_key__contains=term) | Q(group__search_key__contains=term)
        return queryset.filter(condition)


class QuotationFilterSet(FilterSet):
    statement = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=public_statements, label=_("Statement")
    )
    source = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=public_sources, label=_("Source")
    )
    language = filters.ChoiceFilter(choices=Language.choices, label=_("Language"))
    is_verbatim = filters.BooleanFilter(label=_("Found verbatim"))
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Quotation
        fields = []


class CitationFilterSet(FilterSet):
    source = filters.ModelChoiceFilter(
        to_field_name="slug", queryset=public_sources, label=_("Source")
    )
    model = filters.CharFilter(
        field_name="content_type__model", max_length=50, label=_("Cited record type")
    )
    updated_after = UtcDateTimeFilter(field_name="updated_at", lookup_expr="gte")

    class Meta:
        model = Citation
        fields = []
