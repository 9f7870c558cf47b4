"""What can be checked of the deployment files without a Docker engine."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from django.conf import settings

ROOT = Path(settings.BASE_DIR)


@pytest.fixture(scope="module")
def compose():
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_compose_runs_postgresql_15_and_the_app(compose):
    assert {"db", "web", "exporter", "releaser"} <= set(compose["services"])
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


def gunicorn_options(command: str) -> dict[str, str]:
    words = command.replace("\\\n", " ").split()
    return {w: words[i + 1] for i, w in enumerate(words) if w.startswith("--")}


def test_gunicorn_worker_class_workers_and_timeout_are_explicit(compose):
    """In docker-compose's command and the Dockerfile's own CMD alike: threads, so a large
    file can go to a slow client while the worker reports alive; a 30 s timeout."""
    dockerfile = (ROOT / compose["services"]["web"]["build"]["dockerfile"]).read_text()
    cmd = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    for command in (compose["services"]["web"]["command"], cmd.replace('", "', " ")):
        options = gunicorn_options(command)
        assert options["--worker-class"].strip('"') == "gthread", command
        assert options["--workers"].strip('"').lstrip("$").strip("{}").startswith("GUNICORN_")
        assert options["--timeout"].strip('"') == "30"


def test_the_exporter_builds_the_popolo_file_web_serves(compose):
    web, exporter = compose["services"]["web"], compose["services"]["exporter"]
    assert "export_popolo --every" in exporter["command"]
    assert exporter["build"] == web["build"]
    assert exporter["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    directory = web["environment"]["EXPORTS_DIR"]
    assert exporter["environment"]["EXPORTS_DIR"] == directory
    assert f"exports:{directory}" in web["volumes"]
    assert f"exports:{directory}" in exporter["volumes"]
    assert "exports" in compose["volumes"]
    # Builds only once web has migrated the database.
    assert exporter["depends_on"]["web"]["condition"] == "service_healthy"


def test_the_releaser_makes_the_data_releases_web_serves(compose):
    web, releaser = compose["services"]["web"], compose["services"]["releaser"]
    assert "make_release --every 86400" in releaser["command"]
    assert releaser["build"] == web["build"]
    assert releaser["environment"]["DATABASE_URL"] == web["environment"]["DATABASE_URL"]
    directory = web["environment"]["RELEASES_DIR"]
    assert releaser["environment"]["RELEASES_DIR"] == directory
    assert f"releases:{directory}" in web["volumes"]
    assert f"releases:{directory}" in releaser["volumes"]
    assert "releases" in compose["volumes"]
    assert releaser["environment"]["DB_STATEMENT_TIMEOUT_MS"] == "0"
    assert releaser["depends_on"]["web"]["condition"] == "service_healthy"


def test_web_shares_its_cache_through_redis(compose):
    redis, web = compose["services"]["redis"], compose["services"]["web"]
    assert redis["image"].startswith("redis:")
    assert "ping" in " ".join(redis["healthcheck"]["test"])
    assert web["environment"]["REDIS_URL"].startswith("redis://redis:6379/")
    assert web["depends_on"]["redis"]["condition"] == "service_healthy"


def test_the_replica_is_an_optional_profile_streaming_from_db(compose):
    db, replica = compose["services"]["db"], compose["services"]["db-replica"]
    web = compose["services"]["web"]
    assert replica["profiles"] == ["replica"]
    assert replica["image"] == db["image"] == "postgres:15"
    assert replica["depends_on"]["db"]["condition"] == "service_healthy"
    script = " ".join(replica["command"])
    assert "pg_basebackup" in script and " -R " in script and "host=db " in script
    # The standby names itself as the primary's synchronous standby expects.
    name = re.search(r"application_name=(\w+)", script).group(1)
    assert "synchronous_standby_names=${DB_SYNCHRONOUS_STANDBY:-}" in db["command"]
    assert f"DB_SYNCHRONOUS_STANDBY={name}" in (ROOT / "README.md").read_text()
    assert "pgdata-replica:/var/lib/postgresql/data" in replica["volumes"]
    # The primary accepts replication connections (an init script adds the pg_hba line).
    init = next(v for v in db["volumes"] if "docker-entrypoint-initdb.d" in v)
    assert "host replication" in (ROOT / init.split(":")[0]).read_text()
    # Without the profile the app reads from db alone.
    assert web["environment"]["DATABASE_REPLICA_URL"] == "${DATABASE_REPLICA_URL:-}"


def test_exports_are_not_committed():
    assert "exports/" in (ROOT / ".gitignore").read_text().split()


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


def test_a_server_process_freezes_what_it_loaded_before_serving():
    """gunicorn imports config.wsgi: by then the views and every language's translations
    are loaded and frozen, out of the garbage collector's full passes."""
    script = (
        "import gc, sys, config.wsgi; "
        "views = [m for m in sys.modules if m.startswith('advocacy.views')]; "
        "print(gc.get_freeze_count(), len(views))"
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    frozen, views = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,  # a failed import says why, not "not enough values to unpack"
    ).stdout.split()
    assert int(views) > 5
    assert int(frozen) > 50_000
