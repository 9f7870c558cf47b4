"""Which language an article is written in: English, Russian or Ukrainian.

lingua-language-detector ships its models inside the wheel; the detector is built once
per process (the first call) and kept.
"""

from __future__ import annotations

import re
from functools import lru_cache

LANGUAGES = ("en", "ru", "uk")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")
_LETTER = re.compile(r"[^\W\d_]")
# Enough text to decide; the rest of a long article adds time, not certainty.
_SAMPLE = 2000


@lru_cache(maxsize=1)
def _detector():
    from lingua import Language, LanguageDetectorBuilder

    return (
        LanguageDetectorBuilder.from_languages(
            Language.ENGLISH, Language.RUSSIAN, Language.UKRAINIAN
        )
        # Trigram models only: an article is long enough for them, and they load in
        # milliseconds rather than seconds.
        .with_low_accuracy_mode()
        .with_preloaded_language_models()
        .build()
    )


def detect_language(text: str) -> str:
    """ "en", "ru" or "uk": the language most of the article's words are in."""
    sample = text[:_SAMPLE]
    letters = _LETTER.findall(sample)
    cyrillic = sum(1 for letter in letters if _CYRILLIC.match(letter))
    if not letters or cyrillic < len(letters) / 2:
        return "en"
    from lingua import Language

    language = _detector().detect_language_of(sample)
    return "uk" if language == Language.UKRAINIAN else "ru"
