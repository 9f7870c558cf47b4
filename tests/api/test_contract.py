"""One contract, every resource: each concrete class below only sets attributes.

A resource's list and detail answer 200 for published records; a draft is 404 and absent
for anonymous users but visible to a researcher; anonymous writes are 401, writes without
permission 403; a valid write is 201 and an invalid one 400 naming the field, leaving the
database unchanged; every filter of its FilterSet narrows the list; and the list runs the
same number of queries at 5 and at 200 rows.
"""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from advocacy import filters as filtersets
from advocacy import models
from advocacy.api import views
from advocacy.publication.builders import KIND_OF_MODEL
from advocacy.publication.triggers import flush
from tests import factories

pytestmark = pytest.mark.django_db

LONG_AGO = timezone.now() - datetime.timedelta(days=400)
SINCE = (timezone.now() - datetime.timedelta(days=1)).isoformat()


def ids(response) -> set[int]:
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


def db_counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (
            models.Group,
            models.Person,
            models.Membership,
            models.Event,
            models.Statement,
            models.Quotation,
            models.Source,
            models.Citation,
        )
    }


def age(record) -> None:
    """Make a record look untouched for a long time (for `updated_after`)."""
    type(record).objects.filter(pk=record.pk).update(updated_at=LONG_AGO)
    # Its public row too: the public side's `updated_at` is when what it shows changed.
    kind = KIND_OF_MODEL.get(type(record))
    if kind is not None:
        flush()
        kind.public_model.objects.filter(pk=record.pk).update(updated_at=LONG_AGO)


def cite(record, source=None):
    return factories.CitationFactory(
        content_object=record, source=source or factories.SourceFactory()
    )


class ResourceContract:
    resource: str
    viewset: type
    model: type
    has_slug = True
    invalid_field: str
    # Filter name -> method name building (params, matching record, other record).
    filter_cases: dict[str, str]

    # To be provided by each resource.
    def make(self, **kwargs):
        raise NotImplementedError

    def make_draft(self):
        raise NotImplementedError

    def make_many(self, count: int) -> None:
        for _ in range(count):
            cite(self.make())

    def valid_payload(self) -> dict:
        raise NotImplementedError

    def invalid_payload(self) -> dict:
        raise NotImplementedError

    # Helpers.
    def list_url(self, **params) -> str:
        return f"/api/v1/{self.resource}/"

    def detail_url(self, ref) -> str:
        return f"/api/v1/{self.resource}/{ref}/"

    # The contract.
    def test_list_and_detail_are_200_for_published(self, api_client):
        record = self.make()
        response = api_client.get(self.list_url())
        assert record.pk in ids(response)
        detail = api_client.get(self.detail_url(record.pk))
        assert detail.status_code == 200
        body = detail.json()
        assert body["id"] == record.pk
        assert body["url"].endswith(self.detail_url(record.pk))
        if self.has_slug:
            assert api_client.get(self.detail_url(record.slug)).json()["id"] == record.pk

    def test_draft_is_404_and_absent_for_anonymous(self, api_client):
        draft = self.make_draft()
        published = self.make()
        listed = api_client.get(self.list_url())
        assert draft.pk not in ids(listed)
        assert published.pk in ids(listed)
        assert listed.json()["count"] == len(ids(listed))
        assert api_client.get(self.detail_url(draft.pk)).status_code == 404
        if self.has_slug:
            assert api_client.get(self.detail_url(draft.slug)).status_code == 404

    def test_draft_is_visible_to_a_researcher(self, token_client):
        draft = self.make_draft()
        assert draft.pk in ids(token_client.get(self.list_url()))
        assert token_client.get(self.detail_url(draft.pk)).status_code == 200

    def test_anonymous_write_is_401(self, api_client):
        payload = self.valid_payload()
        before = db_counts()
        response = api_client.post(self.list_url(), payload, format="json")
        assert response.status_code == 401
        assert response["WWW-Authenticate"].startswith("Token")
        assert db_counts() == before

    def test_write_without_permission_is_403(self, plain_client):
        payload = self.valid_payload()
        before = db_counts()
        response = plain_client.post(self.list_url(), payload, format="json")
        assert response.status_code == 403
        assert "detail" in response.json()
        assert db_counts() == before

    def test_valid_write_is_201(self, token_client):
        payload = self.valid_payload()
        before = self.model.objects.count()
        response = token_client.post(self.list_url(), payload, format="json")
        assert response.status_code == 201, response.content
        body = response.json()
        assert self.model.objects.count() == before + 1
        assert response["Location"] == body["url"]
        assert token_client.get(body["url"]).json() == body

    def test_invalid_write_is_400_and_changes_nothing(self, token_client):
        payload = self.invalid_payload()
        before = db_counts()
        response = token_client.post(self.list_url(), payload, format="json")
        assert response.status_code == 400, response.content
        assert self.invalid_field in response.json(), response.json()
        assert db_counts() == before

    def test_every_filter_narrows(self, api_client):
        filterset = self.viewset.filterset_class
        assert set(self.filter_cases) == set(filterset.base_filters) - {"ordering"}, (
            "every filter needs a case"
        )
        for name, builder in self.filter_cases.items():
            params, wanted, other = getattr(self, builder)()
            found = ids(api_client.get(self.list_url(), params))
            assert wanted.pk in found, (name, params)
            assert other.pk not in found, (name, params)
            unfiltered = ids(api_client.get(self.list_url(), {"page_size": 500}))
            assert {wanted.pk, other.pk} <= unfiltered, name

    def test_query_count_is_the_same_at_5_and_200_rows(
        self, api_client, token_client, django_assert_max_num_queries
    ):
        self.make_many(5)
        flush()  # the public rows are built at write time; this measures reading
        counts = {}
        for name, client in (("anonymous", api_client), ("researcher", token_client)):
            with CaptureQueriesContext(connection) as queries:
                response = client.get(self.list_url(), {"page_size": 500})
            assert len(response.json()["results"]) >= 5
            counts[name] = len(queries)
        self.make_many(195)
        flush()
        for name, client in (("anonymous", api_client), ("researcher", token_client)):
            with django_assert_max_num_queries(counts[name]):
                response = client.get(self.list_url(), {"page_size": 500})
            assert len(response.json()["results"]) >= 200


