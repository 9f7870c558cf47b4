"""Fault drills, run by hand (never by the test suite: they restart PostgreSQL).

    .venv/bin/python bench/faults/drill.py all            # or: restart | outage | disconnect | slow

restart     PostgreSQL restarted (`pg_ctlcluster --skip-systemctl-redirect 15 main restart`)
            while readers and writers hit gunicorn.
outage      The same with PostgreSQL kept down for --down-seconds, so the 503 window is wide.
            Both check: every answer is 200/201 or a 503 with the "temporarily unavailable"
            message (never a 500), the app recovers by itself, and no write is half-applied
            (every group written has its citation; every acknowledged one exists).
disconnect  Clients that hang up mid-request: half a request body, a full write whose answer
            is never read, a slow page abandoned; the workers live on and nothing is half-written.
slow        A query that waits behind a lock hits the statement timeout: the request ends with
            a 503 "took too long" after the timeout, the worker is free again (/healthz answers
            meanwhile), and the page works once the lock is gone.

Uses its own database (default advocacy_prod_restore), filled like the load test's. PostgreSQL is
always started again if a drill leaves it down. Results: stdout and bench/data/faults-*.json.
"""

from __future__ import annotations

import argparse
import json
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "load"))

from common import DATA, POSTGRES, ROOT, Gunicorn, app_env, machine, prepare_database, query

CLUSTER = (
    sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    if Path("/etc/postgresql").exists()
    else "15"
)
PORT = 8793


def pg_ctl(action: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", CLUSTER, "main", action], check=True
    )


def pg_is_ready() -> bool:
    return subprocess.run(["pg_isready", "-h", "127.0.0.1", "-q"], check=False).returncode == 0


def ensure_postgres_up() -> None:
    if not pg_is_ready():
        print("  (PostgreSQL was down: starting it again)")
        pg_ctl("start")
    for _ in range(60):
        if pg_is_ready():
            return
        time.sleep(0.5)


def others_busy(database: str) -> int:
    rows = query(
        database,
        "SELECT count(*) FROM pg_stat_activity WHERE datname IS NOT NULL AND datname <> %s"
        " AND state = 'active' AND pid <> pg_backend_pid()",
        (database,),
    )
    return rows[0][0]


