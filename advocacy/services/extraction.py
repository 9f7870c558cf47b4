"""Candidate statements from an article's text: every direct quotation, who said it, when.

The extractor is deliberately plain and explainable, so a researcher can see why a
speaker was guessed ("said X", "X asked", "the group said", "it added"...):

1. Quotations are found by pairing quote marks (straight and curly double quotes,
   « », „ “), nested quotes kept inside; a Russian-style quotation split by an
   attribution inside the marks («…, — сказала она. — …») becomes two parts.
2. Quotation contents are masked, so the words a speaker says never count as a mention.
3. Mentions are found in the rest of the text: known people and groups (names and
   aliases, folded across scripts, Russian and Ukrainian endings tolerated), surnames
   of known people, new capitalised names, pronouns and descriptions ("the group",
   "another group", "the post", "the outlet", "the president").
4. Each quotation's speaker is read from its attribution ("…," said X / X said / X, the
   president of Y, asked / wrote another group, Y / according to X), else from the
   subject of its sentence, else carried over from the previous quotation.
5. The date is read from the sentence (weekdays, explicit dates, "yesterday"; English,
   Russian and Ukrainian, with dateparser), else the article's month.
"""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass, field

from advocacy.choices import DatePrecision, GroupKind, Medium
from advocacy.text import fold

# Quote marks

_OPENERS = {'"': '"', "“": "”", "„": "“”", "«": "»", "‹": "›"}
_TERMINAL = ".!?…"
_DASHES = "—–"

# Word lists

SPEECH_VERBS = {
    # English
    "said", "says", "say", "asked", "asks", "added", "adds", "wrote", "writes", "told",
    "tells", "explained", "explains", "claimed", "claims", "declared", "declares", "stated",
    "states", "noted", "notes", "reads", "continued", "continues", "insisted", "insists",
    "urged", "urges", "warned", "warns", "replied", "replies", "responded", "answered",
    "argued", "argues", "demanded", "demands", "complained", "recalled", "recalls",
    "posted", "tweeted", "commented", "confirmed", "stressed", "emphasised", "emphasized",
    "announced", "admitted", "revealed", "pleaded", "appealed", "saying", "asking",
    "adding", "writing", "telling", "explaining", "describing", "described", "called",
    "calls", "cited", "quoted", "shouted", "exclaimed", "remarked", "suggested", "agreed",
    # Russian
    "сказал", "сказала", "сказали", "заявил", "заявила", "заявили", "спросил", "спросила",
    "спросили", "добавил", "добавила", "добавили", "написал", "написала", "написали",
    "отметил", "отметила", "отметили", "подчеркнул", "подчеркнула", "рассказал",
    "рассказала", "рассказали", "пояснил", "пояснила", "говорит", "говорят", "говорится",
    "сообщил", "сообщила", "сообщили", "призвал", "призвала", "призвали", "ответил",
    "ответила", "заявляет", "пишет", "пишут", "считает", "уточнил", "уточнила",
    "обратилась", "обратился", "обратились", "возмутилась", "признался", "признала",
    # Ukrainian
    "сказав", "заявив", "запитала", "запитав", "додав",
    "додала", "додали", "написав", "зазначив", "зазначила", "наголосив",
    "наголосила", "розповів", "розповіла", "розповіли", "повідомив", "повідомила",
    "повідомили", "пояснив", "каже", "кажуть", "відповіла", "відповів",
}  # fmt: skip

ACCORDING_TO = re.compile(
    r"\b(?:according\s+to|по\s+словам|как\s+(?:заявил|заявила|сказал|сказала|пишет)|"
    r"за\s+словами|як\s+(?:заявив|заявила|сказав|сказала))\s+",
    re.IGNORECASE,
)

PRONOUNS = {
    "he": "he", "she": "he", "him": "he", "her": "he",
    "it": "it", "its": "it",
    "they": "they", "them": "they",
    "он": "he", "она": "he", "оно": "it", "они": "they",
    "він": "he", "вона": "he", "воно": "it", "вони": "they",
}  # fmt: skip

