"""Who is mentioned: known people and groups (folded across scripts), new names, pronouns."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field

from advocacy.services.extraction.morphology import (
    group_nominative,
    is_common_word,
    is_first_name,
    is_genitive_noun,
    split_name_run,
)
from advocacy.services.extraction.words import (
    _CONNECTORS,
    _CYRILLIC,
    _DESCRIPTOR_CLASSES,
    _GROUP_NAME_WORDS,
    _TITLE_WORDS,
    _WORD,
    DESCRIPTOR,
    NOT_NAMES,
    PRONOUNS,
    SPEECH_VERBS,
)
from advocacy.text import fold

# Known people and groups


@dataclass
class Entity:
    kind: str  # "person" or "group"
    record: object
    roles: tuple[str, ...] = ()
    group_kind: str = ""


@dataclass
class _IndexEntry:
    tokens: tuple[str, ...]
    entity: Entity
    is_surname: bool = False


class EntityIndex:
    """Every known name, folded into tokens, for matching across spellings and scripts."""

    def __init__(self, entities: list[Entity], names: list[tuple[Entity, str]]):
        self.entities = entities
        self._by_prefix: dict[str, list[_IndexEntry]] = defaultdict(list)
        seen: set[tuple] = set()
        surnames: dict[str, set[int]] = defaultdict(set)
        for entity, name in names:
            for variant in _name_variants(name):
                tokens = tuple(variant.split())
                if not tokens or (entity.kind, id(entity), tokens) in seen:
                    continue
                seen.add((entity.kind, id(entity), tokens))
                self._by_prefix[tokens[0][:4]].append(_IndexEntry(tokens, entity))
                if entity.kind == "person" and len(tokens) >= 2 and len(tokens[-1]) >= 3:
                    surnames[tokens[-1]].add(id(entity))
        by_id = {id(entity): entity for entity in entities}
        for surname, owners in surnames.items():
            for owner in owners:
                self._by_prefix[surname[:4]].append(
                    _IndexEntry((surname,), by_id[owner], is_surname=True)
                )

    @classmethod
    def from_database(cls) -> EntityIndex:
        """Two queries: people with their roles, groups; names from the folded search key."""
        from django.db.models import Prefetch

        from advocacy.models import Group, Membership, Person

        entities: list[Entity] = []
        names: list[tuple[Entity, str]] = []
        people = Person.objects.only("pk", "name", "slug", "search_key", "is_protected")
        people = people.prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.only("person_id", "role"))
        )
        for person in people:
            entity = Entity("person", person, tuple(m.role for m in person.memberships.all()))
            entities.append(entity)
            names += [(entity, name) for name in [person.name, *person.search_key.split("\n")]]
        for group in Group.objects.only("pk", "name", "slug", "search_key", "kind"):
            entity = Entity("group", group, group_kind=group.kind)
            entities.append(entity)
            names += [(entity, name) for name in [group.name, *group.search_key.split("\n")]]
        return cls(entities, names)

    def match(self, tokens: list[_Token], index: int) -> tuple[int, list[Entity]] | None:
        """The longest known name starting at tokens[index]: (token count, entities)."""
        first = tokens[index]
        best_length, best, best_exact = 0, [], False
        for entry in self._by_prefix.get(first.folded[:4], []):
            length = len(entry.tokens)
            if index + length > len(tokens):
                continue
            exact = _tokens_match(tokens[index : index + length], entry.tokens)
            if exact is None:
                continue
            # A name is capitalised where it starts; "the" may precede it in lowercase.
            if not tokens[index + (1 if entry.tokens[0] == "the" and length > 1 else 0)].capital:
                continue
            if length > best_length or (length == best_length and exact and not best_exact):
                best_length, best, best_exact = length, [entry], exact
            elif length == best_length and exact == best_exact:
                best.append(entry)
        if not best:
            return None
        # A full name beats a surname; keep distinct entities only.
        full = [entry for entry in best if not entry.is_surname] or best
        entities: list[Entity] = []
        for entry in full:
            if all(entry.entity is not e for e in entities):
                entities.append(entry.entity)
        return best_length, entities


def _tokens_match(tokens: list[_Token], wanted: tuple[str, ...]) -> bool | None:
    """None if the tokens do not spell the name; else whether they spell it exactly."""
    exact = True
    for offset, (token, word) in enumerate(zip(tokens, wanted, strict=True)):
        if offset and token.start - tokens[offset - 1].end > 3:
            return None
        if token.folded == word:
            continue
        if token.cyrillic and _inflected(token.folded, word):
            exact = False
            continue
        return None
    return exact


def _name_variants(name: str) -> list[str]:
    folded = fold(name)
    variants = [folded]
    if folded.startswith("the "):
        variants.append(folded[4:])
    return variants


def _inflected(word: str, wanted: str) -> bool:
    """Russian and Ukrainian endings: Цукановой ~ Цуканова, Совете ~ Совет."""
    if min(len(word), len(wanted)) < 4:
        return False
    common = 0
    for a, b in zip(word, wanted, strict=False):
        if a != b:
            break
        common += 1
    return common >= max(len(word), len(wanted)) - 3 and common >= min(len(word), len(wanted)) - 2


# Text analysis


@dataclass
class _Token:
    start: int
    end: int
    text: str
    folded: str
    capital: bool
    cyrillic: bool


@dataclass
class _Mention:
    start: int
    end: int
    text: str
    kind: str  # person, group, new, pronoun, descriptor
    entities: list[Entity] = field(default_factory=list)
    new_kind: str = ""
    pronoun: str = ""
    det: str = ""
    noun_class: str = ""
    noun: str = ""
    name: str = ""  # a new name as the article gives it in full, in the nominative
    gender: str = ""  # "f", "m" or "" (not known)

    @property
    def display_name(self) -> str:
        return self.name or self.text

    @property
    def named(self) -> bool:
        return self.kind in ("person", "group", "new")

    def is_person(self) -> bool:
        return self.kind == "person" or (self.kind == "new" and self.new_kind == "person")

    def is_group(self) -> bool:
        return self.kind == "group" or (self.kind == "new" and self.new_kind == "group")


def _tokens(masked: str) -> list[_Token]:
    tokens = []
    for match in _WORD.finditer(masked):
        raw = match.group()
        word = re.sub(r"['’ʼ]s$", "", raw)
        folded = fold(word)
        if not folded:
            continue
        cyrillic = bool(_CYRILLIC.search(word))
        for part in folded.split():
            tokens.append(
                _Token(match.start(), match.end(), raw, part, word[:1].isupper(), cyrillic)
            )
    return tokens


def _mentions(masked: str, index: EntityIndex, language: str = "en") -> list[_Mention]:
    tokens = _tokens(masked)
    mentions: list[_Mention] = []
    taken: set[int] = set()
    position = 0
    while position < len(tokens):
        found = (
            index.match(tokens, position)
            if tokens[position].capital or (tokens[position].folded == "the")
            else None
        )
        if found:
            length, entities = found
            start, end = tokens[position].start, tokens[position + length - 1].end
            kind = entities[0].kind
            mentions.append(
                _Mention(
                    start, end, masked[start:end], kind, [e for e in entities if e.kind == kind]
                )
            )
            taken.update(range(position, position + length))
            position += length
        else:
            position += 1
    mentions += _new_names(masked, tokens, taken, language)
    for match in _WORD.finditer(masked):
        pronoun = PRONOUNS.get(match.group().lower())
        if pronoun:
            mentions.append(
                _Mention(match.start(), match.end(), match.group(), "pronoun", pronoun=pronoun)
            )
    for match in DESCRIPTOR.finditer(masked):
        noun = match.group("noun") or match.group("ru_noun")
        if match.group("ru_noun") and not _CYRILLIC.search(noun):
            continue
        noun_class = next(name for name, pattern in _DESCRIPTOR_CLASSES if pattern.match(noun))
        det = (match.group("det") or "the").lower()
        indefinite = det in ("a", "an", "another", "one") or bool(match.group("ru_det"))
        mentions.append(
            _Mention(
                match.start(),
                match.end(),
                match.group(),
                "descriptor",
                det="indefinite" if indefinite else "definite",
                noun_class=noun_class,
                noun=noun.lower(),
            )
        )
    # A known name inside a description ("the president of the Council") wins over it.
    named = [m for m in mentions if m.named]
    mentions = [
        m
        for m in mentions
        if m.named
        or not any(n.start <= m.start < n.end or m.start <= n.start < m.end for n in named)
    ]
    mentions.sort(key=lambda m: (m.start, -m.end))
    return mentions


def _new_names(
    masked: str, tokens: list[_Token], taken: set[int], language: str = "en"
) -> list[_Mention]:
    """Runs of capitalised words that are no known name: candidate people and groups.

    A Russian or Ukrainian run is cut where the grammatical case changes ("бойца Андрея
    Ковальчука Наталья" names two people) and each part is brought to the nominative.
    """
    mentions: list[_Mention] = []
    run: list[int] = []

    def flush():
        while run and tokens[run[-1]].folded in _CONNECTORS:
            run.pop()
        while run and (tokens[run[0]].folded in NOT_NAMES or tokens[run[0]].folded in _CONNECTORS):
            run.pop(0)
        while run and tokens[run[0]].folded in _TITLE_WORDS:
            run.pop(0)
        if run and all(tokens[i].cyrillic for i in run):
            mentions.extend(_cyrillic_names(masked, tokens, list(run), language))
            run.clear()
            return
        capitals = [i for i in run if tokens[i].capital and tokens[i].folded not in NOT_NAMES]
        if len(capitals) >= 2 or (len(capitals) == 1 and _single_name_ok(masked, tokens, run)):
            start, end = tokens[run[0]].start, tokens[run[-1]].end
            text = masked[start:end]
            named_group = _GROUP_NAME_WORDS.search(text) or _after_group_noun(masked, start)
            kind = "group" if named_group else "person"
            mentions.append(_Mention(start, end, text, "new", new_kind=kind))
        run.clear()

    for position, token in enumerate(tokens):
        adjacent = not run or token.start - tokens[run[-1]].end <= 2
        punctuation = masked[tokens[run[-1]].end : token.start] if run else ""
        if (
            position not in taken
            and adjacent
            and not re.search(r"[,.;:!?()«»\"“”„—–\n/]", punctuation)
            and (token.capital or (run and token.folded in _CONNECTORS))
        ):
            run.append(position)
        else:
            flush()
            if position not in taken and token.capital:
                run.append(position)
    flush()
    return _complete_names(masked, tokens, taken, mentions)


def _cyrillic_names(
    masked: str, tokens: list[_Token], run: list[int], language: str
) -> list[_Mention]:

    mentions = []
    words = [tokens[i].text for i in run]
    for part in split_name_run(words, language):
        members = run[part.first : part.last]
        start, end = tokens[members[0]].start, tokens[members[-1]].end
        text = masked[start:end]
        capitals = [i for i in members if tokens[i].folded not in NOT_NAMES]
        if not capitals or not part.case:
            continue
        if _after_group_noun(masked, start):
            # «Жены Твери» after "движения": a name in quote marks is printed as it is called.
            mentions.append(_Mention(start, end, text, "new", new_kind="group", name=text))
            continue
        if _GROUP_NAME_WORDS.search(text):
            # "Офісі генпрокурора": a group's name goes on in lowercase genitive words.
            following = members[-1] + 1
            extra = []
            while (
                len(extra) < 2
                and following < len(tokens)
                and not tokens[following].capital
                and tokens[following].start - tokens[following - 1].end == 1
                and is_genitive_noun(tokens[following].text, language)
            ):
                extra.append(tokens[following].text)
                end = tokens[following].end
                following += 1
            text = masked[start:end]
            name = group_nominative(words[part.first : part.last] + extra, language)
            mentions.append(_Mention(start, end, text, "new", new_kind="group", name=name))
            continue
        # One word is a name if the dictionary knows it as a first name, or if it stands
        # in the nominative right next to a verb of saying ("— сказал Зеленский"), never
        # "розповіла Суспільному" (the outlet told, in the dative).
        opens_sentence = re.search(r"(?:^|[.!?…]\s+|\n\s*)$", masked[max(0, start - 3) : start])
        if len(members) == 1 and not (
            is_first_name(words[part.first], language, strict=bool(opens_sentence))
            or (
                part.case == "nomn"
                and not is_common_word(words[part.first], language)
                and _single_name_ok(masked, tokens, members)
            )
        ):
            continue
        mentions.append(
            _Mention(
                start,
                end,
                text,
                "new",
                new_kind="person",
                name=part.nominative,
                gender=part.gender,
            )
        )
    return mentions


_GROUP_NOUN_BEFORE = re.compile(
    r"\b(?:group|movement|organi[sz]ation|initiative|campaign|движени[еяю]|групп[аыуе]|"
    r"организаци[яиюей]|объединени[еяю]|фонд[аеу]?|рух[уі]?|груп[аиіу]|організаці[яїю]|"
    r"об['’ʼ]єднанн[яю]|ініціатив[аиу])\s*[«“\"„]?\s*$",
    re.IGNORECASE,
)


def _after_group_noun(masked: str, start: int) -> bool:
    """ "движение «Матери России»", "the movement Put' Domoy": a group's name, not a person's."""
    return bool(_GROUP_NOUN_BEFORE.search(masked[max(0, start - 40) : start]))


def _complete_names(
    masked: str, tokens: list[_Token], taken: set[int], mentions: list[_Mention]
) -> list[_Mention]:
    """A first name or surname alone stands for the fullest name the article gives it.

    "Maria demanded" after "Maria Andreyeva": Maria Andreyeva; "Сергей" after "Сергей
    Огородов"; "Зеленський" after "Володимир Зеленський".
    """
    full = [m for m in mentions if m.is_person() and len(m.display_name.split()) >= 2]
    covered = {(m.start, m.end) for m in mentions}
    by_start = {m.start: m for m in mentions}
    for position, token in enumerate(tokens):
        if position in taken or not token.capital or token.folded in NOT_NAMES:
            continue
        if any(m.start <= token.start < m.end for m in mentions if (m.start, m.end) in covered):
            mention = by_start.get(token.start)
            if mention is None or len(mention.display_name.split()) != 1:
                continue
        else:
            mention = None
        # A word standing alone takes only a name printed before it; a word already read as
        # a name ("Tetyana, said") may take one printed further on.
        owner = _fullest(token.folded, token.start, full, later=mention is not None)
        if owner is None:
            continue
        if mention is not None:
            mention.name = owner.display_name
            mention.gender = mention.gender or owner.gender
        else:
            mentions.append(
                _Mention(
                    token.start,
                    token.end,
                    token.text,
                    "new",
                    new_kind="person",
                    name=owner.display_name,
                    gender=owner.gender,
                )
            )
    return mentions


def _fullest(
    folded: str, position: int, full: list[_Mention], later: bool = True
) -> _Mention | None:
    """The nearest earlier full name with this word in it (else the first one after)."""
    if len(folded) < 3:
        return None
    owners = [
        m
        for m in full
        if any(
            word == folded or (len(word) > 3 and _inflected(folded, word))
            for word in (fold(w) for w in m.display_name.split())
        )
        or any(fold(w) == folded for w in m.text.split())
    ]
    if not owners:
        return None
    earlier = [m for m in owners if m.end <= position]
    if earlier:
        return earlier[-1]
    return owners[0] if later and owners[0].start > position else None


_APPOSITION_THEN_VERB = re.compile(
    r",\s+(?:a|an|the|who|whose|one|\d+)\b[^.!?\"“”«»]{0,120}?,\s+(\w+)"
)


def _single_name_ok(masked: str, tokens: list[_Token], run: list[int]) -> bool:
    """One capitalised word is a name only where a speaker stands.

    Next to a verb of saying ("Ivanova said", "— сказала Волкова"), never as the one
    told ("told Reuters"); or in the attribution slot with an apposition before the verb
    ("…," Anna, a teacher whose husband was mobilised, told …; Olesya, a mother of two,
    said …).
    """
    token = tokens[run[0]]
    if token.folded in NOT_NAMES or len(token.folded) < 3:
        return False
    before = _WORD.findall(masked[max(0, token.start - 30) : token.start])
    after = _WORD.findall(masked[token.end : token.end + 30])
    if before and before[-1].lower() in ("told", "tells", "telling"):
        return False
    if (after and after[0].lower() in SPEECH_VERBS) or (
        before and before[-1].lower() in SPEECH_VERBS
    ):
        return True
    apposition = re.match(
        r",\s+(?:a|an|the|who|whose|one|\d+)\b[^.!?\"“”«»]{0,120}?,\s+(\w+)", masked[token.end :]
    )
    return bool(apposition) and apposition.group(1).lower() in SPEECH_VERBS
