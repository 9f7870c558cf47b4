"""Issue 12: people, memberships and the event an article reports, proposed for review."""

import datetime

import pytest

from advocacy.models import Event, Group, Membership, Person, Source, Statement
from advocacy.services import review
from advocacy.services.extraction import EntityIndex, extract_candidates, propose_records
from tests.factories import GroupFactory, SourceFactory

pytestmark = pytest.mark.django_db

ENGLISH = """Wives of mobilised men rally in Tver

Dozens of women held a rally outside the regional government in Tver on Saturday, March 2, 2024.

"We want our husbands home," said Marina Belova, a spokeswoman for the group Wives of Tver.
"""

RUSSIAN = """Жены мобилизованных вышли к Минобороны

В субботу, 2 марта, жены мобилизованных вышли на акцию «Верните мужей» у здания Минобороны в Москве.

«Мы устали ждать», — сказала Мария Андреева, участница движения «Путь домой».
"""


def proposals_of(text, language, groups=()):
    candidates = extract_candidates(text, language=language, index=EntityIndex([], []))
    return propose_records(
        text,
        candidates,
        article_date=datetime.date(2024, 3, 4),
        language=language,
        groups=list(groups),
    )


def test_a_new_person_with_role_and_group_and_the_event_are_proposed_with_their_excerpts():
    person, membership, event = proposals_of(ENGLISH, "en")
    assert (person.kind, person.name) == ("person", "Marina Belova")
    assert (membership.role, membership.group_name, membership.group) == (
        "spokeswoman",
        "Wives of Tver",
        None,
    )
    assert event.kind == "event" and event.event_kind == "protest"
    assert (event.place, event.date, event.date_as_printed) == (
        "Tver",
        datetime.date(2024, 3, 2),
        "March 2, 2024",
    )
    for proposal in (person, membership, event):
        assert ENGLISH[proposal.start : proposal.end] == proposal.excerpt


def test_russian_membership_in_a_known_group_and_the_event_with_place_and_date():
    put_domoi = GroupFactory(name="Put' Domoi")
    person, membership, event = proposals_of(RUSSIAN, "ru", groups=[put_domoi])
    assert person.name == "Мария Андреева"
    assert (membership.role, membership.group) == ("участница", put_domoi)
    assert (event.name, event.place, event.date) == (
        "акцию «Верните мужей»",
        "Москве",
        datetime.date(2024, 3, 2),
    )


def _source(text):
    return SourceFactory(
        archived_text=text, language="en", published_on=datetime.date(2024, 3, 4), draft=True
    )


def test_accepting_creates_person_group_membership_and_event_in_one_step_citing_excerpts():
    source = _source(ENGLISH)
    candidates = review.source_candidates(source=source)
    proposals = review.source_proposals(source=source, candidates=candidates)
    decisions = [review.decision_from_candidate(c) for c in candidates]
    result = review.candidates_review(
        source=source, decisions=decisions, accepted_proposals=[p.key for p in proposals]
    )
    belova = Person.objects.get(name="Marina Belova")
    group = Group.objects.get(name="Wives of Tver")
    membership = Membership.objects.get(person=belova, group=group)
    event = Event.objects.get()
    assert membership.role == "spokeswoman" and event.place == "Tver"
    assert all(record.status == "draft" for record in (belova, group, membership, event))
    assert Statement.objects.get().event == event
    assert result.events == [event] and result.memberships == [membership]
    for record in (group, membership, event):
        citation = record.citations.get(source=source)
        assert citation.excerpt in ENGLISH and "characters" in citation.note


def test_nothing_rejected_is_created():
    source = _source(ENGLISH)
    candidates = review.source_candidates(source=source)
    proposals = review.source_proposals(source=source, candidates=candidates)
    decisions = [review.decision_from_candidate(c, action=review.REJECT) for c in candidates]
    event = next(p for p in proposals if p.kind == "event")
    review.candidates_review(source=source, decisions=decisions, accepted_proposals=[event.key])
    assert Event.objects.count() == 1
    assert not Person.objects.exists() and not Membership.objects.exists()
    assert not Group.objects.filter(name="Wives of Tver").exists()


def test_an_unknown_proposal_saves_nothing():
    source = _source(ENGLISH)
    decisions = [review.decision_from_candidate(c) for c in review.source_candidates(source=source)]
    with pytest.raises(review.ReviewError, match="not among this source's proposals"):
        review.candidates_review(
            source=source, decisions=decisions, accepted_proposals=["event:1-2:nothing"]
        )
    assert not Statement.objects.exists() and not Event.objects.exists()
    assert Source.objects.count() == 1
