import sys

from django.core.management.base import BaseCommand, CommandError

from advocacy.choices import Language
from advocacy.services.importing import (
    ArticleImportError,
    article_from_bytes,
    article_from_file,
    source_import,
)


class Command(BaseCommand):
    help = (
        "Import an article (.txt, or a saved .html page; '-' reads standard input) as a "
        "draft source and list its candidate statements for review."
    )
    stealth_options = ("stdin",)

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .txt or .html file, or '-' for standard input.")
        parser.add_argument(
            "--language",
            default="",
            choices=Language.values,
            help="The article's language (default: detected from the text; this overrides).",
        )
        parser.add_argument(
            "--html",
            action="store_true",
            help="Standard input is HTML (otherwise guessed from its first characters).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would be stored and the candidates; write nothing.",
        )

    def handle(self, *args, **options):
        path, language = options["path"], options["language"]
        try:
            if path == "-":
                stream = options.get("stdin") or sys.stdin
                data = stream.read()
                content = data.encode("utf-8") if isinstance(data, str) else data
                article = article_from_bytes(
                    content,
                    filename="-",
                    language=language,
                    is_html=True if options["html"] else None,
                )
            else:
                article = article_from_file(path, language=language)
            result = source_import(article=article, dry_run=options["dry_run"])
        except ArticleImportError as exc:
            raise CommandError(f"Nothing was imported. {exc}") from exc
        source = result.source
        self.stdout.write(f"Title: {source.title}")
        self.stdout.write(f"Language: {article.language_note}")
        if source.published_on:
            self.stdout.write(f"Published: {source.published_on.isoformat()}")
        if source.authors:
            self.stdout.write(f"Authors: {source.authors}")
        self.stdout.write(f"Text: {len(source.archived_text)} characters")
        self.stdout.write(f"Candidate statements: {len(result.candidates)}")
        for number, candidate in enumerate(result.candidates, start=1):
            speaker = candidate.speaker
            self.stdout.write(f"\n{number}. “{candidate.text}”")
            self.stdout.write(f"   speaker: {speaker.label} — {speaker.how}")
            if candidate.date:
                printed = f" (“{candidate.date_as_printed}”)" if candidate.date_as_printed else ""
                self.stdout.write(
                    f"   date: {candidate.date.isoformat()} ({candidate.date_precision}, "
                    f"{candidate.date_how}){printed}"
                )
            self.stdout.write(f"   at: {candidate.key}")
        if result.saved:
            self.stdout.write(
                self.style.SUCCESS(
                    f"\nStored draft source #{source.pk} ({source.slug}). Review its candidates "
                    "in the admin before anything is published."
                )
            )
        else:
            self.stdout.write(self.style.WARNING("\nDry run: nothing was stored."))
