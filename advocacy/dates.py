"""Dates known to the day, month or year."""

import calendar
import datetime

from django.utils import formats

from advocacy.choices import DatePrecision


def format_partial_date(
    date: datetime.date | None, precision: str, end_date: datetime.date | None = None
) -> str:
    if date is None:
        return ""
    if precision == DatePrecision.YEAR:
        text = str(date.year)
    elif precision == DatePrecision.MONTH:
        text = formats.date_format(date, "YEAR_MONTH_FORMAT")
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
