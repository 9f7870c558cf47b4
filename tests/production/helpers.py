"""Running manage.py in a subprocess with an environment of our own (production or not)."""

import os
import secrets
import subprocess
import sys
import tempfile
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# What a real deployment sets; nothing else from the test run's environment leaks in.
KEPT = ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR", "PYTHONPATH")


def production_env(**overrides: str | None) -> dict[str, str]:
    env = {name: os.environ[name] for name in KEPT if name in os.environ}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "tracker.example.org",
            # Never the developer's db.sqlite3; tests that need a database pass their own.
            "DATABASE_URL": f"sqlite:///{Path(tempfile.gettempdir()) / 'advocacy-check.sqlite3'}",
        }
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def manage(*args: str, env: dict[str, str], timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def python(code: str, *, env: dict[str, str], args=()) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code, *args], env=env, cwd=ROOT, capture_output=True, text=True
    )
