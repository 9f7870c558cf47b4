import pytest
from django.core.exceptions import PermissionDenied

from advocacy.choices import Status
from advocacy.services.publishing import (
    PublishingError,
    publish_problems,
    record_publish,
    record_retract,
    record_return_to_draft,
    record_submit,
)
from tests.factories import (
    CitationFactory,
    MembershipFactory,
    PersonFactory,
    QuotationFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    speaker = PersonFactory()
    CitationFactory(content_object=speaker)
    return StatementFactory(speaker_person=speaker, draft=True)


def test_researcher_submits_editor_publishes(statement, researcher_user, editor):
    record_submit(record=statement, user=researcher_user)
    assert statement.status == Status.IN_REVIEW
    with pytest.raises(PermissionDenied):
        record_publish(record=statement, user=researcher_user)
    record_publish(record=statement, user=editor)
    statement.refresh_from_db()
    assert statement.status == Status.PUBLISHED
    history = statement.history.all()
    assert [h.status for h in history[:2]] == [Status.PUBLISHED, Status.IN_REVIEW]
    assert [h.history_user for h in history[:2]] == [editor, researcher_user]


def test_a_retracted_record_is_not_published_again_directly(statement, editor):
    record_publish(record=statement, user=editor)  # an editor's publishing is the review
    record_retract(record=statement, user=editor, note="Misattributed.")
    with pytest.raises(PublishingError, match="it must be draft or in review"):
        record_publish(record=statement, user=editor)


def test_viewer_cannot_submit(statement, viewer):
    with pytest.raises(PermissionDenied):
        record_submit(record=statement, user=viewer)


def test_every_missing_thing_is_explained(editor):
    draft_source = SourceFactory(draft=True, title="A draft article")
    speaker = PersonFactory(draft=True, name="Anna Example")  # a draft, and cites nothing
    statement = StatementFactory(speaker_person=speaker, quotation=False, status="in_review")
    QuotationFactory(statement=statement, source=draft_source, position=1)
    QuotationFactory(statement=statement, source=draft_source, position=2, text="not in text")
    problems = publish_problems(statement)
    assert problems == [
        "Quotation 1 comes from source “A draft article”, which is draft: publish the "
        "source first.",
        "Quotation 2 comes from source “A draft article”, which is draft: publish the "
        "source first.",
        "Quotation 2 is not found verbatim in its source.",
        "The speaker, person “Anna Example”, is draft: publish them first.",
        "The speaker, person “Anna Example”, cites no source: add a citation that shows "
        "who they are.",
    ]
    with pytest.raises(PublishingError) as error:
        record_publish(record=statement, user=editor)
    assert error.value.problems == problems
    statement.refresh_from_db()
    assert statement.status == Status.IN_REVIEW


def test_statement_without_quotation(editor):
    statement = StatementFactory(quotation=False, status="in_review")
    assert any("no quotation" in p for p in publish_problems(statement))


def test_other_records_need_a_published_citation_and_published_ends(editor):
    membership = MembershipFactory(person=PersonFactory(draft=True), status="in_review")
    problems = publish_problems(membership)
    assert any("cites no published source" in p for p in problems)
    assert any("is draft: publish it first" in p for p in problems)
    CitationFactory(content_object=membership)
    membership.person.status = Status.PUBLISHED
    membership.person.save()
    assert publish_problems(membership) == []
    record_publish(record=membership, user=editor)
    assert membership.status == Status.PUBLISHED


def test_retract_keeps_the_record_with_a_note(statement, editor, researcher_user):
    record_submit(record=statement, user=researcher_user)
    record_publish(record=statement, user=editor)
    with pytest.raises(PublishingError, match="retraction note"):
        record_retract(record=statement, user=editor, note=" ")
    with pytest.raises(PermissionDenied):
        record_retract(record=statement, user=researcher_user, note="Wrong speaker.")
    record_retract(record=statement, user=editor, note="Wrong speaker.")
    statement.refresh_from_db()
    assert (statement.status, statement.retraction_note) == (Status.RETRACTED, "Wrong speaker.")
    record_return_to_draft(record=statement, user=editor)
    assert statement.status == Status.DRAFT