# Groups ------------------------------------------------------------------------------------


class TestGroups(ResourceContract):
    resource = "groups"
    viewset = views.GroupViewSet
    model = models.Group
    invalid_field = "kind"
    filter_cases = {
        "q": "by_q",
        "updated_after": "by_updated_after",
        "kind": "by_kind",
        "country": "by_country",
        "has_conflict": "by_has_conflict",
    }

    def make(self, **kwargs):
        return factories.GroupFactory(**kwargs)

    def make_draft(self):
        return factories.GroupFactory(draft=True)

    def make_many(self, count):
        source = factories.SourceFactory()
        for _ in range(count):
            group = factories.GroupFactory()
            factories.GroupAliasFactory(group=group)
            cite(group, source)

    def valid_payload(self):
        source = factories.SourceFactory()
        return {
            "name": "Council of New Mothers",
            "kind": "advocacy_group",
            "country": "RU",
            "founded_on": "2022-01-01",
            "founded_precision": "year",
            "citations": [{"source": source.slug, "excerpt": "Mothers demand answers"}],
        }

    def invalid_payload(self):
        return {"name": "A group", "kind": "choir"}

    def by_q(self):
        return {"q": "Журавли"}, self.make(name="Zhuravli"), self.make(name="Swans")

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other

    def by_kind(self):
        return {"kind": "media_outlet"}, self.make(kind="media_outlet"), self.make()

    def by_country(self):
        return {"country": "UA"}, self.make(country="UA"), self.make(country="RU")

    def by_has_conflict(self):
        return {"has_conflict": "true"}, self.make(has_conflict=True), self.make()


# People --------------------------------------------------------------------------------------


