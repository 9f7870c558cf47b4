"""The last pass of every public document: no string leaves with a protected name in it.

Redaction here is not a list of fields to remember: it walks every string of the built
document (names, titles, notes, labels, slugs, URLs), so a field added later is redacted
without anyone remembering. Names are matched whole, in any case, and in Cyrillic also
with a case ending (Цукановой, Цукановою); in slugs and URLs as their slug form.
"""

import functools
import re
from dataclasses import dataclass, field

from django.utils.translation import gettext

from advocacy.text import fold, slug_from

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# What JSON writes otherwise than as itself (`builders.as_json`).
JSON_ESCAPED = re.compile(r'["\\\x00-\x1f\u2028\u2029]')
SLUGGY = re.compile(r"^[a-z0-9][a-z0-9_-]*$|^https?://\S+$")
# Markers side by side are one: "Olga Petrova" is one marker whether her whole name is
# protected or each word is, so that redacting text again, after more names are protected,
# gives what redacting it once gives (`builders.redact_stored`).
SLUG_MARKER = "protected-person"
SLUG_MARKER_RUN = re.compile(rf"{SLUG_MARKER}(?:-{SLUG_MARKER})+")

# A link inside text (a page's HTML): redacted as a link, so that it still leads somewhere.
EMBEDDED_URL = re.compile(r"https?://[^\s\"'<>]+")
# Russian and Ukrainian case endings replace a name's last vowel (Ковригина → Ковригиной,
# Зинаида → Зинаиды): a Cyrillic name matches as its stem plus up to three letters.
CASE_ENDING = r"\w{0,3}"
FINAL_VOWELS = "аяоеыийьуюєії"
# A slug may carry a possessive or an ending glued on ("kovriginas-video-appeal").
SLUG_ENDING = r"[a-z]{0,3}"


@functools.lru_cache(maxsize=8)
def _marker_run(marker: str) -> re.Pattern:
    """Markers side by side, in text (see SLUG_MARKER_RUN)."""
    return re.compile(rf"{re.escape(marker)}(?:\s+{re.escape(marker)})+")


def _slug_stem(slug: str) -> str:
    return slug[:-1] if len(slug) >= 5 and slug[-1] in "aeiouy" else slug


def _literal(name: str) -> str:
    """What every match of a name holds verbatim: the name, or a Cyrillic name's stem."""
    if CYRILLIC.search(name) and len(name) >= 5:
        return name.rstrip(FINAL_VOWELS + FINAL_VOWELS.upper())
    return name


def _alternative(name: str) -> str:
    if CYRILLIC.search(name) and len(name) >= 5:
        return re.escape(_literal(name)) + CASE_ENDING
    return re.escape(name)


def _trie(words: set[str]) -> str:
    """One regular expression matching any of these words, as a tree of their common
    prefixes: a position is tried once, not once per word."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        branches = [re.escape(char) + pattern(node[char]) for char in sorted(node) if char]
        if not branches:
            return ""
        either = branches[0] if len(branches) == 1 else f"(?:{'|'.join(branches)})"
        return f"(?:{either})?" if "" in node else either

    return pattern(tree)


def _shortest(literals: set[str]) -> set[str]:
    """The literals but for those holding a shorter one (any match of theirs holds it too)."""
    kept: set[str] = set()
    for word in sorted(literals, key=len):
        parts = (
            word[start:end] for start in range(len(word)) for end in range(start + 1, len(word) + 1)
        )
        if not any(part in kept for part in parts):
            kept.add(word)
    return kept


def _prefilter(literals: set[str]) -> re.Pattern:
    """A pattern found, in any case, in every string either full pattern matches in."""
    return re.compile(_trie(literals), re.IGNORECASE)


# Text in these scripts (Latin without accents, Cyrillic) is checked faster: lower-cased by
# `str.lower()`, one character for one, and searched for lower-cased literals without the
# ignore-case flag (with it, the regular expression engine tries every position in turn).
PLAIN = re.compile(r"[\x00-\x7f\u0400-\u04ff]*")
NOT_PLAIN = re.compile(r"[^\x00-\x7f\u0400-\u04ff]")
PLAIN_CHARS = [chr(c) for c in (*range(0x80), *range(0x400, 0x500))]
assert all(len(char.lower()) == 1 and PLAIN.fullmatch(char.lower()) for char in PLAIN_CHARS)
_LOWERED: dict[str, set[str]] = {}


def _matches(char: str, other: str) -> bool:
    """Whether the patterns, ignoring case, match `other` for the literal `char`."""
    return re.fullmatch(re.escape(char), other, re.IGNORECASE) is not None


def _plain_lowered(char: str) -> set[str]:
    """The lower-cased forms of the plain characters a literal's character matches."""
    if char not in _LOWERED:
        _LOWERED[char] = {c.lower() for c in PLAIN_CHARS if _matches(char, c)}
    return _LOWERED[char]


def _plain_prefilter(literals: set[str]) -> re.Pattern | None:
    """A pattern found in the lower-cased form of every plain string in which a literal
    is found in any case (None if the literals cannot be put so)."""
    lowered = set()
    for literal in literals:
        chars = [_plain_lowered(char) for char in literal]
        if any(len(options) > 1 for options in chars):
            return None
        if all(chars):  # else no plain string holds this literal
            lowered.add("".join(min(options) for options in chars))
    # No literal a plain string can hold: a pattern that finds nothing.
    return re.compile(_trie(lowered) if lowered else r"(?!)")


