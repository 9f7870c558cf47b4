"""What the public pages show of a record, decided once: labels that never name a protected
person, numbered footnotes to the sources, and a source's text with its quotations marked.

Everything here takes the request's protected names (`protected_names()`, read once per
request) and redacts every piece of text it returns.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from advocacy.models import (
    Event,
    Group,
    GroupAlias,
    GroupRelation,
    Membership,
    Participation,
    Person,
    PersonAlias,
    Quotation,
    Source,
    Statement,
)
from advocacy.models.provenance import ConflictingVersion
from advocacy.redaction import redact, redaction_pattern
from advocacy.text import paragraph_around

# Labels and links


def is_named(record) -> bool:
    """False for a protected person: shown by a neutral label, with no name, slug or link."""
    return not (isinstance(record, Person) and record.is_protected)


def record_label(record, names: list[str]) -> str:
    """A short public label for any record a page mentions."""
    if record is None:
        return ""
    if isinstance(record, Person):
        label = record.public_name
    elif isinstance(record, Group | Event):
        label = record.name
    elif isinstance(record, Source):
        label = record.title
    elif isinstance(record, Membership):
        label = f"{record.person.public_name} — {record.role}, {record.group.name}"
    elif isinstance(record, GroupRelation):
        label = f"{record.subject.name} {record.get_kind_display()} {record.object.name}"
    elif isinstance(record, Participation):
        label = (
            f"{record_label(record.participant, names)} — "
            f"{record.get_part_display()}, {record.event.name}"
        )
    elif isinstance(record, Statement):
        label = statement_title(record, names)
    else:
        label = str(record)
    return redact(label, names)


def record_url(record) -> str:
    """The record's page, or "" where it has none to show (a protected person)."""
    if record is None or not is_named(record):
        return ""
    if isinstance(record, Participation) and not is_named(record.participant):
        return record.event.get_absolute_url()
    return record.get_absolute_url()


def statement_title(statement: Statement, names: list[str]) -> str:
    speaker = statement.speaker.public_name if statement.speaker else ""
    text = statement.summary or first_quotation_text(statement)
    if len(text) > 90:
        text = text[:88].rsplit(" ", 1)[0] + "…"
    title = f"{speaker}: {text}" if speaker else text
    return redact(title, names)


def first_quotation_text(statement: Statement) -> str:
    for quotation in statement.quotations.all():
        return quotation.text
    return ""


# Footnotes


@dataclass
class Footnote:
    number: int
    source: Source
    excerpt: str
    anchor: str
    note: str = ""

    @property
    def url(self) -> str:
        base = self.source.get_absolute_url()
        return f"{base}#{self.anchor}" if self.anchor else base


@dataclass
class Footnotes:
    """The numbered sources of one page, in the order the page cites them.

    The same passage of the same source cited by several facts is one footnote.
    `alias_source_ids` are the alias sources the reader may see (an alias may
    point at a draft source).
    """

    names: list[str]
    alias_source_ids: set[int] = field(default_factory=set)
    notes: list[Footnote] = field(default_factory=list)
    _by_key: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.notes)

    def __len__(self) -> int:
        return len(self.notes)

    def __bool__(self) -> bool:
        return bool(self.notes)

    def add(self, source: Source, excerpt: str = "", anchor: str = "", note: str = ""):
        if source is None:
            return None
        key = (source.pk, " ".join(excerpt.split()), anchor if not excerpt else "")
        if key not in self._by_key:
            footnote = Footnote(
                number=len(self.notes) + 1,
                source=source,
                excerpt=redact(excerpt, self.names),
                anchor=anchor,
                note=redact(note, self.names),
            )
            self.notes.append(footnote)
            self._by_key[key] = footnote
        return self._by_key[key]

    def cite(self, thing) -> list[Footnote]:
        """Footnotes for a cited record, a conflicting version, an alias or a quotation."""
        if isinstance(thing, ConflictingVersion):
            notes = [self.add(thing.source, thing.excerpt, f"conflict-{thing.pk}", thing.note)]
        elif isinstance(thing, Quotation):
            notes = [self.add(thing.source, "", f"quotation-{thing.pk}")]
        elif isinstance(thing, GroupAlias | PersonAlias):
            visible = thing.source_id in self.alias_source_ids
            notes = [self.add(thing.source)] if visible else []
        elif isinstance(thing, Source):
            notes = [self.add(thing)]
        else:
            notes = [
                self.add(citation.source, citation.excerpt, f"citation-{citation.pk}")
                for citation in thing.citations.all()
            ]
        return [note for note in notes if note is not None]


# A source's text with its quotations marked


@dataclass
class Span:
    start: int
    end: int
    quotation: Quotation


