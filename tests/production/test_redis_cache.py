"""REDIS_URL: the caches every worker must share (kept API answers and counts, the API's
throttling) live in Redis, through Django's own RedisCache; without it, in each worker's
memory. Against a real redis-server started on a loopback port for these tests."""

import json
import shutil
import socket
import subprocess
import sys
import time

import pytest
import redis
from django.core.cache import caches

from tests import factories
from tests.production.helpers import ROOT, production_env, python

REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
SHOW_CACHES = (
    "import django, json; django.setup(); from django.conf import settings; "
    "print(json.dumps(settings.CACHES))"
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def redis_url():
    if not shutil.which(REDIS_SERVER):
        pytest.skip(f"redis-server is not installed ({REDIS_SERVER}): apt-get install redis")
    port = free_port()
    # In memory only: no dump file, no append-only file.
    options = ["--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    server = subprocess.Popen(
        [REDIS_SERVER, *options],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    client = redis.Redis.from_url(url)
    try:
        for _ in range(100):
            try:
                client.ping()
                break
            except redis.ConnectionError:
                time.sleep(0.05)
        else:
            pytest.fail(f"redis-server did not answer on port {port}")
        yield url
    finally:
        client.close()
        server.terminate()
        server.wait(timeout=10)


def caches_with(**env) -> dict:
    result = python(SHOW_CACHES, env=production_env(**env))
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_redis_url_puts_every_cache_in_redis(redis_url):
    configured = caches_with(REDIS_URL=redis_url)
    assert set(configured) == {"default"}
    for alias in configured.values():
        assert alias["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
        assert alias["LOCATION"] == redis_url


def test_without_redis_url_each_worker_keeps_its_own():
    for alias in caches_with(REDIS_URL=None).values():
        assert alias["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"


SET_THEN_GET = (
    "import django, sys; django.setup(); from django.core.cache import caches; "
    "cache = caches[sys.argv[1]]; "
    "cache.set('between-processes', 'written by another process') if sys.argv[2] == 'set' "
    "else print(cache.get('between-processes'))"
)


@pytest.mark.parametrize("alias", ["default"])
def test_what_one_process_keeps_another_reads(redis_url, alias):
    """Two processes, as two gunicorn workers: shared through Redis, not without it."""

    def run(action: str, **env) -> str:
        result = subprocess.run(
            [sys.executable, "-c", SET_THEN_GET, alias, action],
            env=production_env(**env),
            capture_output=True,
            text=True,
            cwd=ROOT,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.strip()

    run("set", REDIS_URL=redis_url)
    assert run("get", REDIS_URL=redis_url) == "written by another process"
    run("set", REDIS_URL=None)
    assert run("get", REDIS_URL=None) == "None"


@pytest.mark.django_db
def test_the_api_throttle_counts_in_redis(redis_url, settings, api_client):
    """The app itself writes there: an anonymous API read counts against the shared
    throttle, whichever worker answers."""
    settings.CACHES = caches_with(REDIS_URL=redis_url)
    factories.StatementFactory()
    client = redis.Redis.from_url(redis_url)
    client.flushdb()
    assert api_client.get("/api/v1/statements/").status_code == 200
    keys = [key.decode() for key in client.keys("advocacy:*")]
    assert any("throttle_anon" in key for key in keys), keys
    assert caches["default"].__class__.__name__ == "RedisCache"
    client.close()
