"""Measure quotation extraction: the development set (bench/extraction/) and the seed articles.

    .venv/bin/python bench/extraction_report.py devset [--verbose]
    .venv/bin/python bench/extraction_report.py speed

prints, per language and overall, the share of hand-checked quotations found, the share
whose speaker is named in full as the expected list names them, and the false candidates
(proposed quotation parts that are no listed quotation). The seed articles are reported
apart (the importer was developed on them):

Gold: the quotations and speakers in fixtures/statements.json. The extractor starts from
a database holding only people and groups (with their aliases, roles and relations): no
sources, statements, events or citations.

    .venv/bin/python bench/extraction_report.py [--without-memberships] [--verbose]

runs on a throw-away SQLite database and prints the share of gold quotations found and
the share of speakers guessed correctly. tests/workflow/test_extraction_bench.py asserts
the same figures stay above the targets.
"""

from __future__ import annotations

import json
import sys
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_FOUND = 0.95
TARGET_SPEAKERS = 0.80
DEVSET = ROOT / "bench" / "extraction"
DEVSET_TARGET_FOUND = 0.95
DEVSET_TARGET_SPEAKERS = 0.85
DEVSET_TARGET_FALSE = 0.10


@dataclass
class GoldResult:
    statement: str
    source: str
    text: str
    speaker: str
    found: bool = False
    guessed: str = ""

    @property
    def speaker_correct(self) -> bool:
        return self.found and self.guessed == self.speaker


@dataclass
class Report:
    results: list[GoldResult] = field(default_factory=list)
    candidates: int = 0
    candidates_matching_gold: int = 0
    dates_checked: int = 0
    dates_correct: int = 0

    @property
    def total(self) -> int:
        return len(self.results)

    @property
    def found_share(self) -> float:
        return sum(r.found for r in self.results) / self.total

    @property
    def speaker_share(self) -> float:
        return sum(r.speaker_correct for r in self.results) / self.total

    @property
    def precision(self) -> float:
        return self.candidates_matching_gold / self.candidates if self.candidates else 0.0

    def lines(self, verbose: bool = False) -> list[str]:
        found = sum(r.found for r in self.results)
        right = sum(r.speaker_correct for r in self.results)
        out = [
            f"gold quotations: {self.total}",
            f"quotations found: {found}/{self.total} = {self.found_share:.1%}"
            f" (target {TARGET_FOUND:.0%})",
            f"speakers correct: {right}/{self.total} = {self.speaker_share:.1%}"
            f" (target {TARGET_SPEAKERS:.0%})",
            f"candidate parts proposed: {self.candidates}, of which gold: "
            f"{self.candidates_matching_gold} ({self.precision:.0%}; the rest are scare quotes "
            "and titles a researcher rejects)",
            f"statement dates matching gold (date and precision): "
            f"{self.dates_correct}/{self.dates_checked}",
        ]
        for result in self.results:
            if verbose or not result.speaker_correct:
                mark = "ok " if result.speaker_correct else ("SPK" if result.found else "MISS")
                out.append(
                    f"  {mark} {result.source[:28]:28} {result.text[:50]!r:54} "
                    f"gold={result.speaker} guessed={result.guessed or '-'}"
                )
        return out


def _normalized(text: str) -> str:
    from advocacy.text import normalize_for_matching

    return normalize_for_matching(text.strip())[0].strip(" ,")


def _speaker_slug(speaker) -> str:
    record = speaker.person or speaker.group
    if record is not None:
        return record.slug
    return f"new:{speaker.new_name}" if speaker.new_name else ""


def prune_to_people_and_groups(*, keep_memberships: bool = True) -> None:
    """Leave only people, groups, their aliases, identifiers, relations (and roles)."""
    from advocacy.models import (
        Citation,
        ConflictingVersion,
        Event,
        GroupAlias,
        Membership,
        Participation,
        PersonAlias,
        Quotation,
        Source,
        Statement,
    )

    Quotation.objects.all().delete()
    Statement.objects.all().delete()
    Citation.objects.all().delete()
    ConflictingVersion.objects.all().delete()
    Participation.objects.all().delete()
    Event.objects.all().delete()
    PersonAlias.objects.update(source=None)
    GroupAlias.objects.update(source=None)
    if not keep_memberships:
        Membership.objects.all().delete()
    Source.objects.all().delete()


