"""The lexicon of public words and near spellings from it, on SQLite and PostgreSQL alike:
`Tsukanva` finds Tsukanova, and once she is protected nothing of her is found or kept."""

import io

import pytest
from django.core.management import call_command

from advocacy.models import Person, PublicPerson, PublicStatement, PublicWord
from advocacy.publication import builders, lexicon
from advocacy.publication.triggers import batch, flush
from advocacy.text import fold
from tests import factories

pytestmark = pytest.mark.django_db

MISSPELLINGS = ["Tsukanva", "Tsukanowa", "tsukanovva"]


def words() -> set[str]:
    return set(PublicWord.objects.values_list("word", flat=True))


def tsukanova() -> Person:
    return Person.objects.get(name="Olga Tsukanova")


def protect(person: Person) -> None:
    with batch():
        person.is_protected = True
        person.save()


def names_of_results(answer) -> str:
    return fold(answer.content.decode())


def test_the_lexicon_holds_the_public_words_and_no_protected_name(seeded):
    have = words()
    assert {"tsukanova", "melnikova", "soldiers", "mothers"} <= have
    protected = Person.objects.filter(is_protected=True)
    assert protected.exists(), "the seed data protects someone"
    for person in protected:
        for word in fold(person.name).split():
            if len(word) > 2:
                assert not any(w.startswith(lexicon.stem(word)) for w in have), word
    # Nothing but words of the public rows' (redacted) search keys.
    assert have == lexicon.stored_words()


@pytest.mark.parametrize("query", MISSPELLINGS)
def test_a_near_spelling_finds_her_on_every_database(api_client, seeded, query):
    answer = api_client.get("/api/v1/people/", {"q": query})
    assert answer.status_code == 200
    assert [p["name"] for p in answer.json()["results"]] == ["Olga Tsukanova"]
    statements = api_client.get("/api/v1/statements/", {"q": query}).json()
    assert statements["count"] >= 1
    assert all("tsukanova" in fold(str(s)) for s in statements["results"])


def test_a_word_of_the_public_text_is_not_near_spelled(seeded):
    # "mothers" is a word: it is looked for as it is, not as "mother" or "brothers".
    assert lexicon.expand_query("Mothers") == [["mothers"]]
    assert lexicon.expand_query("Tsukanva soldiers")[1] == ["soldiers"]
    first = lexicon.expand_query("Tsukanva")[0]
    assert first[0] == "tsukanva" and "tsukanova" in first
    assert lexicon.expand_query("") == []
    # Short terms are not near-spelled.
    assert lexicon.expand_query("Olg") == [["olg"]]


def test_the_query_helper_filters_any_public_rows(seeded):
    rows = lexicon.matching(PublicStatement.objects.all(), "Цуканва")
    assert rows.exists()
    assert all("tsukanova" in row.search_key for row in rows)
    assert not lexicon.matching(PublicStatement.objects.all(), "   ").exists()


def test_protecting_her_purges_her_words_and_near_spellings_find_nothing(api_client, seeded):
    person = tsukanova()
    assert "tsukanova" in words()
    protect(person)
    have = words()
    assert not [w for w in have if w.startswith("tsukanov")]
    assert "olga" not in have
    for query in [*MISSPELLINGS, "Tsukanova", "Цуканова", "Цукановой"]:
        assert lexicon.expand_query(query)[0][1:] == [], query
        for resource in ("people", "statements", "events", "sources"):
            answer = api_client.get(f"/api/v1/{resource}/", {"q": query})
            assert answer.status_code == 200
            assert "tsukanov" not in names_of_results(answer), (resource, query)
    assert api_client.get("/api/v1/people/", {"q": "Tsukanva"}).json()["results"] == []
    assert lexicon.lexicon_drift(builders.current_redactor().folded_words) == []


def test_the_purge_happens_in_the_protecting_transaction(seeded):
    from django.db import transaction

    with transaction.atomic():
        protect(tsukanova())
        assert not PublicWord.objects.filter(word__startswith="tsukanov").exists()
        transaction.set_rollback(True)
    assert PublicWord.objects.filter(word="tsukanova").exists()


def test_a_protected_persons_new_alias_leaves_the_lexicon():
    """A word that reached the lexicon before it became part of a protected name goes."""
    factories.StatementFactory(summary="Mothers met Kovrigina's friend Zlata Nebesna.")
    flush()
    assert "nebesna" in words()
    person = factories.PersonFactory(name="Zinaida Kovrigina", is_protected=True)
    flush()
    assert "kovriginas" not in words() and "kovrigina" not in words()
    with batch():
        factories.PersonAliasFactory(person=person, name="Zlata Nebesna")
    assert "nebesna" not in words() and "zlata" not in words()


def test_words_no_longer_public_leave_on_a_full_rebuild():
    statement = factories.StatementFactory(summary="Quorlumpish words vanish.")
    flush()
    assert "quorlumpish" in words()
    statement.summary = "Plain words stay."
    statement.save()
    flush()
    # Lingering is harmless (it was public, and is no protected name)...
    assert "quorlumpish" in words()
    # ...and a full rebuild derives the lexicon afresh.
    call_command("rebuild_public", stdout=io.StringIO())
    assert "quorlumpish" not in words()
    assert "plain" in words()


def test_drift_reports_a_protected_word_in_the_lexicon():
    factories.PersonFactory(name="Zinaida Kovrigina", is_protected=True)
    factories.StatementFactory(summary="Mothers ask.")
    flush()
    assert builders.drift() == []
    PublicWord.objects.create(word="kovriginoi", length=10)
    assert builders.drift() == ["lexicon: 'kovriginoi' is a protected name's word"]


def test_a_near_spelling_search_costs_the_same_whatever_the_rows(
    api_client, seeded, django_assert_max_num_queries
):
    assert PublicPerson.objects.count() > 5
    with django_assert_max_num_queries(6):
        assert api_client.get("/api/v1/people/", {"q": "Tsukanva"}).status_code == 200
