"""Immediately: after the transaction that protects someone commits, the very next request
to any worker shows nothing of them.

A real server: gunicorn with two worker processes, started with the options of the repo's
own deployment (docker-compose's command), against a database of its own — a PostgreSQL
database made for this module when the suite runs on PostgreSQL, a SQLite file otherwise —
migrated and seeded by `manage.py`. Each worker first answers every URL showing Alla
Makruch (each keeps its own connection and its own kept counts); another process then
protects her in one transaction and commits; from then on every answer of both workers, the
first included, must show nothing of her.

(Not Olga Tsukanova: the search fields' help text names her as an example on every list
page, whoever is protected.)
"""

import contextlib
import json
import os
import shlex
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
import yaml
from django.conf import settings

from advocacy.text import fold
from tests.production.helpers import ROOT, manage, production_env, python

ON_POSTGRESQL = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
HER = "makruch"  # her name folded: Makruch, Макруч, alla-makruch…
WORKERS = 2
TRIES = 200


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def deployment_options() -> list[str]:
    """gunicorn's options as docker-compose runs the app (worker class, threads, timeouts),
    with two workers."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    words = shlex.split(compose["services"]["web"]["command"].replace("\\\n", " "))
    command = words[words.index("sh") + 2] if "sh" in words else " ".join(words)
    words = shlex.split(command.split("exec gunicorn", 1)[1])
    options: list[str] = []
    for index, word in enumerate(words):
        if word in ("--worker-class", "--threads", "--timeout", "--graceful-timeout"):
            options += [word, words[index + 1]]
    assert "--worker-class" in options, words
    return [*options, "--workers", str(WORKERS)]


@contextlib.contextmanager
def database_url(tmp_path: Path):
    if not ON_POSTGRESQL:
        yield f"sqlite:///{tmp_path / 'workers.sqlite3'}"
        return
    db = settings.DATABASES["default"]
    name = f"advocacy_workers_{os.getpid()}"
    params = {
        "host": db["HOST"] or "127.0.0.1",
        "port": db["PORT"] or 5432,
        "user": db["USER"],
        "password": db["PASSWORD"],
        "dbname": "postgres",
    }
    admin = psycopg2.connect(**params)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
        yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("workers")
    with database_url(tmp_path) as url:
        env = production_env(
            DATABASE_URL=url,
            ALLOWED_HOSTS="127.0.0.1",
            SECURE_SSL_REDIRECT="0",
            STATIC_MANIFEST="0",
            API_ANON_RATE="100000/minute",
            PYTHONPATH=str(ROOT),
        )
        for step in (("migrate", "--noinput", "-v0"), ("seed",)):
            done = manage(*step, env=env, timeout=300)
            assert done.returncode == 0, done.stderr
        port = free_port()
        log = (tmp_path / "gunicorn.log").open("w+")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tests.production.worker_app:application",
                "--bind",
                f"127.0.0.1:{port}",
                *deployment_options(),
            ],
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(300):
                with contextlib.suppress(OSError):
                    if get(base + "/healthz")[0] == 200:
                        break
                time.sleep(0.1)
            else:
                log.seek(0)
                pytest.fail(f"gunicorn did not start: {log.read()}")
            yield base, env
        finally:
            process.terminate()
            process.wait(timeout=30)
            log.close()


def get(url: str) -> tuple[int, str, str]:
    """Status, worker pid and body of a GET on a new connection (redirects followed)."""
    request = urllib.request.Request(url, headers={"Connection": "close"})
    try:
        with urllib.request.urlopen(request, timeout=30) as answer:
            return answer.status, answer.headers["X-Worker-Pid"], answer.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["X-Worker-Pid"], error.read().decode()


def from_every_worker(url: str) -> dict[str, list[tuple[int, str]]]:
    """Ask until each worker has answered: every answer, by worker."""
    answers: dict[str, list[tuple[int, str]]] = {}
    for _ in range(TRIES):
        status, pid, body = get(url)
        answers.setdefault(pid, []).append((status, body))
        if len(answers) == WORKERS:
            return answers
    pytest.fail(f"only workers {sorted(answers)} answered {url} in {TRIES} requests")


def protect(env: dict, name: str) -> None:
    """Protect someone from another process, in one transaction, committed."""
    protected = python(
        "import django, sys; django.setup()\n"
        "from advocacy.models import Person\n"
        "from advocacy.publication.triggers import batch\n"
        "with batch():\n"
        "    person = Person.objects.get(name=sys.argv[1])\n"
        "    person.is_protected = True\n"
        "    person.save()\n",
        env=env,
        args=[name],
    )
    assert protected.returncode == 0, protected.stderr


def shows_her_on_every_worker(base: str, urls: list[str], her: str) -> None:
    before = {url: from_every_worker(base + url) for url in urls}
    for url, by_worker in before.items():
        for pid, answers in by_worker.items():
            assert any(her in fold(body) for _status, body in answers), (url, pid)


def test_a_protection_is_public_on_every_worker_at_once(server):
    base, env = server
    # ?q=Макруч
    found = get(base + "/api/v1/people/?q=%D0%9C%D0%B0%D0%BA%D1%80%D1%83%D1%87")
    people = json.loads(found[2])["results"]
    assert [p["name"] for p in people] == ["Alla Makruch"]
    her = people[0]
    urls = [
        "/api/v1/people/",
        f"/api/v1/people/{her['id']}/",
        "/api/v1/statements/?page_size=500",
        "/api/v1/events/",
        "/api/v1/people/?q=Makrutch",
        "/people/",
        f"/people/{her['slug']}/",
    ]
    shows_her_on_every_worker(base, urls, HER)
    protect(env, "Alla Makruch")

    for url in urls:
        for pid, answers in from_every_worker(base + url).items():
            for status, body in answers:
                # A page echoes the reader's own address (the language links, the
                # language form's `next`): not a leak.
                shown = body.replace(urlsplit(url).path.lstrip("/"), "")
                assert HER not in fold(shown), (url, pid, status)
                if url.endswith(f"/{her['id']}/") or url.endswith(f"/{her['slug']}/"):
                    assert status == 404, (url, pid, status)
                else:
                    assert status == 200, (url, pid, status)


def test_the_html_statement_list_shows_nothing_of_a_protected_speaker(server):
    base, env = server
    shows_her_on_every_worker(base, ["/statements/"], "verbitska")
    protect(env, "Alona Verbytska")
    for pid, answers in from_every_worker(base + "/statements/").items():
        for status, body in answers:
            assert status == 200
            assert "verbitska" not in fold(body), pid
