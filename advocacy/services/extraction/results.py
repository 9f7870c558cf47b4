"""What the importer proposes: quotation parts, the speaker guessed, the candidate statement."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from advocacy.choices import DatePrecision, Medium
from advocacy.text import fold

# Results


@dataclass(frozen=True)
class QuotePart:
    start: int
    end: int
    text: str


@dataclass
class SpeakerGuess:
    """Who said it: a known person or group, or a new name, with the reason shown."""

    person: object | None = None
    group: object | None = None
    new_name: str = ""
    new_kind: str = ""  # "person" or "group" for a new name
    as_printed: str = ""
    how: str = ""
    gender: str = ""  # "f", "m" or "": whom a later "she" or "he" can stand for

    @property
    def record(self):
        return self.person or self.group

    @property
    def label(self) -> str:
        if self.record is not None:
            return str(self.record)
        if self.new_name:
            return f"{self.new_name} (new {self.new_kind})"
        return "unknown"

    @property
    def key(self) -> tuple:
        if self.person is not None:
            return ("person", self.person.pk)
        if self.group is not None:
            return ("group", self.group.pk)
        return ("new", fold(self.new_name))


@dataclass
class Candidate:
    """One proposed statement: its quotation parts, the speaker and the date guessed."""

    parts: list[QuotePart]
    speaker: SpeakerGuess
    date: datetime.date | None = None
    date_precision: str = DatePrecision.DAY  # "" when the date is unknown
    date_as_printed: str = ""
    date_how: str = ""
    medium: str = Medium.OTHER
    context_start: int = 0
    context_end: int = 0
    paragraph_start: int = 0
    paragraph_end: int = 0

    @property
    def key(self) -> str:
        """Stable while the text is unchanged: the offsets of every part."""
        return ",".join(f"{part.start}-{part.end}" for part in self.parts)

    @property
    def text(self) -> str:
        return " … ".join(part.text for part in self.parts)
