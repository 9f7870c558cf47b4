"""Which database a request reads from (advocacy/routing.py), judged without a replica:
tests/production/test_replica.py runs the same against a real standby."""

import json

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from advocacy import routing
from advocacy.models import Person
from tests.factories import UserFactory
from tests.production.helpers import production_env, python

router = routing.PrimaryReplicaRouter()


def reads_from(request, *, replica: bool, monkeypatch) -> str | None:
    """The database the router picks for a read inside this request's view."""
    monkeypatch.setattr(routing, "replica_configured", lambda: replica)
    seen = {}

    def view(request):
        seen["db"] = router.db_for_read(Person)
        return "response"

    assert routing.PublicReadMiddleware(view)(request) == "response"
    assert routing.PUBLIC_READ.get() is False  # unmarked once the request is over
    return seen["db"]


def anonymous(request):
    request.user = AnonymousUser()
    return request


@pytest.fixture
def rf():
    return RequestFactory()


@pytest.mark.parametrize("method", ["get", "head", "options"])
@pytest.mark.parametrize("path", ["/people/", "/api/v1/statements/", "/search/?q=mother"])
def test_an_anonymous_safe_request_reads_from_the_replica(rf, monkeypatch, method, path):
    request = anonymous(getattr(rf, method)(path))
    assert reads_from(request, replica=True, monkeypatch=monkeypatch) == routing.REPLICA


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
def test_a_write_stays_on_the_primary(rf, monkeypatch, method):
    request = anonymous(getattr(rf, method)("/api/v1/statements/"))
    assert reads_from(request, replica=True, monkeypatch=monkeypatch) is None


@pytest.mark.django_db
def test_a_logged_in_reader_stays_on_the_primary(rf, monkeypatch):
    request = rf.get("/people/")
    request.user = UserFactory()
    assert reads_from(request, replica=True, monkeypatch=monkeypatch) is None


def test_an_api_token_stays_on_the_primary(rf, monkeypatch):
    request = anonymous(rf.get("/api/v1/statements/", HTTP_AUTHORIZATION="Token abc"))
    assert reads_from(request, replica=True, monkeypatch=monkeypatch) is None


def test_the_admin_stays_on_the_primary(rf, monkeypatch, settings):
    request = anonymous(rf.get(f"/{settings.ADMIN_URL}login/"))
    assert reads_from(request, replica=True, monkeypatch=monkeypatch) is None


def test_without_a_replica_everything_reads_from_the_primary(rf, monkeypatch):
    request = anonymous(rf.get("/people/"))
    assert reads_from(request, replica=False, monkeypatch=monkeypatch) is None


def test_writes_and_migrations_go_to_the_primary_only():
    assert router.db_for_write(Person) == routing.PRIMARY
    assert router.allow_migrate(routing.PRIMARY, "advocacy") is True
    assert router.allow_migrate(routing.REPLICA, "advocacy") is False


def test_the_middleware_runs_after_authentication(settings):
    middleware = settings.MIDDLEWARE
    assert middleware.index("advocacy.routing.PublicReadMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )
    assert settings.DATABASE_ROUTERS == ["advocacy.routing.PrimaryReplicaRouter"]


SHOW_DATABASES = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES, default=str))"
)


def test_a_replica_url_adds_the_replica_and_primary_writes_wait_for_it():
    primary = "postgres://app@db.example.org:5432/advocacy"
    replica = "postgres://app@replica.example.org:5432/advocacy"
    result = python(
        SHOW_DATABASES, env=production_env(DATABASE_URL=primary, DATABASE_REPLICA_URL=replica)
    )
    assert result.returncode == 0, result.stderr
    databases = json.loads(result.stdout)
    assert databases["replica"]["HOST"] == "replica.example.org"
    assert databases["replica"]["TEST"]["MIRROR"] == "default"
    # Every commit on the primary returns only once the replica has applied it.
    assert "synchronous_commit=remote_apply" in databases["default"]["OPTIONS"]["options"]
    assert "synchronous_commit" not in databases["replica"]["OPTIONS"].get("options", "")
    assert databases["replica"]["OPTIONS"]["connect_timeout"] == 5


def test_without_a_replica_url_there_is_one_database():
    result = python(SHOW_DATABASES, env=production_env(DATABASE_REPLICA_URL=None))
    assert result.returncode == 0, result.stderr
    assert set(json.loads(result.stdout)) == {"default"}
