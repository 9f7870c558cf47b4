"""Russian and Ukrainian names brought to the nominative (pymorphy3 and its dictionaries).

"Любови Бродовской" is Любовь Бродовская; "Мать бойца Андрея Ковальчука Наталья" names two
people, the son in the genitive and the mother in the nominative. The analysers ship their
dictionaries in the pymorphy3-dicts-ru and pymorphy3-dicts-uk wheels and are loaded once per
process, on first use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
_RUSSIAN_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
_NAME_TAGS = ("Name", "Surn", "Patr")
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct", "voct")


@lru_cache(maxsize=2)
def analyser(language: str):
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="uk" if language == "uk" else "ru")


def language_of_word(word: str, language: str) -> str:
    if _UKRAINIAN_LETTERS.search(word):
        return "uk"
    if _RUSSIAN_LETTERS.search(word):
        return "ru"
    return "uk" if language == "uk" else "ru"


@dataclass(frozen=True)
class _Reading:
    case: str
    gender: str  # "f", "m" or ""
    is_name: bool
    parse: object


def _readings(word: str, language: str) -> list[_Reading] | None:
    """The word's readings as part of a name; [] if it could be any case; None if no name."""
    parses = analyser(language_of_word(word, language)).parse(word)
    named = [p for p in parses if any(t in str(p.tag) for t in _NAME_TAGS)]
    if not named and any(t in str(parses[0].tag) for t in ("Geox", "Orgn")):
        return None  # России, Москвы: a place or an organisation, not part of a person's name
    # A surname shaped like an adjective (Бродовской) declines like one.
    usable = named or [p for p in parses if "ADJF" in p.tag]
    readings = []
    for parse in usable:
        tag = str(parse.tag)
        case = next((c for c in _CASES if c in tag), "")
        gender = "f" if "femn" in tag else "m" if "masc" in tag else ""
        if case and "plur" not in tag:
            readings.append(_Reading(case, gender, bool(named), parse))
    return readings


def is_common_word(word: str, language: str) -> bool:
    """A word the dictionary knows, and not as a name ("Як", "Акції", "Фото")."""
    morph = analyser(language_of_word(word, language))
    if not morph.word_is_known(word.lower()):
        return False
    return not any(any(t in str(p.tag) for t in _NAME_TAGS) for p in morph.parse(word))


def is_genitive_noun(word: str, language: str) -> bool:
    parses = analyser(language_of_word(word, language)).parse(word)
    return bool(parses) and "NOUN" in str(parses[0].tag) and "gent" in str(parses[0].tag)


def is_first_name(word: str, language: str, strict: bool = False) -> bool:
    """A capitalised word the dictionary knows as a first name (Аліна, Микита, Любовь).

    `strict` (a word opening a sentence, capitalised anyway): only if that is its most
    likely reading ("Люди зібралися" is people, not Люда).
    """
    parses = analyser(language_of_word(word, language)).parse(word)
    if parses and "Geox" in str(parses[0].tag):
        return False  # "у Києві": a city, though a first name reads the same
    names = [p for p in parses if "Name" in str(p.tag) and "plur" not in str(p.tag)]
    if strict:
        return bool(parses) and "Name" in str(parses[0].tag) and "plur" not in str(parses[0].tag)
    return bool(names)


def gender_of(words: list[str], language: str) -> str:
    """ "f" or "m" where the first name (or surname) says so, else ""."""
    for word in words:
        genders = {r.gender for r in _readings(word, language) or [] if r.is_name and r.gender}
        if len(genders) == 1:
            return genders.pop()
    return ""


@dataclass(frozen=True)
class NamePart:
    first: int  # index of the first word in the run
    last: int  # index after the last word
    nominative: str
    case: str
    gender: str


def _nominative(word: str, reading: _Reading) -> str:
    if reading.case == "nomn":
        return word
    wanted = {"nomn", "sing"} if "sing" in str(reading.parse.tag) else {"nomn"}
    inflected = reading.parse.inflect(wanted) or reading.parse.inflect({"nomn"})
    if inflected is None:
        return word
    return "-".join(part[:1].upper() + part[1:] for part in inflected.word.split("-"))


def split_name_run(words: list[str], language: str) -> list[NamePart]:
    """A run of capitalised words cut where the grammatical case changes, each in the nominative."""
    readings = [_readings(word, language) for word in words]
    for index in range(len(words)):
        if readings[index] is None:
            # "России Антонина": a place before a first name is not part of the name;
            # "Володимир Зеленський": the city's name is also a first name.
            following = readings[index + 1] if index + 1 < len(words) else None
            if not (following and any("Name" in str(r.parse.tag) for r in following)):
                readings[index] = []
    for index in range(len(words) - 1):
        # "Акції Любов": a common word before a first name is not part of the name.
        following = readings[index + 1] or []
        if (
            readings[index] == []
            and is_common_word(words[index], language)
            and any("Name" in str(r.parse.tag) for r in following)
        ):
            readings[index] = None
        else:
            break
    parts: list[NamePart] = []
    first = 0
    while first < len(words):
        if readings[first] is None:
            parts.append(NamePart(first, first + 1, words[first], "", ""))
            first += 1
            continue
        cases = set(_CASES) if not readings[first] else {r.case for r in readings[first]}
        last = first + 1
        while last < len(words) and readings[last] is not None:
            theirs = {r.case for r in readings[last]} or set(_CASES)
            if not cases & theirs:
                break
            cases &= theirs
            last += 1
        case = "nomn" if "nomn" in cases else sorted(cases, key=_CASES.index)[0]
        span = range(first, last)
        gender = ""
        for i in span:
            # The first name tells (a surname like Кравчук is the same for both).
            genders = {
                r.gender
                for r in readings[i] or []
                if r.case == case and r.is_name and r.gender and "Name" in str(r.parse.tag)
            }
            if len(genders) == 1:
                gender = genders.pop()
                break
        names = []
        for index in span:
            matching = [
                r
                for r in readings[index] or []
                if r.case == case and (not gender or r.gender in (gender, ""))
            ]
            names.append(_nominative(words[index], matching[0]) if matching else words[index])
        parts.append(NamePart(first, last, " ".join(names), case, gender))
        first = last
    return parts


def group_nominative(words: list[str], language: str) -> str:
    """ "Офісі генпрокурора": the head noun in the nominative, the rest as printed."""
    parses = analyser(language_of_word(words[0], language)).parse(words[0])
    nouns = [p for p in parses if "NOUN" in str(p.tag)]
    head = words[0]
    if nouns and "nomn" not in str(nouns[0].tag):
        inflected = nouns[0].inflect({"nomn"})
        if inflected is not None:
            head = inflected.word[:1].upper() + inflected.word[1:]
    return " ".join([head, *words[1:]])
