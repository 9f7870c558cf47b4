"""Who said each quotation: the attribution's subject, pronouns, descriptions, carried over."""

from __future__ import annotations

import re

from advocacy.choices import GroupKind
from advocacy.services.extraction.names import Entity, _Mention
from advocacy.services.extraction.quotes import _Piece
from advocacy.services.extraction.results import SpeakerGuess
from advocacy.services.extraction.words import (
    _MASK,
    _TITLE_WORDS,
    _WORD,
    ACCORDING_TO,
    SPEECH_VERBS,
)
from advocacy.text import fold

# Speaker resolution


class _Resolver:
    def __init__(self, text, masked, mentions, sentences):
        self.text = text
        self.masked = masked
        self.mentions = mentions
        self.sentences = sentences
        self.previous: SpeakerGuess | None = None
        self.new_names: dict[str, str] = {}

    def in_span(self, start: int, end: int) -> list[_Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def sentence_of(self, position: int) -> int:
        for number, sentence in enumerate(self.sentences):
            if sentence.start <= position < sentence.end:
                return number
        return len(self.sentences) - 1

    # From a mention to a speaker

    def guess(self, mention: _Mention, how: str, position: int) -> SpeakerGuess | None:
        if mention.kind in ("person", "group"):
            entity = self._prefer(mention.entities, position)
            return self._known(entity, mention.text, how)
        if mention.kind == "new":
            return self._new(mention, how)
        if mention.kind == "pronoun":
            return self._pronoun(mention, position, how)
        return self._descriptor(mention, position, how)

    def _known(self, entity: Entity, printed: str, how: str) -> SpeakerGuess:
        if entity.kind == "person":
            return SpeakerGuess(person=entity.record, as_printed=printed, how=how)
        return SpeakerGuess(group=entity.record, as_printed=printed, how=how)

    def _new(self, mention: _Mention, how: str) -> SpeakerGuess:
        name = mention.text
        folded = fold(name)
        if " " not in folded:
            # A surname alone: the new name printed in full earlier in the text.
            for full in self.new_names:
                if full.split()[-1] == folded or full.split()[-1].startswith(folded):
                    name = self.new_names[full]
                    break
        else:
            self.new_names.setdefault(folded, name)
        return SpeakerGuess(
            new_name=name,
            new_kind=mention.new_kind,
            as_printed=mention.text,
            how=how + " (new name)",
        )

    def _prefer(self, entities: list[Entity], position: int) -> Entity:
        """Among people sharing a surname, the one named in full earlier in the text."""
        if len(entities) == 1:
            return entities[0]
        for mention in reversed([m for m in self.mentions if m.end <= position]):
            for entity in entities:
                if any(e is entity for e in mention.entities):
                    return entity
        return entities[0]

    def _pronoun(self, mention: _Mention, position: int, how: str) -> SpeakerGuess | None:
        reason = f'{how}: "{mention.text}" refers back'
        if mention.pronoun == "it":
            if self.previous and self.previous.new_kind != "person" and not self.previous.person:
                return self._carried(reason)
            found = self._walk_back(position, lambda m: m.is_group())
            return (found and self.guess(found, reason, found.start)) or self._carried(reason)
        if mention.pronoun == "they":
            found = self._walk_back(position, lambda m: m.is_group())
            return (found and self.guess(found, reason, found.start)) or self._carried(reason)
        found = self._walk_back(position, lambda m: m.is_person())
        return (found and self.guess(found, reason, found.start)) or self._carried(reason)

    def _descriptor(self, mention: _Mention, position: int, how: str) -> SpeakerGuess | None:
        reason = f'{how}: "{mention.text}"'
        if mention.noun_class == "message":
            return self._carried(reason + " (the previous speaker's)")
        if mention.noun_class == "outlet":
            found = self._last_mention(
                position, lambda m: m.kind == "group" and _group_kind(m) == GroupKind.MEDIA_OUTLET
            )
            return found and self.guess(found, reason, found.start)
        if mention.noun_class == "group":

            def advocacy(m):
                return m.is_group() and _group_kind(m) not in (
                    GroupKind.GOVERNMENT_BODY,
                    GroupKind.MEDIA_OUTLET,
                )

            if mention.det == "indefinite":
                found = self._next_mention(mention.end, advocacy)
                if found:
                    return self.guess(found, reason + ", named next", found.start)
            noun = fold(mention.noun)
            found = self._last_mention(
                position, lambda m: advocacy(m) and noun in _mention_names(m)
            ) or self._last_mention(position, advocacy)
            return (found and self.guess(found, reason, found.start)) or self._carried(reason)
        # A role: "the president", "the spokesman".
        if mention.det == "indefinite":
            return SpeakerGuess(as_printed=mention.text, how=f"{reason}: unnamed")

        def holds_role(m):
            return m.kind == "person" and any(
                mention.noun in role.lower() for e in m.entities for role in e.roles
            )

        found = self._last_mention(position, holds_role)
        if found:
            return self.guess(found, reason, found.start)
        # No one known to hold the role: the person quoted last, else the last one named.
        if self.previous and (self.previous.person or self.previous.new_kind == "person"):
            return self._carried(reason + " (the previous speaker)")
        found = self._last_mention(position, lambda m: m.is_person())
        return (found and self.guess(found, reason, found.start)) or self._carried(reason)

    def _carried(self, how: str) -> SpeakerGuess | None:
        if self.previous is None:
            return None
        previous = self.previous
        return SpeakerGuess(
            person=previous.person,
            group=previous.group,
            new_name=previous.new_name,
            new_kind=previous.new_kind,
            as_printed=previous.as_printed,
            how=how,
        )

    def _walk_back(self, position: int, wanted) -> _Mention | None:
        """The subject of the nearest earlier sentence that names what is wanted."""
        number = self.sentence_of(position)
        current = self.sentences[number]
        earlier = [m for m in self.in_span(current.start, position) if m.named and wanted(m)]
        if earlier:
            return earlier[0]
        for sentence in reversed(self.sentences[max(0, number - 4) : number]):
            found = [m for m in self.in_span(sentence.start, sentence.end) if m.named and wanted(m)]
            if found:
                return found[0]
        return None

    def _last_mention(self, position: int, wanted) -> _Mention | None:
        for mention in reversed(self.mentions):
            if mention.end <= position and mention.named and wanted(mention):
                return mention
        return None

    def _next_mention(self, position: int, wanted, window: int = 1200) -> _Mention | None:
        for mention in self.mentions:
            if position <= mention.start < position + window and mention.named and wanted(mention):
                return mention
        return None

    # From a quotation to a speaker

    def first_referring(self, start: int, end: int) -> _Mention | None:
        """The first mention in a span; a description followed by its name gives the name."""
        found = self.in_span(start, end)
        if not found:
            return None
        first = found[0]
        if first.kind == "descriptor" and first.det == "indefinite":
            for other in found[1:]:
                gap = self.masked[first.end : other.start]
                if other.named and len(gap) <= 8 and "," in gap:
                    return other
        if first.kind == "descriptor" and first.noun_class in ("message", "group", "outlet"):
            # "in a statement by the group X", "в заявлении группы «X»": the name.
            for other in found[1:]:
                gap = self.masked[first.end : other.start]
                if other.named and len(gap) <= 30 and not re.search(r"[,.;:!?]", gap):
                    return other
        return first

    def resolve(self, piece: _Piece, next_start: int) -> tuple[SpeakerGuess | None, bool]:
        guess, attributed = self._resolve(piece, next_start)
        if attributed and guess is None:
            guess = SpeakerGuess(how="attributed, but the speaker was not recognised")
        return guess, attributed

    def _resolve(self, piece: _Piece, next_start: int) -> tuple[SpeakerGuess | None, bool]:
        """The speaker of one quotation part, and whether it was attributed in its sentence."""
        sentence = self.sentences[self.sentence_of(piece.start)]
        if piece.split_attribution:
            start, end = piece.split_attribution
            mention = self.first_referring(start, end)
            if mention:
                return self.guess(mention, "attribution inside the quotation", start), True
        right_end = min(sentence.end, next_start)
        right_start = piece.close_at
        verb = _first_verb(self.masked, right_start, right_end)
        if verb:
            verb_start, verb_end = verb
            head = self.first_referring(right_start, verb_start)
            lead = self.masked[right_start : head.start] if head else ""
            if head and all(
                word[0].isupper() or fold(word) in _TITLE_WORDS for word in _WORD.findall(lead)
            ):
                verb_word = self.masked[verb_start:verb_end]
                return self.guess(head, f'"{head.text} {verb_word}"', verb_start), True
            if not re.search(r"\w", self.masked[right_start:verb_start].replace(_MASK, "")):
                clause_end = _clause_end(self.masked, verb_end, right_end)
                after = self.first_referring(verb_end, clause_end)
                if after:
                    verb_word = self.masked[verb_start:verb_end]
                    return self.guess(after, f'"{verb_word} {after.text}"', verb_start), True
            # A verb further on ends the sentence ("…, an anti-war group has claimed."):
            # its subject is the clause just before it.
            clause_start = max(self.masked.rfind(",", right_start, verb_start) + 1, right_start)
            head = self.first_referring(clause_start, verb_start)
            tail = _WORD.findall(self.masked[verb_end:right_end])
            if head and right_end == sentence.end and len(tail) <= 6:
                verb_word = self.masked[verb_start:verb_end]
                return self.guess(head, f'"{head.text} … {verb_word}"', verb_start), True
        left_start = sentence.start
        left = self.masked[left_start : piece.open_at]
        according = list(ACCORDING_TO.finditer(left))
        if according:
            start = left_start + according[-1].end()
            mention = self.first_referring(start, start + 80)
            if mention:
                return self.guess(mention, f'"{according[-1].group().strip()} …"', start), True
        mention = self.first_referring(left_start, piece.open_at)
        if mention:
            return self.guess(mention, "subject of the sentence", mention.start), True
        return None, False


def _mention_names(mention: _Mention) -> str:
    names = [fold(mention.text)]
    names += [entity.record.search_key for entity in mention.entities]
    return " ".join(names)


def _group_kind(mention: _Mention) -> str:
    if mention.kind == "group" and mention.entities:
        return mention.entities[0].group_kind
    return GroupKind.ADVOCACY_GROUP


def _first_verb(masked: str, start: int, end: int) -> tuple[int, int] | None:
    for match in _WORD.finditer(masked, start, end):
        if match.group().lower() in SPEECH_VERBS:
            return match.start(), match.end()
    return None


def _clause_end(masked: str, start: int, end: int) -> int:
    """Up to the second comma: "said X, the president of Y," keeps the appositive."""
    commas = [m.start() for m in re.finditer(",", masked[start:end])]
    return start + commas[1] if len(commas) > 1 else end
