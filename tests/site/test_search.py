"""One search across scripts and spellings, on the seed data."""

import pytest
from django.db import connection
from django.urls import reverse

from advocacy.models import Person
from advocacy.search import search_queryset
from tests.factories import StatementFactory

CROSS_SCRIPT = [
    ("Tsukanova", "/people/olga-tsukanova/"),
    ("tsukanova", "/people/olga-tsukanova/"),
    ("Цуканова", "/people/olga-tsukanova/"),
    ("Put Domoy", "/groups/put-domoi/"),
    ("Put' Domoj", "/groups/put-domoi/"),
    ("Путь домой", "/groups/put-domoi/"),
    ("Way Home", "/groups/put-domoi/"),
    ("Melnikova", "/people/valentina-melnikova/"),
    ("Мельникова", "/people/valentina-melnikova/"),
]


@pytest.mark.parametrize(("query", "url"), CROSS_SCRIPT)
def test_search_page_finds_across_scripts(client, seeded, query, url):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert f'href="{url}"' in response.content.decode()


@pytest.mark.parametrize(("query", "url"), CROSS_SCRIPT)
def test_list_filter_q_finds_across_scripts(client, seeded, query, url):
    list_url = reverse("group-list" if url.startswith("/groups/") else "person-list")
    html = client.get(list_url, {"q": query}).content.decode()
    assert f'href="{url}"' in html
    # Narrowed: the search is a filter, not the whole list.
    assert html.count('class="record-title"') < 4


def test_results_are_grouped_by_type_with_matches_highlighted(client, seeded):
    html = client.get(reverse("search"), {"q": "Цуканова"}).content.decode()
    assert 'id="results-people"' in html
    assert 'id="results-statements"' in html
    assert 'id="results-groups"' not in html  # no group matches: no empty section
    assert '<mark class="hit">Tsukanova</mark>' in html
    assert '<mark class="hit">Цуканова</mark>' in html


def test_statement_words_in_cyrillic_transliteration_find_the_group(client, seeded):
    html = client.get(reverse("search"), {"q": "Совет матерей"}).content.decode()
    assert 'href="/groups/council-of-mothers-and-wives/"' in html


def test_a_misspelling_is_found_on_either_database(client, seeded):
    """The lexicon's near spellings: pg_trgm on PostgreSQL, rapidfuzz on SQLite."""
    response = client.get(reverse("search"), {"q": "Tsukanva"})
    assert response.status_code == 200
    assert 'href="/people/olga-tsukanova/"' in response.content.decode()


def test_postgresql_ranks_the_best_match_first(seeded):
    people = list(search_queryset(Person.objects.public(), "Melnikova"))
    assert people[0].slug == "valentina-melnikova"
    if connection.vendor == "postgresql":
        assert hasattr(people[0], "search_rank")


def test_search_queryset_is_visibility_neutral(seeded, researcher):
    """It narrows what it is given; the caller's queryset decides visibility."""
    protected = Person.objects.get(slug="mobilized-soldier-in-put-domoi-video")
    found = search_queryset(Person.objects.all(), protected.name, user=researcher)
    assert protected in found
    assert protected not in search_queryset(
        Person.objects.public(), protected.name, user=researcher
    )


def test_a_protected_name_finds_nothing_the_public_can_see(client, seeded, researcher):
    """A public statement whose words name a protected person (shown redacted): finding it
    by his name would tell the public what the redaction hides."""
    statement = StatementFactory(summary="Alexander's unit was sent back to the front")
    assert "alexander" in statement.search_key
    for query in ("Alexander", "ALEXANDER", "Alexand"):
        html = client.get(reverse("search"), {"q": query}).content.decode()
        assert statement.slug not in html, query
        assert statement.slug not in client.get("/statements/", {"q": query}).content.decode()
        assert client.get("/api/v1/statements/", {"q": query}).json()["count"] == 0, query
    # The API searches the public text, where the name is redacted: with the rest of the
    # words the record is found, with the name it is not (the public text lacks it).
    front = client.get("/api/v1/statements/", {"q": "unit front"}).json()
    assert [row["slug"] for row in front["results"]] == [statement.slug]
    named = client.get("/api/v1/statements/", {"q": "alexander unit front"}).json()
    assert named["count"] == 0
    # The public pages show what is published, to everyone: a researcher finds the record
    # by that name in the admin, not on the public site.
    client.force_login(researcher)
    assert statement.slug not in client.get("/statements/", {"q": "Alexander"}).content.decode()
    assert statement.slug in client.get("/statements/", {"q": "unit front"}).content.decode()


def test_protected_person_cannot_be_found_by_name(client, seeded):
    protected = Person.objects.get(slug="mobilized-soldier-in-put-domoi-video")
    html = client.get(reverse("search"), {"q": protected.name}).content.decode()
    assert protected.slug not in html
    assert 'id="results-people"' not in html


def test_empty_query_shows_the_form_only(client, seeded):
    response = client.get(reverse("search"))
    assert response.status_code == 200
    assert 'id="search-q"' in response.content.decode()
    assert "results for" not in response.content.decode()


@pytest.mark.parametrize("query", ["Tsukanova", "Путь домой", "mothers"])
def test_each_section_is_what_counting_and_reading_it_alone_gives(client, seeded, query):
    """The sections are counted and read together (one query on PostgreSQL): each is the
    count and the first rows its list gives alone, in its order."""
    from advocacy.publication.counting import count_public
    from advocacy.publication.filters import search_rows
    from advocacy.publication.reading import documents_of, public_rows
    from advocacy.views.search import SECTION_COUNT_LIMIT, SECTIONS, SearchView

    sections = client.get(reverse("search"), {"q": query}).context["sections"]
    alone = []
    for _key, _label, kind in SECTIONS:
        rows = search_rows(public_rows(kind), query)
        alone.append(
            (
                count_public(rows, SECTION_COUNT_LIMIT).value,
                [document["slug"] for document in documents_of(rows[: SearchView.per_section])],
            )
        )
    together = [
        (section["count"], [row["record"]["slug"] for row in section["rows"]])
        for section in sections
    ]
    assert together == alone
    assert sum(count for count, _slugs in together) > 1


def test_a_section_estimated_far_past_its_limit_is_listed_not_counted(client, seeded, monkeypatch):
    """A common word on PostgreSQL: the planner puts a section far past the count's limit,
    so it says "1000+" without counting, and still lists its first rows."""
    from advocacy.publication import counting

    postgresql = connection.vendor == "postgresql"
    if postgresql:
        monkeypatch.setattr(
            counting, "table_estimates", lambda querysets: {q.model: 10**6 for q in querysets}
        )
        monkeypatch.setattr(
            counting, "planner_estimates", lambda querysets: [50_000] * len(querysets)
        )
    sections = client.get(reverse("search"), {"q": "Tsukanova"}).context["sections"]
    statements = next(section for section in sections if section["key"] == "statements")
    assert statements["rows"]
    if postgresql:
        assert (statements["count"], statements["capped"]) == (1000, True)
    else:  # no planner: counted
        assert (statements["count"], statements["capped"]) == (len(statements["rows"]), False)
