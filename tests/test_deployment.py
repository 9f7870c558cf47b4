"""What can be checked of the deployment files without a Docker engine."""

import re
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgresql_15_and_the_app(compose):
    assert set(compose["services"]) == {"db", "web"}
    assert compose["services"]["db"]["image"] == "postgres:15"
    dockerfile = ROOT / compose["services"]["web"]["build"]["dockerfile"]
    assert dockerfile.exists()
    assert "gunicorn" in dockerfile.read_text()


def test_web_waits_for_a_healthy_database_and_reaches_it(compose):
    db, web = compose["services"]["db"], compose["services"]["web"]
    assert web["depends_on"]["db"]["condition"] == "service_healthy"
    assert "pg_isready" in " ".join(db["healthcheck"]["test"])
    url = web["environment"]["DATABASE_URL"]
    user, password, host, port, name = re.match(
        r"postgres://([^:]+):([^@]+)@([^:/]+):(\d+)/(\w+)$", url
    ).groups()
    assert (host, port) == ("db", "5432")
    assert user == db["environment"]["POSTGRES_USER"]
    assert password == db["environment"]["POSTGRES_PASSWORD"]
    assert name == db["environment"]["POSTGRES_DB"]


def test_web_migrates_seeds_collects_static_and_serves_with_gunicorn(compose):
    web = compose["services"]["web"]
    command = web["command"]
    steps = ["migrate", "seed", "collectstatic", "gunicorn config.wsgi:application"]
    positions = [command.index(step) for step in steps]
    assert positions == sorted(positions)
    assert web["environment"]["DEBUG"] == "0"
    assert "SECRET_KEY:?" in web["environment"]["SECRET_KEY"]
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    # The health check calls 127.0.0.1, whatever public host name the operator sets.
    assert web["environment"]["ALLOWED_HOSTS"].split(",")[-1] == "127.0.0.1"


def test_healthz_reports_the_database(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_ci_runs_the_readme_test_command_on_both_databases():
    readme = (ROOT / "README.md").read_text()
    ci = (ROOT / ".ci" / "run").read_text()
    assert "make test" in readme and "make run" in readme
    assert ci.count("make test") >= 2
    assert "DATABASE_URL=postgres://" in ci


def test_the_code_and_tests_need_nothing_outside_the_repository():
    """A bare `git clone` runs the suite: no path reaches beside the repository (the
    Popolo schemas and the seed articles are vendored under tests/data/)."""
    outside = re.compile(
        r"""\.\./shared|parent\s*/\s*["']shared["']|parents?\[\d\]\s*/\s*["']shared"""
    )
    offenders = [
        str(path.relative_to(ROOT))
        for folder in ("advocacy", "config", "tests", "bench")
        for path in (ROOT / folder).rglob("*.py")
        if outside.search(path.read_text(encoding="utf-8"))
    ]
    assert offenders == []
    for vendored in ("tests/data/popolo/schemas/person.json", "tests/data/seed-articles"):
        assert (ROOT / vendored).exists()
    assert "CC BY 4.0" in (ROOT / "tests/data/popolo/README.md").read_text()
