"""What a data release costs: `make_release`'s build time, peak memory and the size of
each file, against the same run's Popolo export build (export_popolo) as a baseline.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_api \\
        .venv/bin/python bench/release_bench.py --label 10k

Fill the database first (bench/api_fill.py, then `manage.py rebuild_public`; or `seed`
for the seed scale). Writes the releases into a temporary folder and prints, then saves,
bench/data/release-<label>.json.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()
    from django.conf import settings

    from advocacy.api import popolo_files
    from advocacy.formats import releases
    from advocacy.models import PublicStatement
    from advocacy.models.public import DataRelease

    with tempfile.TemporaryDirectory() as folder:
        settings.RELEASES_DIR = Path(folder) / "releases"
        settings.EXPORTS_DIR = Path(folder) / "exports"
        started = time.monotonic()
        popolo_files.build(base_url="https://tracker.example.org")
        baseline = time.monotonic() - started
        started = time.monotonic()
        release = releases.build(base_url="https://tracker.example.org")
        seconds = time.monotonic() - started
        files = releases.files_of(release)
        results = {
            "label": options.label,
            "public_statements": PublicStatement.objects.count(),
            "release_seconds": round(seconds, 2),
            "popolo_export_seconds": round(baseline, 2),
            "ratio_to_popolo_export": round(seconds / baseline, 2) if baseline else None,
            "total_bytes": sum(f["bytes"] for f in files),
            "files": {f["path"]: f["bytes"] for f in files},
            "peak_mb": round(peak_mb(), 1),
        }
        DataRelease.objects.filter(pk=release.pk).delete()
    print(json.dumps(results, indent=1))
    out = ROOT / "bench" / "data" / f"release-{options.label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1) + "\n")


if __name__ == "__main__":
    main()
