"""Load test: gunicorn + PostgreSQL on loopback with the synthetic data set, driven by locust
(bench/load/locustfile.py: 80% public pages and search, 15% API reads, 5% API writes).

    .venv/bin/pip install -e '.[dev,bench]'
    .venv/bin/python bench/load/run.py --scale 10 --users 16 --duration 3m

Bounded: --duration (locust's run time) and --max-requests. Afterwards every acknowledged
write (201) is looked up in the database: reported as lost if missing, as half-applied if
its group is there without its citation. Figures go to stdout and bench/data/load-summary.json.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import DATA, ROOT, Gunicorn, machine, prepare_database, query


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", default="advocacy_prod_bench")
    parser.add_argument("--scale", type=int, default=10)
    parser.add_argument("--users", type=int, default=16)
    parser.add_argument("--duration", default="3m")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--port", type=int, default=8791)
    options = parser.parse_args()

    DATA.mkdir(exist_ok=True)
    started_at = datetime.now(UTC)
    where = machine()
    print(f"Preparing {options.database} (scale {options.scale})...", flush=True)
    t0 = time.monotonic()
    targets = prepare_database(options.database, options.scale)
    print(f"  {targets['counts']} in {time.monotonic() - t0:.0f} s", flush=True)
    (DATA / "load-targets.json").write_text(json.dumps(targets))
    writes_log = DATA / "load-writes.jsonl"
    writes_log.write_text("")

    with Gunicorn(options.database, options.port, options.workers, DATA / "load-gunicorn.log"):
        print(f"Running locust: {options.users} users for {options.duration}...", flush=True)
        env = {
            **os.environ,
            "LOAD_TARGETS": str(DATA / "load-targets.json"),
            "LOAD_TOKEN": targets["token"],
            "LOAD_WRITES_LOG": str(writes_log),
            "LOAD_MAX_REQUESTS": str(options.max_requests),
        }
        subprocess.run(
            [
                str(ROOT / ".venv" / "bin" / "locust"),
                "-f",
                str(ROOT / "bench" / "load" / "locustfile.py"),
                "--headless",
                "--users",
                str(options.users),
                "--spawn-rate",
                str(options.users),
                "--run-time",
                options.duration,
                "--host",
                f"http://127.0.0.1:{options.port}",
                "--csv",
                str(DATA / "load"),
                "--only-summary",
                "--stop-timeout",
                "15",
                "--loglevel",
                "WARNING",
            ],
            env=env,
            cwd=ROOT,
            check=False,
        )

    acknowledged = [json.loads(line) for line in writes_log.read_text().splitlines() if line]
    lost, half = [], []
    for write in acknowledged:
        rows = query(
            options.database,
            "SELECT g.id, (SELECT count(*) FROM advocacy_citation c JOIN django_content_type t"
            " ON t.id = c.content_type_id WHERE t.model = 'group' AND c.object_id = g.id)"
            " FROM advocacy_group g WHERE g.id = %s AND g.name = %s",
            (write["id"], write["name"]),
        )
        if not rows:
            lost.append(write)
        elif rows[0][1] != 1:
            half.append(write)
    in_database = query(
        options.database, "SELECT count(*) FROM advocacy_group WHERE name LIKE 'Load group %%'"
    )[0][0]

    with (DATA / "load_stats.csv").open() as stats:
        rows = {row["Name"]: row for row in csv.DictReader(stats)}
    summary = {
        "date": started_at.isoformat(timespec="seconds"),
        "machine": where,
        "options": vars(options),
        "data": targets["counts"],
        "requests": {
            name: {
                "count": int(row["Request Count"]),
                "failures": int(row["Failure Count"]),
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": row["50%"],
                "p99_ms": row["99%"],
            }
            for name, row in rows.items()
        },
        "writes_acknowledged": len(acknowledged),
        "writes_lost": len(lost),
        "writes_half_applied": len(half),
        "load_groups_in_database": in_database,
    }
    (DATA / "load-summary.json").write_text(json.dumps(summary, indent=2))
    print(json.dumps(summary, indent=2))
    if lost or half:
        sys.exit(f"LOST {len(lost)} / HALF-APPLIED {len(half)} acknowledged writes")


if __name__ == "__main__":
    main()
