import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from advocacy.formats import releases


class Command(BaseCommand):
    help = (
        "Write a versioned release of the public data into RELEASES_DIR (Popolo JSON, "
        "FollowTheMoney, CSV per record type, a Frictionless datapackage.json, a SHA-256 "
        "manifest and the changes since the previous release), listed at /data/. With "
        "--every N, keep running and make one every N seconds."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--base-url",
            default=None,
            help="Prefix of our links in the files, e.g. https://tracker.example.org "
            "(default: EXPORTS_BASE_URL; paths only when that is empty).",
        )
        parser.add_argument(
            "--every",
            type=int,
            default=0,
            metavar="SECONDS",
            help="Keep running: make a release every SECONDS (86400: daily).",
        )

    def handle(self, *args, base_url, every, **options):
        if not every:
            self.make(base_url)
            return
        while True:  # docker-compose's `releaser` service
            try:
                self.make(base_url)
            except Exception as exc:  # keep the schedule; earlier releases stay served
                self.stderr.write(f"Release failed: {exc}")
            close_old_connections()
            time.sleep(every)

    def make(self, base_url) -> None:
        started = timezone.now()
        try:
            release = releases.build(base_url=base_url)
        except releases.ProtectedWhileBuilding as exc:
            raise CommandError(
                "Someone was protected while the release was written; nothing was kept. Run again."
            ) from exc
        size = sum(f["bytes"] for f in releases.files_of(release))
        seconds = (timezone.now() - started).total_seconds()
        self.stderr.write(
            self.style.SUCCESS(
                f"Release {release.name}: {size} bytes in {len(releases.files_of(release))} "
                f"files, {seconds:.1f} s, in {releases.path_of(release)}."
            )
        )
