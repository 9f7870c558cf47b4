"""Text helpers shared by models, search and imports: folding names into search keys,
slugs from any script, and locating a quotation verbatim in its source's text."""

import difflib
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass

from django.utils.text import slugify
from rapidfuzz import fuzz
from unidecode import unidecode

APOSTROPHES = "'’‘ʼʹ`´′ʻ"
# Quote marks a printed quotation may use; the verbatim check treats them as equal.
DOUBLE_QUOTES = '"“”„‟«»″〝〞＂'
SINGLE_QUOTES = "'‘’‚‛‹›′ʼ"
DASHES = "‐‑‒–—―−"

_FOLD_PUNCTUATION = re.compile(r"[^a-z0-9]+")
# Transliteration systems disagree on й/ы/и (j, y, i, ï): fold them together.
_FOLD_LETTERS = str.maketrans({"y": "i", "j": "i"})


class _Transliteration(dict):
    """unidecode's table for `str.translate`, one character at a time, kept as met:
    unidecode reads a text character by character in Python, a hundred times slower on
    a long Cyrillic text."""

    def __missing__(self, codepoint: int) -> str:
        self[codepoint] = letters = unidecode(chr(codepoint))
        return letters


_TRANSLITERATION = _Transliteration()


def fold(text: str) -> str:
    """Fold text to a key that matches across case, accents, apostrophes and scripts.

    "Цуканова", "tsukanova" and "Tsukanova" fold to the same key; so do "Put' Domoj",
    "Put' Domoï", "Put Domoy" and "Путь домой".
    """
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    for mark in APOSTROPHES:
        text = text.replace(mark, "")
    # ь and ъ carry no sound of their own in Latin spellings.
    text = re.sub("[ьЬъЪ]", "", text)
    ascii_text = text.translate(_TRANSLITERATION).lower()
    for mark in APOSTROPHES:
        ascii_text = ascii_text.replace(mark, "")
    ascii_text = ascii_text.translate(_FOLD_LETTERS)
    return _FOLD_PUNCTUATION.sub(" ", ascii_text).strip()


MAX_QUERY_LENGTH = 200


def query_terms(query: str) -> list[str]:
    """A search query as folded terms, each to be found in a search key."""
    return fold(query[:MAX_QUERY_LENGTH]).split()


def search_key(*parts: str) -> str:
    """The stored search key of a record: its folded names, one per line."""
    keys = []
    for part in parts:
        key = fold(part)
        if key and key not in keys:
            keys.append(key)
    return "\n".join(keys)


def slug_from(text: str, max_length: int = 80) -> str:
    """A URL slug in ASCII, transliterated from Cyrillic or any other script."""
    slug = slugify(unidecode(text.replace("’", "").replace("'", "")))[:max_length].strip("-")
    return slug or "record"


def content_hash(text: str) -> str:
    """Hash of a document's text, insensitive to whitespace and quote-mark variants."""
    normalized, _ = normalize_for_matching(text)
    return hashlib.sha256(normalized.strip().encode("utf-8")).hexdigest()


def normalize_for_matching(text: str) -> tuple[str, list[int]]:
    """Map quote marks, dashes and runs of whitespace to one form each.

    Returns the normalized text and, for each of its characters, the offset of the
    character it came from in the original, so a match can be mapped back.
    """
    out: list[str] = []
    origin: list[int] = []
    previous_space = False
    for index, char in enumerate(text):
        if char.isspace():
            if previous_space:
                continue
            previous_space = True
            out.append(" ")
        else:
            previous_space = False
            if char in DOUBLE_QUOTES:
                char = '"'
            elif char in SINGLE_QUOTES:
                char = "'"
            elif char in DASHES:
                char = "-"
            out.append(char)
        origin.append(index)
    return "".join(out), origin


@dataclass(frozen=True)
class TextPosition:
    """Where a quotation sits in a text, after the W3C TextQuoteSelector."""

    start: int
    end: int
    prefix: str
    suffix: str


CONTEXT_LENGTH = 32


def locate_quotation(quotation: str, document: str, prefix_hint: str = "") -> TextPosition | None:
    """Find a quotation in a document, tolerant only of quote-mark and whitespace variants.

    Where the quotation occurs more than once, `prefix_hint` (the words before it)
    picks the occurrence; otherwise the first occurrence is taken.
    """
    needle, _ = normalize_for_matching(quotation.strip())
    if not needle:
        return None
    haystack, origin = normalize_for_matching(document)
    starts = [match.start() for match in re.finditer(re.escape(needle), haystack)]
    if not starts:
        return None
    chosen = starts[0]
    if prefix_hint and len(starts) > 1:
        hint, _ = normalize_for_matching(prefix_hint)
        for start in starts:
            if haystack[:start].rstrip().endswith(hint.rstrip()):
                chosen = start
                break
    start = origin[chosen]
    end = origin[chosen + len(needle) - 1] + 1
    return TextPosition(
        start=start,
        end=end,
        prefix=document[max(0, start - CONTEXT_LENGTH) : start],
        suffix=document[end : end + CONTEXT_LENGTH],
    )


def paragraph_around(document: str, start: int, end: int) -> tuple[int, int]:
    """The bounds of the paragraph (block of text between blank lines) holding a span."""
    paragraph_start = document.rfind("\n\n", 0, start)
    paragraph_start = 0 if paragraph_start < 0 else paragraph_start + 2
    paragraph_end = document.find("\n\n", end)
    paragraph_end = len(document) if paragraph_end < 0 else paragraph_end
    return paragraph_start, paragraph_end


