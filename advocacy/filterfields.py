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