class MarkedText:
    """Renders slices of a source's archived text as HTML, with quotations in <mark>.

    Redaction works on the original offsets: protected names are found once in the whole
    text, and each slice drops what falls inside a name, so quotation offsets stay right
    and a name cut by a mark boundary is still removed.
    """

    def __init__(self, source: Source, quotations, names: list[str]):
        self.text = source.archived_text
        self.spans = sorted(
            (
                Span(q.start_offset, q.end_offset, q)
                for q in quotations
                if q.start_offset is not None and q.end_offset is not None
            ),
            key=lambda span: (span.start, -span.end),
        )
        pattern = redaction_pattern(names)
        self.redactions = (
            [(m.start(), m.end()) for m in pattern.finditer(self.text)] if pattern else []
        )

    def plain(self, start: int, end: int) -> str:
        """Escaped, redacted text of [start, end)."""
        out, cursor = [], start
        for name_start, name_end in self.redactions:
            if name_end <= cursor or name_start >= end:
                continue
            out.append(escape(self.text[cursor : max(cursor, name_start)]))
            if name_start >= start:
                out.append(f'<span class="redacted">{escape(_("[protected person]"))}</span>')
            cursor = min(end, name_end)
        out.append(escape(self.text[cursor:end]))
        return "".join(out)

    def render(self, start: int, end: int, spans: list[Span], with_ids: bool) -> str:
        out, cursor, index = [], start, 0
        while index < len(spans):
            span = spans[index]
            span_start, span_end = max(span.start, cursor), min(span.end, end)
            index += 1
            if span_end <= span_start:
                continue
            # Quotations starting inside this one are drawn inside it.
            children = []
            while index < len(spans) and spans[index].start < span_end:
                children.append(spans[index])
                index += 1
            out.append(self.plain(cursor, span_start))
            quotation = span.quotation
            link_label = escape(_("(the statement)"))
            id_attribute = f' id="quotation-{quotation.pk}"' if with_ids else ""
            out.append(
                f'<mark{id_attribute} class="quotation">'
                f"{self.render(span_start, span_end, children, with_ids)}"
                f'<a class="quote-link" href="{escape(quotation.statement.get_absolute_url())}'
                f'#quotation-{quotation.pk}">'
                f'<span class="visually-hidden">{link_label}</span>'
                '<span aria-hidden="true">↗</span></a></mark>'
            )
            cursor = span_end
        out.append(self.plain(cursor, end))
        return "".join(out)

    def paragraphs_in_context(self) -> list[dict]:
        """Each paragraph that holds a quotation, once, with its quotations marked."""
        groups: list[dict] = []
        for span in self.spans:
            start, end = paragraph_around(self.text, span.start, span.end)
            if groups and start < groups[-1]["end"]:
                groups[-1]["end"] = max(groups[-1]["end"], end)
                groups[-1]["spans"].append(span)
            else:
                groups.append({"start": start, "end": end, "spans": [span]})
        return [
            {
                "html": mark_safe(self.render(g["start"], g["end"], g["spans"], with_ids=True)),
                "quotations": [span.quotation for span in g["spans"]],
                "statements": unique_statements(span.quotation for span in g["spans"]),
            }
            for g in groups
        ]

    def full_text(self) -> list[SafeString]:
        """The whole text as paragraphs, quotations marked (ids are on the context view)."""
        paragraphs, cursor = [], 0
        length = len(self.text)
        while cursor < length:
            end = self.text.find("\n\n", cursor)
            end = length if end < 0 else end
            spans = [s for s in self.spans if s.start < end and s.end > cursor]
            html = self.render(cursor, end, spans, with_ids=False).strip()
            if html:
                paragraphs.append(mark_safe(html))
            cursor = end + 2
        return paragraphs


def unique_statements(quotations) -> list[dict]:
    """Each statement once, with the first of its quotations (for the link's anchor)."""
    seen: dict[int, dict] = {}
    for quotation in quotations:
        seen.setdefault(
            quotation.statement_id, {"statement": quotation.statement, "quotation": quotation}
        )
    return list(seen.values())


# Citing the page itself


def cite_this(title: str, url: str, names: list[str], site_name: str) -> str:
    from django.utils import formats

    today = formats.date_format(datetime.date.today(), "DATE_FORMAT")
    return _("%(site)s, “%(title)s”, %(url)s (retrieved %(date)s).") % {
        "site": site_name,
        "title": redact(title, names),
        "url": url,
        "date": today,
    }


def source_reference(source: Source) -> str:
    """A conventional reference to the original document."""
    parts = []
    if source.authors:
        parts.append(source.authors)
    if source.publisher:
        parts.append(source.publisher)
    parts.append(f"“{source.title}”")
    if source.published_display:
        parts.append(source.published_display)
    reference = ", ".join(parts)
    return f"{reference}, {source.url}" if source.url else reference