_GROUP_NOUNS = (
    r"group|council|movement|organi[sz]ation|committee|union|association|initiative|"
    r"cooperative|partnership|network|coalition|campaign|"
    r"группа|группы|группе|движение|движения|организация|организации|объединение|"
    r"объединения|комитет|комитета|совет|совета|група|групи|рух|організація|організації"
)
_OUTLET_NOUNS = (
    r"outlet|publication|newspaper|paper|channel|site|website|agency|magazine|"
    r"издание|издания|газета|канал|видання"
)
_MESSAGE_NOUNS = (
    r"post|message|statement|bio|letter|appeal|video|petition|note|"
    r"заявление|заявлении|сообщение|сообщении|посте|пост|обращение|обращении|письме|письмо|"
    r"видео|заява|заяві|заяву|повідомлення|повідомленні|дописі|звернення|зверненні"
)
_ROLE_NOUNS = (
    r"president|spokesman|spokeswoman|spokesperson|minister|activist|mother|wife|woman|man|"
    r"soldier|official|leader|general|adviser|advisor|secretary|director|chairman|"
    r"chairwoman|chair|head|founder|coordinator|lawyer"
)
DESCRIPTOR = re.compile(
    r"\b(?P<det>the|this|that|another|an|a|one)\s+"
    r"(?:(?!said\b|says\b|asked\b)[\w’'-]+\s+){0,2}?"
    rf"(?P<noun>{_GROUP_NOUNS}|{_OUTLET_NOUNS}|{_MESSAGE_NOUNS}|{_ROLE_NOUNS})\b"
    r"|(?:^|(?<=[\s,—–]))(?:в\s+|у\s+)?(?P<ru_noun>"
    rf"{_GROUP_NOUNS}|{_OUTLET_NOUNS}|{_MESSAGE_NOUNS})\b",
    re.IGNORECASE,
)
_DESCRIPTOR_CLASSES = [
    ("group", re.compile(rf"^(?:{_GROUP_NOUNS})$", re.IGNORECASE)),
    ("outlet", re.compile(rf"^(?:{_OUTLET_NOUNS})$", re.IGNORECASE)),
    ("message", re.compile(rf"^(?:{_MESSAGE_NOUNS})$", re.IGNORECASE)),
    ("role", re.compile(rf"^(?:{_ROLE_NOUNS})$", re.IGNORECASE)),
]

# Capitalised words that do not make a name on their own.
NOT_NAMES = {
    fold(word)
    for word in (  # noqa: SIM905
        "The A An But And In On At For Of It He She They We I You This That These Those "
        "Instead Despite Yet Once While When After Before Since Some Across Around Both Not "
        "Only Currently Of Course Well Last Next Today Yesterday Indeed Meanwhile However "
        "Also So Or If As Speaking According Mr Mrs Ms Dr President Minister General Kremlin "
        "Spokesman Russian Russians Ukrainian Ukrainians American Americans European Soviet "
        "Moscow Kyiv Kiev Russia Ukraine Europe POW POWs TV Zoom Telegram Newsweek Direct Line "
        "January February March April May June July August September October November "
        "December Monday Tuesday Wednesday Thursday Friday Saturday Sunday Jan Feb Mar Apr Jun "
        "Jul Aug Sep Sept Oct Nov Dec "
        "Но И А В На Во Как Когда После Это Он Она Они Мы Вы Я По Путин Россия Украина Москва "
        "Киев Але І Та У Це Він Вона Вони Ми Росія Україна Київ"
    ).split()
}
_TITLE_WORDS = {
    fold(word)
    for word in (  # noqa: SIM905
        "President Mr Mrs Ms Dr Minister General Spokesman Kremlin Defense Defence Russian "
        "Ukrainian Secretary Director Chairman Chairwoman Advisor Adviser"
    ).split()
}
_CONNECTORS = {"of", "and", "the", "for", "de", "la", "von", "van", "on", "и", "і", "та"}
_GROUP_NAME_WORDS = re.compile(
    r"\b(council|committee|union|movement|group|organi[sz]ation|ministry|office|association|"
    r"party|foundation|fund|agency|service|front|coalition|network|initiative|cooperative|"
    r"news|times|post|совет|комитет|союз|движение|организация|министерство|фонд|рада|комітет|"
    r"спілка|рух|об'єднання|объединение)\w*",
    re.IGNORECASE,
)

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*", re.UNICODE)
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_MASK = "\u2063"  # invisible separator: not a word character, not punctuation


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
    date_precision: str = DatePrecision.DAY
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

    @property
    def named(self) -> bool:
        return self.kind in ("person", "group", "new")

    def is_person(self) -> bool:
        return self.kind == "person" or (self.kind == "new" and self.new_kind == "person")

    def is_group(self) -> bool:
        return self.kind == "group" or (self.kind == "new" and self.new_kind == "group")


