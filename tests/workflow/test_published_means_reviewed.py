"""Published means reviewed: a researcher's change to a published record waits for an editor,
the public keeps the published version meanwhile, and what hides is never held."""

import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from rest_framework.test import APIClient

from advocacy.choices import Status
from advocacy.models import Citation, PublicCitation, PublicStatement, Statement
from advocacy.publication import builders
from advocacy.publication.triggers import flush
from advocacy.services import protection, publishing
from tests import factories
from tests.workflow.test_admin_workflow import form_data

pytestmark = pytest.mark.django_db


def api(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def public_statement(pk: int) -> dict:
    return api().get(f"/api/v1/statements/{pk}/").json()


@pytest.fixture
def statement(db):
    event = factories.EventFactory(name="Roundtable in Samara")
    statement = factories.StatementFactory(
        summary="The mothers ask to meet the governor.", event=event
    )
    # Publishable as it is: its speaker cites a source.
    factories.CitationFactory(content_object=statement.speaker_person)
    factories.CitationFactory(content_object=event)
    flush()
    return statement


def test_a_researchers_edit_waits_for_an_editor(statement, researcher_user, editor, client):
    response = api(researcher_user).patch(
        f"/api/v1/statements/{statement.pk}/",
        {"summary": "The mothers ask to meet the governor in person."},
        format="json",
    )
    assert response.status_code == 200, response.content
    # The researcher reads the working record; the public the published one.
    assert response.json()["summary"] == "The mothers ask to meet the governor in person."
    assert public_statement(statement.pk)["summary"] == "The mothers ask to meet the governor."
    page = client.get(reverse("statement-detail", args=[statement.slug])).content.decode()
    assert "meet the governor." in page and "in person" not in page
    statement.refresh_from_db()
    assert statement.changed_since_published

    publishing.record_publish_changes(record=statement, user=editor)

    assert public_statement(statement.pk)["summary"] == (
        "The mothers ask to meet the governor in person."
    )
    statement.refresh_from_db()
    assert not statement.changed_since_published


def test_only_published_revisions_reach_the_corrections_log(statement, researcher_user, editor):
    for day in (21, 22):
        response = api(researcher_user).patch(
            f"/api/v1/statements/{statement.pk}/", {"date": f"2022-11-{day}"}, format="json"
        )
        assert response.status_code == 200, response.content
    statement.refresh_from_db()
    assert statement.changed_since_published
    log = json.loads(PublicStatement.objects.get(pk=statement.pk).page_en)["changes"]
    assert [entry["changes"] for entry in log] == [["First published."]]

    publishing.record_publish_changes(record=statement, user=editor)

    log = json.loads(PublicStatement.objects.get(pk=statement.pk).page_en)["changes"]
    said = " ".join(sentence for entry in log for sentence in entry["changes"])
    # One correction, from the published date to the published one: not the step between.
    assert "from “Nov. 23, 2022” to “Nov. 22, 2022”" in said
    assert "21" not in said


def test_a_new_citation_waits_with_its_record(statement, researcher_user, editor):
    source = factories.SourceFactory(title="Samara regional news")
    response = api(researcher_user).post(
        "/api/v1/citations/",
        {
            "record_type": "statement",
            "record_id": statement.pk,
            "source": source.pk,
            "excerpt": "the mothers asked",
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    citation = Citation.objects.get(pk=response.json()["id"])
    assert not PublicCitation.objects.filter(pk=citation.pk).exists()
    assert api().get(f"/api/v1/citations/{citation.pk}/").status_code == 404
    assert source.slug not in json.dumps(public_statement(statement.pk))

    publishing.record_publish_changes(record=statement, user=editor)

    assert api().get(f"/api/v1/citations/{citation.pk}/").status_code == 200
    assert source.slug in json.dumps(public_statement(statement.pk))


def test_an_unreviewed_rename_never_shows_through_another_record(
    statement, researcher_user, editor
):
    event = statement.event
    api(researcher_user).patch(
        f"/api/v1/events/{event.pk}/", {"name": "Secret planning meeting"}, format="json"
    )
    event.refresh_from_db()
    assert event.changed_since_published
    # The statement is rebuilt from the working tables (an editor's change, a full
    # rebuild): it names its event as the event was published.
    api(editor).patch(
        f"/api/v1/statements/{statement.pk}/", {"summary": "Reviewed words."}, format="json"
    )
    call_command("rebuild_public", stdout=io.StringIO())
    document = public_statement(statement.pk)
    assert document["summary"] == "Reviewed words."
    assert document["event"]["name"] == "Roundtable in Samara"
    assert "Secret" not in json.dumps(document)
    assert api().get(f"/api/v1/events/{event.pk}/").json()["name"] == "Roundtable in Samara"

    publishing.record_publish_changes(record=event, user=editor)

    assert public_statement(statement.pk)["event"]["name"] == "Secret planning meeting"


def test_what_hides_is_never_held(statement, researcher_user, editor):
    """A statement waiting for an editor still loses, at once, its protected speaker's
    name, its unpublished event, and a deleted citation."""
    citation = factories.CitationFactory(content_object=statement, excerpt="asked to meet")
    flush()
    api(researcher_user).patch(
        f"/api/v1/statements/{statement.pk}/", {"summary": "Unreviewed words."}, format="json"
    )
    speaker = statement.speaker_person
    assert speaker.name in json.dumps(public_statement(statement.pk))

    protection.person_request_protection(person=speaker, user=researcher_user)
    publishing.record_retract(record=statement.event, user=editor, note="Wrong event.")
    citation.delete()

    document = public_statement(statement.pk)
    text = json.dumps(document, ensure_ascii=False)
    assert document["summary"] == "The mothers ask to meet the governor."
    assert speaker.name not in text and speaker.slug not in text
    assert document["speaker"] == {"type": "person", "label": "a protected person"}
    assert document["event"] is None
    assert [c["id"] for c in document["citations"]] == []
    row = PublicStatement.objects.get(pk=statement.pk)
    assert speaker.name.split()[-1].lower() not in row.mentions
    assert f" speaker:{speaker.slug} " not in row.facets
    assert builders.drift() == []


def test_an_editors_save_publishes_at_once(statement, editor):
    api(editor).patch(
        f"/api/v1/statements/{statement.pk}/", {"summary": "Edited by an editor."}, format="json"
    )
    statement.refresh_from_db()
    assert not statement.changed_since_published
    assert public_statement(statement.pk)["summary"] == "Edited by an editor."


def test_the_admin_shows_the_waiting_changes_and_an_editor_publishes_them(
    statement, researcher_user, editor, client
):
    api(researcher_user).patch(
        f"/api/v1/statements/{statement.pk}/", {"summary": "Waiting words."}, format="json"
    )
    change_url = reverse("admin:advocacy_statement_change", args=[statement.pk])

    client.force_login(researcher_user)
    page = client.get(change_url).content.decode()
    assert "Changed since published" in page
    assert "Waiting words." in page and "The mothers ask to meet the governor." in page
    assert "Publish changes</button>" not in page
    changelist = client.get(
        reverse("admin:advocacy_statement_changelist") + "?changed_since_published__exact=1"
    ).content.decode()
    assert statement.title in changelist or statement.summary[:20] in changelist

    client.force_login(editor)
    assert "Publish changes</button>" in client.get(change_url).content.decode()
    response = client.post(reverse("admin:advocacy_statement_publish_changes", args=[statement.pk]))
    assert response.status_code == 302
    assert public_statement(statement.pk)["summary"] == "Waiting words."
    assert "Changed since published" not in client.get(change_url).content.decode()


def test_publishing_changes_is_an_editors_act(statement, researcher_user):
    with pytest.raises(publishing.PermissionDenied):
        publishing.record_publish_changes(record=statement, user=researcher_user)
    with pytest.raises(publishing.PublishingError, match="no changes waiting"):
        publishing.record_publish_changes(
            record=statement, user=factories.UserFactory(is_superuser=True)
        )


def test_refreshing_waiting_rows_runs_the_same_queries_for_more_rows(
    researcher_user, django_assert_max_num_queries
):
    def held_statements(count):
        statements = factories.StatementFactory.create_batch(count)
        flush()
        Statement.objects.filter(pk__in=[s.pk for s in statements]).update(
            changed_since_published=True
        )
        return [s.pk for s in statements]

    few, many = held_statements(2), held_statements(12)
    redactor = builders.current_redactor()
    with django_assert_max_num_queries(100) as counted:
        builders.rebuild("statement", few, redactor)
    queries_for_few = len(counted.captured_queries)
    with django_assert_max_num_queries(queries_for_few):
        builders.rebuild("statement", many, redactor)
    assert Statement.objects.filter(status=Status.PUBLISHED).count() == 14


def test_a_researchers_save_in_the_admin_waits_and_says_so(statement, researcher_user, client):
    event = statement.event
    client.force_login(researcher_user)
    change_url = reverse("admin:advocacy_event_change", args=[event.pk])
    data = form_data(client.get(change_url)) | {"name": "Roundtable renamed"}
    response = client.post(change_url, data, follow=True)
    assert response.status_code == 200
    assert "an editor publishes these changes" in response.content.decode()
    event.refresh_from_db()
    assert event.name == "Roundtable renamed" and event.changed_since_published
    assert api().get(f"/api/v1/events/{event.pk}/").json()["name"] == "Roundtable in Samara"
    assert public_statement(statement.pk)["event"]["name"] == "Roundtable in Samara"


def test_a_changed_membership_shows_on_its_person_as_published(researcher_user, editor):
    membership = factories.MembershipFactory(role="activist")
    factories.CitationFactory(content_object=membership)
    flush()
    person = membership.person
    response = api(researcher_user).patch(
        f"/api/v1/memberships/{membership.pk}/", {"role": "chair"}, format="json"
    )
    assert response.status_code == 200, response.content
    # The person's own document is built afresh (an editor's change to the person).
    api(editor).patch(f"/api/v1/people/{person.pk}/", {"description": "Edited."}, format="json")
    document = api().get(f"/api/v1/people/{person.pk}/").json()
    assert document["description"] == "Edited."
    assert [m["role"] for m in document["memberships"]] == ["activist"]
    assert api().get(f"/api/v1/memberships/{membership.pk}/").json()["role"] == "activist"

    publishing.record_publish_changes(record=membership, user=editor)

    assert api().get(f"/api/v1/memberships/{membership.pk}/").json()["role"] == "chair"
    document = api().get(f"/api/v1/people/{person.pk}/").json()
    assert [m["role"] for m in document["memberships"]] == ["chair"]
