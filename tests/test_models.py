import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from advocacy.models import (
    Citation,
    Group,
    Membership,
    Participation,
    Person,
    Quotation,
    Source,
    Statement,
)
from tests.factories import (
    CitationFactory,
    EventFactory,
    GroupAliasFactory,
    GroupFactory,
    MembershipFactory,
    PersonAliasFactory,
    PersonFactory,
    QuotationFactory,
    SourceFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db


def integrity_error(callable_):
    with pytest.raises(IntegrityError), transaction.atomic():
        callable_()


class TestConstraints:
    def test_statement_needs_exactly_one_speaker(self):
        person, group = PersonFactory(), GroupFactory()
        integrity_error(lambda: StatementFactory(speaker_person=person, speaker_group=group))
        integrity_error(lambda: StatementFactory(speaker_person=None, speaker_group=None))
        assert StatementFactory(speaker_person=None, speaker_group=group).speaker == group

    def test_participation_needs_exactly_one_participant(self):
        event = EventFactory()
        integrity_error(
            lambda: Participation.objects.create(
                event=event, person=PersonFactory(), group=GroupFactory(), part="attendee"
            )
        )
        integrity_error(lambda: Participation.objects.create(event=event, part="attendee"))

    def test_status_must_be_a_known_value(self):
        group = GroupFactory()
        integrity_error(lambda: Group.objects.filter(pk=group.pk).update(status="hidden"))
        group.status = "hidden"
        with pytest.raises(ValidationError) as error:
            group.full_clean()
        assert "status" in error.value.message_dict

    def test_slugs_are_unique_and_transliterated(self):
        first = GroupFactory(name="Путь домой")
        second = GroupFactory(name="Путь домой")
        assert first.slug == "put-domoi"
        assert second.slug == "put-domoi-2"
        integrity_error(lambda: GroupFactory(slug="put-domoi"))

    def test_same_document_is_refused_twice(self):
        source = SourceFactory()
        duplicate = Source(title="Copy", archived_text=source.archived_text.replace('"', "“", 1))
        duplicate.content_hash = source.content_hash
        with pytest.raises(ValidationError) as error:
            duplicate.full_clean()
        assert "content_hash" in error.value.message_dict
        integrity_error(
            lambda: Source.objects.create(title="Copy", archived_text=source.archived_text)
        )

    def test_membership_cannot_end_before_it_starts(self):
        integrity_error(
            lambda: MembershipFactory(
                start_date=datetime.date(2023, 1, 1), end_date=datetime.date(2022, 1, 1)
            )
        )

    def test_quotation_text_cannot_be_empty(self):
        integrity_error(lambda: QuotationFactory(text=""))


class TestVerbatimCheck:
    def test_quotation_found_despite_quote_mark_and_whitespace_variants(self):
        source = SourceFactory(archived_text="She said: “We’ve never had  thousands\nof requests.”")
        quotation = QuotationFactory(source=source, text="We've never had thousands of requests.")
        assert quotation.is_verbatim
        assert source.archived_text[quotation.start_offset : quotation.end_offset] == (
            "We’ve never had  thousands\nof requests."
        )
        assert quotation.prefix.endswith("She said: “")

    def test_unverified_quotation_is_marked(self):
        quotation = QuotationFactory(text="Words nobody printed")
        assert not quotation.is_verbatim
        assert quotation.start_offset is None

    def test_prefix_picks_the_occurrence(self):
        source = SourceFactory(archived_text='He said "hiding". Later: Putin is "hiding" again.')
        quotation = QuotationFactory(source=source, text="hiding", prefix='Putin is "')
        assert source.archived_text[: quotation.start_offset].endswith('Putin is "')

    def test_reworded_text_is_not_verbatim(self):
        source = SourceFactory(archived_text="We are here in Moscow, ready to meet with you.")
        assert not QuotationFactory(source=source, text="We are in Moscow").is_verbatim


class TestPublicQuerysets:
    def test_drafts_are_not_public(self):
        published, draft = GroupFactory(), GroupFactory(draft=True)
        assert list(Group.objects.public()) == [published]
        assert draft in Group.objects.all()

    def test_protected_people_are_not_public_but_their_statements_are(self):
        protected = PersonFactory(protected=True)
        statement = StatementFactory(speaker_person=protected)
        assert protected not in Person.objects.public()
        assert statement in Statement.objects.public()
        assert protected.public_name == "a protected person"

    def test_statement_of_a_draft_speaker_is_not_public(self):
        statement = StatementFactory(speaker_person=PersonFactory(draft=True))
        assert statement not in Statement.objects.public()

    def test_membership_needs_public_person_and_group(self):
        visible = MembershipFactory()
        MembershipFactory(group=GroupFactory(draft=True))
        MembershipFactory(person=PersonFactory(protected=True))
        MembershipFactory(draft=True)
        assert list(Membership.objects.public()) == [visible]

    def test_citation_needs_public_source_and_public_record(self):
        visible = CitationFactory()
        CitationFactory(source=SourceFactory(draft=True))
        CitationFactory(content_object=GroupFactory(draft=True))
        CitationFactory(content_object=PersonFactory(protected=True))
        assert list(Citation.objects.public()) == [visible]

    def test_quotation_needs_public_statement_and_source(self):
        visible = QuotationFactory()
        QuotationFactory(source=SourceFactory(draft=True))
        QuotationFactory(statement=StatementFactory(draft=True, quotation=False))
        assert list(Quotation.objects.public()) == [visible]

    def test_visible_to_shows_drafts_to_researchers_only(self, researcher):
        draft = StatementFactory(draft=True)
        anonymous = AnonymousUser()
        assert draft in Statement.objects.visible_to(researcher)
        assert draft not in Statement.objects.visible_to(anonymous)
        assert draft not in Statement.objects.visible_to(None)


class TestSearchKey:
    def test_aliases_in_any_script_are_searchable(self):
        person = PersonFactory(name="Olga Tsukanova")
        PersonAliasFactory(person=person, name="Ольга Цуканова")
        for query in ["Цуканова", "tsukanova", "Tsukanova", "OLGA tsukanova"]:
            assert list(Person.objects.search(query)) == [person], query

    def test_deleting_an_alias_removes_it_from_the_key(self):
        group = GroupFactory(name="Put' Domoi")
        alias = GroupAliasFactory(group=group, name="Way Home", script="latn")
        assert list(Group.objects.search("Way Home")) == [group]
        alias.delete()
        assert list(Group.objects.search("Way Home")) == []
        assert list(Group.objects.search("Путь домой")) == [group]

    def test_statement_is_found_by_its_quotations(self):
        statement = StatementFactory()
        assert list(Statement.objects.search("our sons back")) == [statement]


class TestPartialDates:
    def test_month_precision_stands_for_the_whole_month(self):
        statement = StatementFactory(date=datetime.date(2022, 11, 17), date_precision="month")
        assert statement.date == datetime.date(2022, 11, 1)
        assert statement.latest_date == datetime.date(2022, 11, 30)
        assert statement.date_display == "November 2022"

    def test_year_precision(self):
        event = EventFactory(date=datetime.date(2019, 6, 1), date_precision="year")
        assert (event.date, event.latest_date) == (
            datetime.date(2019, 1, 1),
            datetime.date(2019, 12, 31),
        )
        assert event.date_display == "2019"


def test_every_save_raises_the_version():
    group = GroupFactory()
    assert group.version == 1
    group.description = "Changed"
    group.save()
    group.refresh_from_db()
    assert group.version == 2
    assert group.history.count() == 2
