"""A PostgreSQL 15 streaming replica of the local primary, made for a test and removed after.

    with streaming_replica() as replica:  # replica.port, replica.url(dbname)
        ...

Creates a second cluster on this machine (`pg_createcluster`, a loopback port of its own),
fills it with `pg_basebackup -R` from the primary at 127.0.0.1:5432 (cluster `15 main`),
starts it as a hot standby and makes it the primary's synchronous standby, so that
`synchronous_commit = remote_apply` waits for it. Every change to the primary is
reversible and undone on the way out, in an order that never leaves it waiting: the
synchronous standby name is reset (ALTER SYSTEM RESET + pg_reload_conf) *before* the standby
stops, and the replication line added to pg_hba.conf is removed.

Needs root (to create a cluster and edit the primary's pg_hba.conf) and Debian's
postgresql-common tools; `unavailable()` says why when it cannot run.

By hand: `python -m tests.production.replica` keeps one running until Enter.
"""

import contextlib
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg2

VERSION = "15"
PRIMARY = {"host": "127.0.0.1", "port": 5432, "user": "postgres"}
TOOLS = ("pg_createcluster", "pg_dropcluster", "pg_ctlcluster", "pg_basebackup", "runuser")
MARK = "# advocacy test replica"
LOCK_KEY = 0x616476_7265706C  # "adv", "repl": one test replica at a time


@dataclass(frozen=True)
class Replica:
    name: str  # the cluster's name, and its application_name on the primary
    port: int

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def connect(self, database: str = "postgres"):
        return psycopg2.connect(host="127.0.0.1", port=self.port, user="postgres", dbname=database)


def connect_primary(database: str = "postgres"):
    connection = psycopg2.connect(dbname=database, connect_timeout=5, **PRIMARY)
    connection.autocommit = True
    return connection


def unavailable() -> str | None:
    """Why no replica can be made here, or None."""
    if os.geteuid() != 0:
        return "creating a PostgreSQL cluster needs root (pg_createcluster, pg_hba.conf)"
    missing = [tool for tool in TOOLS if not shutil.which(tool)]
    if missing:
        return f"missing {', '.join(missing)} (Debian's postgresql-common, postgresql-15)"
    try:
        with contextlib.closing(connect_primary()) as primary, primary.cursor() as cursor:
            cursor.execute("SHOW server_version_num")
            if not cursor.fetchone()[0].startswith(VERSION):
                return f"the primary at 127.0.0.1:5432 is not PostgreSQL {VERSION}"
    except psycopg2.OperationalError as exc:
        return f"no PostgreSQL primary at 127.0.0.1:5432: {exc}"
    return None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run(*command: str) -> None:
    result = subprocess.run(command, capture_output=True, text=True, timeout=120)
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed: {result.stderr or result.stdout}")


def wait_for(condition, what: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"waited {timeout} s for {what}")
        time.sleep(0.1)


def primary_value(sql: str, *params):
    with contextlib.closing(connect_primary()) as primary, primary.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone() if cursor.description else None
        return row[0] if row else None


@contextlib.contextmanager
def replication_allowed(hba_file: Path, name: str) -> Iterator[None]:
    """A trust line for replication connections from loopback, while the block runs."""
    line = f"host replication postgres 127.0.0.1/32 trust {MARK} {name}\n"
    with hba_file.open("a") as hba:
        hba.write(line)
    primary_value("SELECT pg_reload_conf()")
    try:
        yield
    finally:
        kept = [entry for entry in hba_file.read_text().splitlines(True) if entry != line]
        hba_file.write_text("".join(kept))
        primary_value("SELECT pg_reload_conf()")


@contextlib.contextmanager
def synchronous_standby(name: str) -> Iterator[None]:
    """The primary waits for this standby (remote_apply waits for its replay) while the
    block runs; reset before the standby goes away, so no commit is left waiting.

    Only sessions that ask for it wait (the app's, which set remote_apply): the default
    becomes `local`, which is what `on` means without a synchronous standby, so nobody
    else using this primary waits for the test's standby — not even if this process dies
    before undoing it."""
    try:
        primary_value("ALTER SYSTEM SET synchronous_commit = 'local'")
        primary_value(f"ALTER SYSTEM SET synchronous_standby_names = '\"{name}\"'")
        primary_value("SELECT pg_reload_conf()")
        wait_for(
            lambda: (
                primary_value(
                    "SELECT sync_state FROM pg_stat_replication WHERE application_name = %s", name
                )
                == "sync"
            ),
            "the replica to become the synchronous standby",
        )
        yield
    finally:
        primary_value("ALTER SYSTEM RESET synchronous_standby_names")
        primary_value("ALTER SYSTEM RESET synchronous_commit")
        primary_value("SELECT pg_reload_conf()")


@contextlib.contextmanager
def one_at_a_time(timeout: int = 300) -> Iterator[None]:
    """Another run of these tests (another worktree, the same suite twice) waits for this
    one's replica to be gone: one synchronous standby at a time. A PostgreSQL advisory
    lock, held by a connection of its own, so it goes away with this process."""
    with contextlib.closing(connect_primary()) as holder, holder.cursor() as cursor:
        cursor.execute(f"SET lock_timeout = '{timeout}s'")
        cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        try:
            yield
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


@contextlib.contextmanager
def streaming_replica() -> Iterator[Replica]:
    reason = unavailable()
    if reason:
        raise RuntimeError(reason)
    with one_at_a_time():
        if primary_value("SHOW synchronous_standby_names"):
            raise RuntimeError("the primary already has a synchronous standby: not changing it")
        with _streaming_replica() as replica:
            yield replica


@contextlib.contextmanager
def _streaming_replica() -> Iterator[Replica]:
    replica = Replica(name=f"advocacy_replica_{os.getpid()}", port=free_port())
    hba_file = Path(primary_value("SHOW hba_file"))
    data = Path(f"/var/lib/postgresql/{VERSION}/{replica.name}")
    with contextlib.ExitStack() as undo:
        run("pg_createcluster", VERSION, replica.name, "-p", str(replica.port), "-d", str(data))
        undo.callback(run, "pg_dropcluster", "--stop", VERSION, replica.name)
        config = Path(f"/etc/postgresql/{VERSION}/{replica.name}")
        (config / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\n"
        )
        undo.enter_context(replication_allowed(hba_file, replica.name))
        for entry in data.iterdir():  # the new cluster's own files: replaced by the copy
            shutil.rmtree(entry) if entry.is_dir() else entry.unlink()
        conninfo = (
            f"host=127.0.0.1 port={PRIMARY['port']} user=postgres application_name={replica.name}"
        )
        run(
            "runuser", "-u", "postgres", "--", "pg_basebackup", "-d", conninfo,
            "-D", str(data), "-X", "stream", "--checkpoint=fast", "-R",
        )  # fmt: skip
        # The standby names itself to the primary (synchronous_standby_names refers to it).
        with (data / "postgresql.auto.conf").open("a") as auto:
            auto.write(f"primary_conninfo = '{conninfo}'\n")
        run("pg_ctlcluster", VERSION, replica.name, "start")
        wait_for(
            lambda: (
                primary_value(
                    "SELECT state FROM pg_stat_replication WHERE application_name = %s",
                    replica.name,
                )
                == "streaming"
            ),
            "the replica to stream from the primary",
        )
        # Runs first on the way out: the primary stops waiting before the standby stops.
        undo.enter_context(synchronous_standby(replica.name))
        yield replica


if __name__ == "__main__":
    with streaming_replica() as running:
        print(f"Replica {running.name} on port {running.port}: {running.url('<database>')}")
        input("Enter removes it. ")
