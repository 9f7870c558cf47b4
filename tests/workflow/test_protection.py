"""Protecting a person, and lifting it, is an editor's decision; asking for it is anyone's."""

import logging

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from advocacy.models import Person
from tests.factories import PersonFactory
from tests.workflow.test_admin_workflow import form_data, logged_in

pytestmark = pytest.mark.django_db


def token_client(user) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


def test_custom_permissions_exist_right_after_migrate():
    # No setup_roles here: the models' Meta.permissions created them.
    codenames = set(
        Permission.objects.filter(content_type__app_label="advocacy").values_list(
            "codename", flat=True
        )
    )
    assert {"protect_person", "merge_person", "merge_group"} <= codenames
    assert {
        f"publish_{name}"
        for name in (
            "source",
            "group",
            "person",
            "membership",
            "grouprelation",
            "event",
            "participation",
            "statement",
        )
    } <= codenames


def test_only_editors_get_protect_person(researcher_user, editor, viewer):
    assert editor.has_perm("advocacy.protect_person")
    assert not researcher_user.has_perm("advocacy.protect_person")
    assert not viewer.has_perm("advocacy.protect_person")


@pytest.mark.parametrize("protected_before", [True, False])
def test_a_researcher_cannot_change_protection_through_the_api(researcher_user, protected_before):
    person = PersonFactory(is_protected=protected_before)
    response = token_client(researcher_user).patch(
        f"/api/v1/people/{person.pk}/",
        {"is_protected": not protected_before, "protection_reason": "I think so"},
        format="json",
    )
    assert response.status_code == 403, response.content
    person.refresh_from_db()
    assert person.is_protected is protected_before
    assert person.history.count() == 1


def test_an_editor_lifts_protection_only_with_a_reason(editor, caplog):
    person = PersonFactory(is_protected=True)
    client = token_client(editor)
    url = f"/api/v1/people/{person.pk}/"
    refused = client.patch(url, {"is_protected": False}, format="json")
    assert refused.status_code == 400
    assert "protection_reason" in refused.json()
    person.refresh_from_db()
    assert person.is_protected

    with caplog.at_level(logging.WARNING, logger="advocacy.protection"):
        done = client.patch(
            url,
            {"is_protected": False, "protection_reason": "Consented in writing, 2026-11-02"},
            format="json",
        )
    assert done.status_code == 200, done.content
    assert "protection_reason" not in done.json()
    person.refresh_from_db()
    assert not person.is_protected
    latest = person.history.order_by("-history_date").first()
    assert latest.history_change_reason == "Consented in writing, 2026-11-02"
    assert latest.history_user == editor
    assert any(
        "UNPROTECTED" in r.getMessage() and editor.username in r.getMessage()
        for r in caplog.records
    )


def test_an_editor_protects_through_the_api_and_it_is_logged(editor, caplog):
    person = PersonFactory()
    with caplog.at_level(logging.WARNING, logger="advocacy.protection"):
        response = token_client(editor).patch(
            f"/api/v1/people/{person.slug}/", {"is_protected": True}, format="json"
        )
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_protected
    assert any(person.slug in r.getMessage() for r in caplog.records)


def test_is_protected_is_read_only_in_the_admin_for_researchers(researcher_user, editor):
    person = PersonFactory(is_protected=True)
    url = reverse("admin:advocacy_person_change", args=[person.pk])
    researcher_page = logged_in(researcher_user).get(url)
    assert "is_protected" not in researcher_page.context["adminform"].form.fields
    editor_page = logged_in(editor).get(url)
    assert "is_protected" in editor_page.context["adminform"].form.fields

    client = logged_in(researcher_user)
    data = form_data(client.get(url))
    data.pop("is_protected", None)  # an unticked checkbox is simply absent
    response = client.post(url, data)
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_protected


def test_an_editor_unticking_protection_in_the_admin_gives_a_reason(editor, caplog):
    person = PersonFactory(is_protected=True)
    url = reverse("admin:advocacy_person_change", args=[person.pk])
    client = logged_in(editor)
    data = form_data(client.get(url))
    data.pop("is_protected")
    refused = client.post(url, data)
    assert refused.status_code == 200
    assert "protection_reason" in refused.context["adminform"].form.errors
    person.refresh_from_db()
    assert person.is_protected

    data["protection_reason"] = "The family asked us to name him."
    with caplog.at_level(logging.WARNING, logger="advocacy.protection"):
        assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert not person.is_protected
    latest = person.history.order_by("-history_date").first()
    assert latest.history_change_reason == "The family asked us to name him."
    assert any("UNPROTECTED" in r.getMessage() for r in caplog.records)


def test_a_researcher_requests_protection_and_the_person_is_hidden_at_once(
    researcher_user, api_client, caplog
):
    person = PersonFactory()
    assert api_client.get(f"/api/v1/people/{person.pk}/").status_code == 200
    with caplog.at_level(logging.WARNING, logger="advocacy.protection"):
        response = logged_in(researcher_user).post(
            reverse("admin:advocacy_person_changelist"),
            {"action": "request_protection", "_selected_action": [person.pk]},
        )
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_protected
    assert person.history.order_by("-history_date").first().history_change_reason
    assert any(person.slug in r.getMessage() for r in caplog.records)
    assert api_client.get(f"/api/v1/people/{person.pk}/").status_code == 404
    assert not Person.objects.public().filter(pk=person.pk).exists()