# Highlighting: which words of a displayed text a query matched.

MIN_HIGHLIGHT_TERM_LENGTH = 4
_WORD = re.compile(r"[\w'’ʼ-]+", re.UNICODE)
FUZZY_WORD_RATIO = 0.75


def matched_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Spans of the words in `text` that a query matched, in any script or spelling.

    A word matches when its folded form contains a folded query term (Цуканова and
    Tsukanova) or is a near spelling of one (Tsukanva); a term shorter than four letters
    must be the whole word.
    """
    terms = query_terms(query)
    if not text or not terms:
        return []
    spans = []
    for match in _WORD.finditer(text):
        word = _folded_word(match.group())
        if not word:
            continue
        for term in terms:
            # A short term must be the whole word ("put" is not "Putin").
            if len(term) < MIN_HIGHLIGHT_TERM_LENGTH:
                matched = word == term
            else:
                matched = term in word or _near_spelling(term, word)
            if matched:
                spans.append((match.start(), match.end()))
                break
    return spans


@functools.lru_cache(maxsize=8192)
def _folded_word(word: str) -> str:
    return fold(word).replace(" ", "")


def _near_spelling(term: str, word: str) -> bool:
    """difflib's ratio of the two at least FUZZY_WORD_RATIO. rapidfuzz's ratio counts
    their longest common subsequence, never fewer letters than difflib's matching blocks:
    below the bar there, below it here, and most words are ruled out without difflib."""
    if fuzz.ratio(term, word, score_cutoff=FUZZY_WORD_RATIO * 100) == 0:
        return False
    return difflib.SequenceMatcher(None, term, word).ratio() >= FUZZY_WORD_RATIO


TITLE_LENGTH = 100
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+(?=[A-ZА-ЯЁІЇЄҐ\"“«])")


def propose_title(text: str, limit: int = TITLE_LENGTH) -> str:
    """A title from a summary or a quotation: its first sentence without the final stop,
    or, when that is longer than `limit`, cut at the last whole word that fits, with "…"
    (never inside a word)."""
    text = " ".join((text or "").split())
    first = _SENTENCE_END.split(text, maxsplit=1)[0].rstrip(".")
    if len(first) <= limit:
        return first
    cut = first[: limit - 1].rsplit(" ", 1)[0].rstrip(",;:—–- ")
    return f"{cut}…"


# Latin to Cyrillic, for showing a person's name on a Russian or Ukrainian page where no
# Cyrillic form is recorded: the reverse of the usual romanisations (BGN/PCGN, passports),
# longest spelling first. For display only, and said so: a recorded alias always wins.
def _spellings(text: str) -> list[tuple[str, str]]:
    """ "zh ж kh х" → [("zh", "ж"), ("kh", "х")]."""
    words = text.split()
    return list(zip(words[::2], words[1::2], strict=True))


_COMMON_LETTERS = _spellings(
    "shch щ zh ж kh х ts ц ch ч sh ш yu ю ya я ei ей a а b б v в w в d д e е z з j й "
    "k к l л m м n н o о p п r р s с t т u у f ф c к x кс q к"
)
# Where the two languages write a Latin spelling differently.
_LANGUAGE_LETTERS = {
    "ru": _spellings("sch щ iya ия yo ё ye е iy ий yi ый g г h х i и y ы"),
    "uk": _spellings("iya ія ye є yi ї iy ій g г h г i і y и"),
}
# Longest spelling first, so "shch" is read before "sh" and "s".
_TO_CYRILLIC = {
    language: sorted([*letters, *_COMMON_LETTERS], key=lambda pair: -len(pair[0]))
    for language, letters in _LANGUAGE_LETTERS.items()
}
# A word ending: -ey is -ей in both (Aleksey, Milley); Russian -y (Dmitry) and -iy, -yy are
# -ий; Ukrainian -yi is -ий.
_WORD_ENDINGS = {
    "ru": [("ey", "ей"), ("iy", "ий"), ("yy", "ый"), ("y", "ий")],
    "uk": [("ey", "ей"), ("yi", "ий")],
}


# Kept: a rebuild asks for the same few thousand names hundreds of thousands of times.
@functools.lru_cache(maxsize=8192)
def to_cyrillic(name: str, language: str) -> str:
    """A Latin-script name in Cyrillic, as a Russian ("ru") or Ukrainian ("uk") reader
    would write it: Olga Tsukanova → Ольга Цуканова is beyond it (the soft sign is not
    written in Latin), Olga Tsukanova → Олга Цуканова is what it gives."""
    table = _TO_CYRILLIC[language]
    words = []
    for word in name.split():
        lower, out, index = word.lower(), [], 0
        ending = ""
        for latin, cyrillic in _WORD_ENDINGS.get(language, []):
            if lower.endswith(latin) and len(lower) > len(latin) + 2:
                lower, ending = lower[: -len(latin)], cyrillic
                break
        while index < len(lower):
            for latin, cyrillic in table:
                if lower.startswith(latin, index):
                    out.append(cyrillic)
                    index += len(latin)
                    break
            else:
                out.append(lower[index] if lower[index] not in "'’" else "")
                index += 1
        cyrillic_word = "".join(out) + ending
        words.append(
            cyrillic_word[:1].upper() + cyrillic_word[1:] if word[:1].isupper() else cyrillic_word
        )
    return " ".join(words)