@dataclass(frozen=True)
class Redactor:
    names: tuple[str, ...]
    text_pattern: re.Pattern | None
    slug_pattern: re.Pattern | None
    folded_words: frozenset[str]
    # Found in every string the patterns match (see `_prefilter`); a string without it is
    # returned as it is, and remembered as clean.
    prefilter: re.Pattern | None = None
    plain_prefilter: re.Pattern | None = None
    # The characters of the prefilters' literals.
    alphabet: frozenset[str] = frozenset()
    # Whether a document's JSON text holds every literal as its strings do (no literal has
    # a character JSON escapes), so that a clean text is a clean document.
    json_checkable: bool = False
    clean: set[str] = field(default_factory=set, compare=False, repr=False)
    # Characters outside the plain scripts, and whether they match none of the alphabet.
    inert: dict[str, bool] = field(default_factory=dict, compare=False, repr=False)

    @classmethod
    def for_names(cls, names: list[str]) -> "Redactor":
        """The redactor of these names: the same one while they stay the same (every
        write rebuilds public rows, and compiling the patterns of hundreds of names takes
        a tenth of a second)."""
        return cls._for_names(tuple(sorted({n.strip() for n in names if n.strip()})))

    @classmethod
    @functools.lru_cache(maxsize=4)
    def _for_names(cls, names: tuple[str, ...]) -> "Redactor":
        names = tuple(sorted(names, key=len, reverse=True))
        if not names:
            return cls((), None, None, frozenset())
        alternatives = "|".join(_alternative(name) for name in names)
        # Each word's slug without its final vowel: the case forms of a transliterated name
        # share it (kovrigina, kovriginoi; zinaida, zinaidy).
        slugs = {slug_from(name) for name in names} | {
            _slug_stem(slug_from(word)) for name in names for word in name.split()
        }
        slugs = sorted(s for s in slugs - {"", "record"} if len(s) > 2 and not s.isdigit())
        slugs.sort(key=len, reverse=True)
        slug_alternatives = "|".join(re.escape(slug) for slug in slugs)
        words = frozenset(word for name in names for word in fold(name).split() if len(word) > 2)
        literals = _shortest({_literal(name) for name in names} | set(slugs))
        return cls(
            names,
            re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE),
            re.compile(rf"(?<![a-z0-9])(?:{slug_alternatives}){SLUG_ENDING}(?![a-z0-9])")
            if slugs
            else None,
            words,
            _prefilter(literals),
            _plain_prefilter(literals),
            frozenset("".join(literals)),
            not any(JSON_ESCAPED.search(literal) for literal in literals),
        )

    # Clean strings remembered (a build repeats names, titles and links in every language),
    # up to so many, of up to so many characters.
    CLEAN_LIMIT = 50_000
    CLEAN_LENGTH = 500

    def text(self, value: str, marker: str | None = None) -> str:
        if not value or self.text_pattern is None:
            return value
        if value in self.clean:
            return value
        if not self.may_name(value):
            if len(value) <= self.CLEAN_LENGTH:
                if len(self.clean) >= self.CLEAN_LIMIT:
                    self.clean.clear()
                self.clean.add(value)
            return value
        if self.slug_pattern is not None:
            if SLUGGY.match(value):
                value = self._slug(value)
            elif "://" in value:
                value = EMBEDDED_URL.sub(lambda url: self._slug(url.group()), value)
        marker = marker or gettext("[protected person]")
        return _marker_run(marker).sub(marker, self.text_pattern.sub(marker, value))

    def _slug(self, value: str) -> str:
        return SLUG_MARKER_RUN.sub(SLUG_MARKER, self.slug_pattern.sub(SLUG_MARKER, value))

    def may_name(self, value: str) -> bool:
        """False when the value surely holds no protected name (nor its slug): it holds
        none of what every match holds. True does not say it does."""
        if self.prefilter is None:
            return True
        if self.plain_prefilter is not None and (
            value.isascii() or all(map(self._is_inert, set(NOT_PLAIN.findall(value))))
        ):
            # Any match lies in plain characters, which lower-case one for one.
            return self.plain_prefilter.search(value.lower()) is not None
        return self.prefilter.search(value) is not None

    def _is_inert(self, char: str) -> bool:
        """Whether no literal's character matches this one (so no match holds it)."""
        if char not in self.inert:
            self.inert[char] = not any(_matches(letter, char) for letter in self.alphabet)
        return self.inert[char]

    def json_is_clean(self, text: str) -> bool:
        """Whether a document, given as its JSON text, has no string to redact: then the
        final pass would give it back as it is."""
        if self.text_pattern is None:
            return True
        return self.json_checkable and not self.may_name(text)

    def document(self, value):
        """The document with every string redacted (dict keys are field names: kept)."""
        if self.text_pattern is None:
            return value
        return self._redacted(value, gettext("[protected person]"))

    def _redacted(self, value, marker: str):
        if isinstance(value, str):
            return self.text(value, marker)
        if isinstance(value, dict):
            return {key: self._redacted(item, marker) for key, item in value.items()}
        if isinstance(value, list):
            return [self._redacted(item, marker) for item in value]
        return value


def strings_of(value) -> list[str]:
    """Every string in a document, in order."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [text for item in value.values() for text in strings_of(item)]
    if isinstance(value, list):
        return [text for item in value for text in strings_of(item)]
    return []
