"""Bad input is a 400 naming what is wrong, never a 500; and a 500 is still JSON."""

import json

import pytest
from django.test import Client
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from advocacy.api.views import GroupViewSet
from tests import factories
from tests.api import RESOURCES

pytestmark = pytest.mark.django_db

# base64 of "p=abc", "p=", "p=1.5", "p=%00" (positions that are not ids), and a too long one.
BAD_CURSORS = ["cD1hYmM=", "cD0=", "cD0xLjU=", "cD0lMDA=", "cD05OTk5OTk5OTk5OTk5OTk5OTk5OTk5OTk="]


@pytest.fixture
def admin_api(db):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    return client


@pytest.mark.parametrize("resource", RESOURCES)
@pytest.mark.parametrize("cursor", BAD_CURSORS)
def test_a_cursor_that_is_not_an_id_is_400(api_client, resource, cursor):
    response = api_client.get(f"/api/v1/{resource}/", {"cursor": cursor})
    assert response.status_code == 400, response.content
    assert response.json() == {"cursor": ["Invalid cursor."]}


def test_a_good_cursor_still_pages(api_client):
    factories.GroupFactory.create_batch(3)
    first = api_client.get("/api/v1/groups/", {"pagination": "cursor", "page_size": 2}).json()
    second = api_client.get(first["next"]).json()
    assert len(first["results"]) == 2 and len(second["results"]) == 1


def lone_surrogate_patches():
    """(resource, factory, field) for every choice field of every write, and free text."""
    return [
        ("groups", factories.GroupFactory, "status"),
        ("groups", factories.GroupFactory, "kind"),
        ("people", factories.PersonFactory, "country"),
        ("people", factories.PersonFactory, "name"),
        ("events", factories.EventFactory, "date_precision"),
        ("statements", factories.StatementFactory, "medium"),
        ("statements", factories.StatementFactory, "summary"),
        ("quotations", factories.QuotationFactory, "language"),
        ("citations", factories.CitationFactory, "record_type"),
        ("sources", factories.SourceFactory, "title"),
        ("memberships", factories.MembershipFactory, "role"),
    ]


@pytest.mark.parametrize(("resource", "factory", "field"), lone_surrogate_patches())
def test_a_lone_surrogate_in_any_string_is_400_naming_the_field(
    admin_api, resource, factory, field
):
    record = factory()
    body = json.dumps({field: "\ud800"})
    response = admin_api.patch(
        f"/api/v1/{resource}/{record.pk}/", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_a_lone_surrogate_in_a_nested_string_is_named_by_its_path(admin_api):
    source = factories.SourceFactory()
    body = json.dumps({"quotations": [{"source": source.slug, "text": "\ud800"}]})
    response = admin_api.post("/api/v1/statements/", body, content_type="application/json")
    assert response.status_code == 400
    assert "quotations[0].text" in response.json()


@pytest.mark.parametrize("nested", ["quotations", "citations"])
def test_a_nested_record_without_its_source_in_a_patch_is_400(admin_api, nested):
    statement = factories.StatementFactory()
    item = {"text": "x"} if nested == "quotations" else {"excerpt": "x"}
    response = admin_api.patch(
        f"/api/v1/statements/{statement.pk}/", {nested: [item]}, format="json"
    )
    assert response.status_code == 400, response.content
    assert response.json() == {f"{nested}[0].source": ["This field is required."]}


def test_an_unexpected_error_under_the_api_is_json(admin_api, monkeypatch):
    def boom(self, *args, **kwargs):
        raise RuntimeError("unexpected")

    monkeypatch.setattr(GroupViewSet, "build_list", boom)
    client = Client(raise_request_exception=False)
    response = client.get("/api/v1/groups/")
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"detail"}
    # The public site keeps its HTML page.
    page = Client(raise_request_exception=False).get("/no-such-page/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"name": 0}, "name"),
        ({"name": "   "}, "name"),
        ({"has_conflict": "true"}, "has_conflict"),
        ({"kind": ""}, "kind"),
        ({"founded_on": 20221124}, "founded_on"),
    ],
)
def test_writes_take_the_types_the_schema_says_without_coercion(admin_api, body, field):
    group = factories.GroupFactory(name="Council")
    response = admin_api.patch(f"/api/v1/groups/{group.pk}/", body, format="json")
    assert response.status_code == 400, response.content
    assert field in response.json()
    group.refresh_from_db()
    assert group.name == "Council"


@pytest.mark.parametrize(
    "query",
    [
        {"kind": ""},
        {"updated_after": ""},
        {"page_size": "abc"},
        {"page_size": ["10", "20"]},
        {"has_conflict": "yes"},
        {"cursor": ""},
        {"pagination": "cursor", "page": "-3"},
    ],
)
def test_list_parameters_take_what_the_schema_says(api_client, query):
    response = api_client.get("/api/v1/groups/", query)
    assert response.status_code == 400, response.content
    assert set(query) & set(response.json())


def test_any_offset_rfc_3339_allows_filters_on_every_database(api_client):
    factories.GroupFactory()
    far_offset = api_client.get("/api/v1/groups/", {"updated_after": "2000-01-01T00:00:00-22:52"})
    assert far_offset.status_code == 200, far_offset.content
    assert far_offset.json()["count"] == 1
    before_year_one = api_client.get(
        "/api/v1/groups/", {"updated_after": "0001-01-01T00:00:00+05:00"}
    )
    assert before_year_one.status_code == 400
