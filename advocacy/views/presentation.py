"""What the public pages make of a public document: numbered footnotes to the sources,
titles, references and links. Documents were redacted when they were published; nothing
here needs to know who is protected.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import formats
from django.utils.translation import gettext as _

from advocacy.dates import format_partial_date
from advocacy.publication.reading import document_title

# Labels and links


def record_label(record: dict | None) -> str:
    """A short label for any record a document mentions (its name, title or label)."""
    if not record:
        return ""
    if "speaker" in record and "quotations" in record:
        return document_title(record)
    return record.get("label") or record.get("name") or record.get("title") or ""


def other_names_listed(record: dict) -> list[dict]:
    """A person's or group's names for its list entry's "Also:" line: its own name where
    the heading shows another (in the page's language), and every alias but the one the
    heading shows; each with its language where known."""
    shown = record.get("display_name") or {}
    local = shown.get("how") in ("recorded", "transliterated")
    heading = shown.get("name") if local else record.get("name")
    names: list[dict] = []
    if record.get("name") and record["name"] != heading:
        names.append({"name": record["name"], "language": ""})
    for alias in record.get("aliases") or []:
        if alias["name"] != heading and all(alias["name"] != n["name"] for n in names):
            names.append(alias)
    return names


def first_quotation_text(statement: dict) -> str:
    for quotation in statement.get("quotations") or []:
        return quotation["text"]
    return ""


def source_date(source: dict) -> str:
    """A source's publication date at the precision it is known."""
    if not source.get("published_on"):
        return ""
    date = datetime.date.fromisoformat(source["published_on"])
    return format_partial_date(date, source.get("published_precision") or "day")


def source_reference(source: dict) -> str:
    """A conventional reference to the original document."""
    parts = []
    if source.get("authors"):
        parts.append(source["authors"])
    if source.get("publisher"):
        parts.append(source["publisher"])
    parts.append(f"“{source['title']}”")
    published = source_date(source)
    if published:
        parts.append(published)
    reference = ", ".join(parts)
    return f"{reference}, {source['source_url']}" if source.get("source_url") else reference


def cite_this(title: str, url: str, site_name: str) -> str:
    today = formats.date_format(datetime.date.today(), "DATE_FORMAT")
    return _("%(site)s, “%(title)s”, %(url)s (retrieved %(date)s).") % {
        "site": site_name,
        "title": title,
        "url": url,
        "date": today,
    }


# Footnotes


@dataclass
class Passage:
    """One place in a source a page rests on: an excerpt, or a quotation's place."""

    number: int  # within its source's note
    excerpt: str
    anchor: str
    note: str = ""


@dataclass
class Footnote:
    """One source cited on a page, with every passage of it the page rests on."""

    number: int
    source: dict
    passages: list[Passage] = field(default_factory=list)

    @property
    def url(self) -> str:
        return self.source.get("html_url") or ""

    @property
    def published(self) -> str:
        return source_date(self.source)

    def passage_url(self, passage: Passage) -> str:
        return f"{self.url}#{passage.anchor}" if passage.anchor else self.url

    def passage_id(self, passage: Passage) -> str:
        return f"fn-{self.number}-{passage.number}"

    @property
    def quotation_passages(self) -> list[Passage]:
        """The quotations taken from this source: places, with no excerpt of their own."""
        return [passage for passage in self.passages if not passage.excerpt]


@dataclass
class Footnotes:
    """The numbered sources of one page, in the order the page first cites them: one note
    per source, each passage of it once however many facts rest on it."""

    notes: list[Footnote] = field(default_factory=list)
    _by_source: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.notes)

    def __len__(self) -> int:
        return len(self.notes)

    def __bool__(self) -> bool:
        return bool(self.notes)

    def add(
        self, source: dict | None, excerpt: str = "", anchor: str = "", note: str = ""
    ) -> tuple[Footnote, Passage | None] | None:
        if not source:
            return None
        key = source.get("id") or source.get("html_url")
        footnote = self._by_source.get(key)
        if footnote is None:
            footnote = Footnote(number=len(self.notes) + 1, source=source)
            self.notes.append(footnote)
            self._by_source[key] = footnote
        excerpt = unquoted(excerpt or "")
        words = " ".join(excerpt.split())
        if not words and not anchor:
            return footnote, None
        for passage in footnote.passages:
            if (words and " ".join(passage.excerpt.split()) == words) or (
                not words and not passage.excerpt and passage.anchor == anchor
            ):
                return footnote, passage
        passage = Passage(len(footnote.passages) + 1, excerpt, anchor, note or "")
        footnote.passages.append(passage)
        return footnote, passage

    def cite(self, thing: dict) -> list[tuple[Footnote, Passage | None]]:
        """The notes (and passages) for a cited record, a conflicting version, an alias or
        a quotation (each a part of a document)."""
        if "citations" in thing:
            found = [
                self.add(c["source"], c.get("excerpt", ""), f"citation-{c['id']}", c.get("note"))
                for c in thing["citations"]
            ]
        elif "field" in thing and "value" in thing:  # a conflicting version
            found = [
                self.add(
                    thing.get("source"),
                    thing.get("excerpt", ""),
                    f"conflict-{thing['id']}",
                    thing.get("note", ""),
                )
            ]
        elif "text" in thing and "source" in thing:  # a quotation
            found = [self.add(thing["source"], "", f"quotation-{thing['id']}")]
        elif "source" in thing:  # an alias
            found = [self.add(thing["source"])]
        else:  # a source
            found = [self.add(thing)]
        return [item for item in found if item is not None]

    def sources(self) -> list[dict]:
        """Each source cited on the page once, in order of first citation."""
        return [note.source for note in self.notes]


QUOTE_MARKS = "\"'“”„«»‘’‚"


def unquoted(text: str) -> str:
    """An excerpt without the quotation marks it was copied with (“"We were…” and
    “We were…"”): the page sets it in its own. Marks inside the text stay."""
    text = (text or "").strip()
    if len(text) > 1 and text[0] in QUOTE_MARKS and text[-1] in QUOTE_MARKS:
        return text[1:-1].strip()
    unbalanced = sum(text.count(mark) for mark in QUOTE_MARKS) % 2 == 1
    if unbalanced and text[:1] in QUOTE_MARKS:
        return text[1:].strip()
    if unbalanced and text[-1:] in QUOTE_MARKS:
        return text[:-1].strip()
    return text