class TestPeople(ResourceContract):
    resource = "people"
    viewset = views.PersonViewSet
    model = models.Person
    invalid_field = "name"
    filter_cases = {
        "q": "by_q",
        "updated_after": "by_updated_after",
        "group": "by_group",
        "role": "by_role",
        "country": "by_country",
        "has_conflict": "by_has_conflict",
    }

    def make(self, **kwargs):
        return factories.PersonFactory(**kwargs)

    def make_draft(self):
        return factories.PersonFactory(draft=True)

    def make_many(self, count):
        source, group = factories.SourceFactory(), factories.GroupFactory()
        for _ in range(count):
            person = factories.PersonFactory()
            factories.PersonAliasFactory(person=person)
            cite(factories.MembershipFactory(person=person, group=group), source)
            cite(person, source)

    def valid_payload(self):
        return {"name": "Irina Newcomer", "country": "RU", "description": "An activist."}

    def invalid_payload(self):
        return {"name": "x" * 201}

    def by_q(self):
        return {"q": "Цуканова"}, self.make(name="Olga Tsukanova"), self.make(name="Olga Other")

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other

    def by_group(self):
        membership = factories.MembershipFactory()
        return {"group": membership.group.slug}, membership.person, self.make()

    def by_role(self):
        membership = factories.MembershipFactory(role="secretary")
        factories.MembershipFactory(role="president")
        other = factories.MembershipFactory(role="president").person
        return {"role": "secret"}, membership.person, other

    def by_country(self):
        return {"country": "UA"}, self.make(country="UA"), self.make(country="RU")

    def by_has_conflict(self):
        return {"has_conflict": "True"}, self.make(has_conflict=True), self.make()


# Memberships --------------------------------------------------------------------------------


class TestMemberships(ResourceContract):
    resource = "memberships"
    viewset = views.MembershipViewSet
    model = models.Membership
    has_slug = False
    invalid_field = "person"
    filter_cases = {
        "q": "by_q",
        "updated_after": "by_updated_after",
        "person": "by_person",
        "group": "by_group",
        "role": "by_role",
        "has_conflict": "by_has_conflict",
    }

    def make(self, **kwargs):
        return factories.MembershipFactory(**kwargs)

    def make_draft(self):
        return factories.MembershipFactory(draft=True)

    def make_many(self, count):
        source, group = factories.SourceFactory(), factories.GroupFactory()
        for _ in range(count):
            cite(factories.MembershipFactory(group=group), source)

    def valid_payload(self):
        return {
            "person": factories.PersonFactory().slug,
            "group": factories.GroupFactory().pk,
            "role": "member",
            "start_date": "2022-10-01",
            "start_precision": "month",
        }

    def invalid_payload(self):
        return {"person": "nobody-at-all", "group": factories.GroupFactory().slug, "role": "x"}

    def by_q(self):
        person = factories.PersonFactory(name="Valentina Melnikova")
        return {"q": "Мельникова"}, self.make(person=person), self.make()

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other

    def by_person(self):
        wanted = self.make()
        return {"person": wanted.person.slug}, wanted, self.make()

    def by_group(self):
        wanted = self.make()
        return {"group": wanted.group.slug}, wanted, self.make()

    def by_role(self):
        return {"role": "secret"}, self.make(role="secretary"), self.make(role="president")

    def by_has_conflict(self):
        return {"has_conflict": "true"}, self.make(has_conflict=True), self.make()


# Events ---------------------------------------------------------------------------------------


