from unittest import mock

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied

from advocacy.models import (
    Citation,
    ConflictingVersion,
    ExternalIdentifier,
    Group,
    GroupAlias,
    GroupRelation,
    Membership,
    Participation,
    Person,
    SlugRedirect,
    Statement,
)
from advocacy.services import merging
from advocacy.services.merging import MergeError, group_merge, person_merge
from tests.factories import (
    CitationFactory,
    EventFactory,
    GroupAliasFactory,
    GroupFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonAliasFactory,
    PersonFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def attach(record, source, **identifier):
    CitationFactory(content_object=record, source=source)
    ConflictingVersion.objects.create(
        content_object=record, field="name", value=str(record), source=source
    )
    if identifier:
        ExternalIdentifier.objects.create(content_object=record, **identifier)


def pointing_at(record) -> dict[str, int]:
    content_type = ContentType.objects.get_for_model(record)
    target = {"content_type": content_type, "object_id": record.pk}
    return {
        "citations": Citation.objects.filter(**target).count(),
        "conflicts": ConflictingVersion.objects.filter(**target).count(),
        "identifiers": ExternalIdentifier.objects.filter(**target).count(),
    }


@pytest.fixture
def people():
    source = SourceFactory()
    winner = PersonFactory(name="Olga Tsukanova")
    loser = PersonFactory(name="Olga Tsukanowa", is_protected=True, description="From Samara")
    PersonAliasFactory(person=winner, name="Ольга Цуканова")
    PersonAliasFactory(person=loser, name="Ольга Цуканова")  # the same alias: combined
    PersonAliasFactory(person=loser, name="О. Цуканова")
    attach(winner, source, scheme="wikidata", identifier="Q1")
    attach(loser, source, scheme="telegram", identifier="@olga")
    group, other_group = GroupFactory(), GroupFactory()
    MembershipFactory(person=winner, group=group, role="president")
    duplicate = MembershipFactory(person=loser, group=group, role="president")
    CitationFactory(content_object=duplicate, source=source)
    MembershipFactory(person=loser, group=other_group, role="activist")
    event = EventFactory()
    ParticipationFactory(event=event, person=loser, group=None, part="organiser")
    ParticipationFactory(event=event, person=winner, group=None, part="attendee")
    said = StatementFactory(speaker_person=loser)
    addressed = StatementFactory(addressee_person=loser)
    SlugRedirect.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        old_slug="olga-old",
        object_id=loser.pk,
    )
    return {"winner": winner, "loser": loser, "said": said, "addressed": addressed}


def test_person_merge_moves_every_relation(people, editor):
    winner, loser = people["winner"], people["loser"]
    citations_before = Citation.objects.count()
    loser_pk, loser_slug = loser.pk, loser.slug

    report = person_merge(winner=winner, loser=loser, user=editor)

    assert not Person.objects.filter(pk=loser_pk).exists()
    winner.refresh_from_db()
    # Safety: the loser was protected, so the merged person is.
    assert winner.is_protected and winner.description == "From Samara"
    assert Citation.objects.count() == citations_before  # not a single citation lost
    assert pointing_at(winner) == {"citations": 2, "conflicts": 2, "identifiers": 2}
    assert sorted(Membership.objects.filter(person=winner).values_list("role", flat=True)) == [
        "activist",
        "president",
    ]
    president = Membership.objects.get(person=winner, role="president")
    assert president.citations.count() == 1  # the duplicate's citation kept
    assert Participation.objects.filter(person=winner).count() == 2
    assert Statement.objects.get(pk=people["said"].pk).speaker_person == winner
    assert Statement.objects.get(pk=people["addressed"].pk).addressee_person == winner
    aliases = set(winner.aliases.values_list("name", flat=True))
    assert aliases == {"Ольга Цуканова", "О. Цуканова", "Olga Tsukanowa"}
    assert "tsukanowa" in winner.search_key
    redirects = SlugRedirect.objects.filter(object_id=winner.pk)
    assert set(redirects.values_list("old_slug", flat=True)) == {loser_slug, "olga-old"}
    assert report.moved["statements (speaker)"] == 1
    assert report.combined["memberships"] == 1
    assert "Olga Tsukanowa" in report.summary()


def test_merge_is_recorded_in_the_history_with_the_editor(people, editor):
    loser_pk = people["loser"].pk
    person_merge(winner=people["winner"], loser=people["loser"], user=editor)
    deletion = Person.history.filter(id=loser_pk, history_type="-").get()
    assert deletion.history_user == editor
    assert "Merged person" in deletion.history_change_reason
    moved = Statement.history.filter(id=people["said"].pk).first()
    assert moved.history_user == editor and moved.speaker_person_id == people["winner"].pk


