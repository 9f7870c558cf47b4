"""Public reads from a real PostgreSQL streaming replica, and protection that is immediate.

A second PostgreSQL 15 cluster is made on this machine for this module and removed after
(tests/production/replica.py); the app runs against both in a process of its own
(tests/production/replica_app.py). Where no cluster can be made (not root, no
postgresql-common, no primary at 127.0.0.1:5432) the module is skipped, saying why.
"""

import contextlib
import json
import os
import subprocess
import sys

import psycopg2
import pytest

from tests.production import replica as replicas
from tests.production.helpers import ROOT, manage, production_env

REASON = replicas.unavailable()
pytestmark = pytest.mark.skipif(REASON is not None, reason=f"no test replica: {REASON}")
DATABASE = f"advocacy_replica_check_{os.getpid()}"


def app_env(**extra) -> dict:
    return production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        ALLOWED_HOSTS="testserver",
        SECURE_SSL_REDIRECT="0",
        STATIC_MANIFEST="0",
        PYTHONPATH=str(ROOT),
        **extra,
    )


@pytest.fixture(scope="module")
def replica():
    with contextlib.closing(replicas.connect_primary()) as primary, primary.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{DATABASE}"')
    try:
        # The schema reaches the replica by replication, like everything else.
        migrating = subprocess.Popen(
            [sys.executable, str(ROOT / "manage.py"), "migrate", "--noinput", "-v0"],
            env=app_env(),
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        with replicas.streaming_replica() as running:
            output, _ = migrating.communicate(timeout=120)
            assert migrating.returncode == 0, output
            yield running
    finally:
        with contextlib.closing(replicas.connect_primary()) as primary, primary.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


@pytest.fixture(scope="module")
def seen(replica) -> dict:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tests" / "production" / "replica_app.py")],
        env=app_env(DATABASE_REPLICA_URL=replica.url(DATABASE), REPLICA_PORT=str(replica.port)),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_anonymous_reads_go_to_the_replica(seen):
    for what in ("anonymous page", "anonymous api"):
        assert seen[what]["status"] == 200, (what, seen[what])
        assert seen[what]["replica"] > 0, (what, seen[what])
        assert seen[what]["primary"] == 0, (what, seen[what])


def test_an_anonymous_api_answer_is_the_replicas_public_rows(seen):
    """Asked again, the API answer is read from the stored public rows, on the replica:
    a count and a page, nothing from the primary."""
    again = seen["anonymous api again"]
    assert again["status"] == 200 and again["primary"] == 0
    assert 1 <= again["replica"] <= 3, again


def test_staff_and_token_reads_stay_on_the_primary(seen):
    for what in ("staff page", "token api"):
        assert seen[what]["status"] == 200, (what, seen[what])
        assert seen[what]["primary"] > 0, (what, seen[what])
        assert seen[what]["replica"] == 0, (what, seen[what])


def test_a_protected_person_is_hidden_on_the_replica_before_the_request_returns(seen):
    # While the replica could not apply it, the protecting request did not return...
    assert seen["protecting request returned while the replica was paused"] is False
    assert seen["anonymous page while paused"] == 200
    # ...and once it returned, the replica hid the person at once.
    assert seen["protecting request"] == 200
    assert seen["anonymous page after"]["status"] == 404
    assert seen["anonymous page after"]["replica"] > 0
    assert seen["anonymous page after"]["primary"] == 0
    # The public rows on the replica were rebuilt in the protecting transaction.
    assert seen["anonymous api after"] == 404
    assert seen["listed after"] is False


def test_without_remote_apply_a_commit_returns_before_the_replica_has_it(replica, seen):
    """What the app's remote_apply prevents: a commit that only waits for the primary's own
    disk returns while the replica still shows the old state."""
    with (
        contextlib.closing(replicas.connect_primary(DATABASE)) as primary,
        contextlib.closing(replica.connect(DATABASE)) as standby,
    ):
        standby.autocommit = True
        with standby.cursor() as cursor:
            cursor.execute("SELECT pg_wal_replay_pause()")
        try:
            with primary.cursor() as cursor:
                cursor.execute("SET synchronous_commit = local")
                cursor.execute(
                    "UPDATE advocacy_person SET is_protected = false WHERE name = %s",
                    ["Marina Replicova"],
                )
            with standby.cursor() as cursor:
                cursor.execute(
                    "SELECT is_protected FROM advocacy_person WHERE name = %s",
                    ["Marina Replicova"],
                )
                assert cursor.fetchone() == (True,)  # the replica lags: still protected there
        finally:
            with standby.cursor() as cursor:
                cursor.execute("SELECT pg_wal_replay_resume()")


def test_the_replica_is_read_only_and_migrations_skip_it(replica):
    with contextlib.closing(replica.connect(DATABASE)) as standby, standby.cursor() as cursor:
        cursor.execute("SELECT pg_is_in_recovery()")
        assert cursor.fetchone() == (True,)
        with pytest.raises(psycopg2.errors.ReadOnlySqlTransaction):
            cursor.execute("CREATE TABLE nope (id int)")
    env = app_env(DATABASE_REPLICA_URL=replica.url(DATABASE))
    result = manage("migrate", "--database", "replica", "--noinput", env=env)
    assert result.returncode == 0, result.stderr  # nothing to do there: the router says no