class TestEvents(ResourceContract):
    resource = "events"
    viewset = views.EventViewSet
    model = models.Event
    invalid_field = "end_date"
    filter_cases = {
        "q": "by_q",
        "updated_after": "by_updated_after",
        "date_after": "by_date_after",
        "date_before": "by_date_before",
        "kind": "by_kind",
        "place": "by_place",
        "person": "by_person",
        "group": "by_group",
        "part": "by_part",
        "topic": "by_topic",
        "has_conflict": "by_has_conflict",
    }

    def make(self, **kwargs):
        return factories.EventFactory(**kwargs)

    def make_draft(self):
        return factories.EventFactory(draft=True)

    def make_many(self, count):
        source, group, topic = (
            factories.SourceFactory(),
            factories.GroupFactory(),
            factories.TopicFactory(),
        )
        for _ in range(count):
            event = factories.EventFactory()
            event.topics.add(topic)
            cite(factories.ParticipationFactory(event=event, group=group), source)
            factories.ParticipationFactory(
                event=event, group=None, person=factories.PersonFactory(), part="attendee"
            )
            cite(event, source)

    def valid_payload(self):
        return {
            "name": "Protest at the ministry",
            "kind": "protest",
            "date": "2023-01-15",
            "date_precision": "month",
            "place": "Moscow",
            "topics": [factories.TopicFactory().slug],
        }

    def invalid_payload(self):
        return {
            "name": "Backwards",
            "kind": "protest",
            "date": "2023-01-15",
            "end_date": "2023-01-01",
        }

    def by_q(self):
        return {"q": "Круглый стол"}, self.make(name="Kruglyi stol"), self.make(name="Protest")

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other

    def by_date_after(self):
        return (
            {"date_after": "2023-06-01"},
            self.make(date=datetime.date(2023, 1, 1), date_precision="year"),
            self.make(date=datetime.date(2022, 11, 20)),
        )

    def by_date_before(self):
        return (
            {"date_before": "2022-12-31"},
            self.make(date=datetime.date(2022, 11, 20)),
            self.make(date=datetime.date(2023, 2, 1)),
        )

    def by_kind(self):
        return {"kind": "protest"}, self.make(kind="protest"), self.make(kind="roundtable")

    def by_place(self):
        return {"place": "samara"}, self.make(place="Samara"), self.make(place="Moscow")

    def by_person(self):
        participation = factories.ParticipationFactory(group=None, person=factories.PersonFactory())
        return {"person": participation.person.slug}, participation.event, self.make()

    def by_group(self):
        participation = factories.ParticipationFactory()
        return {"group": participation.group.slug}, participation.event, self.make()

    def by_part(self):
        wanted = factories.ParticipationFactory(part="not_invited").event
        other = factories.ParticipationFactory(part="organiser").event
        return {"part": "not_invited"}, wanted, other

    def by_topic(self):
        topic = factories.TopicFactory()
        wanted = self.make()
        wanted.topics.add(topic)
        return {"topic": topic.slug}, wanted, self.make()

    def by_has_conflict(self):
        return {"has_conflict": "true"}, self.make(has_conflict=True), self.make()


# Statements -----------------------------------------------------------------------------------


