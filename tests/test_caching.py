"""Counts kept until the data changes (advocacy.caching): never stale, computed once.

Kept results need a committed database state (PostgreSQL's snapshot), so these tests
commit for real. On SQLite nothing is kept and every count is computed afresh."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advocacy.caching import kept_count
from advocacy.choices import Status
from advocacy.models import Statement
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
KEEPS = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_kept_count_is_computed_once_and_follows_every_write():
    factories.StatementFactory.create_batch(3)
    assert kept_count(Statement.objects.public()) == 3
    with CaptureQueriesContext(connection) as queries:
        assert kept_count(Statement.objects.public()) == 3
    assert len(queries) == 1  # the data version, or the count itself
    if KEEPS:
        assert "pg_current_snapshot" in queries[0]["sql"]
    Statement.objects.filter(pk=Statement.objects.first().pk).update(status=Status.DRAFT)
    assert kept_count(Statement.objects.public()) == 2
    assert kept_count(Statement.objects.all()) == 3  # another query, another key


def home_statement_count(client) -> str:
    html = client.get("/").content.decode()
    return re.search(r'href="/statements/"><strong>(\d+)</strong>', html).group(1)


def test_home_page_counts_follow_an_unpublish(client):
    statements = factories.StatementFactory.create_batch(2)
    assert home_statement_count(client) == "2"
    assert home_statement_count(client) == "2"
    Statement.objects.filter(pk=statements[0].pk).update(status=Status.DRAFT)
    assert home_statement_count(client) == "1"


def test_numbered_api_pages_count_once(api_client):
    factories.StatementFactory.create_batch(3)
    first = api_client.get("/api/v1/statements/", {"page_size": 1})
    assert first.json()["count"] == 3
    with CaptureQueriesContext(connection) as queries:
        second = api_client.get("/api/v1/statements/", {"page_size": 1, "page": 2})
    assert second.json()["count"] == 3
    counts = [q for q in queries if "COUNT(" in q["sql"].upper()]
    assert len(counts) == (0 if KEEPS else 1)


def test_an_empty_queryset_counts_zero_without_a_query(api_client):
    assert kept_count(Statement.objects.none()) == 0
    # A search with no usable terms is such a queryset.
    assert api_client.get("/api/v1/statements/", {"q": "?!"}).json()["count"] == 0