@dataclass
class _Piece:
    start: int
    end: int
    open_at: int
    close_at: int  # index just after the closing mark (or the paragraph end)
    paragraph: int
    split_attribution: tuple[int, int] | None = None  # inside the marks, before this piece


@dataclass
class _Sentence:
    start: int
    end: int
    paragraph: int


def _paragraphs(text: str) -> list[tuple[int, int]]:
    spans, position = [], 0
    separator = "\n\n" if "\n\n" in text else "\n"
    for block in text.split(separator):
        start, end = position, position + len(block)
        position = end + len(separator)
        stripped = block.strip()
        if stripped:
            offset = block.index(stripped[0])
            spans.append((start + offset, start + offset + len(stripped)))
    return spans


def _find_quotes(text: str, start: int, end: int, paragraph: int) -> list[_Piece]:
    pieces: list[_Piece] = []
    stack: list[str] = []
    open_at = -1
    index = start
    while index < end:
        char = text[index]
        if stack:
            top = stack[-1]
            closes = _OPENERS[top]
            if char in closes and not (top == "“" and char == "“" and _word_follows(text, index)):
                stack.pop()
                if not stack:
                    pieces += _pieces(text, open_at, index, paragraph)
                index += 1
                continue
            if char == "“" and top == "“" and not _word_follows(text, index):
                # A second opening mark used as a closing one.
                stack.pop()
                if not stack:
                    pieces += _pieces(text, open_at, index, paragraph)
                index += 1
                continue
        if char in _OPENERS and not (char == "‹" and not stack):
            if not stack:
                open_at = index
            stack.append(char)
        index += 1
    if stack and open_at >= 0:
        # Unclosed at the paragraph's end: a quotation running on to the next paragraph.
        pieces += _pieces(text, open_at, end, paragraph, closed=False)
    return pieces


_NAMING_NOUNS = re.compile(
    rf"(?:{_GROUP_NOUNS}|{_OUTLET_NOUNS}|движени[еяю]|организаци[яиюей]|издани[еяю]|газет[аыеу]|"
    r"канал[а-я]*|called|named|группы|групп[аеуы]|фонд[а-я]*|проект[а-я]*|"
    r"програм[а-яі]*|program(?:me)?|show|newspaper|channel)\s*$",
    re.IGNORECASE,
)


def _is_quoted_name(text: str, piece: _Piece) -> bool:
    """«Путь домой» after "группа", "the group": a name in quote marks, not a quotation."""
    content = text[piece.start : piece.end]
    words = content.split()
    if not words or len(words) > 6 or not words[0][:1].isupper() or content[-1:] in _TERMINAL:
        return False
    return bool(_NAMING_NOUNS.search(text[max(0, piece.open_at - 40) : piece.open_at]))


def _word_follows(text: str, index: int) -> bool:
    return index + 1 < len(text) and text[index + 1].isalnum()


_INNER_SPLIT = re.compile(
    r"(?P<pre>[,.!?…])\s*[—–]\s*(?P<attr>[^—–«»\"“”„]{2,150}?)(?P<post>[,.:])\s*[—–]\s+"
)


def _pieces(text: str, open_at: int, close_at: int, paragraph: int, closed: bool = True):
    """The parts of one quotation: split where an attribution interrupts it («…, — X. — …»)."""
    content_start = open_at + 1
    content_end = close_at
    spans: list[tuple[int, int, tuple[int, int] | None]] = []
    cursor, attribution = content_start, None
    for match in _INNER_SPLIT.finditer(text, content_start, content_end):
        attr = match.group("attr")
        words = {w.lower() for w in _WORD.findall(attr)}
        if not (words & SPEECH_VERBS):
            continue
        pre_end = match.start("pre") + (1 if match.group("pre") in "!?…" else 0)
        spans.append((cursor, pre_end, attribution))
        attribution = (match.start("attr"), match.end("attr"))
        cursor = match.end()
    spans.append((cursor, content_end, attribution))
    pieces = []
    for number, (start, end, attr) in enumerate(spans):
        if attr is None and number + 1 < len(spans):
            attr = spans[number + 1][2]  # «…, — said X. — …»: X said the first part too
        start, end = _trim(text, start, end)
        if end > start:
            pieces.append(
                _Piece(start, end, open_at, close_at + (1 if closed else 0), paragraph, attr)
            )
    return pieces


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    # The comma that stands before an attribution is not part of the words.
    while end > start and text[end - 1] in ",;:" + _DASHES:
        end -= 1
        while end > start and text[end - 1].isspace():
            end -= 1
    first = next((c for c in text[start:end] if c.isalpha()), "")
    if (
        first
        and first.islower()
        and end > start
        and text[end - 1] == "."
        and (end - start < 2 or text[end - 2] != ".")
    ):
        # A fragment's full stop belongs to the sentence around it.
        end -= 1
    return start, end


