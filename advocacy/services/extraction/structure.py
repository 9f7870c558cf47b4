"""Records an article reports beside its quotations: new people, their roles, the event.

"Marina Belova, a spokeswoman for the group Wives of Tver, said …" proposes a person
(Marina Belova), a membership (role "spokeswoman", as printed) and, if unknown, a group
(Wives of Tver); "…вышли на акцию «Верните мужей» у Минобороны 14 мая" proposes the event
(a protest, its place and date as printed). Each proposal carries the exact excerpt it
came from, with offsets, for the citation; nothing is created until a researcher accepts.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass

from advocacy.choices import EventKind
from advocacy.services.extraction.dates import guess_date
from advocacy.services.extraction.results import Candidate
from advocacy.text import fold

PERSON = "person"
MEMBERSHIP = "membership"
EVENT = "event"


@dataclass
class Proposal:
    """One record proposed for review, with the passage it came from."""

    kind: str  # person, membership or event
    start: int
    end: int
    excerpt: str
    name: str = ""  # the person's or the event's name
    role: str = ""  # a membership's role, as printed
    group_name: str = ""  # a membership's group, as printed
    group: object | None = None  # … when the group is already known
    event_kind: str = ""
    place: str = ""
    date: datetime.date | None = None
    date_precision: str = ""
    date_as_printed: str = ""

    @property
    def key(self) -> str:
        """Stable while the text is unchanged: what it is, where, and whose."""
        return f"{self.kind}:{self.start}-{self.end}:{fold(self.name)}"

    @property
    def label(self) -> str:
        if self.kind == PERSON:
            return self.name
        if self.kind == MEMBERSHIP:
            group = str(self.group) if self.group is not None else f"{self.group_name} (new)"
            return f"{self.name}: {self.role}, {group}"
        details = ", ".join(p for p in (self.place, self.date_as_printed) if p)
        return (
            f"{self.name} ({EventKind(self.event_kind).label}{', ' + details if details else ''})"
        )


_SENTENCE = re.compile(r"[^.!?…\n]+(?:[.!?…]+[\"”»]?|$)", re.MULTILINE)
_GROUP_WORD = r"(?:group|movement|organi[sz]ation|council|initiative|network|campaign)"
_CAPITALISED_NAME = r"[A-Z][\w’'-]*(?:\s+(?:of|and|the|for|[A-Z][\w’'-]*))*"
_ROLE_AFTER_EN = re.compile(
    r",\s+(?:an?\s+|the\s+)?(?P<role>[a-z][a-z-]*(?:\s+[a-z][a-z-]*){0,3}?)\s+"
    r"(?:for|of|with|at|from|in)\s+(?:the\s+)?(?:" + _GROUP_WORD + r"\s+)?"
    r"(?:[“\"«](?P<quoted>[^”\"»]{2,80})[”\"»]|(?P<group>" + _CAPITALISED_NAME + r"))"
)
_CYRILLIC_GROUP_NOUN = (
    r"(?:движения|группы|организации|объединения|фонда|руху|групи|організації|об['’ʼ]єднання|"
    r"фонду|ініціативи|инициативы)"
)
_ROLE_AFTER_CYRILLIC = re.compile(
    r",\s+(?P<role>[а-яёіїєґ][\w-]*(?:\s+[а-яёіїєґ][\w-]*){0,3}?)\s+"
    + _CYRILLIC_GROUP_NOUN
    + r"\s+«(?P<quoted>[^»]{2,80})»"
)
_ROLE_BEFORE_CYRILLIC = re.compile(
    r"(?P<role>[а-яёіїєґ][\w-]*(?:\s+[а-яёіїєґ][\w-]*){0,2}?)\s+"
    + _CYRILLIC_GROUP_NOUN
    + r"\s+«(?P<quoted>[^»]{2,80})»\s*(?:[—–-]\s*)?$",
    re.IGNORECASE,
)
_EVENTS = [
    (EventKind.VIDEO_APPEAL, r"video\s+(?:appeal|address|message)|видеообращени\w*|"
     r"видеообращени\w*|відеозвернен\w*"),
    (EventKind.PROTEST, r"rall(?:y|ies)|protests?(?!\s+signs?)|pickets?|demonstrations?|vigils?|"
     r"акци[яиюей]|митинг\w*|пикет\w*|акці[яіюєї]\w*|мітинг\w*|пікет\w*"),
    (EventKind.MEETING, r"meeting|press\s+conference|встреч[аиуе]|зустріч\w*"),
]  # fmt: skip
_PLACE = re.compile(
    r"\b(?i:in|at|outside|near|в|во|у|на|біля|возле|у\s+стен)\s+"
    r"(?P<place>[A-ZА-ЯЁІЇЄҐ][\w’'-]+(?:\s+[A-ZА-ЯЁІЇЄҐ][\w’'-]+)*)"
)


def propose_records(
    text: str,
    candidates: list[Candidate],
    *,
    article_date: datetime.date | None = None,
    language: str = "en",
    groups: list | None = None,
) -> list[Proposal]:
    """New people (with role and group where printed) among the speakers, and the event."""
    proposals: list[Proposal] = []
    seen: set[str] = set()
    for candidate in candidates:
        speaker = candidate.speaker
        if speaker.record is not None or speaker.new_kind != "person" or not speaker.new_name:
            continue
        if fold(speaker.new_name) in seen:
            continue
        seen.add(fold(speaker.new_name))
        found = _where_named(text, speaker.new_name, speaker.as_printed)
        if found is None:
            continue
        name_start, name_end = found
        sentence = _sentence_around(text, name_start)
        proposals.append(_proposal(PERSON, text, sentence, name=speaker.new_name))
        membership = _membership(text, sentence, name_start, name_end, speaker.new_name, groups)
        if membership is not None:
            proposals.append(membership)
    event = _event(text, candidates, article_date, language)
    if event is not None:
        proposals.append(event)
    return proposals


def _proposal(kind: str, text: str, span: tuple[int, int], **fields) -> Proposal:
    start, end = span
    return Proposal(kind=kind, start=start, end=end, excerpt=text[start:end], **fields)


def _where_named(text: str, name: str, printed: str) -> tuple[int, int] | None:
    """Where the name is printed in full (in any case ending), else as the speaker was."""
    stems = [re.escape(word[: max(3, len(word) - 2)]) for word in name.split()]
    pattern = r"\b" + r"[\w’'-]*\s+".join(stems) + r"[\w’'-]*"
    match = re.search(pattern, text)
    if match:
        return match.start(), match.end()
    index = text.find(printed) if printed else -1
    return (index, index + len(printed)) if index >= 0 else None


def _sentence_around(text: str, position: int) -> tuple[int, int]:
    for match in _SENTENCE.finditer(text):
        if match.start() <= position < match.end():
            start, end = match.start(), match.end()
            while start < end and text[start].isspace():
                start += 1
            return start, end
    return position, position


def _membership(text, sentence, name_start, name_end, name, groups) -> Proposal | None:
    after = text[name_end : sentence[1]]
    before = text[sentence[0] : name_start]
    match = _ROLE_AFTER_EN.match(after) or _ROLE_AFTER_CYRILLIC.match(after)
    if match is None:
        match = _ROLE_BEFORE_CYRILLIC.search(before)
    if match is None:
        return None
    group_name = (match.group("quoted") or match.groupdict().get("group") or "").strip()
    group_name = re.sub(r"(?:\s+(?:of|and|the|for))+$", "", group_name)
    role = " ".join(match.group("role").split())
    if not group_name or not role:
        return None
    known = _known_group(group_name, groups or [])
    return _proposal(
        MEMBERSHIP, text, sentence, name=name, role=role, group_name=group_name, group=known
    )


def _known_group(name: str, groups: list):
    wanted = fold(name)
    for group in groups:
        if wanted == fold(group.name) or wanted in (group.search_key or "").split("\n"):
            return group
    return None


def _event(text, candidates, article_date, language) -> Proposal | None:
    """The first event the article reports before (or at) its first quotation."""
    limit = candidates[0].context_end if candidates else len(text)
    reported = []
    for match in _SENTENCE.finditer(text[: max(limit, 1)]):
        sentence = match.group()
        for kind, pattern in _EVENTS:
            found = re.search(rf"\b(?:{pattern})\b", sentence, re.IGNORECASE)
            if found:
                reported.append((match, kind, found))
                break
    # A sentence that dates the event beats a headline that only names it.
    dated = [r for r in reported if guess_date(r[0].group(), article_date, language)]
    if not (dated or reported):
        return None
    match, kind, found = (dated or reported)[0]
    sentence = match.group()
    start = match.start()
    while start < match.end() and text[start].isspace():
        start += 1
    place = _PLACE.search(sentence)
    date, precision, printed = guess_date(sentence, article_date, language) or (None, "", "")
    return _proposal(
        EVENT,
        text,
        (start, match.end()),
        name=_event_name(sentence[found.start() :]),
        event_kind=kind,
        place=place.group("place") if place else "",
        date=date,
        date_precision=precision,
        date_as_printed=printed,
    )


def _event_name(rest: str) -> str:
    """The event noun and what names it: "акцію «Не мовчи – полон вбиває»", "a rally"."""
    quoted = re.match(r"[\w-]+\s+[«“\"][^»”\"]{2,80}[»”\"]", rest)
    if quoted:
        return quoted.group()
    words = re.match(r"[\w-]+(?:\s+[\w’'-]+){0,4}", rest)
    return (words.group() if words else rest[:60]).strip()