def wait_for_quiet(database: str, seconds: int) -> None:
    """Other people's test runs share this server: restart between their queries if we can."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and others_busy(database):
        time.sleep(0.2)


def request(url: str, *, method="GET", body=None, token=None, timeout=40):
    data = json.dumps(body).encode() if body is not None else None
    headers = {"Accept": "application/json"}
    if data:
        headers["Content-Type"] = "application/json"
    if token:
        headers["Authorization"] = f"Token {token}"
    started = time.monotonic()
    try:
        with urllib.request.urlopen(
            urllib.request.Request(url, data=data, headers=headers, method=method),
            timeout=timeout,
        ) as response:
            payload = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        payload, status = error.read(), error.code
    except OSError as error:
        return {"status": "connection error", "error": str(error), "at": started}
    text = payload.decode("utf-8", "replace")
    result = {"status": status, "at": started, "seconds": time.monotonic() - started}
    try:
        result["json"] = json.loads(text)
    except ValueError:
        result["text"] = text[:200]
    return result


def write_body(prefix: str, targets: dict) -> dict:
    return {
        "name": f"{prefix} {uuid.uuid4().hex}",
        "kind": "advocacy_group",
        # Published: each write also builds the group's public row, in the same transaction.
        "status": "published",
        "citations": [{"source": targets["source_ids"][0], "excerpt": "written in a drill"}],
    }


def public_drift(database: str) -> list[str]:
    """Rows of the public read model that differ from what the working records give now
    (`rebuild_public --check`): a write half-published across the restart would show."""
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "rebuild_public", "--check"],
        env=app_env(database, DB_STATEMENT_TIMEOUT_MS="0"),
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    return [line for line in result.stdout.splitlines() if not line.startswith("No drift")]


def check_writes(database: str, prefix: str, acknowledged: list[str]) -> dict:
    rows = query(
        database,
        "SELECT g.name, (SELECT count(*) FROM advocacy_citation c JOIN django_content_type t"
        " ON t.id = c.content_type_id WHERE t.model = 'group' AND c.object_id = g.id)"
        " FROM advocacy_group g WHERE g.name LIKE %s",
        (prefix + " %",),
    )
    citations = dict(rows)
    return {
        "acknowledged": len(acknowledged),
        "lost": sum(name not in citations for name in acknowledged),
        "in_database": len(citations),
        "half_applied": sum(count != 1 for count in citations.values()),
    }


# Drills -----------------------------------------------------------------------------------


def drill_restart(database: str, targets: dict, *, down_seconds: float) -> dict:
    """Readers and writers run through a PostgreSQL restart (or an outage)."""
    prefix = f"Drill {'outage' if down_seconds else 'restart'} {uuid.uuid4().hex[:6]}"
    results: list[dict] = []
    acknowledged: list[str] = []
    stop = threading.Event()

    def reader(url: str) -> None:
        while not stop.is_set():
            results.append({"kind": "read", **request(url)})
            time.sleep(0.02)

    def writer(url: str) -> None:
        while not stop.is_set():
            body = write_body(prefix, targets)
            result = request(url, method="POST", body=body, token=targets["token"])
            results.append({"kind": "write", **result})
            if result["status"] == 201:
                acknowledged.append(body["name"])
            time.sleep(0.05)

    with Gunicorn(database, PORT, 3, DATA / "faults-gunicorn.log") as app:
        threads = [
            threading.Thread(target=reader, args=(app.url + "/groups/",)),
            threading.Thread(target=reader, args=(app.url + "/api/v1/groups/",)),
            threading.Thread(target=writer, args=(app.url + "/api/v1/groups/",)),
            threading.Thread(target=writer, args=(app.url + "/api/v1/groups/",)),
        ]
        for thread in threads:
            thread.start()
        try:
            time.sleep(4)
            wait_for_quiet(database, 30)
            fault_at = time.monotonic()
            if down_seconds:
                pg_ctl("stop")
                time.sleep(down_seconds)
                pg_ctl("start")
            else:
                pg_ctl("restart")
            back_at = time.monotonic()
            time.sleep(8)
        finally:
            stop.set()
            for thread in threads:
                thread.join()
            ensure_postgres_up()

    writes = check_writes(database, prefix, acknowledged)
    writes["public_rows_drift"] = public_drift(database)
    # Saved, but the answer was a 503 (the database went away while it was being prepared).
    writes["saved_but_answered_503"] = writes["in_database"] - writes["acknowledged"]
    failures = [r["at"] for r in results if r["status"] not in (200, 201)]
    window = (max(failures) - min(failures)) if failures else 0.0
    after_back = [at for at in failures if at > back_at + 1.0]
    statuses = Counter(str(r["status"]) for r in results)
    unclear_503 = [
        r
        for r in results
        if r["status"] == 503
        and "temporarily unavailable" not in json.dumps(r.get("json") or r.get("text"))
    ]
    return {
        "postgres": f"stopped for {down_seconds} s" if down_seconds else "restarted",
        "fault_seconds": round(back_at - fault_at, 2),
        "requests": len(results),
        "statuses": dict(statuses),
        "server_errors_500": statuses.get("500", 0),
        "503_without_the_message": len(unclear_503),
        "example_503": next((r.get("json") for r in results if r["status"] == 503), None),
        # How long requests failed, and whether any still failed a second after PostgreSQL
        # was back (the app reconnects by itself: none should).
        "failure_window_seconds": round(window, 2),
        "failures_later_than_1s_after_postgres_back": len(after_back),
        "writes": writes,
    }


def raw_http(payload: bytes, *, read: bool, hold: float = 0.0) -> None:
    with socket.create_connection(("127.0.0.1", PORT), timeout=10) as connection:
        connection.sendall(payload)
        if hold:
            time.sleep(hold)
        if read:
            connection.recv(65536)
    # Closed here: the server sees the client gone.


def drill_disconnect(database: str, targets: dict) -> dict:
    prefix = f"Drill disconnect {uuid.uuid4().hex[:6]}"
    token = targets["token"]
    outcomes = Counter()
    with Gunicorn(database, PORT, 2, DATA / "faults-gunicorn.log") as app:
        for _ in range(20):
            # 1. Half a body, then hang up: the view must never run.
            body = json.dumps(write_body(prefix + " half", targets)).encode()
            head = (
                f"POST /api/v1/groups/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode()
            raw_http(head + body[: len(body) // 2], read=False, hold=0.05)
            outcomes["half body sent"] += 1
            # 2. A whole write, the answer never read.
            body = json.dumps(write_body(prefix + " unread", targets)).encode()
            head = (
                f"POST /api/v1/groups/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                f"Authorization: Token {token}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
            ).encode()
            raw_http(head + body, read=False)
            outcomes["full write, answer unread"] += 1
            # 3. A slow page (search) abandoned before the answer.
            raw_http(
                b"GET /search/?q=mothers HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n",
                read=False,
            )
            outcomes["search abandoned"] += 1
        time.sleep(2)
        health = [request(app.url + "/healthz")["status"] for _ in range(10)]
        pages = [request(app.url + "/groups/")["status"] for _ in range(10)]
        log = (DATA / "faults-gunicorn.log").read_text()
    half_written = query(
        database, "SELECT count(*) FROM advocacy_group WHERE name LIKE %s", (prefix + " half %",)
    )[0][0]
    return {
        "hang-ups": dict(outcomes),
        "healthz_after": dict(Counter(health)),
        "pages_after": dict(Counter(pages)),
        "groups_from_half_bodies": half_written,
        "writes_whose_answer_was_unread": check_writes(database, prefix + " unread", []),
        "worker_timeouts_or_crashes_in_log": log.count("WORKER TIMEOUT") + log.count("Traceback"),
    }


def drill_slow(database: str, targets: dict, *, timeout_ms: int = 2000) -> dict:
    """A request stuck behind a table lock is cancelled by the statement timeout."""
    import psycopg2

    locker = psycopg2.connect(f"{POSTGRES}/{database}")
    with Gunicorn(
        database, PORT, 2, DATA / "faults-gunicorn.log", DB_STATEMENT_TIMEOUT_MS=str(timeout_ms)
    ) as app:
        before = request(app.url + "/api/v1/groups/")["status"]
        with locker.cursor() as cursor:
            cursor.execute("LOCK TABLE advocacy_group IN ACCESS EXCLUSIVE MODE")
        try:
            blocked = [request(app.url + path) for path in ("/api/v1/groups/", "/groups/")]
            health = request(app.url + "/healthz")
        finally:
            locker.rollback()
            locker.close()
        after = request(app.url + "/api/v1/groups/")
    return {
        "statement_timeout_ms": timeout_ms,
        "before_lock": before,
        "while_locked": [
            {
                "status": r["status"],
                "seconds": round(r.get("seconds", -1), 2),
                "body": r.get("json") or r.get("text"),
            }
            for r in blocked
        ],
        "healthz_while_locked": {
            "status": health["status"],
            "seconds": round(health.get("seconds", -1), 3),
        },
        "after_lock_released": after["status"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("drill", choices=["all", "restart", "outage", "disconnect", "slow"])
    parser.add_argument("--database", default="advocacy_prod_restore")
    parser.add_argument("--scale", type=int, default=2)
    parser.add_argument("--down-seconds", type=float, default=6.0)
    options = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    report = {"date": datetime.now(UTC).isoformat(timespec="seconds"), "machine": machine()}
    print(f"Preparing {options.database}...", flush=True)
    targets = prepare_database(options.database, options.scale)
    chosen = (
        ["restart", "outage", "disconnect", "slow"] if options.drill == "all" else [options.drill]
    )
    try:
        for name in chosen:
            print(f"Drill: {name}", flush=True)
            if name == "restart":
                report[name] = drill_restart(options.database, targets, down_seconds=0)
            elif name == "outage":
                report[name] = drill_restart(
                    options.database, targets, down_seconds=options.down_seconds
                )
            elif name == "disconnect":
                report[name] = drill_disconnect(options.database, targets)
            else:
                report[name] = drill_slow(options.database, targets)
            print(json.dumps(report[name], indent=2, default=str), flush=True)
    finally:
        ensure_postgres_up()
    out = DATA / f"faults-{options.drill}.json"
    out.write_text(json.dumps(report, indent=2, default=str))
    print(f"Written to {out}")


if __name__ == "__main__":
    main()
