"""Serve the app with gunicorn on loopback and measure the API with wrk.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_api \\
        .venv/bin/python bench/api_bench.py --label 10k

Fill the database first (bench/api_fill.py). Measures, in one run and on one server:
a baseline (a bare Django view returning 50 rows with `.values()` and `JsonResponse`,
bench/api_urls.py), the API statement list (page 1 numbered, page 1 cursor, a deep cursor
page), a statement detail, a filtered list (group + date range), `q=` searches, and the
public /statements/, statement, /search/ and home pages, each right after the baseline
again, and compared with that one (the host drifts within a run). Then a cursor walk,
alternating with a COPY of the documents it read. Prints a Markdown table (req/s, p50, p99,
ratios to the baseline) and writes bench/data/api-<label>.json; `--compare LABEL` adds each
endpoint's p50 against an earlier run's. Only 127.0.0.1 is contacted.

Anonymous API answers are the stored public rows (advocacy/publication/; build them first with
`manage.py rebuild_public` or bench/rebuild_bench.py). By default the server keeps the public
pages' counts until the data changes (`CACHE_UNTIL_CHANGED`, as in production); `--cold`
turns that off.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


def fetch(url: str, timeout: float = 60) -> tuple[int, bytes]:
    """Status and body; status 0 when the server did not answer within the timeout."""
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except TimeoutError:
        return 0, b""


def wait_until_up(url: str, seconds: int = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if fetch(url)[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"The server did not answer at {url}.")


UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}


def parse_wrk(output: str) -> dict:
    def latency(percent: str) -> float:
        match = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M)
        return round(float(match.group(1)) * UNITS[match.group(2)], 2) if match else float("nan")

    rps = re.search(r"Requests/sec:\s+([\d.]+)", output)
    errors = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", output)
    requests = re.search(r"(\d+) requests in", output)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": latency("50"),
        "p99_ms": latency("99"),
        "requests": int(requests.group(1)) if requests else 0,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def wrk(url: str, *, duration: int, connections: int, threads: int) -> dict:
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{duration}s",
        "--latency",
        "--timeout",
        "30s",
        url,
    ]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return parse_wrk(output)


def walk_and_copy(base: str, statements: int, page_size: int = 500, segments: int = 10):
    """A script's cursor walk through the statements, `page_size` a page, one client, and
    its baseline: the same stored documents read by `COPY (SELECT document …) TO STDOUT` on
    one connection. They alternate, a segment of the walk and then a COPY of exactly the
    documents it read, so that both meet the same host: on a shared one COPY's rate moved
    by half within a run, and the ratio with it.

    Each segment's documents are first read by a COPY outside the ratio, so that the walk
    and its COPY both find them in PostgreSQL's shared buffers. Without it the walk paid alone for
    bringing them there from the OS cache (a walk of 100,000 statements is 400 MB, three
    times the default `shared_buffers`), and the COPY after it read them from memory: a
    page of 500 took 5.1 ms to read the first time, 3.6 ms the next. That first read's rate
    is kept in the report, as `first_read_per_second`.

    The walk's `per_second` times the requests alone (the server's answer, received whole),
    as COPY's times the documents received; the client's parsing of each page (`json.loads`,
    the script's own work, which also finds the `next` link) is timed apart."""
    url = f"{base}/api/v1/statements/?pagination=cursor&page_size={page_size}"
    walked = {"statements": 0, "pages": 0, "seconds": 0.0, "parsing_seconds": 0.0}
    copied = {"statements": 0, "bytes": 0, "seconds": 0.0, "segment_ratios": []}
    first_read = {"statements": 0, "seconds": 0.0}
    # Whole pages: a segment is warmed before it is walked, and the walk reads pages.
    per_segment = max(page_size, statements // segments // page_size * page_size)
    after_id = 0
    while url and walked["statements"] < statements:
        warming = copy_documents(
            min(per_segment, statements - walked["statements"]), after_id=after_id
        )
        first_read["statements"] += warming["statements"]
        first_read["seconds"] += warming["seconds"]
        ids, fetching = [], 0.0
        while url and len(ids) < per_segment and walked["statements"] + len(ids) < statements:
            started = time.monotonic()
            status, body = fetch(url)
            fetching += time.monotonic() - started
            if status != 200:
                raise SystemExit(f"The walk stopped at {url}: HTTP {status}.")
            started = time.monotonic()
            page = json.loads(body)
            walked["parsing_seconds"] += time.monotonic() - started
            ids += [statement["id"] for statement in page["results"]]
            walked["pages"] += 1
            url = page.get("next")
        if not ids:
            break
        copy = copy_documents(len(ids), after_id=after_id)
        after_id = ids[-1]
        walked["statements"] += len(ids)
        walked["seconds"] += fetching
        copied["statements"] += copy["statements"]
        copied["bytes"] += copy["bytes"]
        copied["seconds"] += copy["seconds"]
        copied["segment_ratios"].append(round(len(ids) / fetching / copy["per_second"], 3))
    walked["per_second"] = round(walked["statements"] / walked["seconds"])
    walked["with_parsing_per_second"] = round(
        walked["statements"] / (walked["seconds"] + walked["parsing_seconds"])
    )
    copied["per_second"] = round(copied["statements"] / copied["seconds"])
    copied["first_read_per_second"] = round(first_read["statements"] / first_read["seconds"])
    walked["ratio_to_copy"] = round(walked["per_second"] / copied["per_second"], 3)
    walked["ratio_to_copy_with_parsing"] = round(
        walked["with_parsing_per_second"] / copied["per_second"], 3
    )
    walked["seconds"] = round(walked["seconds"], 2)
    walked["parsing_seconds"] = round(walked["parsing_seconds"], 2)
    copied["seconds"] = round(copied["seconds"], 2)
    return walked, copied


def copy_documents(statements: int, after_id: int = 0) -> dict:
    """`statements` stored documents in id order after `after_id`, as the walk's cursor
    reads them, by one `COPY (SELECT document …) TO STDOUT` on one connection."""
    import psycopg2

    connection = psycopg2.connect(os.environ["DATABASE_URL"])
    try:
        with connection.cursor() as cursor:
            sink = _Sink()
            started = time.monotonic()
            cursor.copy_expert(
                "COPY (SELECT document_en FROM advocacy_publicstatement "
                f"WHERE id > {int(after_id)} ORDER BY id LIMIT {int(statements)}) TO STDOUT",
                sink,
            )
            seconds = time.monotonic() - started
    finally:
        connection.close()
    return {
        "statements": statements,
        "bytes": sink.size,
        "seconds": seconds,
        "per_second": round(statements / seconds),
    }


class _Sink:
    size = 0

    def write(self, data) -> None:
        self.size += len(data)


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        memory = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} × {cpu}{memory}, {platform.system()} {platform.release()}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--label", default="run", help="e.g. 10k or 1M, names the output file")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--gthread",
        dest="gunicorn_threads",
        metavar="THREADS",
        type=int,
        default=0,
        help="gunicorn gthread workers with this many threads each (keep-alive), as the "
        "Dockerfile serves; 0 (default): sync workers, as every earlier run",
    )
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint")
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument(
        "--walk", type=int, default=100_000, help="statements a cursor walk reads (page_size=500)"
    )
    parser.add_argument("--threads", type=int, default=1, help="wrk threads")
    parser.add_argument(
        "--compare",
        metavar="LABEL",
        help="an earlier run's label (e.g. 10k): print each endpoint's p50 against that run's",
    )
    parser.add_argument(
        "--cold",
        action="store_true",
        help="CACHE_UNTIL_CHANGED=0: no count kept between requests",
    )
    options = parser.parse_args()
    earlier_file = None
    if options.compare:
        # Known before the run, not after ten minutes of it.
        earlier_file = ROOT / "bench" / "data" / f"api-{options.compare}.json"
        if not earlier_file.exists():
            raise SystemExit(f"--compare {options.compare}: no {earlier_file.relative_to(ROOT)}.")
    if not shutil.which("wrk"):
        raise SystemExit("wrk is needed: apt-get install -y wrk")
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        raise SystemExit("Set DATABASE_URL to the filled PostgreSQL database.")

    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.api_settings",
        "PYTHONPATH": str(ROOT),
        "SECRET_KEY": os.environ.get("SECRET_KEY", "benchmark-only-secret-key-not-for-production"),
        "ALLOWED_HOSTS": HOST,
        "DEBUG": "0",
        "SECURE_SSL_REDIRECT": "0",
        "STATIC_MANIFEST": "0",
        "DB_CONN_MAX_AGE": "600",
        "LOG_LEVEL": "ERROR",
        "CACHE_UNTIL_CHANGED": "0" if options.cold else "1",
    }
    base = f"http://{HOST}:{options.port}"
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--bind",
            f"{HOST}:{options.port}",
            "--workers",
            str(options.workers),
            *(
                ["--worker-class", "gthread", "--threads", str(options.gunicorn_threads)]
                if options.gunicorn_threads
                else []
            ),
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_until_up(f"{base}/bench/baseline/")
        first = json.loads(fetch(f"{base}/api/v1/statements/?page_size=1")[1])
        count = first["count"]
        detail_id = first["results"][0]["id"]
        detail_slug = first["results"][0]["slug"]
        rare_word = re.search(r"\((\w+) ", first["results"][0]["summary"]).group(1)

        def edge_id(ordering: str) -> int:
            url = f"{base}/api/v1/statements/?ordering={ordering}&page_size=1"
            return json.loads(fetch(url)[1])["results"][0]["id"]

        # A cursor 90 % of the way through the ids, as a script walking everything reaches.
        first_id, last_id = edge_id("id"), edge_id("-id")
        position = first_id + int((last_id - first_id) * 0.9)
        cursor = f"p{position}"  # the API's plain cursors (advocacy/api/pagination.py)
        group = "group-1"
        endpoints = [
            ("baseline: .values() + JsonResponse, 50 rows", "/bench/baseline/"),
            ("API list, page 1 (numbered, with count)", "/api/v1/statements/?page_size=50"),
            ("API list, page 1 (cursor)", "/api/v1/statements/?pagination=cursor&page_size=50"),
            (
                "API list, deep cursor page (90 %)",
                f"/api/v1/statements/?cursor={cursor}&page_size=50",
            ),
            ("API detail", f"/api/v1/statements/{detail_id}/"),
            (
                "API filtered: group + date range (cursor)",
                f"/api/v1/statements/?group={group}&date_after=2023-01-01&date_before=2023-12-31"
                "&pagination=cursor&page_size=50",
            ),
            (
                "API filtered: group + date range (numbered)",
                f"/api/v1/statements/?group={group}&date_after=2023-01-01&date_before=2023-12-31"
                "&page_size=50",
            ),
            ("API q= rare word", f"/api/v1/statements/?q={rare_word}&page_size=50"),
            (
                "API q= Cyrillic surname (Цуканова)",
                "/api/v1/statements/?q=%D0%A6%D1%83%D0%BA%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0&page_size=50",
            ),
            ("public /statements/", "/statements/"),
            ("public statement page", f"/statements/{detail_slug}/"),
            ("public /search/ rare word", f"/search/?q={rare_word}"),
            (
                "public /search/?q=Цуканова",
                "/search/?q=%D0%A6%D1%83%D0%BA%D0%B0%D0%BD%D0%BE%D0%B2%D0%B0",
            ),
            ("public home page (counts)", "/"),
        ]
        results = []
        baseline_path = endpoints[0][1]
        measuring = {
            "duration": options.duration,
            "connections": options.connections,
            "threads": options.threads,
        }
        for label, path in endpoints:
            started = time.monotonic()
            status, body = fetch(base + path, timeout=30)
            row = {
                "label": label,
                "path": path,
                "status": status,
                "bytes": len(body),
                "first_request_ms": round((time.monotonic() - started) * 1000),
            }
            if status != 200:
                print(f"skip {label}: {status}", flush=True)
                results.append(row)
                continue
            wrk(base + path, **{**measuring, "duration": 2})  # warming up
            if results:
                # The baseline again, right before: on a shared host its rate drifted by a
                # third within a run, so each endpoint is compared with its own baseline.
                paired = wrk(base + baseline_path, **measuring)
                row["baseline_rps"], row["baseline_p50_ms"] = paired["rps"], paired["p50_ms"]
            row.update(wrk(base + path, **measuring))
            print(json.dumps(row), flush=True)
            results.append(row)
        # A script walking the statements, against reading the stored documents directly.
        # The documents are read once beforehand, untimed, so that neither pays alone for
        # bringing them from disk; each segment is read again before it is timed (see
        # walk_and_copy).
        copy_documents(min(count, options.walk))
        walked, copied = walk_and_copy(base, min(count, options.walk))
        print(json.dumps({"walk": walked, "copy": copied}), flush=True)
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()

    baseline = results[0].get("rps") or 1.0
    baseline_p50 = results[0].get("p50_ms") or 1.0
    report = {
        "label": options.label,
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": machine(),
        "published_statements": count,
        "rare_word": rare_word,
        "settings": {
            "cache_until_changed": not options.cold,
            "gunicorn_workers": options.workers,
            "gunicorn_threads": options.gunicorn_threads,
            "wrk_connections": options.connections,
            "wrk_threads": options.threads,
            "seconds_per_endpoint": options.duration,
        },
        "results": results,
        "cursor_walk": walked,
        "copy_baseline": copied,
    }
    out = ROOT / "bench" / "data" / f"api-{options.label}.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(
        f"\n{report['date']} — {report['machine']} — {count} published statements; "
        f"the rare word: {rare_word}\n"
    )
    print(
        "| endpoint | req/s | p50 ms | p99 ms | × baseline req/s | × baseline p50 | "
        "its baseline (req/s, p50 ms) | bytes |"
    )
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for row in results:
        if "rps" not in row:
            why = f"HTTP {row['status']}" if row["status"] else "no answer in 30 s"
            print(f"| {row['label']} | not measured ({why}) | | | | | | |")
            continue
        rps, p50 = row.get("baseline_rps", baseline), row.get("baseline_p50_ms", baseline_p50)
        print(
            f"| {row['label']} | {row['rps']:.0f} | {row['p50_ms']} | {row['p99_ms']} | "
            f"{row['rps'] / rps:.2f} | {row['p50_ms'] / p50:.2f} | {rps:.0f}, {p50} | "
            f"{row['bytes']} |"
        )
    print(
        f"\nCursor walk, page_size=500: {walked['statements']} statements in "
        f"{walked['seconds']} s ({walked['per_second']}/s); COPY of the same documents, "
        f"alternating with it: {copied['per_second']}/s (the first read of each segment, "
        f"outside the ratio: {copied['first_read_per_second']}/s); "
        f"ratio {walked['ratio_to_copy']} "
        f"(by segment: {', '.join(map(str, copied['segment_ratios']))}; "
        f"{walked['ratio_to_copy_with_parsing']} counting the client's json.loads of each page)"
    )
    if earlier_file:
        print_comparison(report, earlier_file)
    print(f"\nWritten to {out.relative_to(ROOT)}.", file=sys.stderr)


