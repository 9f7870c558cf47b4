"""Production settings: `check --deploy` is clean, secrets come only from the environment."""

import json

import pytest
from django.conf import settings
from django.db import connection

from tests.production.helpers import manage, production_env, python

SHOW_DATABASE = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.DATABASES['default'].get('OPTIONS', {})))"
)


def test_check_deploy_reports_nothing_in_production_mode(tmp_path):
    # A migrated database, as in a deployment: some checks (the API schema's) query it.
    env = production_env(DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}")
    migrated = manage("migrate", "--noinput", env=env)
    assert migrated.returncode == 0, migrated.stderr
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "System check identified no issues" in output, output


def test_check_deploy_still_guards_a_relaxed_local_http_run():
    """The same check does flag what the local-HTTP variables switch off, so the clean run
    above is the settings' doing, not a silenced check."""
    env = production_env(SECURE_SSL_REDIRECT="0", SESSION_COOKIE_SECURE="0", CSRF_COOKIE_SECURE="0")
    result = manage("check", "--deploy", env=env)
    output = result.stdout + result.stderr
    for warning in ("security.W008", "security.W012", "security.W016"):
        assert warning in output, output


@pytest.mark.parametrize("missing", ["SECRET_KEY", "ALLOWED_HOSTS"])
def test_production_mode_refuses_to_start_without(missing):
    result = manage("check", env=production_env(**{missing: None}))
    assert result.returncode != 0
    assert f"{missing} must be set when DEBUG is off" in result.stderr


def test_debug_mode_starts_without_secrets():
    result = manage("check", env=production_env(SECRET_KEY=None, ALLOWED_HOSTS=None, DEBUG="1"))
    assert result.returncode == 0, result.stderr


def test_production_headers(client, db):
    response = client.get("/healthz", secure=True)
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in response


def test_ssl_redirect_spares_the_health_check(client, db, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 301


def test_postgresql_gets_a_statement_and_a_connect_timeout():
    env = production_env(
        DATABASE_URL="postgres://someone@db.invalid:5432/anything", DB_STATEMENT_TIMEOUT_MS="2500"
    )
    result = python(SHOW_DATABASE, env=env)
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert options["options"] == "-c statement_timeout=2500"
    assert options["connect_timeout"] == 5


def test_statement_timeout_can_be_turned_off():
    env = production_env(
        DATABASE_URL="postgres://someone@db.invalid:5432/anything", DB_STATEMENT_TIMEOUT_MS="0"
    )
    result = python(SHOW_DATABASE, env=env)
    assert "statement_timeout" not in result.stdout


def test_the_running_database_enforces_the_statement_timeout(db):
    """On PostgreSQL the live connection carries the timeout; SQLite has no such setting,
    and the settings leave its options alone."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW statement_timeout")
            shown = cursor.fetchone()[0]
        assert shown == f"{settings.DB_STATEMENT_TIMEOUT_MS}ms" or shown == (
            f"{settings.DB_STATEMENT_TIMEOUT_MS // 1000}s"
        )
    else:
        assert "options" not in settings.DATABASES["default"].get("OPTIONS", {})
