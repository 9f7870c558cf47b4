import difflib
import re

import pytest
from unidecode import unidecode

from advocacy.redaction import redact
from advocacy.text import (
    _TRANSLITERATION,
    fold,
    locate_quotation,
    matched_spans,
    paragraph_around,
    propose_title,
    query_terms,
    slug_from,
    to_cyrillic,
)


@pytest.mark.parametrize(
    "spellings",
    [
        ["Tsukanova", "tsukanova", "Цуканова"],
        ["Put Domoy", "Put' Domoj", "Put' Domoï", "Путь домой", "Put’ Domoi"],
        ["Melnikova", "Мельникова", "MELNIKOVA"],
    ],
)
def test_fold_matches_across_scripts_and_spellings(spellings):
    assert len({fold(spelling) for spelling in spellings}) == 1


def test_fold_keeps_different_names_apart():
    assert fold("Tsukanova") != fold("Melnikova")


def test_slug_transliterates_cyrillic():
    assert slug_from("Совет матерей и жён") == "sovet-materei-i-zhion"
    assert slug_from("Put' Domoï") == "put-domoi"


def test_locate_maps_offsets_back_to_the_original_text():
    document = "A\n\n“Let us live  in peace!” it added."
    position = locate_quotation('"Let us live in peace!"', document)
    assert document[position.start : position.end] == "“Let us live  in peace!”"
    assert paragraph_around(document, position.start, position.end) == (3, len(document))


def test_redact_replaces_protected_names_only():
    text = "A soldier calling himself Alexander said it. Alexandra did not."
    assert redact(text, ["Alexander"]) == (
        "A soldier calling himself [protected person] said it. Alexandra did not."
    )


def test_a_proposed_title_is_whole_sentences_or_whole_words():
    assert propose_title("Putin calls the soldiers heroes. He says more.") == (
        "Putin calls the soldiers heroes"
    )
    long = (
        "Tsukanova asks Putin whether he has the courage to meet real mothers rather than "
        "hand-picked ones, and whether he will keep hiding from them."
    )
    proposed = propose_title(long)
    assert len(proposed) <= 100 and proposed.endswith("…")
    cut = proposed[:-1]
    assert long.startswith(cut) and long[len(cut)] in " ,;"  # cut after a whole word
    assert propose_title("") == ""


@pytest.mark.parametrize(
    "name, language, cyrillic",
    [
        ("Dmitry Peskov", "ru", "Дмитрий Песков"),
        ("Sergei Shoigu", "ru", "Сергей Шоигу"),
        ("Yevgeny Prigozhin", "ru", "Евгений Пригожин"),
        ("Put' Domoi", "ru", "Пут Домои"),
        ("Alona Verbytska", "uk", "Алона Вербицка"),
        ("Mariya Ivanova", "ru", "Мария Иванова"),
        ("Yuliya Khomenko", "uk", "Юлія Хоменко"),
        ("Aleksey Popov", "ru", "Алексей Попов"),
        ("Mark Milley", "uk", "Марк Міллей"),
    ],
)
def test_a_latin_name_is_written_in_cyrillic_for_display(name, language, cyrillic):
    assert to_cyrillic(name, language) == cyrillic


def test_folding_transliterates_each_character_as_unidecode_does():
    """`fold` transliterates with unidecode's table one character at a time (kept as met),
    which must give what unidecode gives for the whole text."""
    text = "Цуканова «Путь домой» — Zoé Müller, ß æ ї є ґ Ё ı İ 北京 ﬁ ½ \u2028 😀"
    assert text.translate(_TRANSLITERATION) == unidecode(text)


def test_highlighting_marks_what_difflib_alone_would():
    """`matched_spans` rules most words out with rapidfuzz before difflib: the spans are
    those of comparing every word with difflib."""

    def by_difflib(text, query):
        spans = []
        for match in re.finditer(r"[\w'’ʼ-]+", text):
            word = fold(match.group()).replace(" ", "")
            for term in query_terms(query):
                if len(term) < 4:
                    matched = word == term
                else:
                    ratio = difflib.SequenceMatcher(None, term, word).ratio()
                    matched = term in word or ratio >= 0.75
                if matched:
                    spans.append((match.start(), match.end()))
                    break
        return spans

    text = (
        "Ольга Цуканова, Tsukanova, Tsukanowa and Tsukanva met Putin's aides; "
        "Цукановой передали письмо. Tsarukyan, Kuznetsova, Ivanova, Kovrigina, sukanov."
    )
    for query in ["Цуканова", "Tsukanva", "put", "Kovrigna petrova", "ivanov", "sukanova"]:
        found = matched_spans(text, query)
        assert found == by_difflib(text, query), query
    assert matched_spans(text, "Tsukanva"), "the fixture has near spellings to mark"
