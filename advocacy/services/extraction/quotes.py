"""Where the quotations are: paired quote marks, split attributions, sentences around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advocacy.services.extraction.words import (
    _CYRILLIC,
    _DASHES,
    _GROUP_NOUNS,
    _MASK,
    _OPENERS,
    _OUTLET_NOUNS,
    _TERMINAL,
    _WORD,
    SPEECH_VERBS,
)


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

    def close(at: int) -> None:
        stack.pop()
        if stack and _attribution_after(text, at + 1, end):
            # «… «абонент недоступен»., — сказала X: one mark closes both quotations.
            stack.clear()
        if not stack:
            pieces.extend(_pieces(text, open_at, at, paragraph))

    while index < end:
        char = text[index]
        if stack:
            top = stack[-1]
            closes = _OPENERS[top]
            if char == '"' and _opens_inside(text, index, start):
                # "Він сказав: "Я тебе люблю…": a straight quote inside a straight quote.
                stack.append(char)
                index += 1
                continue
            if char in closes and not (top == "“" and char == "“" and _word_follows(text, index)):
                close(index)
                index += 1
                continue
            if char == "“" and top == "“" and not _word_follows(text, index):
                # A second opening mark used as a closing one.
                close(index)
                index += 1
                continue
        if char in _OPENERS and not (char == "‹" and not stack):
            if not stack:
                open_at = index
            stack.append(char)
        elif char == "”" and not stack and _word_follows(text, index):
            # exclaimed,”Will they…”: a closing mark typed where an opening one belongs.
            open_at = index
            stack.append("“")
        index += 1
    if stack and open_at >= 0:
        # Unclosed at the paragraph's end: a quotation running on to the next paragraph.
        pieces += _pieces(text, open_at, end, paragraph, closed=False)
    return pieces


def _opens_inside(text: str, index: int, start: int) -> bool:
    """A straight quote after a space or colon and before a word opens a nested quotation."""
    before = text[index - 1] if index > start else " "
    return (before.isspace() or before in ":(") and _word_follows(text, index)


_ATTRIBUTION_AFTER = re.compile(r"[.!?…]?\s*,\s*[—–-]\s*(?P<word>[^\W\d_]+)")


def _attribution_after(text: str, start: int, end: int) -> bool:
    """', — сказала', '", — згадує': an attribution right after a closing mark."""
    match = _ATTRIBUTION_AFTER.match(text, start, end)
    return bool(match) and match.group("word").lower() in SPEECH_VERBS


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


# A slogan or a campaign's title in quote marks: "під гаслом «…»", "акцію «…»".
_SLOGAN_NOUNS = re.compile(
    r"(?:slogan|campaign|rally|protest|march|гасл\w*|лозунг\w*|акці[яюії]|акци[яюи]|"
    r"кампані\w*|флешмоб\w*)\s*$",
    re.IGNORECASE,
)
# The words on a placard, a sign or a caption: not something said.
_PLACARD = re.compile(
    r"(?:placards?|posters?|signs?|banners?|caption|плакат\w*|транспарант\w*|написами|"
    r"надпис\w*|лозунг\w*)(?:\s+\w+){0,3}\s*[:—–-]?\s*(?:read|reads|said|says)?\s*[:—–-]?\s*$",
    re.IGNORECASE,
)
_NAME_LINKS = {"of", "and", "the", "for", "in", "on", "at", "to", "a"}
_MAKES_WORDS = re.compile(
    r"\b(?:слова|words|according\s+to|по\s+словам|за\s+словами)\b", re.IGNORECASE
)


def _drop_names_and_terms(
    text: str, pieces: list[_Piece], paragraphs: list[tuple[int, int]]
) -> list[_Piece]:
    """Keep the quotations; drop names, slogans, placards and terms in quote marks.

    A name after "the group", a slogan after "під гаслом", the words on a placard, a
    title-case English name (“Council of Mothers and Wives”), and a phrase of one to three
    words with no verb of saying in its sentence («СВО», "partial") are no one's statement.
    The same words elsewhere in the article (a headline repeating the slogan) go too.
    """
    dropped: set[str] = set()
    kept: list[_Piece] = []
    placard_end = -1
    for piece in pieces:
        listed = placard_end >= 0 and re.fullmatch(
            r"\s*(?:,|and|і|и|та)\s*", text[placard_end : piece.open_at]
        )
        if listed or _is_slogan_or_placard(text, piece):
            # "плакати із написами: "…", "…", "…"": every text listed after the colon.
            placard_end = piece.close_at
            dropped.add(_folded(text, piece))
        elif (
            _is_quoted_name(text, piece)
            or _is_title_case_name(text, piece)
            or _is_term(text, piece, paragraphs)
        ):
            dropped.add(_folded(text, piece))
        else:
            kept.append(piece)
    return [piece for piece in kept if _folded(text, piece) not in dropped]


def _folded(text: str, piece: _Piece) -> str:
    return " ".join(_WORD.findall(text[piece.start : piece.end].lower()))


def _is_slogan_or_placard(text: str, piece: _Piece) -> bool:
    before = text[max(0, piece.open_at - 60) : piece.open_at]
    if _PLACARD.search(before):
        return True
    words = text[piece.start : piece.end].split()
    return len(words) <= 8 and bool(_SLOGAN_NOUNS.search(before))


def _is_title_case_name(text: str, piece: _Piece) -> bool:
    content = text[piece.start : piece.end]
    words = _WORD.findall(content)
    if not 2 <= len(words) <= 7 or content[-1:] in _TERMINAL or _CYRILLIC.search(content):
        return False
    significant = [w for w in words if w.lower() not in _NAME_LINKS]
    return bool(significant) and all(w[:1].isupper() for w in significant)


def _is_term(text: str, piece: _Piece, paragraphs: list[tuple[int, int]]) -> bool:
    """One to three words and nothing in the sentence that makes them someone's words."""
    content = text[piece.start : piece.end]
    if len(_WORD.findall(content)) > 3:
        return False
    p_start, p_end = next(((a, b) for a, b in paragraphs if a <= piece.open_at < b), (0, len(text)))
    left = text[p_start : piece.open_at]
    cut = max(left.rfind(". "), left.rfind("! "), left.rfind("? "))
    start = p_start + cut + 1 if cut >= 0 else p_start
    right = text[piece.close_at : p_end]
    ends = [i for i in (right.find(". "), right.find("! "), right.find("? ")) if i >= 0]
    end = piece.close_at + (min(ends) if ends else len(right))
    sentence = text[start : piece.open_at] + " " + text[piece.close_at : end]
    words = {word.lower() for word in _WORD.findall(sentence)}
    return not (words & SPEECH_VERBS) and not _MAKES_WORDS.search(sentence)


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