class TestStatements(ResourceContract):
    resource = "statements"
    viewset = views.StatementViewSet
    model = models.Statement
    invalid_field = "speaker_person"
    filter_cases = {
        "q": "by_q",
        "updated_after": "by_updated_after",
        "date_after": "by_date_after",
        "date_before": "by_date_before",
        "speaker": "by_speaker",
        "group": "by_group",
        "medium": "by_medium",
        "language": "by_language",
        "event": "by_event",
        "source": "by_source",
        "topic": "by_topic",
        "has_conflict": "by_has_conflict",
    }

    def make(self, **kwargs):
        return factories.StatementFactory(**kwargs)

    def make_draft(self):
        return factories.StatementFactory(draft=True)

    def make_many(self, count):
        source, speaker, topic = (
            factories.SourceFactory(),
            factories.PersonFactory(),
            factories.TopicFactory(),
        )
        event, addressee = factories.EventFactory(), factories.GroupFactory()
        for _ in range(count):
            statement = factories.StatementFactory(
                speaker_person=speaker, event=event, addressee_group=addressee, quotation=False
            )
            factories.QuotationFactory(statement=statement, source=source, position=1)
            statement.topics.add(topic)
            cite(statement, source)

    def valid_payload(self):
        source = factories.SourceFactory()
        other_source = factories.SourceFactory()
        return {
            "speaker_person": factories.PersonFactory().slug,
            "addressee_person": factories.PersonFactory().pk,
            "event": factories.EventFactory().slug,
            "medium": "interview",
            "date": "2022-11-23",
            "date_precision": "day",
            "summary": "Mothers want their sons back.",
            "topics": [factories.TopicFactory().slug],
            "quotations": [
                {"source": source.slug, "text": "We want our sons back", "language": "en"},
                {"source": other_source.pk, "text": "The ministry did not reply."},
            ],
            "citations": [{"source": source.slug, "excerpt": "said Olga Example"}],
        }

    def invalid_payload(self):
        payload = self.valid_payload()
        payload["speaker_group"] = factories.GroupFactory().slug
        return payload

    def by_q(self):
        wanted = self.make(summary="Цуканова asks for a meeting")
        return {"q": "tsukanova"}, wanted, self.make()

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other

    def by_date_after(self):
        return (
            {"date_after": "2022-11-15"},
            self.make(date=datetime.date(2022, 11, 1), date_precision="month"),
            self.make(date=datetime.date(2022, 10, 31)),
        )

    def by_date_before(self):
        return (
            {"date_before": "2022-11-15"},
            self.make(date=datetime.date(2022, 11, 1), date_precision="month"),
            self.make(date=datetime.date(2022, 12, 1)),
        )

    def by_speaker(self):
        wanted = self.make()
        return {"speaker": wanted.speaker_person.slug}, wanted, self.make()

    def by_group(self):
        membership = factories.MembershipFactory()
        wanted = self.make(speaker_person=membership.person)
        return {"group": membership.group.slug}, wanted, self.make()

    def by_medium(self):
        return {"medium": "interview"}, self.make(medium="interview"), self.make()

    def by_language(self):
        wanted = self.make(quotation=False)
        factories.QuotationFactory(statement=wanted, language="ru")
        return {"language": "ru"}, wanted, self.make()

    def by_event(self):
        wanted = self.make(event=factories.EventFactory())
        return {"event": wanted.event.slug}, wanted, self.make()

    def by_source(self):
        wanted = self.make()
        return {"source": wanted.quotations.get().source.slug}, wanted, self.make()

    def by_topic(self):
        topic = factories.TopicFactory()
        wanted = self.make()
        wanted.topics.add(topic)
        return {"topic": topic.slug}, wanted, self.make()

    def by_has_conflict(self):
        return {"has_conflict": "true"}, self.make(has_conflict=True), self.make()


# Quotations ----------------------------------------------------------------------------------


class TestQuotations(ResourceContract):
    resource = "quotations"
    viewset = views.QuotationViewSet
    model = models.Quotation
    has_slug = False
    invalid_field = "text"
    filter_cases = {
        "statement": "by_statement",
        "source": "by_source",
        "language": "by_language",
        "is_verbatim": "by_is_verbatim",
        "updated_after": "by_updated_after",
    }

    def make(self, **kwargs):
        return factories.QuotationFactory(**kwargs)

    def make_draft(self):
        """A quotation of a draft statement."""
        return factories.QuotationFactory(
            statement=factories.StatementFactory(draft=True, quotation=False)
        )

    def make_many(self, count):
        source, speaker = factories.SourceFactory(), factories.PersonFactory()
        for _ in range(count):
            statement = factories.StatementFactory(speaker_person=speaker, quotation=False)
            factories.QuotationFactory(statement=statement, source=source, position=1)

    def valid_payload(self):
        return {
            "statement": factories.StatementFactory().slug,
            "source": factories.SourceFactory().slug,
            "text": "The ministry did not reply.",
            "language": "en",
            "position": 2,
        }

    def invalid_payload(self):
        payload = self.valid_payload()
        payload["text"] = "   "
        return payload

    def by_statement(self):
        wanted = self.make()
        return {"statement": wanted.statement.slug}, wanted, self.make()

    def by_source(self):
        wanted = self.make()
        return {"source": wanted.source.slug}, wanted, self.make()

    def by_language(self):
        return {"language": "uk"}, self.make(language="uk"), self.make()

    def by_is_verbatim(self):
        return {"is_verbatim": "false"}, self.make(text="Words nowhere in it"), self.make()

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other


