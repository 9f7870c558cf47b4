"""The last pass of every public document: no string leaves with a protected name in it.

Redaction here is not a list of fields to remember: it walks every string of the built
document (names, titles, notes, labels, slugs, URLs), so a field added later is redacted
without anyone remembering. Names are matched whole, in any case, and in Cyrillic also
with a case ending (Цукановой, Цукановою); in slugs and URLs as their slug form.
"""

import re
from dataclasses import dataclass

from django.utils.translation import gettext

from advocacy.text import fold, slug_from

CYRILLIC = re.compile(r"[\u0400-\u04ff]")
SLUGGY = re.compile(r"^[a-z0-9][a-z0-9_-]*$|^https?://\S+$")
# Russian and Ukrainian case endings replace a name's last vowel (Ковригина → Ковригиной,
# Зинаида → Зинаиды): a Cyrillic name matches as its stem plus up to three letters.
CASE_ENDING = r"\w{0,3}"
FINAL_VOWELS = "аяоеыийьуюєії"
# A slug may carry a possessive or an ending glued on ("kovriginas-video-appeal").
SLUG_ENDING = r"[a-z]{0,3}"


def _slug_stem(slug: str) -> str:
    return slug[:-1] if len(slug) >= 5 and slug[-1] in "aeiouy" else slug


def _alternative(name: str) -> str:
    if CYRILLIC.search(name) and len(name) >= 5:
        return re.escape(name.rstrip(FINAL_VOWELS + FINAL_VOWELS.upper())) + CASE_ENDING
    return re.escape(name)


@dataclass(frozen=True)
class Redactor:
    names: tuple[str, ...]
    text_pattern: re.Pattern | None
    slug_pattern: re.Pattern | None
    folded_words: frozenset[str]

    @classmethod
    def for_names(cls, names: list[str]) -> "Redactor":
        names = tuple(sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True))
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
        return cls(
            names,
            re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE),
            re.compile(rf"(?<![a-z0-9])(?:{slug_alternatives}){SLUG_ENDING}(?![a-z0-9])")
            if slugs
            else None,
            words,
        )

    def text(self, value: str, marker: str | None = None) -> str:
        if not value or self.text_pattern is None:
            return value
        if SLUGGY.match(value) and self.slug_pattern is not None:
            value = self.slug_pattern.sub("protected-person", value)
        return self.text_pattern.sub(marker or gettext("[protected person]"), value)

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
