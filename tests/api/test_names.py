"""Names in the reader's language wherever a record is named through another (a speaker, an
addressee, a participant, a member's group), and roles' translations beside the printed
role: in the stored public documents, the API, for researchers, and never for a protected
person."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advocacy.models import Membership, Person, PersonAlias, Statement
from advocacy.models.public import DOCUMENT_LANGUAGES, PUBLIC_MODELS
from advocacy.publication import builders
from advocacy.publication.redaction import strings_of
from advocacy.publication.triggers import flush
from advocacy.text import to_cyrillic
from tests import factories

pytestmark = pytest.mark.django_db


def api(client, url, language):
    response = client.get(url, HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, response.content
    return response.json()


def test_a_statement_names_its_speaker_and_addressee_in_the_readers_language(api_client, seeded):
    statement = Statement.objects.get(slug="tsukanova-are-you-a-man-or-what")
    url = f"/api/v1/statements/{statement.pk}/"
    russian = api(api_client, url, "ru")
    assert russian["speaker"]["display_name"] == {
        "name": "Ольга Цуканова",
        "language": "ru",
        "how": "recorded",
    }
    assert russian["addressee"]["display_name"]["name"] == "Владимир Путин"
    # Every existing field keeps its value: `name` and `label` stay the record's own.
    english = api(api_client, url, "en")
    for agent in ("speaker", "addressee"):
        for field in ("name", "label", "slug", "id", "html_url"):
            assert russian[agent][field] == english[agent][field]
    assert english["speaker"]["display_name"] == {
        "name": "Olga Tsukanova",
        "language": None,
        "how": "name",
    }
    # No Ukrainian form is recorded: written in Cyrillic for display, and marked so.
    assert api(api_client, url, "uk")["speaker"]["display_name"] == {
        "name": to_cyrillic("Olga Tsukanova", "uk"),
        "language": "uk",
        "how": "transliterated",
    }


def test_participants_members_and_groups_are_named_in_the_readers_language(api_client, seeded):
    from advocacy.models import Event, Group

    event = Event.objects.get(slug="putin-meeting-with-soldiers-mothers-2022")
    participants = {
        p["participant"]["slug"]: p["participant"]["display_name"]["name"]
        for p in api(api_client, f"/api/v1/events/{event.pk}/", "ru")["participations"]
    }
    assert participants["vladimir-putin"] == "Владимир Путин"
    assert participants["council-of-mothers-and-wives"] == "Совет матерей и жён"
    person = Person.objects.get(slug="olga-tsukanova")
    groups = api(api_client, f"/api/v1/people/{person.pk}/", "ru")["memberships"]
    assert {m["group"]["display_name"]["name"] for m in groups} == {"Совет матерей и жён"}
    group = Group.objects.get(slug="council-of-mothers-and-wives")
    members = api(api_client, f"/api/v1/memberships/?group={group.slug}", "ru")["results"]
    assert {m["person"]["display_name"]["name"] for m in members} == {"Ольга Цуканова"}
    # A group's name is never transliterated: its own name where none is recorded.
    pows = Group.objects.get(slug="pow-mothers-cooperative")
    summary = api(api_client, f"/api/v1/memberships/?group={pows.slug}", "ru")["results"][0]
    assert summary["group"]["display_name"] == {"name": pows.name, "language": None, "how": "name"}


def test_a_cited_person_or_group_is_named_in_the_readers_language(api_client, seeded):
    cited = api(api_client, "/api/v1/citations/?page_size=500", "ru")["results"]
    names = {
        c["record"]["slug"]: c["record"]["display_name"]["name"]
        for c in cited
        if c["record"] and c["record"]["type"] in ("person", "group")
    }
    assert names["olga-tsukanova"] == "Ольга Цуканова"
    assert names["council-of-mothers-and-wives"] == "Совет матерей и жён"


def test_a_name_recorded_later_reaches_every_document_that_names_the_person(api_client):
    speaker = factories.PersonFactory(name="Irina Example")
    statement = factories.StatementFactory(speaker_person=speaker)
    flush()
    url = f"/api/v1/statements/{statement.pk}/"
    assert api(api_client, url, "ru")["speaker"]["display_name"]["how"] == "transliterated"
    factories.PersonAliasFactory(person=speaker, name="Ирина Пример", language="ru")
    flush()
    assert api(api_client, url, "ru")["speaker"]["display_name"] == {
        "name": "Ирина Пример",
        "language": "ru",
        "how": "recorded",
    }


def test_a_protected_speaker_is_only_the_neutral_label_in_every_language(api_client, seeded):
    statement = Statement.objects.get(slug="mobilized-soldier-no-hope-after-direct-line")
    for language in DOCUMENT_LANGUAGES:
        speaker = api(api_client, f"/api/v1/statements/{statement.pk}/", language)["speaker"]
        assert set(speaker) == {"type", "label"}, speaker


def test_no_public_document_holds_a_protected_name_in_any_script(api_client):
    """A public person sharing a word of a protected person's name: the word is redacted
    from every string, its Cyrillic transliteration too (display_name included)."""
    factories.PersonFactory(name="Marina Volkova", protected=True)
    namesake = factories.PersonFactory(name="Irina Volkova")
    factories.StatementFactory(speaker_person=namesake)
    factories.MembershipFactory(person=namesake)
    flush()
    forbidden = {"Volkova", *(to_cyrillic("Volkova", language) for language in ("ru", "uk"))}
    shown = []
    for model in PUBLIC_MODELS.values():
        for row in model.objects.all():
            for language in DOCUMENT_LANGUAGES:
                page = json.loads(getattr(row, f"page_{language}") or "{}")
                for document in (row.document_in(language), page):
                    shown += strings_of(document)
    assert any("Ирина" in text for text in shown)  # the namesake is shown, transliterated
    assert not [text for text in shown if any(name in text for name in forbidden)]


def test_a_role_keeps_its_printed_words_with_a_translation_beside_them(api_client, seeded):
    membership = Membership.objects.get(person__slug="olga-tsukanova", role="president")
    url = f"/api/v1/memberships/{membership.pk}/"
    russian = api(api_client, url, "ru")
    assert russian["role"] == "president"
    assert russian["role_translation"] == "председатель"
    assert (russian["role_en"], russian["role_ru"], russian["role_uk"]) == (
        "",
        "председатель",
        "голова",
    )
    assert api(api_client, url, "uk")["role_translation"] == "голова"
    assert api(api_client, url, "en")["role_translation"] is None  # none recorded
    person = api(api_client, f"/api/v1/people/{membership.person_id}/", "ru")
    roles = {m["role"]: m["role_translation"] for m in person["memberships"]}
    assert roles["president"] == "председатель"


def test_a_translation_repeating_the_printed_role_is_not_shown_twice():
    membership = factories.MembershipFactory(
        role="Директор", role_ru="директор", role_en="Director"
    )
    assert membership.role_in("ru") == ""
    assert membership.role_in("en") == "Director"
    assert membership.role_in("de") == ""


def test_a_researcher_records_a_roles_translation_through_the_api(token_client, db):
    membership = factories.MembershipFactory(role="secretary")
    url = f"/api/v1/memberships/{membership.pk}/"
    response = token_client.patch(url, {"role_ru": "секретарь"}, format="json")
    assert response.status_code == 200, response.content
    membership.refresh_from_db()
    assert (membership.role, membership.role_ru) == ("secretary", "секретарь")
    assert api(token_client, url, "ru")["role_translation"] == "секретарь"


def make_named(n: int) -> None:
    """n statements, memberships, participations and citations, each naming another
    person and group with Russian names recorded."""
    source = factories.SourceFactory()
    for _ in range(n):
        person = factories.PersonFactory()
        factories.PersonAliasFactory(person=person)
        group = factories.GroupFactory()
        factories.GroupAliasFactory(group=group)
        statement = factories.StatementFactory(speaker_person=person, addressee_group=group)
        membership = factories.MembershipFactory(person=person, group=group, role_ru="глава")
        factories.ParticipationFactory(group=group)
        factories.CitationFactory(content_object=membership, source=source)
        factories.CitationFactory(content_object=person, source=source)
        factories.CitationFactory(content_object=statement, source=source)


# Every kind whose documents name other people or groups. (A group's page extras read its
# relations group by group, names or not: not measured here.)
KINDS = ["statement", "membership", "person", "event", "quotation", "citation"]


def build(kind_name: str) -> tuple[int, list]:
    """The queries of reading and rendering every record of a kind in every language (what
    chooses the names), and the documents."""
    kind = builders.KINDS[kind_name]
    with CaptureQueriesContext(connection) as queries:
        rows, _dependencies = builders.build_rows(
            kind, list(kind.queryset()), builders.Redactor.for_names([])
        )
    return len(queries), rows


@pytest.mark.parametrize("kind", KINDS)
def test_building_names_in_every_language_takes_the_same_queries_at_3_and_30_records(kind):
    make_named(3)
    flush()
    few, _rows = build(kind)
    make_named(27)
    flush()
    many, rows = build(kind)
    assert len(rows) >= 30
    assert "ример" in "".join(row.document_ru + row.page_ru for row in rows)
    assert many <= few


@pytest.mark.parametrize("resource", ["statements", "memberships", "people", "events"])
def test_a_researchers_list_in_russian_takes_the_same_queries_at_3_and_30_records(
    token_client, resource, django_assert_max_num_queries
):
    make_named(3)
    flush()
    with CaptureQueriesContext(connection) as few:
        body = api(token_client, f"/api/v1/{resource}/?page_size=500", "ru")
    assert "ример" in json.dumps(body, ensure_ascii=False)  # Пример, примерных
    make_named(27)
    flush()
    with django_assert_max_num_queries(len(few)):
        body = api(token_client, f"/api/v1/{resource}/?page_size=500", "ru")
    assert len(body["results"]) >= 30


def test_prefetched_and_summarised_names_are_chosen_alike(db):
    """The record's own `display_name` (prefetched aliases) and a summary's (read by the
    audience) pick the same name among several recorded ones."""
    person = factories.PersonFactory(name="Olga Example")
    for name, kind in [("Ольга Б", "spelling"), ("Ольга А", "original"), ("Ольга В", "")]:
        PersonAlias.objects.create(
            person=person, name=name, language="ru", script="cyrl", kind=kind
        )
    statement = factories.StatementFactory(speaker_person=person)
    flush()
    from advocacy.models import PublicPerson, PublicStatement

    own = PublicPerson.objects.get(pk=person.pk).document_in("ru")["display_name"]
    summary = PublicStatement.objects.get(pk=statement.pk).document_in("ru")["speaker"]
    assert (
        own == summary["display_name"] == {"name": "Ольга А", "language": "ru", "how": "recorded"}
    )


def test_lang_in_the_address_chooses_the_documents_language(api_client, seeded):
    statement = Statement.objects.get(slug="tsukanova-are-you-a-man-or-what")
    url = f"/api/v1/statements/{statement.pk}/"
    asked = api_client.get(url, {"lang": "ru"}, HTTP_ACCEPT_LANGUAGE="uk")
    assert asked.status_code == 200
    assert asked["Content-Language"] == "ru"
    assert asked.json() == api(api_client, url, "ru")
    listed = api_client.get("/api/v1/statements/", {"lang": "ru", "speaker": "olga-tsukanova"})
    assert listed.status_code == 200, listed.content
    speakers = {s["speaker"]["display_name"]["name"] for s in listed.json()["results"]}
    assert speakers == {"Ольга Цуканова"}
    walked = api_client.get("/api/v1/people/", {"lang": "uk", "page_size": 2}).json()
    assert {p["display_name"]["language"] for p in walked["results"]} == {"uk"}
    for bad in (url, "/api/v1/statements/"):
        response = api_client.get(bad, {"lang": "de"})
        assert response.status_code == 400
        assert "lang" in response.json()