# Sources --------------------------------------------------------------------------------------


class TestSources(ResourceContract):
    resource = "sources"
    viewset = views.SourceViewSet
    model = models.Source
    invalid_field = "archived_text"
    filter_cases = {
        "q": "by_q",
        "updated_after": "by_updated_after",
        "publisher": "by_publisher",
        "language": "by_language",
        "kind": "by_kind",
        "date_after": "by_date_after",
        "date_before": "by_date_before",
    }

    def make(self, **kwargs):
        return factories.SourceFactory(**kwargs)

    def make_draft(self):
        return factories.SourceFactory(draft=True)

    def valid_payload(self):
        return {
            "title": "Mothers of the mobilised speak out",
            "publisher": "Example Times",
            "source_url": "https://news.example.org/mothers",
            "published_on": "2023-12-18",
            "archived_text": "A new article.\n\nMothers spoke out on Monday.",
        }

    def invalid_payload(self):
        return {"title": "Empty", "archived_text": "   "}

    def by_q(self):
        return {"q": "Матери"}, self.make(title="Materi protiv"), self.make(title="Fathers")

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other

    def by_publisher(self):
        return {"publisher": "moscow"}, self.make(publisher="The Moscow Times"), self.make()

    def by_language(self):
        return {"language": "ru"}, self.make(language="ru"), self.make(language="en")

    def by_kind(self):
        return {"kind": "telegram_post"}, self.make(kind="telegram_post"), self.make()

    def by_date_after(self):
        return (
            {"date_after": "2023-01-01"},
            self.make(published_on=datetime.date(2023, 12, 18)),
            self.make(published_on=datetime.date(2022, 11, 24)),
        )

    def by_date_before(self):
        return (
            {"date_before": "2023-01-01"},
            self.make(published_on=datetime.date(2022, 11, 24)),
            self.make(published_on=datetime.date(2023, 12, 18)),
        )


# Citations ------------------------------------------------------------------------------------


class TestCitations(ResourceContract):
    resource = "citations"
    viewset = views.CitationViewSet
    model = models.Citation
    has_slug = False
    invalid_field = "record_id"
    filter_cases = {
        "source": "by_source",
        "model": "by_model",
        "updated_after": "by_updated_after",
    }

    def make(self, **kwargs):
        return factories.CitationFactory(**kwargs)

    def make_draft(self):
        """A citation of a draft record."""
        return factories.CitationFactory(content_object=factories.GroupFactory(draft=True))

    def make_many(self, count):
        source = factories.SourceFactory()
        for _ in range(count):
            cite(factories.StatementFactory(quotation=False), source)

    def valid_payload(self):
        return {
            "record_type": "statement",
            "record_id": factories.StatementFactory().pk,
            "source": factories.SourceFactory().slug,
            "excerpt": "We want our sons back",
        }

    def invalid_payload(self):
        payload = self.valid_payload()
        payload["record_id"] = 987654321
        return payload

    def by_source(self):
        wanted = self.make()
        return {"source": wanted.source.slug}, wanted, self.make()

    def by_model(self):
        wanted = self.make(content_object=factories.EventFactory())
        return {"model": "event"}, wanted, self.make()

    def by_updated_after(self):
        other = self.make()
        age(other)
        return {"updated_after": SINCE}, self.make(), other


def test_every_resource_has_a_contract():
    """A new viewset without a contract class fails here."""
    from advocacy.api.urls import router

    covered = {
        cls.viewset
        for cls in globals().values()
        if isinstance(cls, type)
        and issubclass(cls, ResourceContract)
        and cls is not ResourceContract
    }
    assert {viewset for _, viewset, _ in router.registry} == covered


def test_filtersets_are_the_shared_ones():
    """The API filters with the same FilterSets as the public pages."""
    assert views.StatementViewSet.filterset_class is filtersets.StatementFilterSet
    assert views.EventViewSet.filterset_class is filtersets.EventFilterSet
    assert views.PersonViewSet.filterset_class is filtersets.PersonFilterSet
