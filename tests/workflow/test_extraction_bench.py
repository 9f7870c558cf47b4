"""The extraction figures on the five seed articles stay above the issue's targets."""

from advocacy.models import Person, Quotation, Source, Statement
from bench.extraction_report import (
    DEVSET_TARGET_FALSE,
    DEVSET_TARGET_FOUND,
    DEVSET_TARGET_SPEAKERS,
    TARGET_FOUND,
    TARGET_SPEAKERS,
    measure,
    measure_devset,
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


def test_development_set_figures_per_language_stay_above_the_issue_s_lines(seeded):
    """bench/extraction/: 21 articles nobody tuned the importer on before issue 12."""
    prune_to_people_and_groups()
    report = measure_devset()
    assert set(report.languages) == {"en", "ru", "uk"}
    assert all(language.articles >= 6 for language in report.languages.values())
    assert report.overall.articles >= 20
    for part in [*report.languages.values(), report.overall]:
        assert part.found_share >= DEVSET_TARGET_FOUND, "\n".join(report.lines())
        assert part.speaker_share >= DEVSET_TARGET_SPEAKERS, "\n".join(report.lines())
        assert part.false_share <= DEVSET_TARGET_FALSE, "\n".join(report.lines())
        assert part.detected_right == part.articles, "\n".join(report.lines())
