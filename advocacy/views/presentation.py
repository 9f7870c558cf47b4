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


def statement_title(statement: dict) -> str:
    return document_title(statement)


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
class Footnote:
    number: int
    source: dict
    excerpt: str
    anchor: str
    note: str = ""

    @property
    def url(self) -> str:
        base = self.source.get("html_url") or ""
        return f"{base}#{self.anchor}" if self.anchor else base

    @property
    def published(self) -> str:
        return source_date(self.source)


@dataclass
class Footnotes:
    """The numbered sources of one page, in the order the page cites them.

    The same passage of the same source cited by several facts is one footnote.
    """

    notes: list[Footnote] = field(default_factory=list)
    _by_key: dict = field(default_factory=dict)

    def __iter__(self):
        return iter(self.notes)

    def __len__(self) -> int:
        return len(self.notes)

    def __bool__(self) -> bool:
        return bool(self.notes)

    def add(self, source: dict | None, excerpt: str = "", anchor: str = "", note: str = ""):
        if not source:
            return None
        key = (source.get("id"), " ".join((excerpt or "").split()), anchor if not excerpt else "")
        if key not in self._by_key:
            footnote = Footnote(
                number=len(self.notes) + 1,
                source=source,
                excerpt=excerpt or "",
                anchor=anchor,
                note=note or "",
            )
            self.notes.append(footnote)
            self._by_key[key] = footnote
        return self._by_key[key]

    def cite(self, thing: dict) -> list[Footnote]:
        """Footnotes for a cited record, a conflicting version, an alias or a quotation
        (each a part of a document)."""
        if "citations" in thing:
            notes = [
                self.add(c["source"], c.get("excerpt", ""), f"citation-{c['id']}", c.get("note"))
                for c in thing["citations"]
            ]
        elif "field" in thing and "value" in thing:  # a conflicting version
            notes = [
                self.add(
                    thing.get("source"),
                    thing.get("excerpt", ""),
                    f"conflict-{thing['id']}",
                    thing.get("note", ""),
                )
            ]
        elif "text" in thing and "source" in thing:  # a quotation
            notes = [self.add(thing["source"], "", f"quotation-{thing['id']}")]
        elif "source" in thing:  # an alias
            notes = [self.add(thing["source"])]
        else:  # a source
            notes = [self.add(thing)]
        return [note for note in notes if note is not None]

    def sources(self) -> list[dict]:
        """Each source cited on the page once, in order of first citation."""
        seen: dict = {}
        for note in self.notes:
            seen.setdefault(note.source.get("id"), note.source)
        return list(seen.values())
