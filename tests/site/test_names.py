"""The pages name every record another one names (a speaker, an addressee, a participant, a
member, a member's group) in the page's language, a transliteration saying so; roles show
their recorded translation beside the printed words; the JSON-LD, the timeline and the feed
follow."""

import json
import re

import pytest

from advocacy.models import Person
from advocacy.publication.triggers import flush
from advocacy.text import to_cyrillic
from tests import factories

pytestmark = pytest.mark.django_db


def html_of(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


def jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


def facts(html: str) -> str:
    return html[html.index('<dl class="facts">') : html.index("</dl>")]


def test_a_statement_names_its_speaker_and_addressee_in_the_pages_language(client, seeded):
    html = html_of(client, "/ru/statements/tsukanova-are-you-a-man-or-what/")
    side = facts(html)
    assert '<span lang="ru">Ольга Цуканова</span>' in side
    assert '<span lang="ru">Владимир Путин</span>' in side
    assert "Olga Tsukanova" not in side and "Vladimir Putin" not in side
    data = jsonld(html)
    assert data["creator"]["name"] == "Ольга Цуканова"
    # In English, the names as they were.
    english = facts(html_of(client, "/statements/tsukanova-are-you-a-man-or-what/"))
    assert ">Olga Tsukanova</a>" in english and ">Vladimir Putin</a>" in english


def test_a_transliterated_name_says_so_and_is_never_given_as_a_name(client, seeded):
    html = html_of(client, "/uk/statements/tsukanova-are-you-a-man-or-what/")
    transliterated = to_cyrillic("Olga Tsukanova", "uk")
    side = facts(html)
    assert f'<span lang="uk">{transliterated}</span> <abbr class="transliterated"' in side
    mark = re.search(r'<abbr class="transliterated" title="([^"]+)">\(([^)]+)\)</abbr>', side)
    assert mark and mark.group(1).startswith("Olga Tsukanova: ")
    assert mark.group(2) != "translit."  # said in Ukrainian
    # Structured data and the citation carry a name the sources give, not a transliteration.
    assert jsonld(html)["creator"]["name"] == "Olga Tsukanova"


def test_an_events_participants_are_named_in_the_pages_language(client, seeded):
    html = html_of(client, "/ru/events/putin-meeting-with-soldiers-mothers-2022/")
    participants = html[html.index("<h2>Участники</h2>") :]
    assert '<span lang="ru">Совет матерей и жён</span>' in participants
    assert '<span lang="ru">Комитет солдатских матерей России</span>' in participants
    assert '<span lang="ru">Владимир Путин</span>' in participants
    assert jsonld(html)["organizer"] == [{"@type": "Person", "name": "Владимир Путин"}]


def test_group_members_and_a_persons_groups_in_the_pages_language_with_roles(client, seeded):
    group = html_of(client, "/ru/groups/council-of-mothers-and-wives/")
    members = group[group.index('<ul class="record-list">') :]
    assert '<span lang="ru">Ольга Цуканова</span>' in members
    assert 'president <span class="role-translation">(' in members
    assert "председатель)</span>" in members
    person = html_of(client, "/ru/people/olga-tsukanova/")
    roles = person[person.index('<ul class="record-list">') :]
    assert '<span lang="ru">Совет матерей и жён</span>' in roles
    assert "активистка совета" in roles
    affiliation = jsonld(person)["affiliation"][0]
    assert affiliation["name"] == "Совет матерей и жён"
    # The person's own name: recorded in Russian first, its original among the others.
    assert jsonld(person)["name"] == "Ольга Цуканова"
    assert "Olga Tsukanova" in jsonld(person)["alternateName"]
    # Ukrainian pages: the Ukrainian translation; English: the printed role alone.
    assert "активістка ради" in html_of(client, "/uk/people/olga-tsukanova/")
    english = html_of(client, "/people/olga-tsukanova/")
    assert "role-translation" not in english
    assert "activist with the council" in english


def test_the_people_list_shows_roles_with_their_translation(client, seeded):
    html = html_of(client, "/ru/people/")
    assert 'secretary <span class="role-translation">(' in html
    assert "секретарь)</span>" in html


def test_a_role_translation_is_shown_beside_never_instead_of_the_printed_role(client, db):
    membership = factories.MembershipFactory(
        role="spokeswoman", role_ru="пресс-секретарь", role_uk="речниця"
    )
    flush()
    url = f"/people/{membership.person.slug}/"
    for prefix, translation in (("/ru", "пресс-секретарь"), ("/uk", "речниця")):
        html = html_of(client, prefix + url)
        assert re.search(
            rf'spokeswoman <span class="role-translation">\(<span class="visually-hidden">'
            rf"[^<]+</span>{translation}\)</span>",
            html,
        ), prefix
    # A translation taken away: the printed role alone, on the person's page and list.
    membership.role_ru = ""
    membership.save()
    flush()
    html = html_of(client, "/ru" + url) + html_of(client, "/ru/people/")
    assert "spokeswoman" in html and "пресс-секретарь" not in html


def test_a_source_page_says_what_a_passage_supports_in_the_pages_language(client, seeded):
    html = html_of(client, "/ru/sources/mt-2022-11-24-mothers-accuse-putin/")
    assert "Ольга Цуканова — president (председатель), Совет матерей и жён" in html


def test_timeline_entries_name_the_speaker_in_the_pages_language(client, seeded):
    html = html_of(client, "/ru/timeline/")
    listed = html[html.index('<ol class="timeline-list">') :]
    assert '<span lang="ru">Ольга Цуканова</span>' in listed
    undated = html[html.index('id="undated-title"') :]
    assert ">Alla Makruch<" not in undated  # named only in the transliteration's note
    assert f'<span lang="ru">{to_cyrillic("Alla Makruch", "ru")}</span>' in undated
    assert "Olga Tsukanova" not in listed.split("</svg>")[-1]


def test_the_feed_names_speakers_in_its_language(client, seeded):
    feed = html_of(client, "/ru/feeds/statements/")
    assert "<name>Ольга Цуканова</name>" in feed
    assert "<name>Olga Tsukanova</name>" in html_of(client, "/feeds/statements/")
    group = html_of(client, "/ru/feeds/statements/council-of-mothers-and-wives/")
    assert "Совет матерей и жён" in group[: group.index("<entry>")]


def test_the_home_page_lists_groups_in_the_pages_language(client, seeded):
    html = html_of(client, "/ru/")
    assert '<span lang="ru">Совет матерей и жён</span>' in html


def test_a_protected_speaker_is_the_neutral_label_on_every_page(client, seeded):
    soldier = Person.objects.get(slug="mobilized-soldier-in-put-domoi-video")
    names = {soldier.name, to_cyrillic(soldier.name, "ru"), to_cyrillic(soldier.name, "uk")}
    for prefix in ("", "/ru", "/uk"):
        for path in (
            "/statements/",
            "/timeline/",
            "/statements/mobilized-soldier-no-hope-after-direct-line/",
        ):
            html = html_of(client, prefix + path)
            assert not [name for name in names if name in html], prefix + path


def test_a_list_entry_lists_the_names_its_heading_does_not_show(client, seeded):
    html = html_of(client, "/ru/people/")
    entry = html[html.index('href="/ru/people/olga-tsukanova/"') :]
    entry = entry[: entry.index("</li>")]
    also = entry[entry.index('class="aliases"') :]
    assert "Olga Tsukanova" in also and "Ольга Цуканова" not in also
    # A transliterated heading: the original is listed beside it.
    entry = html[html.index('href="/ru/people/alla-makruch/"') :]
    assert "Alla Makruch</span>" in entry[: entry.index("</li>")]
    # In English the heading is the name: its other names only.
    english = html_of(client, "/people/")
    entry = english[english.index('href="/people/olga-tsukanova/"') :]
    also = entry[: entry.index("</li>")]
    assert "Ольга Цуканова" in also and also.count("Olga Tsukanova") == 1


def test_what_a_passage_supports_says_a_part_in_running_words(client, seeded):
    html = html_of(client, "/ru/sources/mt-2023-12-18-families-call-on-putin-to-end-war/")
    assert "Владимир Путин — организатор, " in html


def test_search_results_name_people_and_groups_in_the_pages_language(client, seeded):
    html = html_of(client, "/ru/search/?q=Tsukanova")
    people = html[html.index('id="results-people"') :]
    people = people[: people.index("</section>")]
    assert 'lang="ru">Ольга <mark class="hit">Цуканова</mark></a>' in people
    assert '<mark class="hit">Tsukanova</mark>' in people  # the own name that matched, beneath
    html = html_of(client, "/uk/search/?q=Makruch")
    people = html[html.index('id="results-people"') :]
    assert f'<mark class="hit">{to_cyrillic("Makruch", "uk")}</mark></a> <abbr' in people