def _mask(text: str, pieces: list[_Piece]) -> str:
    chars = list(text)
    for piece in pieces:
        for index in range(piece.start, piece.end):
            if not chars[index].isspace():
                chars[index] = _MASK
        # Keep a final stop so sentence ends stay visible.
        if text[piece.end - 1] in _TERMINAL:
            chars[piece.end - 1] = text[piece.end - 1]
    return "".join(chars)


_SENTENCE_END = re.compile(r"[.!?…]+[\"”»“’')\]]*\s+")


def _sentences(masked: str, paragraphs: list[tuple[int, int]]) -> list[_Sentence]:
    sentences = []
    for number, (p_start, p_end) in enumerate(paragraphs):
        start = p_start
        for match in _SENTENCE_END.finditer(masked, p_start, p_end):
            following = masked[match.end() : match.end() + 1]
            if not following or not (following.isupper() or following in '"“«„(['):
                continue
            if _abbreviation_before(masked, match.start()):
                continue
            if any(c in '"”»“' for c in match.group()) and _attribution_follows(
                masked, match.end(), p_end
            ):
                continue
            sentences.append(_Sentence(start, match.end(), number))
            start = match.end()
        if start < p_end:
            sentences.append(_Sentence(start, p_end, number))
    return sentences


def _abbreviation_before(text: str, index: int) -> bool:
    word = re.search(r"(\w+)$", text[max(0, index - 6) : index])
    return bool(word) and word.group(1) in {"Mr", "Mrs", "Ms", "Dr", "St", "Jr", "vs", "U.S"}


def _attribution_follows(masked: str, start: int, end: int) -> bool:
    """'"…?" Tsukanova asked.' stays one sentence with its quotation."""
    window = masked[start:end][:160]
    words = _WORD.findall(re.split(r"[.!?;:«\"“„]", window, maxsplit=1)[0])
    return any(word.lower() in SPEECH_VERBS for word in words[:16])


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


