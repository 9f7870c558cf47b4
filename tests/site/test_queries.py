"""Every list and detail page runs the same number of queries at 5 and at 200 rows."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from advocacy.models.public import PUBLIC_MODELS
from advocacy.publication.builders import rebuild_all
from tests.site import bulk


class Case:
    """A page and a way to give it more rows: `grow(n)` adds n rows the page shows."""

    def __init__(self):
        self.source = bulk.sources(1)[0]
        self.group = bulk.groups(1)[0]
        self.person = bulk.people(1)[0]
        self.event = bulk.events(1)[0]
        self.statement = self.statements([self.person], event=self.event)[0]

    def statements(self, speakers, event=None):
        statements = bulk.statements(speakers, event=event)
        bulk.quotations([(statement, self.source) for statement in statements])
        bulk.citations(statements, self.source)
        return statements

    def url(self) -> str:
        raise NotImplementedError

    def grow(self, n: int) -> None:
        raise NotImplementedError


class GroupList(Case):
    def url(self):
        return reverse("group-list")

    def grow(self, n):
        groups = bulk.groups(n)
        for group in groups:
            bulk.group_aliases(group, 1, source=self.source)
        bulk.citations(groups, self.source)


class PersonList(Case):
    def url(self):
        return reverse("person-list")

    def grow(self, n):
        people = bulk.people(n)
        bulk.person_aliases(people)
        memberships = bulk.memberships([(person, self.group) for person in people])
        bulk.citations(memberships, self.source)
        bulk.citations(people, self.source)


class EventList(Case):
    def url(self):
        return reverse("event-list")

    def grow(self, n):
        events = bulk.events(n)
        bulk.participations([(event, self.group) for event in events])
        bulk.citations(events, self.source)


class StatementList(Case):
    def url(self):
        return reverse("statement-list")

    def grow(self, n):
        self.statements(bulk.people(n), event=self.event)


class SourceList(Case):
    def url(self):
        return reverse("source-list")

    def grow(self, n):
        bulk.sources(n)


class Home(StatementList):
    def url(self):
        return reverse("home")

    def grow(self, n):
        super().grow(n)
        bulk.events(n)
        bulk.groups(n)


class Search(StatementList):
    """ "sons" matches the statements' summaries and the sources' texts' titles."""

    def url(self):
        return reverse("search") + "?q=bulk"

    def grow(self, n):
        super().grow(n)
        bulk.groups(n)
        bulk.events(n)
        bulk.sources(n)


class Timeline(StatementList):
    def url(self):
        return reverse("timeline")

    def grow(self, n):
        super().grow(n)
        bulk.events(n)
        bulk.groups(n)  # the group filter's options


class Feed(StatementList):
    def url(self):
        return reverse("statement-feed")


class StatementExport(StatementList):
    def url(self):
        return reverse("statement-export", kwargs={"fmt": "csv"})


class GroupExport(GroupList):
    def url(self):
        return reverse("group-export", kwargs={"fmt": "json"})


class Sitemap(StatementList):
    def url(self):
        return reverse("sitemap")

    def grow(self, n):
        super().grow(n)
        bulk.groups(n)
        bulk.sources(n)


class SitemapPage(StatementList):
    def url(self):
        return reverse("sitemap-section", kwargs={"section": "statements"})


class GroupDetail(Case):
    def url(self):
        return self.group.get_absolute_url()

    def grow(self, n):
        people = bulk.people(n)
        memberships = bulk.memberships([(person, self.group) for person in people])
        bulk.citations(memberships, self.source)
        self.statements(people)
        participations = bulk.participations([(event, self.group) for event in bulk.events(n)])
        bulk.citations(participations, self.source)
        bulk.group_aliases(self.group, n, source=self.source)


class PersonDetail(Case):
    def url(self):
        return self.person.get_absolute_url()

    def grow(self, n):
        memberships = bulk.memberships([(self.person, group) for group in bulk.groups(n)])
        bulk.citations(memberships, self.source)
        self.statements([self.person] * n)
        participations = bulk.participations([(event, self.person) for event in bulk.events(n)])
        bulk.citations(participations, self.source)


class EventDetail(Case):
    def url(self):
        return self.event.get_absolute_url()

    def grow(self, n):
        participations = bulk.participations([(self.event, p) for p in bulk.people(n)])
        bulk.citations(participations, self.source)
        self.statements([self.person] * n, event=self.event)


class StatementDetail(Case):
    def url(self):
        return self.statement.get_absolute_url()

    def grow(self, n):
        sources = bulk.sources(n)
        bulk.quotations([(self.statement, source) for source in sources])
        for source in sources:
            bulk.citations([self.statement], source)


class SourceDetail(Case):
    def url(self):
        return self.source.get_absolute_url()

    def grow(self, n):
        people = bulk.people(n)
        self.statements(people)
        memberships = bulk.memberships([(person, self.group) for person in people])
        bulk.citations(memberships, self.source)


CASES = [
    GroupList,
    PersonList,
    EventList,
    StatementList,
    SourceList,
    Home,
    Search,
    Timeline,
    Feed,
    StatementExport,
    GroupExport,
    Sitemap,
    SitemapPage,
    GroupDetail,
    PersonDetail,
    EventDetail,
    StatementDetail,
    SourceDetail,
]


def count_queries(client, url) -> int:
    # Bulk rows send no signal: their public rows are built here, as `rebuild_public` would.
    rebuild_all()
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(context)


@pytest.mark.django_db
@pytest.mark.parametrize("case_class", CASES, ids=lambda case: case.__name__)
def test_queries_do_not_grow_with_rows(client, case_class, django_assert_max_num_queries):
    case = case_class()
    case.grow(4)  # 5 rows with the base record
    at_five = count_queries(client, case.url())
    case.grow(195)
    rebuild_all()
    with django_assert_max_num_queries(at_five):
        response = client.get(case.url())
    assert response.status_code == 200
    print(f"{case_class.__name__}: {at_five} queries")


@pytest.mark.django_db
@pytest.mark.parametrize("kind", ["group", "person", "event", "statement", "source"])
def test_a_list_reads_its_pages_rows_once(client, kind):
    """A list reads the documents of its page once: nothing (such as `{% if page_obj %}`)
    reads the page's rows again as model instances."""
    Case()
    rebuild_all()
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse(f"{kind}-list"))
    assert response.status_code == 200
    table = f'FROM "{PUBLIC_MODELS[kind]._meta.db_table}"'
    reads = [
        query["sql"]
        for query in context
        if table in query["sql"] and '"document_' in query["sql"] and "LIMIT" in query["sql"]
    ]
    assert len(reads) == 1, [query["sql"] for query in context]