def test_conflicting_identifiers_refuse_the_merge_and_change_nothing(people, editor):
    ExternalIdentifier.objects.create(
        content_object=people["loser"], scheme="wikidata", identifier="Q2"
    )
    with pytest.raises(MergeError, match="Q1 and Q2"):
        person_merge(winner=people["winner"], loser=people["loser"], user=editor)
    loser = Person.objects.get(pk=people["loser"].pk)
    assert Statement.objects.get(pk=people["said"].pk).speaker_person == loser
    assert loser.memberships.count() == 2 and loser.aliases.count() == 2
    assert pointing_at(loser)["citations"] == 1


def test_a_failure_at_the_last_step_rolls_back_the_whole_merge(people, editor):
    with (
        mock.patch.object(merging._Merger, "redirect", side_effect=RuntimeError("boom")),
        pytest.raises(RuntimeError),
    ):
        person_merge(winner=people["winner"], loser=people["loser"], user=editor)
    loser = Person.objects.get(pk=people["loser"].pk)
    assert Statement.objects.get(pk=people["said"].pk).speaker_person == loser
    assert loser.memberships.count() == 2
    assert Participation.objects.filter(person=loser).count() == 1
    assert not Person.objects.get(pk=people["winner"].pk).is_protected


def test_only_editors_merge(people, researcher_user):
    with pytest.raises(PermissionDenied):
        person_merge(winner=people["winner"], loser=people["loser"], user=researcher_user)


def test_a_record_cannot_merge_into_itself(people, editor):
    with pytest.raises(MergeError, match="itself"):
        person_merge(winner=people["winner"], loser=people["winner"], user=editor)


def test_group_merge_moves_every_relation(editor):
    source = SourceFactory()
    winner = GroupFactory(name="Council of Mothers and Wives")
    loser = GroupFactory(name="Council of Wives and Mothers", website="https://example.org")
    GroupAliasFactory(group=loser, name="Совет жён и матерей")
    attach(loser, source, scheme="telegram", identifier="@council")
    parent, partner = GroupFactory(), GroupFactory()
    GroupRelation.objects.create(subject=loser, kind="part_of", object=parent)
    same = GroupRelation.objects.create(subject=winner, kind="part_of", object=parent)
    GroupRelation.objects.create(subject=partner, kind="partner_of", object=loser)
    GroupRelation.objects.create(subject=loser, kind="split_from", object=winner)  # self after
    MembershipFactory(group=loser)
    ParticipationFactory(group=loser)
    said = StatementFactory(speaker_person=None, speaker_group=loser)
    addressed = StatementFactory(addressee_group=loser)

    group_merge(winner=winner, loser=loser, user=editor)

    winner.refresh_from_db()
    assert not Group.objects.filter(name="Council of Wives and Mothers").exists()
    assert winner.website == "https://example.org"
    assert pointing_at(winner) == {"citations": 1, "conflicts": 1, "identifiers": 1}
    assert list(GroupRelation.objects.filter(subject=winner)) == [same]
    assert GroupRelation.objects.get(subject=partner).object == winner
    assert not GroupRelation.objects.filter(subject=winner, object=winner).exists()
    assert winner.memberships.count() == 1 and winner.participations.count() == 1
    assert Statement.objects.get(pk=said.pk).speaker_group == winner
    assert Statement.objects.get(pk=addressed.pk).addressee_group == winner
    assert set(GroupAlias.objects.filter(group=winner).values_list("name", flat=True)) == {
        "Совет жён и матерей",
        "Council of Wives and Mothers",
    }
    assert SlugRedirect.objects.get(old_slug="council-of-wives-and-mothers").target == winner


def test_merging_the_seeded_council_duplicate_keeps_every_citation(seeded, editor):
    council = Group.objects.get(slug="council-of-mothers-and-wives")
    duplicate = GroupFactory(name="Council of Wives and Mothers (duplicate)")
    CitationFactory(content_object=duplicate)
    StatementFactory(speaker_person=None, speaker_group=duplicate)
    citations = Citation.objects.count()
    council_citations = pointing_at(council)["citations"]
    statements = council.statements.count()
    group_merge(winner=council, loser=duplicate, user=editor)
    assert Citation.objects.count() == citations
    assert pointing_at(council)["citations"] == council_citations + 1
    assert council.statements.count() == statements + 1
