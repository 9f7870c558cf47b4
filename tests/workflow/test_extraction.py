# ruff: noqa: E501  (the example articles are data, one paragraph a line)
"""Quotation extraction on example texts written for these tests (English and Russian)."""

import datetime

import pytest

from advocacy.choices import DatePrecision
from advocacy.services.extraction import EntityIndex, extract_candidates, guess_date

pytestmark = pytest.mark.django_db

ENGLISH = """Wives of mobilized men rally in Moscow

March 3, 2024

“We will not be silent any more,” said Irina Sokolova, a coordinator of the Northern Wives Network. “Our husbands have served long enough.”

"Such gatherings are not authorised," a city hall official told reporters.

Sokolova said the group had collected 5,000 signatures. “We are not against the state,” she added.

"Nobody answers us," Olga Tsukanova, the president of the Council of Wives and Mothers, told the rally on Tuesday.

“This is our last warning,” the council said in a statement. "Bring them home," it added.

Valentina Melnikova has called the new rules "a disgrace".
"""

RUSSIAN = """Матери мобилизованных вышли к Минобороны

12 марта 2024 года

«Мы больше не можем молчать, — сказала Ольга Цуканова. — Верните наших сыновей домой».

«Нам никто не отвечает», — заявила Мария Петрова, активистка из Самары.

Как заявил Песков, «президент в курсе ситуации».

«Это провокация», — говорится в заявлении группы «Путь домой».

По словам Цукановой, „в Москву приехали женщины из двадцати регионов“.

В пятницу Валентина Мельникова сказала: «Мы будем жаловаться в прокуратуру».
"""


def by_text(candidates):
    return {candidate.text: candidate for candidate in candidates}


@pytest.fixture
def english(cast):
    return by_text(extract_candidates(ENGLISH, article_date=datetime.date(2024, 3, 3)))


@pytest.fixture
def russian(cast):
    candidates = extract_candidates(RUSSIAN, article_date=datetime.date(2024, 3, 12), language="ru")
    return by_text(candidates)


def test_english_finds_every_quotation_in_curly_and_straight_quotes(english):
    assert list(english) == [
        "We will not be silent any more … Our husbands have served long enough.",
        "Such gatherings are not authorised",
        "We are not against the state",
        "Nobody answers us",
        "This is our last warning … Bring them home",
        "a disgrace",
    ]


def test_quotation_parts_are_verbatim_with_offsets(english):
    for candidate in english.values():
        for part in candidate.parts:
            assert ENGLISH[part.start : part.end] == part.text


def test_english_speakers_known_new_pronoun_and_description(english, cast):
    split = english["We will not be silent any more … Our husbands have served long enough."]
    assert split.speaker.new_name == "Irina Sokolova"
    assert split.speaker.new_kind == "person"
    assert english["Such gatherings are not authorised"].speaker.record is None
    # "she added" refers back to the new name.
    assert english["We are not against the state"].speaker.new_name == "Irina Sokolova"
    # "X, the president of Y, told": X, not the group in the apposition.
    assert english["Nobody answers us"].speaker.person == cast["tsukanova"]
    # "the council said" → the last group named "council", here a new one (this spelling
    # is no alias of the known council); "it added" → the same speaker, same statement.
    council = english["This is our last warning … Bring them home"].speaker
    assert (council.new_name, council.new_kind) == ("Council of Wives and Mothers", "group")
    assert english["a disgrace"].speaker.person == cast["melnikova"]


def test_english_dates_from_the_sentence_else_the_article_month(english):
    tuesday = english["Nobody answers us"]
    assert (tuesday.date, tuesday.date_precision) == (datetime.date(2024, 2, 27), "day")
    assert tuesday.date_as_printed == "on Tuesday"
    other = english["Such gatherings are not authorised"]
    assert (other.date, other.date_precision) == (datetime.date(2024, 3, 1), "month")


def test_russian_guillemets_split_quotation_and_german_quotes(russian):
    assert list(russian) == [
        "Мы больше не можем молчать … Верните наших сыновей домой",
        "Нам никто не отвечает",
        "президент в курсе ситуации",
        "Это провокация",
        "в Москву приехали женщины из двадцати регионов",
        "Мы будем жаловаться в прокуратуру",
    ]


def test_russian_speakers_across_scripts_and_endings(russian, cast):
    assert (
        russian["Мы больше не можем молчать … Верните наших сыновей домой"].speaker.person
        == (cast["tsukanova"])
    )
    new = russian["Нам никто не отвечает"].speaker
    assert (new.new_name, new.new_kind, new.record) == ("Мария Петрова", "person", None)
    assert russian["президент в курсе ситуации"].speaker.person == cast["peskov"]
    # A name in quote marks after "группы" is a name, not a quotation.
    assert russian["Это провокация"].speaker.group == cast["put_domoi"]
    # "По словам Цукановой": genitive ending, Cyrillic, matched to the Latin record.
    assert (
        russian["в Москву приехали женщины из двадцати регионов"].speaker.person
        == (cast["tsukanova"])
    )
    assert russian["Мы будем жаловаться в прокуратуру"].speaker.person == cast["melnikova"]


def test_russian_weekday_is_the_latest_such_day_up_to_the_article(russian):
    friday = russian["Мы будем жаловаться в прокуратуру"]
    assert friday.date == datetime.date(2024, 3, 8)
    assert friday.date_as_printed.lower() == "в пятницу"


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        ("It happened on 24 ноября 2022 года.", "ru", (datetime.date(2022, 11, 24), "day")),
        ("Він сказав це 24 листопада 2022 року.", "uk", (datetime.date(2022, 11, 24), "day")),
        ("They met yesterday.", "en", (datetime.date(2022, 11, 24), "day")),
        ("It was founded in 2019.", "en", (datetime.date(2019, 1, 1), "year")),
        ("On Friday, she spoke.", "en", (datetime.date(2022, 11, 25), "day")),
    ],
)
def test_guess_date(text, language, expected):
    date, precision, _ = guess_date(text, datetime.date(2022, 11, 25), language)
    assert (date, precision) == (expected[0], DatePrecision(expected[1]))


def test_group_name_matches_through_its_folded_search_key(cast):
    index = EntityIndex.from_database()
    text = 'Members of Put Domoy (Путь домой) wrote: "Let them come home."'
    (candidate,) = extract_candidates(text, index=index)
    assert candidate.speaker.group == cast["put_domoi"]


def test_entity_index_takes_two_queries(cast, django_assert_num_queries):
    with django_assert_num_queries(3):  # people, their memberships, groups
        EntityIndex.from_database()


def test_unclosed_quotation_runs_to_the_paragraph_end(cast):
    text = "Intro.\n\nValentina Melnikova said: “We have waited for months\n\nNext paragraph."
    (candidate,) = extract_candidates(text)
    assert candidate.text == "We have waited for months"
    assert candidate.speaker.person == cast["melnikova"]
