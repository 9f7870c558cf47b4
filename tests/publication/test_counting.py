"""Counts of public rows: exact up to 10,000, then the planner's estimate (PostgreSQL) or
"more than 10,000" (SQLite), written for a page."""

import pytest
from django.db import connection
from django.db.models import Count
from django.template import Context, Template
from django.utils import timezone, translation

from advocacy.models import PublicStatement
from advocacy.publication import counting
from advocacy.publication.counting import EXACT_LIMIT, PublicCount, count_public, rounded

POSTGRESQL = connection.vendor == "postgresql"


@pytest.fixture(autouse=True)
def english():
    """Counts are written in the active language: these read them in English, whatever
    language a page requested before left active."""
    with translation.override("en"):
        yield


def make_rows(how_many: int, *, conflict_every: int = 0) -> None:
    now = timezone.now()
    PublicStatement.objects.bulk_create(
        (
            PublicStatement(
                id=pk,
                slug=f"s{pk}",
                document_en="{}",
                document_ru="{}",
                document_uk="{}",
                has_conflict=bool(conflict_every) and pk % conflict_every == 0,
                updated_at=now,
            )
            for pk in range(1, how_many + 1)
        ),
        batch_size=2000,
    )


@pytest.fixture
def analysed():
    """ANALYZE the table on PostgreSQL. Statistics are written outside the test's
    transaction and outlive its rollback: afterwards they are made again over an empty
    table, so no later test's count trusts 14,000 rows that are gone."""

    def analyse():
        if POSTGRESQL:
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {PublicStatement._meta.db_table}")

    yield analyse
    PublicStatement.objects.all().delete()
    analyse()


def test_words_for_a_count():
    assert str(PublicCount(12_345, True)) == "12,345"
    assert str(PublicCount(1_234_567, False)) == "about 1.2 million"
    assert str(PublicCount(12_345, False)) == "about 12,000"
    assert str(PublicCount(10_000, False, at_least=True)) == "more than 10,000"
    assert rounded(987_654) == "990,000"
    with translation.override("ru"):
        assert "1,2" in str(PublicCount(1_234_567, False))


@pytest.mark.django_db
def test_up_to_the_limit_the_count_is_exact(django_assert_max_num_queries):
    make_rows(25, conflict_every=5)
    # On PostgreSQL, the table's statistics first (`reltuples`), then the count.
    with django_assert_max_num_queries(2 if POSTGRESQL else 1):
        assert count_public(PublicStatement.objects.all()) == PublicCount(25, True)
    assert count_public(PublicStatement.objects.filter(has_conflict=True)) == PublicCount(5, True)
    assert count_public(PublicStatement.objects.none()) == PublicCount(0, True)


@pytest.mark.django_db
def test_past_the_limit_the_count_is_estimated(django_assert_max_num_queries, analysed):
    make_rows(EXACT_LIMIT + 4_000, conflict_every=10)
    analysed()
    with django_assert_max_num_queries(2):
        every = count_public(PublicStatement.objects.all())
    half = count_public(PublicStatement.objects.filter(has_conflict=False))
    if POSTGRESQL:
        # The planner's figures after ANALYZE: near, not exact, and never under the limit.
        assert not every.exact and EXACT_LIMIT < every.value <= 20_000, every
        assert not half.exact and EXACT_LIMIT < half.value <= 20_000, half
        assert str(every).startswith("about ")
    else:
        assert every == PublicCount(EXACT_LIMIT, False, at_least=True)
        assert str(every) == "more than 10,000"
        assert half == PublicCount(EXACT_LIMIT, False, at_least=True)


@pytest.mark.django_db
def test_the_template_filter_counts_a_queryset():
    make_rows(3)
    template = Template("{% load public_counts %}{{ rows|public_count }}/{{ n|public_count }}")
    rendered = template.render(Context({"rows": PublicStatement.objects.all(), "n": 12345}))
    assert rendered == "3/12,345"


@pytest.mark.django_db
def test_a_long_list_says_about_how_many(client, analysed):
    make_rows(EXACT_LIMIT + 4_000)
    analysed()
    html = client.get("/statements/").content.decode()
    heading = html[html.index('id="results-title"') :].split("</h2>")[0]
    if POSTGRESQL:
        assert "about 1" in heading and "records" in heading, heading
    else:
        assert "More than 10,000 records" in heading, heading


@pytest.mark.django_db
def test_a_list_its_statistics_put_well_past_the_limit_is_not_counted(monkeypatch):
    """On PostgreSQL, a whole table its statistics put at 1.5 times the limit, or a filtered
    list of a table that large the planner puts at five times, is not counted (the
    statistics here are stood in for); nearer the limit it is. SQLite has no statistics:
    it counts."""
    make_rows(30, conflict_every=10)
    every, conflicting = (
        PublicStatement.objects.all(),
        PublicStatement.objects.filter(has_conflict=True),
    )

    def counted(table_rows: int, planned_rows: int) -> tuple[PublicCount, PublicCount]:
        monkeypatch.setattr(
            counting,
            "table_estimates",
            lambda querysets: {queryset.model: table_rows for queryset in querysets},
        )
        monkeypatch.setattr(counting, "planner_estimate", lambda queryset: planned_rows)
        return count_public(every), count_public(conflicting)

    exact = (PublicCount(30, True), PublicCount(3, True))
    if POSTGRESQL:
        assert counted(50_001, 50_001) == (PublicCount(50_001, False),) * 2
        assert str(count_public(every)) == "about 50,000"
        assert counted(50_001, 50_000) == (PublicCount(50_001, False), exact[1])
        assert counted(15_001, 90_000) == (PublicCount(15_001, False), exact[1])
        assert counted(15_000, 90_000) == exact
    else:
        assert counted(50_001, 50_001) == exact


