"""The extraction figures on the five seed articles stay above the issue's targets."""

from advocacy.models import Person, Quotation, Source, Statement
from bench.extraction_report import (
    TARGET_FOUND,
    TARGET_SPEAKERS,
    measure,
    prune_to_people_and_groups,
)


def test_seed_articles_quotations_found_and_speakers_correct(seeded):
    prune_to_people_and_groups()
    assert not Source.objects.exists() and not Statement.objects.exists()
    assert not Quotation.objects.exists() and Person.objects.exists()
    report = measure()
    assert report.total == 38
    assert report.found_share >= TARGET_FOUND, "\n".join(report.lines())
    assert report.speaker_share >= TARGET_SPEAKERS, "\n".join(report.lines())
