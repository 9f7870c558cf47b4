"""What the public pages say and how: labels in every language, dates as Russian and
Ukrainian readers write them, the timeline's undated records and labels that fit, the home
page's wording; and the admin's index telling its two kinds of groups apart."""

import datetime
import re

import pytest
from django.utils import translation

from advocacy.choices import DatePrecision
from advocacy.dates import format_partial_date
from advocacy.templatetags.advocacy_tags import statement_item, statement_row
from advocacy.views.timeline import CHAR_WIDTH, LEFT, WIDTH, Mark, layout
from tests.factories import StatementFactory

D = datetime.date


def html_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


# Dates


@pytest.mark.parametrize(
    ("language", "month", "day"),
    [
        ("en", "November 2022", "Nov. 25, 2022"),
        ("ru", "ноябрь 2022 г.", "25 ноября 2022 г."),
        ("uk", "листопад 2022 р.", "25 листопада 2022 р."),
    ],
)
def test_partial_dates_in_each_language(language, month, day):
    with translation.override(language):
        assert format_partial_date(datetime.date(2022, 11, 1), DatePrecision.MONTH) == month
        assert format_partial_date(datetime.date(2022, 11, 25), DatePrecision.DAY) == day


def test_ukrainian_days_are_not_zero_padded():
    with translation.override("uk"):
        assert format_partial_date(datetime.date(2022, 3, 5), DatePrecision.DAY) == (
            "5 березня 2022 р."
        )


def test_a_month_mid_line_is_in_lower_case(client, seeded):
    html = html_of(client, "/ru/people/olga-tsukanova/")
    assert "ноябрь 2022 г." in html
    assert "· Ноябрь" not in html and "<span>Ноябрь" not in html


# Filter labels


@pytest.mark.parametrize(
    ("prefix", "newest", "any_label"),
    [
        ("", "Date (descending)", "Any"),
        ("/ru", "Дата (сначала новые)", "Любые"),
        ("/uk", "Дата (спершу нові)", "Будь-які"),
    ],
)
def test_filters_are_labelled_in_the_page_language(client, seeded, prefix, newest, any_label):
    html = html_of(client, prefix + "/statements/")
    assert f'<option value="-date">{newest}</option>' in html
    assert f'<option value="" selected>{any_label}</option>' in html
    assert "---------" not in html
    for path in ("/events/", "/people/", "/groups/", "/sources/", "/timeline/"):
        assert "---------" not in html_of(client, prefix + path), path


def test_ordering_choices_are_translated_everywhere(client, seeded):
    html = html_of(client, "/ru/people/")
    for label in ("Название (от Я до А)", "Изменено", "Порядок добавления (сначала новые)"):
        assert f">{label}</option>" in html
    assert "descending" not in html


# Wording


def test_quotations_are_not_said_to_be_side_by_side(client, seeded):
    html = html_of(client, "/statements/tsukanova-are-you-a-man-or-what/")
    assert "Side by side" not in html
    assert "sources printed them, to compare." in html


# Statement rows (written by template tags, not templates)

STATEMENT = {
    "html_url": "/statements/appeal/",
    "title": "An appeal <to> the minister",
    "date_display": "",
    "speaker": {"label": "an unpublished person"},
    "event": {"name": "Meeting & talks", "html_url": "/events/meeting/"},
    "medium": "video",
    "has_conflict": True,
    "quotations": [
        {"language": "ru", "text": "Верните <b>мужей</b>", "source": {"publisher": "Verstka"}},
        {"language": "en", "text": "Bring them back", "source": {"publisher": "Meduza"}},
        {"language": "ru", "text": "Верните мужей", "source": {"publisher": "Verstka"}},
    ],
}


