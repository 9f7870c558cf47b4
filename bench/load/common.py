"""What the load test and the fault drills share: a PostgreSQL database filled with the
synthetic data set, an API writer with a token, and gunicorn serving the app on loopback."""

from __future__ import annotations

import json
import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "bench" / "data"
PYTHON = str(ROOT / ".venv" / "bin" / "python")
POSTGRES = os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432")


def app_env(database: str, **extra: str) -> dict[str, str]:
    """Production mode over plain HTTP on loopback, throttling out of the way."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_", "DEBUG"))
    }
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "DATABASE_URL": f"{POSTGRES}/{database}",
            "DEBUG": "0",
            "SECRET_KEY": "bench-" + secrets.token_urlsafe(40),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "SECURE_SSL_REDIRECT": "0",
            "SESSION_COOKIE_SECURE": "0",
            "CSRF_COOKIE_SECURE": "0",
            "STATIC_MANIFEST": "0",
            "API_ANON_RATE": "10000000/minute",
            "API_USER_RATE": "10000000/minute",
            "PYTHONPATH": str(ROOT),
        }
    )
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str) -> str:
    result = subprocess.run(
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"manage.py {' '.join(args)} failed:\n{result.stderr}")
    return result.stdout


PREPARE = """
import json, secrets
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from rest_framework.authtoken.models import Token
from advocacy.models import Event, Group, Person, Source, Statement
from bench.synthetic import generate
counts = generate(scale={scale})
writer = get_user_model().objects.create_user("load-writer", password=secrets.token_urlsafe())
writer.user_permissions.set(Permission.objects.filter(
    content_type__app_label="advocacy",
    codename__in=["add_group", "add_citation", "view_group", "view_citation", "view_source",
                  "publish_group"]))
token = Token.objects.create(user=writer)
def slugs(model):
    return list(model.objects.public().values_list("slug", flat=True)[:300])
print(json.dumps({{
    "counts": counts,
    "token": token.key,
    "groups": slugs(Group), "people": slugs(Person), "events": slugs(Event),
    "statements": slugs(Statement), "sources": slugs(Source),
    "source_ids": list(Source.objects.public().values_list("pk", flat=True)),
}}))
"""


def prepare_database(database: str, scale: int) -> dict:
    """A fresh database: migrated, the seed data, the synthetic set at `scale`, a writer."""
    import psycopg2

    admin = psycopg2.connect(f"{POSTGRES}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{database}"')
    admin.close()
    env = app_env(database, DB_STATEMENT_TIMEOUT_MS="0")
    manage(env, "migrate", "--noinput")
    manage(env, "seed")
    out = manage(env, "shell", "-c", PREPARE.format(scale=scale))
    # Whatever the generator's saves left to build, built once (the public read model).
    manage(env, "rebuild_public", "--verbosity", "0")
    return json.loads(out.strip().splitlines()[-1])


class Gunicorn:
    """gunicorn on 127.0.0.1:port, started and stopped by its own process id."""

    def __init__(self, database: str, port: int, workers: int, log: Path, **env: str):
        self.url = f"http://127.0.0.1:{port}"
        self.command = [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--timeout",
            "30",
            "--graceful-timeout",
            "10",
            "--access-logfile",
            "-",
        ]
        self.env = app_env(database, **env)
        self.log = log
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Gunicorn:
        self.process = subprocess.Popen(
            self.command,
            env=self.env,
            cwd=ROOT,
            stdout=self.log.open("w"),
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(self.url + "/healthz", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        self.__exit__()
        sys.exit(f"gunicorn did not come up; see {self.log}")

    def __exit__(self, *exc_info) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def query(database: str, sql: str, params: tuple = ()) -> list[tuple]:
    import psycopg2

    connection = psycopg2.connect(f"{POSTGRES}/{database}")
    try:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()
    finally:
        connection.close()


def machine() -> str:
    cpu = "unknown CPU"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = int(Path("/proc/meminfo").read_text().split()[1]) // (1024 * 1024)
    load = os.getloadavg()[0]
    return f"{os.cpu_count()} × {cpu}, {memory} GiB RAM, load average {load:.1f} at start"
