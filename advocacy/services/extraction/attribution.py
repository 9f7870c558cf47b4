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
    FEMALE_NOUNS,
    MALE_NOUNS,
    PRONOUN_GENDER,
    ROLE_IN_ENGLISH,
    SPEECH_VERBS,
)
from advocacy.text import fold

# Speaker resolution


class _Resolver:
    def __init__(self, text, masked, mentions, sentences, paragraphs=()):
        self.paragraphs = list(paragraphs)
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
        name = mention.display_name
        if mention.name and fold(mention.name) != fold(mention.text):
            how += f' ("{mention.text}" is {mention.name} in full)'
        return SpeakerGuess(
            new_name=name,
            new_kind=mention.new_kind,
            as_printed=mention.text,
            how=how + " (new name)",
            gender=mention.gender,
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
        # He or she: the nearest earlier person of that sex, named or described; an
        # organisation or an outlet is never "she".
        gender = PRONOUN_GENDER.get(mention.text.lower(), "")
        found = self._walk_back(
            position,
            lambda m: (
                (m.is_person() and _compatible(m.gender, gender))
                or (_is_person_description(m) and _compatible(_noun_gender(m.noun), gender))
            ),
            descriptions=True,
        )
        if found is not None and found.kind == "descriptor":
            return self._descriptor(found, found.start, reason)
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
        # A role: "the president", "the spokesman", "жінка", "сестра полоненого".
        if mention.det == "indefinite":
            return SpeakerGuess(as_printed=mention.text, how=f"{reason}: unnamed")
        noun = ROLE_IN_ENGLISH.get(mention.noun, mention.noun)
        gender = _noun_gender(mention.noun)

        def holds_role(m):
            return m.kind == "person" and any(
                noun in role.lower() for e in m.entities for role in e.roles
            )

        found = self._last_mention(position, holds_role)
        if found:
            return self.guess(found, reason, found.start)
        if self._followed_by_genitive_name(mention) or re.match(
            r"\s+of\s", self.masked[mention.end : mention.end + 5]
        ):
            # "донька військовослужбовця Олександра Ковальчука", "the husband of one of the
            # women": someone described by another person, unnamed.
            return SpeakerGuess(as_printed=mention.text, how=f"{reason}: unnamed")
        earlier = next(
            (
                m
                for m in reversed(self.mentions)
                if m.end <= mention.start
                and m.kind == "descriptor"
                and m.noun == mention.noun
                and mention.start - m.end < 3000
            ),
            None,
        )
        if earlier is not None:
            # "The husband …" again: whoever the husband was the first time.
            return self._descriptor(earlier, earlier.start, how)
        # No one known to hold the role: the person quoted last, else the last one named
        # (of the same sex), else the first one so described and named further on.
        # "the woman", "жінка": the nearest woman named; "the president": whoever was
        # quoted last.
        nearest = self._last_mention(
            position, lambda m: m.is_person() and _compatible(m.gender, gender), window=1500
        )
        if nearest and gender:
            return self.guess(nearest, reason, nearest.start)
        previous = self.previous
        if (
            previous
            and (previous.person or previous.new_kind == "person")
            and _compatible(self._previous_gender(), gender)
        ):
            return self._carried(reason + " (the previous speaker)")
        if nearest:
            return self.guess(nearest, reason, nearest.start)
        found = self._described_next(mention)
        if found:
            return self.guess(found, reason + ", named further on", found.start)
        return self._carried(reason) or SpeakerGuess(
            as_printed=mention.text, how=f"{reason}: unnamed"
        )

    def _previous_gender(self) -> str:
        return self.previous.gender if self.previous else ""

    def _followed_by_genitive_name(self, mention: _Mention) -> bool:
        """A description followed by a name in another case: the name is someone else."""
        after = self.masked[mention.end : mention.end + 60]
        following = next((m for m in self.mentions if m.start >= mention.end), None)
        if following is None or following.start - mention.end > 30 or "," in after[:3]:
            return False
        if following.kind != "new" or not following.name:
            return False
        return fold(following.name) != fold(following.text)

    def _described_next(self, mention: _Mention) -> _Mention | None:
        """ "Жена мобилизованного: «…»" … "одну из жен мобилизованных – Марию Андрееву"."""
        stem = fold(mention.noun)[:3]
        for other in self.mentions:
            if other.start <= mention.end or not (other.named and other.is_person()):
                continue
            before = fold(self.masked[max(mention.end, other.start - 45) : other.start])
            if re.search(rf"\b{re.escape(stem)}", before):
                return other
        return None

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
            gender=previous.gender,
        )

    def _walk_back(self, position: int, wanted, descriptions: bool = False) -> _Mention | None:
        """The subject of the nearest earlier sentence that names what is wanted."""

        def fits(m):
            if m.kind == "descriptor":
                # A description stands for someone only as a sentence's subject.
                sentence = self.sentences[self.sentence_of(m.start)]
                lead = _WORD.findall(self.masked[sentence.start : m.start])
                subject = len(lead) <= 2 or any(w.lower() in SPEECH_VERBS for w in lead[-2:])
                return descriptions and subject and wanted(m)
            return m.named and wanted(m)

        def first(found):
            # A name before a description: "Ще одна учасниця Акції Любов" is Любов.
            named = [m for m in found if m.named]
            return (named or found)[0] if found else None

        number = self.sentence_of(position)
        current = self.sentences[number]
        earlier = [m for m in self.in_span(current.start, position) if fits(m)]
        if earlier:
            return first(earlier)
        for sentence in reversed(self.sentences[max(0, number - 4) : number]):
            found = [m for m in self.in_span(sentence.start, sentence.end) if fits(m)]
            if found:
                return first(found)
        return None

    def _last_mention(self, position: int, wanted, window: int = 0) -> _Mention | None:
        for mention in reversed(self.mentions):
            if window and mention.end < position - window:
                return None
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
        words_of = self._words_of(sentence.start, sentence.end, piece)
        if words_of is not None:
            return words_of, True
        left_start = sentence.start
        left = self.masked[left_start : piece.open_at]
        according = list(ACCORDING_TO.finditer(left))
        if according:
            start = left_start + according[-1].end()
            mention = self.first_referring(start, start + 80)
            if mention:
                return self.guess(mention, f'"{according[-1].group().strip()} …"', start), True
        mention = self._subject_of_verb(left_start, piece.open_at) or self.first_referring(
            left_start, piece.open_at
        )
        if mention:
            return self.guess(mention, "subject of the sentence", mention.start), True
        lead_in = self._lead_in(piece)
        if lead_in is not None:
            return lead_in, True
        return None, False

    def _subject_of_verb(self, start: int, end: int) -> _Mention | None:
        """ "Мать бойца Андрея Ковальчука Наталья рассказала: «…»": the name at the verb."""
        verbs = [
            m for m in _WORD.finditer(self.masked, start, end) if m.group().lower() in SPEECH_VERBS
        ]
        if not verbs:
            return None
        verb = verbs[-1]
        before = [m for m in self.in_span(start, verb.start()) if m.named]
        if before and re.fullmatch(r"\s*", self.masked[before[-1].end : verb.start()]):
            return before[-1]
        return None

    def _words_of(self, start: int, end: int, piece: _Piece) -> SpeakerGuess | None:
        """ "приводятся слова президента", "цитирует слова одного из них", "the words of X"."""
        for match in _WORDS_OF.finditer(self.masked, start, end):
            if piece.open_at <= match.start() < piece.close_at:
                continue
            mention = self.first_referring(match.end(), match.end() + 60)
            if mention is not None and mention.start - match.end() <= 2:
                return self.guess(mention, f'"{match.group().strip()} {mention.text}"', start)
            return SpeakerGuess(
                as_printed=self.masked[match.end() : match.end() + 30].split(",")[0].strip(),
                how=f'"{match.group().strip()} …": someone unnamed',
            )
        return None

    def _lead_in(self, piece: _Piece) -> SpeakerGuess | None:
        """A quotation opening its paragraph, after a paragraph that introduces its speaker.

        "Vladimir Putin stated:" / "…, каже жінка." / "Це підтверджує нацгвардієць Микита…"
        """
        number = next(
            (
                n
                for n, (p_start, p_end) in enumerate(self.paragraphs)
                if p_start <= piece.open_at < p_end
            ),
            None,
        )
        if not number or self.paragraphs[number][0] != piece.open_at:
            return None
        p_start, p_end = self.paragraphs[number - 1]
        if self.masked.find(_MASK, p_start, p_end) >= 0:
            return None  # the paragraph before holds a quotation of its own
        last = self.sentences[self.sentence_of(p_end - 1)]
        start = max(last.start, p_start)
        verb = _first_verb(self.masked, start, p_end)
        if verb is None:
            return None
        verb_start, verb_end = verb
        before = self.in_span(start, verb_start)
        gap = self.masked[before[-1].end : verb_start] if before else ""
        if before and len(gap) <= 3 and "," not in gap:
            head = before[-1]  # "Vladimir Putin stated:"
        else:
            # "…, каже жінка." / "Це підтверджує нацгвардієць Микита, …": after the verb.
            head = self.first_referring(verb_end, _clause_end(self.masked, verb_end, p_end))
        if head is None:
            return None
        return self.guess(head, f'introduced in the paragraph before ("{head.text}")', verb_start)


_WORDS_OF = re.compile(r"(?<!по\s)(?<!за\s)\b(?:слова|the\s+words\s+of)\s+", re.IGNORECASE)


def _compatible(gender: str, wanted: str) -> bool:
    return not gender or not wanted or gender == wanted


def _noun_gender(noun: str) -> str:
    if FEMALE_NOUNS.match(noun or ""):
        return "f"
    if MALE_NOUNS.match(noun or ""):
        return "m"
    return ""


def _is_person_description(mention: _Mention) -> bool:
    return mention.kind == "descriptor" and mention.noun_class == "role"


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