def measure(fixture_dir: Path = ROOT / "fixtures") -> Report:
    """Run the extractor on each seed article and compare with the gold statements."""
    import datetime

    from advocacy.services.extraction import EntityIndex, extract_candidates

    sources = {s["slug"]: s for s in json.loads((fixture_dir / "sources.json").read_text())}
    statements = json.loads((fixture_dir / "statements.json").read_text())
    index = EntityIndex.from_database()
    extracted = {}
    report = Report()
    for slug, source in sources.items():
        text = (fixture_dir / source["archive"]).read_text(encoding="utf-8")
        published = source.get("published_on")
        article_date = datetime.date.fromisoformat(published) if published else None
        candidates = extract_candidates(
            text, article_date=article_date, language=source.get("language", "en"), index=index
        )
        extracted[slug] = candidates
        report.candidates += sum(len(c.parts) for c in candidates)
    gold_parts: set[tuple[str, str]] = set()
    for statement in statements:
        speaker = statement.get("speaker_person") or statement.get("speaker_group")
        for quotation in statement["quotations"]:
            wanted = _normalized(quotation["text"])
            gold_parts.add((quotation["source"], wanted))
            result = GoldResult(statement["slug"], quotation["source"], quotation["text"], speaker)
            for candidate in extracted[quotation["source"]]:
                if any(_normalized(part.text) == wanted for part in candidate.parts):
                    result.found = True
                    result.guessed = _speaker_slug(candidate.speaker)
                    if statement.get("date"):
                        report.dates_checked += 1
                        report.dates_correct += (
                            candidate.date is not None
                            and candidate.date.isoformat() == statement["date"]
                            and candidate.date_precision == statement.get("date_precision", "day")
                        )
                    break
            report.results.append(result)
    for slug, candidates in extracted.items():
        for candidate in candidates:
            report.candidates_matching_gold += sum(
                (slug, _normalized(part.text)) in gold_parts for part in candidate.parts
            )
    return report


# The development set


@dataclass
class DevResult:
    article: str
    language: str
    text: str
    speaker: str
    found: bool = False
    guessed: str = ""
    how: str = ""

    @property
    def speaker_correct(self) -> bool:
        return self.found and _same_speaker(self.guessed, self.speaker)


@dataclass
class DevLanguage:
    results: list[DevResult] = field(default_factory=list)
    candidates: int = 0
    false_candidates: list[tuple[str, str]] = field(default_factory=list)
    detected_right: int = 0
    articles: int = 0
    proposed: dict[str, int] = field(
        default_factory=lambda: {"person": 0, "membership": 0, "event": 0}
    )

    def share(self, count: int, total: int) -> float:
        return count / total if total else 1.0

    @property
    def found_share(self) -> float:
        return self.share(sum(r.found for r in self.results), len(self.results))

    @property
    def speaker_share(self) -> float:
        return self.share(sum(r.speaker_correct for r in self.results), len(self.results))

    @property
    def false_share(self) -> float:
        return self.share(len(self.false_candidates), self.candidates) if self.candidates else 0.0

    def line(self, name: str) -> str:
        total = len(self.results)
        found = sum(r.found for r in self.results)
        right = sum(r.speaker_correct for r in self.results)
        return (
            f"| {name} | {self.articles} | {total} | {found}/{total} = {self.found_share:.0%} "
            f"| {right}/{total} = {self.speaker_share:.0%} | {len(self.false_candidates)}/"
            f"{self.candidates} = {self.false_share:.0%} | {self.detected_right}/{self.articles} "
            f"| {self.proposed['person']} / {self.proposed['membership']} / "
            f"{self.proposed['event']} |"
        )


