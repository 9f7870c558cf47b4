"""Rebuild the public read model, or check it for drift."""

import sys
import time

from django.core.management.base import BaseCommand, CommandError

from advocacy.publication.builders import KINDS, drift, rebuild_all


class Command(BaseCommand):
    help = (
        "Rebuild every public row from the working records (atomic per batch of 500; "
        "--after KIND:ID resumes). --check compares instead, exit 1 on any drift."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Report drift; change nothing.")
        parser.add_argument(
            "--kind", action="append", choices=list(KINDS), help="Only this kind (repeatable)."
        )
        parser.add_argument(
            "--after",
            action="append",
            default=[],
            metavar="KIND:ID",
            help="Resume KIND after this id (what an interrupted run printed last).",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=1,
            help="Build in this many processes at once (PostgreSQL; SQLite builds in one).",
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Only if no public row exists yet (what docker-compose runs on start).",
        )

    def handle(self, *args, check=False, kind=None, after=(), if_empty=False, workers=1, **options):
        started = time.monotonic()
        if check:
            problems = drift(kinds=kind)
            for problem in problems:
                self.stdout.write(problem)
            seconds = time.monotonic() - started
            if problems:
                self.stderr.write(f"{len(problems)} public rows drifted ({seconds:.1f} s).")
                sys.exit(1)
            self.stdout.write(f"No drift ({seconds:.1f} s).")
            return
        if if_empty and any(k.public_model.objects.exists() for k in KINDS.values()):
            self.stdout.write("Public rows exist; nothing rebuilt.")
            return
        resume = {}
        for item in after:
            name, _, last = item.partition(":")
            if name not in KINDS or not last.isdigit():
                raise CommandError(f"--after {item!r}: give KIND:ID, e.g. statement:1200.")
            resume[name] = int(last)
        verbosity = options.get("verbosity", 1)

        def progress(name, done, total):
            if verbosity:
                self.stdout.write(f"\r{name}: {done}/{total}", ending="")
                if done == total:
                    self.stdout.write("")

        if workers < 1:
            raise CommandError("--workers: give 1 or more.")
        counts = rebuild_all(kinds=kind, after=resume, progress=progress, workers=workers)
        seconds = time.monotonic() - started
        summary = ", ".join(f"{name} {count}" for name, count in counts.items())
        self.stdout.write(self.style.SUCCESS(f"Public rows: {summary} ({seconds:.1f} s)."))
