"""The Popolo export served as a file: how long a build takes, and what a request costs.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_bench \\
        .venv/bin/python bench/export_bench.py --label 10k

Fill the database first (bench/api_fill.py). Builds the file with `manage.py export_popolo`
into a temporary EXPORTS_DIR (timed), then serves the app with gunicorn as docker-compose
does (gthread, 4 threads a worker, 30 s timeout) and measures, on 127.0.0.1: the time to
the first byte and to the last of full downloads, a conditional GET answered 304, and the
statements the database ran for them (pg_stat_statements is not needed: the server's
counter of transactions, `xact_commit`, for the database). Prints Markdown and writes
bench/data/export-<label>.json.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
URL = "/api/v1/export/popolo.json"


def get(port: int, headers: dict | None = None) -> dict:
    start = time.perf_counter()
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    connection.request("GET", URL, headers=headers or {})
    response = connection.getresponse()
    first = response.read(1)
    first_byte = time.perf_counter() - start
    size = len(first) + len(response.read())
    total = time.perf_counter() - start
    connection.close()
    return {
        "status": response.status,
        "first_byte_ms": first_byte * 1000,
        "total_ms": total * 1000,
        "bytes": size,
        "etag": response.getheader("ETag"),
        "content_length": response.getheader("Content-Length"),
    }


def transactions(database_url: str) -> int:
    with psycopg2.connect(database_url) as connection, connection.cursor() as cursor:
        cursor.execute(
            "SELECT xact_commit + xact_rollback FROM pg_stat_database "
            "WHERE datname = current_database()"
        )
        return cursor.fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="run")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--downloads", type=int, default=10)
    parser.add_argument("--conditional", type=int, default=200)
    options = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the filled PostgreSQL database.")
    exports = tempfile.mkdtemp(prefix="advocacy-exports-")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": "benchmark-only-secret-key-not-for-production",
        "ALLOWED_HOSTS": HOST,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "LOG_LEVEL": "ERROR",
        "EXPORTS_DIR": exports,
        "DB_STATEMENT_TIMEOUT_MS": "0",
    }
    start = time.perf_counter()
    built = subprocess.run(
        [sys.executable, "manage.py", "export_popolo"], cwd=ROOT, env=env, text=True
    )
    build_seconds = time.perf_counter() - start
    if built.returncode:
        raise SystemExit("The export did not build.")
    size = next(Path(exports).glob("popolo-*.json")).stat().st_size
    gunicorn = [str(ROOT / ".venv" / "bin" / "gunicorn"), "config.wsgi:application"]
    gunicorn += ["--bind", f"{HOST}:{options.port}", "--log-level", "warning"]
    # As docker-compose and the Dockerfile run it.
    gunicorn += ["--worker-class", "gthread", "--workers", "2", "--threads", "4"]
    gunicorn += ["--timeout", "30"]
    server = subprocess.Popen(
        gunicorn,
        cwd=ROOT,
        env=env,
    )
    try:
        for _ in range(120):
            try:
                warm = get(options.port)
                break
            except OSError:
                time.sleep(0.5)
        else:
            raise SystemExit("The server did not answer.")
        before = transactions(database_url)
        downloads = [get(options.port) for _ in range(options.downloads)]
        etag = downloads[0]["etag"]
        conditional = [
            get(options.port, {"If-None-Match": etag}) for _ in range(options.conditional)
        ]
        time.sleep(2)  # the backends report their counts within a second of being idle
        during = transactions(database_url) - before - 1  # less this function's own
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert warm["status"] == 200 and all(d["status"] == 200 for d in downloads)
    assert all(c["status"] == 304 for c in conditional)
    assert all(int(d["content_length"]) == d["bytes"] == size for d in downloads)
    figures = {
        "label": options.label,
        "build_seconds": round(build_seconds, 1),
        "file_bytes": size,
        "download_first_byte_ms_p50": round(
            statistics.median(d["first_byte_ms"] for d in downloads), 2
        ),
        "download_total_ms_p50": round(statistics.median(d["total_ms"] for d in downloads), 1),
        "download_MB_per_s": round(
            size / 1e6 / (statistics.median(d["total_ms"] for d in downloads) / 1000), 1
        ),
        "conditional_304_ms_p50": round(statistics.median(c["total_ms"] for c in conditional), 2),
        "database_transactions_during_requests": during,
        "requests": options.downloads + options.conditional,
    }
    print(json.dumps(figures, indent=2))
    out = ROOT / "bench" / "data"
    out.mkdir(exist_ok=True)
    (out / f"export-{options.label}.json").write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
