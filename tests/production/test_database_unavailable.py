"""A database that is down or too slow gives a clear 503, never a 500 or a hung worker."""

import pytest
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper

from tests.factories import GroupFactory

DOWN = 'connection to server at "127.0.0.1", port 5432 failed: Connection refused'
SLOW = "canceling statement due to statement timeout"


@pytest.fixture
def database_fails(db):
    """Every query from now on fails; undone before the test database is torn down."""
    with pytest.MonkeyPatch.context() as patch:

        def fail_with(message: str, error: type[Exception] = OperationalError):
            def execute(self, sql, params=None):
                raise error(message)

            patch.setattr(CursorWrapper, "execute", execute)

        yield fail_with


@pytest.fixture
def group(db):
    return GroupFactory()


def test_api_answers_503_json_while_the_database_is_down(api_client, group, database_fails):
    database_fails(DOWN)
    response = api_client.get("/api/v1/groups/")
    assert response.status_code == 503
    assert response["Retry-After"] == "5"
    assert response.json()["code"] == "database_unavailable"
    assert "temporarily unavailable" in response.json()["detail"]
    assert "no-cache" in response["Cache-Control"]


def test_pages_answer_503_html_while_the_database_is_down(client, group, database_fails):
    database_fails(DOWN)
    response = client.get(group.get_absolute_url(), HTTP_ACCEPT="text/html")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"Temporarily unavailable" in response.content
    assert b"<script" not in response.content and b"style" not in response.content
    assert "Content-Security-Policy" in response


def test_a_statement_timeout_says_so(api_client, group, database_fails):
    database_fails(SLOW)
    response = api_client.get("/api/v1/groups/")
    assert response.status_code == 503
    assert response.json()["code"] == "query_timeout"


def test_healthz_reports_the_database_down(client, db, database_fails):
    database_fails(DOWN)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["database"] == "unreachable"


def test_other_errors_are_not_disguised_as_503(client, database_fails):
    database_fails("a bug", error=ZeroDivisionError)
    client.raise_request_exception = False
    response = client.get("/api/v1/groups/")
    assert response.status_code == 500


def test_a_write_answered_503_warns_it_may_have_been_saved(
    api_client, group, admin_user, database_fails
):
    api_client.force_authenticate(user=admin_user)
    database_fails(DOWN)
    body = {"name": "x", "kind": "advocacy_group"}
    response = api_client.post("/api/v1/groups/", body, format="json")
    assert response.status_code == 503
    assert "check before sending it again" in response.json()["detail"]