@pytest.mark.django_db
def test_whole_tables_are_counted_together(monkeypatch, django_assert_num_queries):
    """The home page's five tables: their statistics in one query, the counts they leave
    open in one more, each the count `count_public` gives alone."""
    from advocacy.models import PublicEvent, PublicGroup, PublicPerson

    make_rows(12)
    tables = [
        PublicStatement.objects.all(),
        PublicGroup.objects.all(),
        PublicPerson.objects.all(),
        PublicEvent.objects.all(),
    ]
    alone = [count_public(table) for table in tables]
    assert alone[0] == PublicCount(12, True)
    with django_assert_num_queries(2 if POSTGRESQL else 1):
        assert counting.count_tables(tables) == alone
    # Statistics that put one table well past the limit: that one is not counted.
    monkeypatch.setattr(
        counting,
        "table_estimates",
        lambda querysets: {PublicStatement: 3 * EXACT_LIMIT} if POSTGRESQL else {},
    )
    expected = [PublicCount(3 * EXACT_LIMIT, False) if POSTGRESQL else alone[0], *alone[1:]]
    with django_assert_num_queries(1):
        assert counting.count_tables(tables) == expected


@pytest.mark.django_db
def test_a_whole_table_and_a_filtered_list_count_alike():
    """A whole table's count is written directly, a filtered list's compiled: both stop at
    the limit, and a list that can match nothing counts 0."""
    make_rows(12, conflict_every=3)
    rows = PublicStatement.objects.all()
    assert counting.is_whole_table(rows)
    assert not counting.is_whole_table(rows.filter(has_conflict=True))
    assert not counting.is_whole_table(rows[:5])
    assert not counting.is_whole_table(rows.values("has_conflict").annotate(n=Count("id")))
    assert counting.counts_up_to(
        [rows, rows.filter(has_conflict=True), rows.none(), rows.order_by("slug")], 10
    ) == [11, 4, 0, 11]
    assert counting.counts_up_to([rows], 20) == [12]


@pytest.mark.django_db
def test_several_lists_are_estimated_in_one_query(monkeypatch, analysed, django_assert_num_queries):
    """`before_counting`: on PostgreSQL one EXPLAIN estimates every list of a large table,
    each as the planner estimates it alone, and a list put far past the limit is decided
    without a count. `.none()` is 0 at once; a filter that can match nothing is left out of
    the EXPLAIN, and counts 0. SQLite has no planner: every other list is left to count."""
    make_rows(40, conflict_every=10)
    analysed()
    rows = PublicStatement.objects.all()
    lists = [
        rows.filter(has_conflict=False),
        rows.none(),
        rows.filter(has_conflict=True),
        rows.filter(slug__in=["s1", "s2"]),
        rows.filter(pk__in=[]),  # matches nothing, but is not `.none()`
    ]
    monkeypatch.setattr(
        counting, "table_estimates", lambda querysets: {q.model: 10**6 for q in querysets}
    )
    open_lists = [lists[0], lists[2], lists[3]]
    alone = [counting.planner_estimate(rows) for rows in open_lists] if POSTGRESQL else []
    with django_assert_num_queries(1 if POSTGRESQL else 0):
        known = counting.before_counting(lists, 2)
    assert known[1].decided == PublicCount(0, True)
    if POSTGRESQL:
        assert len(set(alone)) == 3, alone  # told apart only if each is its own
        assert [known[index].estimated for index in (0, 2, 3)] == alone
        assert known[0].decided == PublicCount(alone[0], False)  # 36 > 5 × 2
        assert known[3].decided is None
    else:
        assert [(b.estimated, b.decided) for b in (known[0], known[2], known[3])] == [
            (None, None)
        ] * 3
    assert known[3].counted(counting.count_up_to(lists[3], 2)) == PublicCount(2, True)
    assert known[4].counted(counting.count_up_to(lists[4], 2)) == PublicCount(0, True)
    assert known[2].counted(counting.count_up_to(lists[2], 2)) == (
        PublicCount(max(alone[1], 3), False) if POSTGRESQL else PublicCount(2, False, at_least=True)
    )


@pytest.mark.django_db
def test_filtered_lists_are_counted_together_as_each_alone(django_assert_num_queries):
    """`count_lists` (the timeline's four lists): each count as `count_public` gives it
    alone, in the tables' statistics and one count on PostgreSQL, one count on SQLite."""
    make_rows(30, conflict_every=10)
    rows = PublicStatement.objects.all()
    lists = [rows.filter(has_conflict=True), rows.none(), rows.filter(has_conflict=False)]
    alone = [count_public(rows, 30) for rows in lists]
    assert alone == [PublicCount(3, True), PublicCount(0, True), PublicCount(27, True)]
    with django_assert_num_queries(2 if POSTGRESQL else 1):
        assert counting.count_lists(lists, 30) == alone
