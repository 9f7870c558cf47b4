"""Filter fields shared by the working FilterSets (advocacy/filters.py) and the public ones
(advocacy/publication/filters.py)."""

import datetime

import django_filters as filters
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


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
