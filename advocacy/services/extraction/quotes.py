"""Where the quotations are: paired quote marks, split attributions, sentences around them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from advocacy.services.extraction.words import (
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
