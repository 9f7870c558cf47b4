# ruff: noqa: E501  (the example articles are data, one paragraph a line)
"""Who said it: each failure kind of issue 12, on texts written for these tests.

Each example is written in the shape of a failure the importer made on real articles
(surname or first name only, the wrong antecedent, inflected names, group statements,
terms in quote marks) in English, Russian and Ukrainian.
"""

import pytest

from advocacy.services.extraction import EntityIndex, detect_language, extract_candidates
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def speakers(text: str, **kwargs) -> dict[str, str]:
    """The first words of each quotation part and the speaker proposed for it."""
    kwargs.setdefault("index", EntityIndex([], []))
    return {
        " ".join(part.text.split()[:3]): candidate.speaker.label
        for candidate in extract_candidates(text, **kwargs)
        for part in candidate.parts
    }


# Surname or first name only: the candidate carries the full name.

SURNAME_EN = """Mothers rally in Tver

Irina Volkova, 51, said her son had not called since May.

"We have written to every office there is," Volkova said.

Anna Petrova came with her daughter. "Nobody answers the phone," Anna said.
"""


def test_a_surname_or_first_name_alone_is_the_person_named_in_full():
    assert speakers(SURNAME_EN, language="en") == {
        "We have written": "Irina Volkova (new person)",
        "Nobody answers the": "Anna Petrova (new person)",
    }


SURNAME_RU = """Матери вышли к военкомату

Ирина Волкова приехала из Твери. «Мы писали во все инстанции», — сказала Волкова.

«Никто не отвечает на звонки», — говорит Ирина.
"""

SURNAME_UK = """Рідні полонених вийшли на акцію

Олена Коваль прийшла з донькою. «Ми чекаємо вже два роки», — розповіла Олена.
"""


def test_a_surname_or_first_name_alone_in_russian_and_ukrainian():
    assert speakers(SURNAME_RU, language="ru") == {
        "Мы писали во": "Ирина Волкова (new person)",
        "Никто не отвечает": "Ирина Волкова (new person)",
    }
    assert speakers(SURNAME_UK, language="uk") == {
        "Ми чекаємо вже": "Олена Коваль (new person)",
    }


# The wrong antecedent: an outlet is never "she"; apposition; groups' statements.

ANTECEDENT_EN = """Wives of the mobilised speak out

Maria Sokolova organised the first picket in Tver.

"We are tired of waiting," Anna, a 39-year-old teacher whose husband was mobilised, told Reuters. "They promised six months," she added.

Olesya, a mother of two, said the rally was "the last peaceful step".
"""


def test_told_an_outlet_and_she_added_name_the_woman_not_the_outlet():
    assert speakers(ANTECEDENT_EN, language="en") == {
        "We are tired": "Anna (new person)",
        "They promised six": "Anna (new person)",
        "the last peaceful": "Olesya (new person)",
    }


GROUP_STATEMENT_EN = """Wives movement answers the ministry

The movement Put' Domoy has gathered wives of mobilised men since September. Defence minister Andrei Belousov met the families in May.

The movement said in a statement: "We are not against the state, we are for our husbands."

"Bring them home," the group wrote on Telegram.
"""


def test_a_group_statement_is_the_group_s_known_by_its_folded_name():
    put_domoi = GroupFactory(name="Put' Domoi")
    index = EntityIndex.from_database()
    result = speakers(GROUP_STATEMENT_EN, language="en", index=index)
    assert result == {"We are not": str(put_domoi), "Bring them home": str(put_domoi)}


# Inflected names: the nominative, never a genitive glued to a nominative.

INFLECTED_RU = """Матери ищут сыновей

Мать бойца Андрея Ковальчука Наталья рассказала: «Последний раз он звонил в марте».

По словам Марии Андреевой, «все ответы — отписки».

В интервью зампред Комитета солдатских матерей Антонина Аксёнова рассказала:

«Я сама мать погибшего военнослужащего».
"""


def test_russian_names_in_the_nominative_and_apart_from_the_genitive():
    assert speakers(INFLECTED_RU, language="ru") == {
        "Последний раз он": "Наталья (new person)",
        "все ответы —": "Мария Андреева (new person)",
        "Я сама мать": "Антонина Аксёнова (new person)",
    }


INFLECTED_UK = """Акція на підтримку полонених

За словами Олени Коваль, «полон вбиває щодня».

Як розповіла Суспільному донька військовослужбовця Олександра Ковальчука, її батька двічі оголошували зниклим.

"Він зник безвісти 12 травня", — каже вона.

Дружина полоненого Аліна прийшла з сином. "Остання інформація була у квітні", - розповіла жінка.
"""


def test_ukrainian_names_in_the_nominative_and_an_unnamed_daughter_stays_unnamed():
    assert speakers(INFLECTED_UK, language="uk") == {
        "полон вбиває щодня": "Олена Коваль (new person)",
        "Він зник безвісти": "unknown",
        "Остання інформація була": "Аліна (new person)",
    }


# No language of its own: detected, and said.


def test_the_language_is_detected_from_the_text():
    assert detect_language(SURNAME_EN) == "en"
    assert detect_language(INFLECTED_RU) == "ru"
    assert detect_language(INFLECTED_UK) == "uk"
    # Without a language the Ukrainian text is read as Ukrainian, not as English.
    assert speakers(SURNAME_UK) == {"Ми чекаємо вже": "Олена Коваль (new person)"}


# Noise: names, slogans, placards and terms are not candidates; "urged … 'X'" stays.

NOISE_EN = """Wives rally against the "partial" mobilisation

The “Council of Mothers and Wives” met in Samara. Their placards read: "Bring back our husbands!"

Tsukanova urged the authorities to "negotiate peace".
"""

NOISE_RU = """Жены мобилизованных против «СВО»

Бойцы «Азова» остаются в плену. Участницы акции «Верните мужей» вышли с плакатами «Нас не слышат».
"""


def test_names_slogans_placards_and_terms_are_not_candidates():
    assert list(speakers(NOISE_EN, language="en")) == ["negotiate peace"]
    assert speakers(NOISE_RU, language="ru") == {}


GROUP_STATEMENT_RU = """Движение ответило министерству

«Мы не против государства, мы за наших мужей», — говорится в заявлении движения «Жены Твери».
"""


def test_a_statement_by_a_new_group_named_in_quote_marks_is_the_group_s():
    assert speakers(GROUP_STATEMENT_RU, language="ru") == {"Мы не против": "Жены Твери (new group)"}
