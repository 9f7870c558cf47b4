"""Dates known to the day, month or year."""

import calendar
import datetime
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.utils import formats
from django.utils.translation import get_language

from advocacy.choices import DatePrecision

# Languages that write a month's name in lower case inside a sentence ("ноябрь 2022 г.",
# "листопад 2022 р."), where Django's month-and-year format capitalises it.
LOWER_CASE_MONTHS = {"ru", "uk"}


def month_and_year(date: datetime.date) -> str:
    """ "November 2022", "ноябрь 2022 г.", "листопад 2022 р." (advocacy/formats/)."""
    text = formats.date_format(date, "YEAR_MONTH_FORMAT")
    if (get_language() or "").split("-")[0] in LOWER_CASE_MONTHS:
        text = text[:1].lower() + text[1:]
    return text


# Dates already formatted, by language, while `formats_remembered()` is on.
_remembered: ContextVar[dict | None] = ContextVar("formatted_dates", default=None)


REMEMBERED_AT_MOST = 100_000


@contextmanager
def formats_remembered() -> Iterator[None]:
    """Format each partial date once per language meanwhile (building the public rows
    formats the same few thousand dates again and again; Django's formatter is slow).
    Inside another, the outer one's."""
    if _remembered.get() is not None:
        yield
        return
    token = _remembered.set({})
    try:
        yield
    finally:
        _remembered.reset(token)


def format_partial_date(
    date: datetime.date | None, precision: str, end_date: datetime.date | None = None
) -> str:
    if date is None:
        return ""
    remembered = _remembered.get()
    if remembered is None:
        return _format_partial_date(date, precision, end_date)
    key = (date, precision, end_date, get_language())
    if key not in remembered:
        if len(remembered) >= REMEMBERED_AT_MOST:
            remembered.clear()
        remembered[key] = _format_partial_date(date, precision, end_date)
    return remembered[key]


def _format_partial_date(
    date: datetime.date, precision: str, end_date: datetime.date | None
) -> str:
    if precision == DatePrecision.YEAR:
        text = str(date.year)
    elif precision == DatePrecision.MONTH:
        text = month_and_year(date)
    else:
        text = formats.date_format(date, "DATE_FORMAT")
    if end_date and end_date != date:
        text = f"{text} – {formats.date_format(end_date, 'DATE_FORMAT')}"
    return text


def period_bounds(
    date: datetime.date, precision: str, end_date: datetime.date | None = None
) -> tuple[datetime.date, datetime.date]:
    """First and last day a partial date may stand for."""
    if end_date:
        return date, end_date
    if precision == DatePrecision.YEAR:
        return date.replace(month=1, day=1), date.replace(month=12, day=31)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(date.year, date.month)[1]
        return date.replace(day=1), date.replace(day=last)
    return date, date


def normalize_partial_date(date: datetime.date | None, precision: str) -> datetime.date | None:
    """The canonical stored form: the first day of the month or year."""
    if date is None:
        return None
    return period_bounds(date, precision)[0]