@dataclass
class DevReport:
    languages: dict[str, DevLanguage] = field(default_factory=dict)

    @property
    def overall(self) -> DevLanguage:
        total = DevLanguage()
        for language in self.languages.values():
            total.results += language.results
            total.candidates += language.candidates
            total.false_candidates += language.false_candidates
            total.detected_right += language.detected_right
            total.articles += language.articles
            for kind, count in language.proposed.items():
                total.proposed[kind] += count
        return total

    def meets_targets(self) -> bool:
        return all(
            part.found_share >= DEVSET_TARGET_FOUND
            and part.speaker_share >= DEVSET_TARGET_SPEAKERS
            and part.false_share <= DEVSET_TARGET_FALSE
            for part in [*self.languages.values(), self.overall]
        )

    def lines(self, verbose: bool = False) -> list[str]:
        out = [
            "| language | articles | quotations | found | speakers named in full "
            "| false candidates | language detected | new people / memberships / events proposed |",
            "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        ]
        for name, language in sorted(self.languages.items()):
            out.append(language.line(name))
        out.append(self.overall.line("all"))
        out.append(
            f"targets: found >= {DEVSET_TARGET_FOUND:.0%}, speakers >= "
            f"{DEVSET_TARGET_SPEAKERS:.0%}, false candidates <= {DEVSET_TARGET_FALSE:.0%}"
        )
        for name, language in sorted(self.languages.items()):
            for result in language.results:
                if verbose or not result.speaker_correct:
                    mark = "ok " if result.speaker_correct else ("SPK" if result.found else "MISS")
                    out.append(
                        f"  {mark} {name} {result.article[:30]:30} {result.text[:40]!r:44} "
                        f"want={result.speaker or '(unnamed)'} got={result.guessed or '-'}"
                        + (f" [{result.how}]" if verbose else "")
                    )
            for article, text in language.false_candidates:
                out.append(f"  FALSE {name} {article[:30]:30} {text[:60]!r}")
        return out


def _same_speaker(guessed: str, wanted: str) -> bool:
    from advocacy.text import fold

    if not wanted:
        return not guessed
    return bool(guessed) and fold(wanted) in [fold(name) for name in guessed.split("\n")]


def _guessed_names(speaker) -> str:
    """The speaker's name as proposed (with a known record's aliases), or "" if unnamed."""
    record = speaker.person or speaker.group
    if record is not None:
        return "\n".join([record.name, *record.search_key.split("\n")])
    return speaker.new_name


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def measure_devset(directory: Path = DEVSET) -> DevReport:
    """Run the importer on every development article, its language left to detection."""
    from advocacy.models import Group
    from advocacy.services.extraction import (
        EntityIndex,
        detect_language,
        extract_candidates,
        propose_records,
    )

    index = EntityIndex.from_database()
    groups = list(Group.objects.all())
    report = DevReport()
    for article in json.loads((directory / "expected.json").read_text(encoding="utf-8")):
        text = (directory / "articles" / article["file"]).read_text(encoding="utf-8")
        language = report.languages.setdefault(article["language"], DevLanguage())
        language.articles += 1
        detected = detect_language(text)
        language.detected_right += detected == article["language"]
        candidates = extract_candidates(text, language=detected, index=index)
        for proposal in propose_records(text, candidates, language=detected, groups=groups):
            language.proposed[proposal.kind] += 1
        wanted = []
        for quotation in article["quotations"]:
            start = text.index(quotation["text"])
            wanted.append((start, start + len(quotation["text"])))
            language.results.append(
                DevResult(
                    article["file"], article["language"], quotation["text"], quotation["speaker"]
                )
            )
        results = language.results[len(language.results) - len(wanted) :]
        for candidate in candidates:
            for part in candidate.parts:
                language.candidates += 1
                span = (part.start, part.end)
                matched = False
                for (start, end), result in zip(wanted, results, strict=True):
                    # The same words, give or take a trimmed mark or full stop.
                    if _overlap(span, (start, end)) >= 0.8 * max(
                        end - start, part.end - part.start
                    ):
                        matched = True
                        if not result.found:
                            result.found = True
                            result.guessed = _guessed_names(candidate.speaker)
                            result.how = candidate.speaker.how
                if not matched:
                    language.false_candidates.append((article["file"], part.text))
    return report


def measure_speed(directory: Path = DEVSET, size: int = 10_000) -> list[str]:
    """Seconds to import a 10,000-character article per language: first call, then warm.

    The first call in a process loads the language models (lingua, pymorphy3); every
    later call reuses them.
    """
    import time

    from advocacy.services.extraction import EntityIndex, extract_candidates

    articles = json.loads((directory / "expected.json").read_text(encoding="utf-8"))
    index = EntityIndex.from_database()
    lines = ["| language | characters | first call (models load) | warm, best of 5 |"]
    lines.append("| --- | ---: | ---: | ---: |")
    for language in ("en", "ru", "uk"):
        texts = [
            (directory / "articles" / a["file"]).read_text(encoding="utf-8")
            for a in articles
            if a["language"] == language
        ]
        text = ""
        while len(text) < size:
            for piece in texts:
                text += piece + "\n\n"
        text = text[:size]
        start = time.perf_counter()
        extract_candidates(text, index=index)
        first = time.perf_counter() - start
        warm = []
        for _ in range(5):
            start = time.perf_counter()
            extract_candidates(text, index=index)
            warm.append(time.perf_counter() - start)
        lines.append(f"| {language} | {len(text):,} | {first:.2f} s | {min(warm):.2f} s |")
    return lines


def main(argv: list[str]) -> int:
    import os
    import tempfile

    sys.path.insert(0, str(ROOT))
    database = Path(tempfile.mkdtemp()) / "extraction-bench.sqlite3"
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed", verbosity=0, stdout=open(os.devnull, "w"))  # noqa: SIM115
    prune_to_people_and_groups(keep_memberships="--without-memberships" not in argv)
    if "speed" in argv:
        print("Import speed (language detected, not given):")
        print("\n".join(measure_speed()))
        print()
    if "devset" in argv:
        import time

        start = time.perf_counter()
        devset = measure_devset()
        elapsed = time.perf_counter() - start
        print("Development set (bench/extraction/), language detected, not given:")
        print("\n".join(devset.lines(verbose="--verbose" in argv)))
        print(f"({elapsed:.1f} s for the whole set, models loaded once)")
        print()
    report = measure()
    print("Seed articles (fixtures/; the importer was developed on them):")
    print("\n".join(report.lines(verbose="--verbose" in argv)))
    database.unlink(missing_ok=True)
    ok = report.found_share >= TARGET_FOUND and report.speaker_share >= TARGET_SPEAKERS
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
