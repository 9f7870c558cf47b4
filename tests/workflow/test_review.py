import datetime
from unittest import mock

import pytest

from advocacy.choices import Status
from advocacy.models import Citation, Group, Person, Quotation, Source, Statement
from advocacy.services import review
from advocacy.services.importing import article_from_text, source_import
from advocacy.services.review import (
    REJECT,
    ReviewError,
    candidates_review,
    decision_from_candidate,
    source_candidates,
)
from tests.factories import EventFactory, StatementFactory

pytestmark = pytest.mark.django_db

TEXT = """Mothers picket the ministry

May 14, 2024

“We want answers,” said Olga Tsukanova. “Our sons are still at the front.”

"Nobody will meet us," Irina Sokolova, an activist from Samara, said on Tuesday.

The "special" treatment was noted by the Kremlin.

"We are collecting signatures," wrote the Council of Mothers and Wives.
"""


@pytest.fixture
def imported(cast):
    return source_import(article=article_from_text(TEXT), user=None)


def decisions_for(source):
    return [decision_from_candidate(c) for c in source_candidates(source=source)]


def test_accepted_candidates_become_draft_statements_with_quotations_and_citations(
    imported, cast, researcher_user
):
    source = imported.source
    decisions = decisions_for(source)
    decisions[2].action = REJECT  # the scare quote
    event = EventFactory(draft=True)
    decisions[0].event = event  # an edit
    decisions[0].date, decisions[0].date_precision = datetime.date(2024, 5, 13), "day"
    result = candidates_review(source=source, decisions=decisions, user=researcher_user)

    assert len(result.statements) == 3 and result.rejected == 1
    assert all(s.status == Status.DRAFT for s in result.statements)
    tsukanova = result.statements[0]
    assert tsukanova.speaker_person == cast["tsukanova"]
    assert (tsukanova.event, tsukanova.date) == (event, datetime.date(2024, 5, 13))
    texts = [q.text for q in tsukanova.quotations.order_by("position")]
    assert texts == ["We want answers", "Our sons are still at the front."]
    for quotation in Quotation.objects.all():
        assert quotation.is_verbatim
        assert source.archived_text[quotation.start_offset : quotation.end_offset] == (
            quotation.text
        )
    excerpt = tsukanova.citations.get().excerpt
    assert excerpt in source.archived_text and "said Olga Tsukanova" in excerpt
    # The new name became a draft person citing the source.
    sokolova = Person.objects.get(name="Irina Sokolova")
    assert sokolova.status == Status.DRAFT and sokolova.citations.get().source == source
    assert result.statements[1].speaker_person == sokolova
    assert result.statements[2].speaker_group == cast["council"]
    # Who did it is in the history.
    assert tsukanova.history.first().history_user == researcher_user


def test_a_quotation_can_be_added_to_an_existing_statement(imported, cast):
    existing = StatementFactory(speaker_person=cast["tsukanova"])
    decisions = decisions_for(imported.source)[:1]
    decisions[0].statement = existing
    result = candidates_review(source=imported.source, decisions=decisions)
    assert result.statements == []
    assert existing.quotations.count() == 3
    assert existing.citations.filter(source=imported.source).count() == 1


def test_any_invalid_decision_refuses_all_of_them(imported, cast):
    decisions = decisions_for(imported.source)
    decisions[1].speaker_person = cast["melnikova"]  # a person AND a new name: ambiguous
    decisions[3].key = "999999-1000000"
    with pytest.raises(ReviewError) as error:
        candidates_review(source=imported.source, decisions=decisions)
    assert len(error.value.problems) == 2
    assert "exactly one speaker" in error.value.problems[0]
    assert "does not point into the source" in error.value.problems[1]
    assert not Statement.objects.exists() and not Quotation.objects.exists()
    assert not Person.objects.filter(name="Irina Sokolova").exists()


def test_a_failure_while_writing_rolls_everything_back(imported):
    decisions = decisions_for(imported.source)
    original = review._cite
    calls = []

    def failing_cite(record, source, excerpt, user):
        calls.append(record)
        if len(calls) == 3:
            raise RuntimeError("disk full")
        return original(record, source, excerpt, user)

    with mock.patch.object(review, "_cite", failing_cite), pytest.raises(RuntimeError):
        candidates_review(source=imported.source, decisions=decisions)
    assert len(calls) == 3
    assert not Statement.objects.exists()
    assert not Quotation.objects.exists()
    assert not Citation.objects.exists()
    assert not Person.objects.filter(name="Irina Sokolova").exists()
    assert Source.objects.filter(pk=imported.source.pk).exists()


def test_a_stale_candidate_is_refused(imported):
    decisions = decisions_for(imported.source)
    source = imported.source
    source.archived_text = "Changed.\n\n" + source.archived_text
    source.save()
    with pytest.raises(ReviewError, match="no quotation at"):
        candidates_review(source=source, decisions=decisions)


def test_new_group_speaker(cast):
    text = '"We will be back," said the Union of Example Wives.'
    result = source_import(article=article_from_text(text))
    (decision,) = decisions_for(result.source)
    assert (decision.new_speaker_name, decision.new_speaker_kind) == (
        "Union of Example Wives",
        "group",
    )
    candidates_review(source=result.source, decisions=[decision])
    group = Group.objects.get(name="Union of Example Wives")
    assert group.statements.get().quotations.get().text == "We will be back"
