"""When it was said (printed dates, weekdays, "yesterday") and in what medium."""

from __future__ import annotations

import datetime
import re

from advocacy.choices import DatePrecision, Medium

# Dates

_WEEKDAYS = {
    0: r"monday|понедельник|понеділок|понеділка",
    1: r"tuesday|вторник|вівторок|вівторка",
    2: r"wednesday|сред[ау]|серед[ау]|середи",
    3: r"thursday|четверг|четвер|четверга",
    4: r"friday|пятниц[ау]|п['’ʼ]?ятниц[юяі]",
    5: r"saturday|суббот[ау]|субот[ау]|суботи",
    6: r"sunday|воскресенье|неділ[юяі]",
}
_WEEKDAY = re.compile(
    r"\b(?:(?:on|last|this)\s+|(?:в|во|у|в\s+минулу|в\s+прошлую|в\s+прошлый)\s+)?"
    r"(?P<day>" + "|".join(f"(?P<d{n}>{p})" for n, p in _WEEKDAYS.items()) + r")\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|"
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
)
_EXPLICIT_DATE = re.compile(
    rf"\b(?:(?P<md>(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)|"
    rf"(?P<dm>\d{{1,2}}\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?(?:\s+(?:года|року|г\.|р\.))?)|"
    r"(?P<iso>\d{4}-\d{2}-\d{2}))\b",
    re.IGNORECASE,
)
_RELATIVE_DAY = re.compile(
    r"\b(?P<yesterday>yesterday|вчера|вчора)|(?P<today>today|сегодня|сьогодні)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:in|в|у)\s+(?P<year>(?:19|20)\d{2})(?:\s+(?:году|році))?\b", re.I)


def guess_date(
    text: str, article_date: datetime.date | None, language: str = "en"
) -> tuple[datetime.date, str, str] | None:
    """A date printed in a passage: (date, precision, as printed), relative to the article."""
    match = _EXPLICIT_DATE.search(text)
    if match:
        parsed = _parse_date(match.group(), article_date, language)
        if parsed:
            return parsed, DatePrecision.DAY, match.group()
    match = _RELATIVE_DAY.search(text)
    if match and article_date:
        delta = 1 if match.group("yesterday") else 0
        return article_date - datetime.timedelta(days=delta), DatePrecision.DAY, match.group()
    match = _WEEKDAY.search(text)
    if match and article_date:
        weekday = next(n for n in _WEEKDAYS if match.group(f"d{n}"))
        # News speaks of the past week: the latest such day up to the article's date.
        back = (article_date.weekday() - weekday) % 7
        return article_date - datetime.timedelta(days=back), DatePrecision.DAY, match.group()
    match = _YEAR.search(text)
    if match:
        return datetime.date(int(match.group("year")), 1, 1), DatePrecision.YEAR, match.group()
    return None


def _parse_date(text: str, base: datetime.date | None, language: str) -> datetime.date | None:
    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if base:
        settings["RELATIVE_BASE"] = datetime.datetime.combine(base, datetime.time())
    languages = [language] if language in ("en", "ru", "uk") else ["en", "ru", "uk"]
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    if parsed is None:
        parsed = dateparser.parse(text, languages=["en", "ru", "uk"], settings=settings)
    return parsed.date() if parsed else None


def find_article_date(text: str, language: str = "en") -> datetime.date | None:
    """The publication date printed near the top of an article ("November 24, 2022")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][1:6]
    for line in lines:
        if len(line) > 80:
            continue
        match = _EXPLICIT_DATE.search(line)
        if match:
            parsed = _parse_date(match.group(), None, language)
            if parsed:
                return parsed
    return None


# Medium

_MEDIUM_HINTS = [
    (Medium.VIDEO_MESSAGE, r"\bvideo|видео|відео"),
    (Medium.TELEGRAM_POST, r"\btelegram|телеграм"),
    (Medium.SOCIAL_MEDIA_POST, r"\bsocial media|\bpost\b|посте|дописі|\bbio\b"),
    (Medium.WRITTEN_STATEMENT, r"\bwrote\b|\bletter\b|\bstatement\b|заявлени|письм|заяв"),
    (Medium.PRESS_BRIEFING, r"\bbriefing|брифинг|брифінг|spokes"),
    (Medium.INTERVIEW, r"\binterview|интервью|інтерв"),
]


def guess_medium(context: str) -> str:
    for medium, pattern in _MEDIUM_HINTS:
        if re.search(pattern, context, re.IGNORECASE):
            return medium
    return Medium.OTHER
