"""Filter fields shared by the working FilterSets (advocacy/filters.py) and the public ones
(advocacy/publication/filters.py)."""

import copy
import datetime

import django_filters as filters
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_filters.filters import FilterMethod

from advocacy.text import MAX_QUERY_LENGTH


class UtcDateTimeFilter(filters.IsoDateTimeFilter):
    """An ISO 8601 date-time, compared in UTC: any offset RFC 3339 allows (up to ±23:59),
    where PostgreSQL takes at most ±15:59 as it is written."""

    def filter(self, qs, value):
        if value is not None:
            try:
                value = value.astimezone(datetime.UTC)
            except OverflowError as error:
                raise ValidationError(_("The date-time is out of range.")) from error
        return super().filter(qs, value)


# Ordering choices by parameter, each direction its own message: django-filter formats
# "%s (descending)" once, at import, in English, so its labels never get translated.
ORDERING_LABELS = {
    "date": (_("Date"), _("Date (descending)")),
    "name": (_("Name"), _("Name (descending)")),
    "updated": (_("Updated"), _("Updated (descending)")),
    "id": (_("Id"), _("Id (descending)")),
}


class OrderingFilter(filters.OrderingFilter):
    """django-filter's OrderingFilter with translatable labels (ORDERING_LABELS) and a
    "Default order" empty choice rather than "Any"."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("empty_label", _("Default order"))
        super().__init__(*args, **kwargs)

    def build_choices(self, fields, labels):
        choices = []
        for field, param in fields.items():
            ascending, descending = ORDERING_LABELS.get(param, (None, None))
            choices.append((param, labels.get(field, ascending or param)))
            choices.append((f"-{param}", labels.get(f"-{param}", descending or f"-{param}")))
        return choices


def request_copy(filter_):
    """A copy of a declared filter for one FilterSet: its own attributes and `extra` (the
    form field's arguments, where django-filter puts the request's queryset), sharing the
    values, which no request changes. `method` is re-bound to the copy."""
    request_filter = copy.copy(filter_)
    request_filter.extra = dict(filter_.extra)
    request_filter.__dict__.pop("_field", None)
    if isinstance(request_filter.__dict__.get("filter"), FilterMethod):
        request_filter.filter = FilterMethod(request_filter)
    return request_filter


class DeclaredFilters(dict):
    """A FilterSet's `base_filters`, which django-filter deep-copies for every FilterSet
    made: every label, choice and queryset of a dozen filters, a large part of a list
    request. Each filter is copied one level instead (`request_copy`)."""

    def __deepcopy__(self, memo):
        return DeclaredFilters((name, request_copy(filter_)) for name, filter_ in self.items())


class FilterSet(filters.FilterSet):
    """django-filter's FilterSet, copying its filters for each request one level deep.

    Where no filter's form field depends on the request (`fields_for_any_request`: no
    queryset made for the user), the form class is made once per language rather than at
    every request (django-filter writes a label it makes up, "Role contains", in the
    language active then); each form still has its own copy of the fields, as every Django
    form does."""

    fields_for_any_request = False

    @classmethod
    def get_filters(cls):
        return DeclaredFilters(super().get_filters())

    def get_form_class(self):
        if not self.fields_for_any_request:
            return super().get_form_class()
        form_classes = type(self).__dict__.get("form_classes")
        if form_classes is None:
            form_classes = type(self).form_classes = {}
        language = get_language()
        if language not in form_classes:
            form_classes[language] = super().get_form_class()
        return form_classes[language]


class SearchFilterSet(FilterSet):
    """`q` (the cross-script search: each FilterSet family says over what, in `search`) and
    `updated_after` (incremental sync), for every list."""

    q = filters.CharFilter(
        method="search",
        max_length=MAX_QUERY_LENGTH,
        label=_("Search"),
        help_text=_("Matches across scripts and spellings: Путь домой finds Put' Domoi."),
    )
    updated_after = UtcDateTimeFilter(
        field_name="updated_at",
        lookup_expr="gte",
        label=_("Updated after"),
        help_text=_("ISO 8601 date-time, for incremental sync."),
    )

    def search(self, queryset, name, value):
        raise NotImplementedError


class PartialDateRangeMixin(FilterSet):
    """Dates known only to the month or year match any range they overlap."""

    date_after = filters.DateFilter(
        field_name="latest_date", lookup_expr="gte", label=_("From date")
    )
    date_before = filters.DateFilter(field_name="date", lookup_expr="lte", label=_("To date"))
