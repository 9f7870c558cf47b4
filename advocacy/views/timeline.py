"""Events and statements on a time axis, drawn as inline SVG on the server.

Readable without JavaScript and printable. A date known only to the month or the year is
drawn as a span over that whole period, never as a false day.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import formats
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from advocacy.choices import DatePrecision
from advocacy.dates import month_and_year
from advocacy.publication.counting import PublicCount, count_lists
from advocacy.publication.filters import PublicEventFilterSet, PublicStatementFilterSet
from advocacy.publication.reading import document_of, document_title, public_rows, shown_name
from advocacy.views.base import PublicPageMixin, bounded_choices
from advocacy.views.filter_form import FILTER_FORM_RENDERER

WIDTH = 960
AXIS_HEIGHT = 48
ROW_HEIGHT = 28
LEFT, RIGHT = 16, 16
MARK_RADIUS = 6
MIN_SPAN_WIDTH = 4
LABEL_LENGTH = 64
GAP_MONTHS = 4  # records closer than this share one stretch of the axis
GAP_WIDTH = 28  # room for the break mark between stretches
MIN_TICK_SPACING = 56
MIN_LABEL_ROOM = 320
# Widest average glyph of the labels' 12-px font (DejaVu Sans, Latin and Cyrillic), in
# drawing units: a label is cut to the room it has, never clipped by the drawing's edge.
CHAR_WIDTH = 7.6
TIMELINE_FIELDS = ("group", "date_after", "date_before")
# The chart draws one row for each record: past this many, the most recent are drawn and
# the page says how to see the others. (Every public record was 7 MB and 6 s at 10,000
# statements, and would not have finished at a million.)
CHART_LIMIT = 200
UNDATED_LIMIT = 50


@dataclass
class Mark:
    kind: str  # "event" or "statement"
    label: str
    url: str
    start: datetime.date
    end: datetime.date
    is_span: bool
    date_display: str
    precision: str = DatePrecision.DAY
    x: float = 0
    width: float = 0
    y: float = 0
    label_x: float = 0
    label_anchor: str = "start"
    label_text: str = ""
    # A statement's speaker (its summary, with the name in the page's language).
    speaker: dict | None = None

    @property
    def speaker_name(self) -> str:
        return shown_name(self.speaker) if self.speaker else ""

    # SVG attributes as strings: a localized float ("62,5") would break the drawing.

    @property
    def svg(self) -> dict:
        return {
            "x": num(self.x),
            "width": num(self.width),
            "cx": num(self.x + self.width / 2),
            "cy": num(self.y),
            "rect_y": num(self.y - 7),
            "text_y": num(self.y + 4),
            "label_x": num(self.label_x),
        }

    @property
    def short_label(self) -> str:
        return cut(self.label, LABEL_LENGTH)

    @property
    def period(self) -> str:
        """The heading it is listed under: its year when only the year is known, else its
        month."""
        if self.precision == DatePrecision.YEAR:
            return str(self.start.year)
        return month_and_year(self.start)


def cut(text: str, length: int) -> str:
    """At most `length` characters, cut at a word with an ellipsis."""
    if len(text) <= length:
        return text
    return text[: max(length - 1, 1)].rsplit(" ", 1)[0] + "…"


@dataclass
class Undated:
    """A record with no date to draw, listed beneath the chart."""

    kind: str
    label: str
    url: str
    as_printed: str  # the source's words ("Once every several weeks"), if any
    speaker: dict | None = None


def num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def add_months(date: datetime.date, months: int) -> datetime.date:
    month = date.month - 1 + months
    return datetime.date(date.year + month // 12, month % 12 + 1, 1)


@dataclass
class Segment:
    """A stretch of time with records in it; empty years between segments are cut out."""

    first: datetime.date
    last: datetime.date  # exclusive: the first day after the segment
    marks: int = 0
    x: float = 0
    width: float = 0

    @property
    def days(self) -> int:
        return max((self.last - self.first).days, 1)

    def x_of(self, date: datetime.date) -> float:
        return self.x + self.width * (date - self.first).days / self.days


def month_floor(date: datetime.date) -> datetime.date:
    return date.replace(day=1)


def segments_for(marks: list[Mark]) -> list[Segment]:
    """Whole months holding records, merged where the gap between them is short."""
    segments: list[Segment] = []
    for mark in sorted(marks, key=lambda m: m.start):
        first, last = month_floor(mark.start), add_months(month_floor(mark.end), 1)
        if segments and first <= add_months(segments[-1].last, GAP_MONTHS):
            segments[-1].last = max(segments[-1].last, last)
            segments[-1].marks += 1
        else:
            segments.append(Segment(first=first, last=last, marks=1))
    return segments


def place_segments(segments: list[Segment]) -> None:
    """Share the width by how much each segment holds, so a busy month is not squeezed
    by an empty decade, and a long period still gets room to show its length."""
    plot = WIDTH - LEFT - RIGHT - GAP_WIDTH * (len(segments) - 1)
    weights = [segment.marks + segment.days / 365 for segment in segments]
    total = sum(weights)
    x = LEFT
    for segment, weight in zip(segments, weights, strict=True):
        segment.x, segment.width = x, plot * weight / total
        x += segment.width + GAP_WIDTH


def segment_ticks(segment: Segment) -> list[dict]:
    months = (segment.last.year - segment.first.year) * 12 + segment.last.month
    months -= segment.first.month
    for step in (1, 2, 3, 6, 12, 24, 60, 120):
        if segment.width * step / max(months, 1) >= MIN_TICK_SPACING:
            break
    ticks = []
    tick = segment.first
    if step >= 12 and tick.month != 1:
        tick = datetime.date(tick.year + 1, 1, 1)
    while tick < segment.last:
        if step >= 12:
            label = formats.date_format(tick, "Y")
        elif tick.month == 1 or not ticks:
            label = formats.date_format(tick, "M Y")
        else:
            label = formats.date_format(tick, "M")
        x = segment.x_of(tick)
        ticks.append({"x": num(x), "text_x": num(x + 3), "label": label})
        if step == 1:
            ticks += day_ticks(segment, tick)
        tick = add_months(tick, step)
    return ticks


def day_ticks(segment: Segment, month: datetime.date) -> list[dict]:
    """Minor ticks on the 10th and 20th where a month is wide enough to tell days apart."""
    ticks = []
    if segment.width * 10 / segment.days < MIN_TICK_SPACING:
        return ticks
    for day in (10, 20):
        date = month.replace(day=day)
        if date < segment.last:
            x = segment.x_of(date)
            ticks.append({"x": num(x), "text_x": num(x + 3), "label": str(day), "minor": True})
    return ticks


def layout(marks: list[Mark]) -> dict:
    """Positions the marks, one row each in date order, and the axis ticks."""
    if not marks:
        return {"marks": [], "ticks": [], "width": str(WIDTH), "height": str(AXIS_HEIGHT)}
    segments = segments_for(marks)
    place_segments(segments)
    ticks = [tick for segment in segments for tick in segment_ticks(segment)]
    breaks = [{"x": num(segment.x - GAP_WIDTH / 2)} for segment in segments[1:]]

    def x_of(date: datetime.date) -> float:
        for segment in segments:
            if date < segment.last:
                return segment.x_of(max(date, segment.first))
        return segments[-1].x + segments[-1].width

    for row, mark in enumerate(sorted(marks, key=lambda m: (m.start, m.end, m.kind))):
        mark.y = AXIS_HEIGHT + row * ROW_HEIGHT + ROW_HEIGHT / 2
        start_x = x_of(mark.start)
        end_x = x_of(mark.end + datetime.timedelta(days=1))
        if mark.end + datetime.timedelta(days=1) >= segments[-1].last:
            end_x = min(end_x, segments[-1].x + segments[-1].width)
        if mark.is_span:
            mark.x, mark.width = start_x, max(end_x - start_x, MIN_SPAN_WIDTH)
        else:
            mark.x, mark.width = (start_x + end_x) / 2 - MARK_RADIUS, MARK_RADIUS * 2
        # The label goes on the side with more room; over a long bar, inside it.
        room_left, room_right = mark.x - LEFT, WIDTH - RIGHT - (mark.x + mark.width)
        if max(room_left, room_right) < MIN_LABEL_ROOM and mark.is_span:
            mark.label_x, mark.label_anchor = mark.x + 6, "start"
        elif room_left > room_right:
            mark.label_x, mark.label_anchor = mark.x - 6, "end"
        else:
            mark.label_x, mark.label_anchor = mark.x + mark.width + 6, "start"
        room = mark.label_x - LEFT if mark.label_anchor == "end" else WIDTH - mark.label_x
        prefix = f"{mark.date_display} · "
        mark.label_text = prefix + cut(mark.short_label, int(room / CHAR_WIDTH) - len(prefix))
    ordered = sorted(marks, key=lambda m: m.y)
    height = AXIS_HEIGHT + len(marks) * ROW_HEIGHT + 8
    return {
        "marks": ordered,
        "ticks": ticks,
        "breaks": breaks,
        "width": str(WIDTH),
        "height": str(height),
        "axis_y": num(AXIS_HEIGHT - 12),
        "tick_text_y": num(AXIS_HEIGHT - 20),
    }


def by_period(marks: list[Mark]) -> list[dict]:
    """The marks in date order under their month (or year) headings: the chart as a list,
    for narrow screens and for reading."""
    groups: list[dict] = []
    for mark in marks:
        if not groups or groups[-1]["period"] != mark.period:
            groups.append({"period": mark.period, "marks": []})
        groups[-1]["marks"].append(mark)
    return groups


def label_of(document: dict, kind: str) -> str:
    return document["name"] if kind == "event" else document_title(document)


def mark_for(row, document: dict, kind: str) -> Mark:
    """A dated public row on the axis, from its dates and its document."""
    end = row.latest_date or row.date
    return Mark(
        kind=kind,
        label=label_of(document, kind),
        url=document["html_url"],
        start=row.date,
        end=end,
        is_span=document["date_precision"] != DatePrecision.DAY or end != row.date,
        date_display=document["date_display"],
        precision=document["date_precision"],
        speaker=document.get("speaker"),
    )


def undated_for(document: dict, kind: str) -> Undated:
    return Undated(
        kind=kind,
        label=label_of(document, kind),
        url=document["html_url"],
        as_printed=document.get("date_as_printed") or "",
        speaker=document.get("speaker"),
    )


class TimelineView(PublicPageMixin, TemplateView):
    template_name = "advocacy/timeline.html"
    page_title = gettext_lazy("Timeline")
    meta_description = gettext_lazy("Events and statements on a time axis, with their sources.")
    section = "timeline"

    def get(self, request, *args, **kwargs):
        data = {key: request.GET[key] for key in TIMELINE_FIELDS if key in request.GET}
        self.statements = PublicStatementFilterSet(
            data or None, queryset=public_rows("statement"), request=request
        )
        self.events = PublicEventFilterSet(
            data or None, queryset=public_rows("event"), request=request
        )
        form = self.statements.form
        form.renderer = FILTER_FORM_RENDERER
        form.fields = {name: form.fields[name] for name in TIMELINE_FIELDS}
        for name in ("date_after", "date_before"):
            form.fields[name].widget.input_type = "date"
        bounded_choices([form.fields["group"]])
        valid = not data or (self.statements.is_valid() and self.events.is_valid())
        self.status = 200 if valid else 400
        context = self.get_context_data(valid=valid, **kwargs)
        return self.render_to_response(context, status=self.status)

    def get_context_data(self, valid=True, **kwargs):
        context = super().get_context_data(**kwargs)
        marks: list[Mark] = []
        undated: list[Undated] = []
        dated_total = undated_total = PublicCount(0, True)
        errors = []
        if valid:
            lists = [
                (kind, filterset.qs.exclude(date=None), filterset.qs.filter(date=None))
                for kind, filterset in (("event", self.events), ("statement", self.statements))
            ]
            # Counted together, each kind's dated list then its undated one.
            totals = count_lists(
                [rows for _kind, dated, not_dated in lists for rows in (dated, not_dated)]
            )
            dated_total, undated_total = added(totals[0::2]), added(totals[1::2])
            for kind, dated, not_dated in lists:
                for row in dated.order_by("-date", "-id")[:CHART_LIMIT]:
                    marks.append(mark_for(row, document_of(row), kind))
                for row in not_dated.order_by("id")[:UNDATED_LIMIT]:
                    undated.append(undated_for(document_of(row), kind))
            marks = sorted(marks, key=lambda mark: mark.start, reverse=True)[:CHART_LIMIT]
            undated = undated[:UNDATED_LIMIT]
        else:
            form = self.statements.form
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else name
                errors += [
                    f"{label} (“{self.request.GET.get(name, '')[:40]}”): {m}" for m in messages
                ]
        chart = layout(marks)
        context.update(
            form=self.statements.form,
            chart=chart,
            filter_errors=errors,
            periods=by_period(chart["marks"]),
            undated=undated,
            event_count=sum(1 for mark in marks if mark.kind == "event"),
            statement_count=sum(1 for mark in marks if mark.kind == "statement"),
            dated_total=dated_total,
            chart_is_capped=len(marks) < dated_total.value or dated_total.at_least,
            undated_total=undated_total,
            undated_is_capped=len(undated) < undated_total.value or undated_total.at_least,
        )
        return context


def added(counts: list[PublicCount]) -> PublicCount:
    """Lists' counts together: exact if each is."""
    return PublicCount(
        sum(count.value for count in counts),
        all(count.exact for count in counts),
        any(count.at_least for count in counts),
    )