def _mentions(masked: str, index: EntityIndex) -> list[_Mention]:
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
    mentions += _new_names(masked, tokens, taken)
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
        mentions.append(
            _Mention(
                match.start(),
                match.end(),
                match.group(),
                "descriptor",
                det="indefinite" if det in ("a", "an", "another", "one") else "definite",
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


def _new_names(masked: str, tokens: list[_Token], taken: set[int]) -> list[_Mention]:
    """Runs of capitalised words that are no known name: candidate people and groups."""
    mentions = []
    run: list[int] = []

    def flush():
        while run and tokens[run[-1]].folded in _CONNECTORS:
            run.pop()
        while run and (tokens[run[0]].folded in NOT_NAMES or tokens[run[0]].folded in _CONNECTORS):
            run.pop(0)
        while run and tokens[run[0]].folded in _TITLE_WORDS:
            run.pop(0)
        capitals = [i for i in run if tokens[i].capital and tokens[i].folded not in NOT_NAMES]
        if len(capitals) >= 2 or (len(capitals) == 1 and _single_name_ok(masked, tokens, run)):
            start, end = tokens[run[0]].start, tokens[run[-1]].end
            text = masked[start:end]
            kind = "group" if _GROUP_NAME_WORDS.search(text) else "person"
            mentions.append(_Mention(start, end, text, "new", new_kind=kind))
        run.clear()

    for position, token in enumerate(tokens):
        adjacent = not run or token.start - tokens[run[-1]].end <= 2
        punctuation = masked[tokens[run[-1]].end : token.start] if run else ""
        if (
            position not in taken
            and adjacent
            and not re.search(r"[,.;:!?()«»\"“”„—–]", punctuation)
            and (token.capital or (run and token.folded in _CONNECTORS))
        ):
            run.append(position)
        else:
            flush()
            if position not in taken and token.capital:
                run.append(position)
    flush()
    return mentions


def _single_name_ok(masked: str, tokens: list[_Token], run: list[int]) -> bool:
    """One capitalised word is a name only right next to a verb of saying ("Ivanova said")."""
    token = tokens[run[0]]
    if token.folded in NOT_NAMES or len(token.folded) < 3:
        return False
    before = _WORD.findall(masked[max(0, token.start - 30) : token.start])
    after = _WORD.findall(masked[token.end : token.end + 30])
    return bool(
        (after and after[0].lower() in SPEECH_VERBS)
        or (before and before[-1].lower() in SPEECH_VERBS)
    )


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


# Dates

_WEEKDAYS = {
    0: r"monday|понедельник|понеділок|понеділка",
    1: r"tuesday|вторник|вівторок|вівторка",
    2: r"wednesday|сред[ау]|серед[ау]|середи",
    3: r"thursday|четверг|четвер|четверга",
    4: r"friday|пятниц[ау]|п['’ʼ]?ятниц[юяі]",
    5: r"saturday|суббот[ау]|субот[ау]|суботи",
    6: r"sunday|воскресенье|неділ[юяі]",
}
_WEEKDAY = re.compile(
    r"\b(?:(?:on|last|this)\s+|(?:в|во|у|в\s+минулу|в\s+прошлую|в\s+прошлый)\s+)?"
    r"(?P<day>" + "|".join(f"(?P<d{n}>{p})" for n, p in _WEEKDAYS.items()) + r")\b",
    re.IGNORECASE,
)
_MONTHS = (
    r"january|february|march|april|may|june|july|august|september|october|november|december|"
    r"jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec|"
    r"января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря|"
    r"січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
)
_EXPLICIT_DATE = re.compile(
    rf"\b(?:(?P<md>(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?(?:,?\s+\d{{4}})?)|"
    rf"(?P<dm>\d{{1,2}}\s+(?:{_MONTHS})\.?(?:,?\s+\d{{4}})?(?:\s+(?:года|року|г\.|р\.))?)|"
    r"(?P<iso>\d{4}-\d{2}-\d{2}))\b",
    re.IGNORECASE,
)
_RELATIVE_DAY = re.compile(
    r"\b(?P<yesterday>yesterday|вчера|вчора)|(?P<today>today|сегодня|сьогодні)\b",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\b(?:in|в|у)\s+(?P<year>(?:19|20)\d{2})(?:\s+(?:году|році))?\b", re.I)


def guess_date(
    text: str, article_date: datetime.date | None, language: str = "en"
) -> tuple[datetime.date, str, str] | None:
    """A date printed in a passage: (date, precision, as printed), relative to the article."""
    match = _EXPLICIT_DATE.search(text)
    if match:
        parsed = _parse_date(match.group(), article_date, language)
        if parsed:
            return parsed, DatePrecision.DAY, match.group()
    match = _RELATIVE_DAY.search(text)
    if match and article_date:
        delta = 1 if match.group("yesterday") else 0
        return article_date - datetime.timedelta(days=delta), DatePrecision.DAY, match.group()
    match = _WEEKDAY.search(text)
    if match and article_date:
        weekday = next(n for n in _WEEKDAYS if match.group(f"d{n}"))
        # News speaks of the past week: the latest such day up to the article's date.
        back = (article_date.weekday() - weekday) % 7
        return article_date - datetime.timedelta(days=back), DatePrecision.DAY, match.group()
    match = _YEAR.search(text)
    if match:
        return datetime.date(int(match.group("year")), 1, 1), DatePrecision.YEAR, match.group()
    return None


def _parse_date(text: str, base: datetime.date | None, language: str) -> datetime.date | None:
    import dateparser

    settings = {"PREFER_DATES_FROM": "past", "PREFER_DAY_OF_MONTH": "first"}
    if base:
        settings["RELATIVE_BASE"] = datetime.datetime.combine(base, datetime.time())
    languages = [language] if language in ("en", "ru", "uk") else ["en", "ru", "uk"]
    parsed = dateparser.parse(text, languages=languages, settings=settings)
    if parsed is None:
        parsed = dateparser.parse(text, languages=["en", "ru", "uk"], settings=settings)
    return parsed.date() if parsed else None


def find_article_date(text: str, language: str = "en") -> datetime.date | None:
    """The publication date printed near the top of an article ("November 24, 2022")."""
    lines = [line.strip() for line in text.splitlines() if line.strip()][1:6]
    for line in lines:
        if len(line) > 80:
            continue
        match = _EXPLICIT_DATE.search(line)
        if match:
            parsed = _parse_date(match.group(), None, language)
            if parsed:
                return parsed
    return None


# Medium

_MEDIUM_HINTS = [
    (Medium.VIDEO_MESSAGE, r"\bvideo|видео|відео"),
    (Medium.TELEGRAM_POST, r"\btelegram|телеграм"),
    (Medium.SOCIAL_MEDIA_POST, r"\bsocial media|\bpost\b|посте|дописі|\bbio\b"),
    (Medium.WRITTEN_STATEMENT, r"\bwrote\b|\bletter\b|\bstatement\b|заявлени|письм|заяв"),
    (Medium.PRESS_BRIEFING, r"\bbriefing|брифинг|брифінг|spokes"),
    (Medium.INTERVIEW, r"\binterview|интервью|інтерв"),
]


def guess_medium(context: str) -> str:
    for medium, pattern in _MEDIUM_HINTS:
        if re.search(pattern, context, re.IGNORECASE):
            return medium
    return Medium.OTHER


# The entry point


def extract_candidates(
    text: str,
    *,
    article_date: datetime.date | None = None,
    language: str = "en",
    index: EntityIndex | None = None,
) -> list[Candidate]:
    """Every direct quotation in `text` as a candidate statement, in reading order.

    `index` defaults to the people and groups in the database (two queries).
    """
    if index is None:
        index = EntityIndex.from_database()
    paragraphs = _paragraphs(text)
    pieces: list[_Piece] = []
    for number, (start, end) in enumerate(paragraphs):
        pieces += _find_quotes(text, start, end, number)
    pieces = [piece for piece in pieces if not _is_quoted_name(text, piece)]
    masked = _mask(text, pieces)
    sentences = _sentences(masked, paragraphs)
    resolver = _Resolver(text, masked, _mentions(masked, index), sentences)

    candidates: list[Candidate] = []
    previous_sentence = -10
    previous_date: tuple | None = None
    for position, piece in enumerate(pieces):
        next_start = pieces[position + 1].open_at if position + 1 < len(pieces) else len(text)
        speaker, attributed = resolver.resolve(piece, next_start)
        sentence_number = resolver.sentence_of(piece.start)
        sentence = sentences[sentence_number]
        last = candidates[-1] if candidates else None
        same_paragraph = last is not None and pieces[position - 1].paragraph == piece.paragraph
        continues = (
            last is not None
            and same_paragraph
            and (
                sentence_number == previous_sentence
                or sentence_number == previous_sentence + 1
                or piece.open_at == pieces[position - 1].open_at
            )
        )
        if speaker is None:
            speaker = resolver._carried("continues the previous quotation")
            if speaker is None:
                speaker = SpeakerGuess(how="no attribution found")
        if continues and last is not None and (not attributed or speaker.key == last.speaker.key):
            last.parts.append(QuotePart(piece.start, piece.end, text[piece.start : piece.end]))
            last.context_end = max(last.context_end, sentence.end)
            previous_sentence = sentence_number
            continue
        p_start, p_end = paragraphs[piece.paragraph]
        context = masked[sentence.start : sentence.end]
        dated = guess_date(context, article_date, language)
        if dated:
            date, precision, printed = dated
            how = "printed in the sentence"
        elif previous_date and last and last.speaker.key == speaker.key and speaker.key[1]:
            date, precision, printed = previous_date
            how = "as the previous quotation by the same speaker"
        elif article_date:
            date, precision, printed = article_date.replace(day=1), DatePrecision.MONTH, ""
            how = "the article's month"
        else:
            date, precision, printed, how = None, DatePrecision.DAY, "", "unknown"
        if dated or how.startswith("as the previous"):
            previous_date = (date, precision, printed)
        else:
            previous_date = None
        candidates.append(
            Candidate(
                parts=[QuotePart(piece.start, piece.end, text[piece.start : piece.end])],
                speaker=speaker,
                date=date,
                date_precision=precision,
                date_as_printed=printed,
                date_how=how,
                medium=guess_medium(masked[p_start:p_end]),
                context_start=sentence.start,
                context_end=sentence.end,
                paragraph_start=p_start,
                paragraph_end=p_end,
            )
        )
        resolver.previous = speaker if speaker.key[1] else resolver.previous
        previous_sentence = sentence_number
    return candidates
