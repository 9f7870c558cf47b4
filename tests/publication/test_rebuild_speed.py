"""What a rebuild costs: a batch of public rows reads in a fixed number of queries, none of
them once per record."""

import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advocacy.publication import builders
from bench.synthetic import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic():
    generate(scale=2)


def shape(sql: str) -> str:
    """A query without its values: the same query for another record has the same shape."""
    sql = re.sub(r"IN \([^)]*\)", "IN (…)", sql)
    return re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "…", sql)


def reads_to_rebuild(kind: str, ids: list[int]) -> Counter:
    """The queries rebuilding these records' rows runs, by shape, but for the bulk writes
    (whose statements SQLite splits by its limit on parameters)."""
    with CaptureQueriesContext(connection) as captured:
        builders.rebuild(kind, ids)
    return Counter(
        shape(query["sql"])
        for query in captured
        if not query["sql"].startswith(("INSERT", "DELETE", "UPDATE"))
    )


@pytest.mark.parametrize("kind", list(builders.KINDS))
def test_a_batch_reads_no_query_per_record(synthetic, kind):
    model = builders.KINDS[kind].model
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 6
    builders.rebuild(kind, ids)  # caches warmed (content types, URL patterns)
    reads = reads_to_rebuild(kind, ids)
    repeated = {query: count for query, count in reads.items() if count > 2}
    assert not repeated, f"{kind}: {len(ids)} records, {sum(reads.values())} reads: {repeated}"
    # A handful of queries for the whole batch, whatever its size.
    assert sum(reads.values()) <= 25