def test_a_statement_row_says_what_the_list_template_said():
    with translation.override("ru"):
        row = statement_row(STATEMENT)
        item = statement_item(STATEMENT)
    assert row.startswith('<li><div class="record-title"><a href="/statements/appeal/">')
    # Every value escaped; the first quotation only, in its language.
    assert "An appeal &lt;to&gt; the minister" in row
    assert '<blockquote lang="ru"><p>“Верните &lt;b&gt;мужей&lt;/b&gt;”</p></blockquote>' in row
    assert "Bring them back" not in row
    # No date, an unpublished speaker (a label, no link), the medium and the conflict,
    # translated; the event in the list's row only.
    assert "<span>дата неизвестна</span>" in row
    assert '<span><span class="neutral-label">an unpublished person</span></span>' in row
    assert '<a href="/events/meeting/">Meeting &amp; talks</a>' in row
    assert "Meeting" not in item
    assert '<span class="badge conflict">Источники расходятся</span>' in item
    # How many quotations, in Russian's plural, and from which outlets, each once.
    assert "<span>3 цитаты</span><span>Verstka, Meduza</span>" in row
    assert "цитаты" not in item


# Timeline


def test_undated_records_are_listed_under_the_chart(client, seeded):
    html = html_of(client, "/timeline/")
    section = html[html.index('id="undated-title"') :]
    assert "Not dated" in section[:60]
    # The five undated statements and the undated event of the seed data, each linked.
    assert section.count('<li><span class="meta-line">') == 6
    assert "/events/pow-mothers-zoom-conferences/" in section
    assert "“Once every several weeks”" in section
    assert "6 more records have no date and are listed below the chart" in html


def test_the_timeline_draws_the_most_recent_records_and_says_how_to_see_the_others(
    client, seeded, monkeypatch
):
    """Past its limits the chart draws the most recent dated records and lists the first
    undated ones, and says of how many, rather than drawing every public record."""
    from advocacy.publication.reading import document_of, public_rows
    from advocacy.views import timeline

    monkeypatch.setattr(timeline, "CHART_LIMIT", 3)
    monkeypatch.setattr(timeline, "UNDATED_LIMIT", 2)
    dated = [
        (row.date, document_of(row)["html_url"])
        for kind in ("event", "statement")
        for row in public_rows(kind).exclude(date=None)
    ]
    dated.sort(reverse=True)
    newest = {url for _date, url in dated[:3]}
    assert dated[2][0] > dated[3][0]  # no tie at the limit
    html = html_of(client, "/timeline/")
    chart = html[html.index('<svg class="timeline-svg"') : html.index("</svg>")]
    assert set(re.findall(r'<a href="([^"]+)" class="(?:event|statement)"', chart)) == newest
    assert (
        f"The chart shows the 3 most recent of {len(dated)} dated events and statements. "
        "2 of 6 records with no date are listed below it. "
        "Choose a group or dates to see the others."
    ) in html
    undated = html[html.index('id="undated-title"') :]
    assert undated.count('<li><span class="meta-line">') == 2


def test_timeline_lists_records_under_their_month(client, seeded):
    html = html_of(client, "/ru/timeline/")
    headings = re.findall(r'<li class="timeline-period">\s*<h3>([^<]+)</h3>', html)
    assert "Ноябрь 2022 г." in headings
    assert headings == sorted(set(headings), key=headings.index)  # each month once


def test_timeline_labels_fit_the_drawing():
    """A long label beside a mark near either edge is cut to the room it has."""
    long = "A very long statement title " * 6
    day = DatePrecision.DAY
    marks = [
        Mark("statement", long, "/a/", D(2020, 1, 1), D(2020, 1, 1), False, "Jan. 1, 2020", day),
        Mark("statement", long, "/b/", D(2023, 12, 31), D(2023, 12, 31), False, "Dec. 31", day),
        Mark("event", long, "/c/", D(2022, 6, 1), D(2022, 6, 30), True, "June 2022", "month"),
    ]
    for mark in layout(marks)["marks"]:
        width = len(mark.label_text) * CHAR_WIDTH
        if mark.label_anchor == "end":
            assert mark.label_x - width >= LEFT - 1, mark.label_text
        else:
            assert mark.label_x + width <= WIDTH + 1, mark.label_text
        assert mark.label_text.endswith("…")


def test_timeline_chart_counts_only_what_it_draws(client, world):
    StatementFactory(speaker_person=world.person, date=None, summary="Undated words")
    html = html_of(client, "/timeline/")
    assert "Undated words" in html[html.index('id="undated-title"') :]
