"""What the public read model costs to build: a full `rebuild_public`, and protecting one
person who speaks in many statements (one transaction).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_api \\
        .venv/bin/python bench/rebuild_bench.py --label 10k [--workers 2]

Fill the database first (bench/api_fill.py; it writes with COPY, so no public row exists
until this rebuilds them). Prints time, rows per second and peak memory (this process, and
the largest worker with --workers), and writes bench/data/rebuild-<label>.json. The
protection is rolled back, so the data stays as filled. Runs with DEBUG off, as deployed
(DEBUG keeps every query's text in memory).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class Rollback(Exception):
    pass


def peak_mb(who=resource.RUSAGE_SELF) -> float:
    return resource.getrusage(who).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", required=True)
    parser.add_argument("--skip-rebuild", action="store_true", help="only the protection")
    parser.add_argument("--skip-protect", action="store_true", help="only the rebuild")
    parser.add_argument("--workers", type=int, default=1, help="rebuild_public --workers")
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "0")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()
    from django.db import transaction
    from django.db.models import Count

    from advocacy.models import Person, PublicStatement
    from advocacy.publication.builders import rebuild_all
    from advocacy.publication.triggers import batch
    from advocacy.text import fold

    results: dict = {"label": options.label}
    if not options.skip_rebuild:
        started = time.monotonic()
        counts = rebuild_all(workers=options.workers)
        seconds = time.monotonic() - started
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        rows = sum(counts.values())
        results["rebuild"] = {
            "rows": counts,
            "workers": options.workers,
            "seconds": round(seconds, 1),
            "rows_per_second": round(rows / seconds),
            "peak_memory_mb": round(peak_mb()),
            "peak_memory_worker_mb": round(peak_mb(resource.RUSAGE_CHILDREN)),
            # This process and its workers (not PostgreSQL's).
            "cpu_seconds": round(time.process_time() + children.ru_utime + children.ru_stime, 1),
        }
        print(
            f"rebuild_public: {rows} rows in {seconds:.1f} s ({rows / seconds:.0f}/s), "
            f"peak {peak_mb():.0f} MB"
            + (
                f", largest of {options.workers} workers {peak_mb(resource.RUSAGE_CHILDREN):.0f} MB"
                if options.workers > 1
                else ""
            )
        )

    if not options.skip_protect:
        speaker = (
            Person.objects.public().annotate(spoken=Count("statements")).order_by("-spoken").first()
        )
        surname = max((w for w in speaker.name.split() if not w.isdigit()), key=len)
        shown = PublicStatement.objects.filter(mentions__contains=fold(surname))
        before = shown.count()
        started = time.monotonic()
        try:
            with transaction.atomic():
                with batch():
                    speaker.is_protected = True
                    speaker.save()
                seconds = time.monotonic() - started
                after = shown.count()
                raise Rollback
        except Rollback:
            pass
        results["protect"] = {
            "statements_spoken": speaker.spoken,
            "rows_naming_before": before,
            "rows_naming_after": after,
            "seconds": round(seconds, 2),
        }
        print(
            f"protecting a person who speaks in {speaker.spoken} statements "
            f"({before} public rows named them, {after} after): {seconds:.2f} s, one transaction"
        )
    out = ROOT / "bench" / "data" / f"rebuild-{options.label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()