def print_comparison(report: dict, earlier_file: Path) -> None:
    """Each endpoint's p50 against an earlier run's (say at 10k), plainly and as ratios to
    each run's paired baseline, which takes out what the host did between the runs."""
    earlier = json.loads(earlier_file.read_text())
    earlier_rows = {row["label"]: row for row in earlier["results"] if "p50_ms" in row}
    print(
        f"\nAgainst {earlier['label']} ({earlier['published_statements']} published "
        f"statements, {earlier['date']}):\n"
    )
    print("| endpoint | p50 ms | its p50 ms | × its p50 | × its p50, each ÷ its baseline |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for row in report["results"]:
        before = earlier_rows.get(row["label"])
        if before is None or "p50_ms" not in row:
            continue
        plain = row["p50_ms"] / before["p50_ms"]
        paired = plain / (
            row.get("baseline_p50_ms", row["p50_ms"])
            / before.get("baseline_p50_ms", before["p50_ms"])
        )
        print(
            f"| {row['label']} | {row['p50_ms']} | {before['p50_ms']} | {plain:.2f} | "
            f"{paired:.2f} |"
        )
    walked, walked_before = report["cursor_walk"], earlier["cursor_walk"]
    print(
        f"\nCursor walk: {walked['per_second']}/s against {walked_before['per_second']}/s "
        f"(ratio to COPY {walked['ratio_to_copy']} against {walked_before['ratio_to_copy']})."
    )


if __name__ == "__main__":
    main()
