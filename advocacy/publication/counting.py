"""How many public rows a list holds, without counting a million of them.

Exact up to `EXACT_LIMIT` (counting stops one row past it, so a large list costs no more
than that; a list PostgreSQL's statistics put well past the limit is not counted at all),
then the database planner's estimate: on PostgreSQL the table's `reltuples`
for an unfiltered list, else the row estimate of `EXPLAIN` for the list's own query. SQLite
has no planner estimate: the count stays exact there (the embedded database serves small
collections) up to the limit, then "more than 10,000". Pages write an estimate as "about
1.2 million" (`str()` of the count, or the `public_count` template filter).

Reads only the public rows it is given: no visibility join, no working table.
"""

import json
from collections.abc import Sequence
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext

EXACT_LIMIT = 10_000
# Statistics can lag behind the table until autovacuum analyses it again (after a tenth of
# its rows changed, by default): an unfiltered count trusts them without counting only
# when they put the table at this many times the limit, a third more rows than it would
# need to lose unseen. (At twice the limit, the home page counted 10,001 of 19,000 people
# at every request, to show the same estimate.)
SURELY_PAST = 1.5
# A filtered list's estimate multiplies guesses (a word's share of the rows, a date
# range's): it is trusted from further past the limit.
SURELY_PAST_FILTERED = 5


def up_to(queryset: QuerySet, limit: int) -> QuerySet:
    """The ids of at most `limit + 1` of its rows: what is counted."""
    # Only the ids: the rows' documents, annotated for reading, are not counted.
    return queryset.order_by().values("pk")[: limit + 1]


def count_up_to(queryset: QuerySet, limit: int) -> int:
    """The number of rows, counting no further than `limit + 1`."""
    return up_to(queryset, limit).count()


def is_whole_table(queryset: QuerySet) -> bool:
    """Whether the queryset is every row of its table: no filter, grouping, slice or set
    operation."""
    query = queryset.query
    return not (
        query.where
        or query.group_by is not None
        or query.distinct
        or query.combinator
        or query.low_mark
        or query.high_mark
    )


def up_to_sql(queryset: QuerySet, limit: int) -> tuple[str, tuple]:
    """The SQL of `up_to`. A whole table's is written directly: compiling it through the ORM
    cost more than running it (a list page counts five tables to size its filters)."""
    if is_whole_table(queryset):
        connection = connections[queryset.db]
        table = connection.ops.quote_name(queryset.model._meta.db_table)
        return f"SELECT 1 FROM {table} LIMIT {int(limit) + 1}", ()
    try:
        return up_to(queryset, limit).query.sql_with_params()
    except EmptyResultSet:
        return "SELECT 1 WHERE 1 = 0", ()


def counted_sql(queryset: QuerySet, limit: int) -> tuple[str, tuple]:
    """`count_up_to` as a subquery, for `select_together`."""
    sql, params = up_to_sql(queryset, limit)
    return f"(SELECT COUNT(*) FROM ({sql}) AS counted)", params


def select_together(alias: str, parts: Sequence[tuple[str, Sequence]]) -> tuple:
    """One row of these (sql, params) expressions, each a subquery: several counts and
    lists read in one round trip."""
    with connections[alias].cursor() as cursor:
        cursor.execute(
            f"SELECT {', '.join(sql for sql, _params in parts)}",
            [param for _sql, params in parts for param in params],
        )
        return cursor.fetchone()


def counts_up_to(querysets: Sequence[QuerySet], limit: int) -> list[int]:
    """`count_up_to` of each queryset, in one query (none for no querysets)."""
    if not querysets:
        return []
    parts = [counted_sql(queryset, limit) for queryset in querysets]
    return list(select_together(querysets[0].db, parts))


@dataclass(frozen=True)
class PublicCount:
    """A number of rows, and whether it was counted or estimated."""

    value: int
    exact: bool
    # Counting stopped at `value` (SQLite): there are more.
    at_least: bool = False

    def __int__(self) -> int:
        return self.value

    def __str__(self) -> str:
        if self.exact:
            return intcomma(self.value)
        if self.at_least:
            return gettext("more than %(count)s") % {"count": intcomma(self.value)}
        # "about 1.2 million", "about 12,000"
        return gettext("about %(count)s") % {"count": rounded(self.value)}


def rounded(value: int) -> str:
    """An estimate in words: two significant figures, in millions or more as a word."""
    if value >= 1_000_000:
        return intword(value)
    magnitude = 10 ** max(len(str(value)) - 2, 0)
    return intcomma(round(value / magnitude) * magnitude)


def count_public(queryset: QuerySet, limit: int | None = None) -> PublicCount:
    """The rows of a queryset of public rows: exact up to the limit (EXACT_LIMIT unless
    given), else estimated."""
    limit = EXACT_LIMIT if limit is None else limit
    queryset = queryset.order_by()
    if not queryset.query.where:
        return count_tables([queryset], limit)[0]
    return count_lists([queryset], limit)[0]


def count_lists(querysets: Sequence[QuerySet], limit: int | None = None) -> list[PublicCount]:
    """`count_public` of each filtered list, in three queries however many lists (the
    timeline counts four): their tables' statistics, the planner's estimates, then the
    counts these leave open. A count that runs past the limit on a table the statistics
    put below it is estimated once more, as `count_public` does."""
    limit = EXACT_LIMIT if limit is None else limit
    known = before_counting(querysets, limit)
    counts = iter(counts_up_to([b.queryset for b in known if b.decided is None], limit))
    return [before.counted(next(counts) if before.decided is None else None) for before in known]


@dataclass(frozen=True)
class BeforeCounting:
    """What is known of a filtered list's count before counting it: the count itself when
    the planner puts it far past the limit (`decided`), else what counting will need."""

    queryset: QuerySet
    limit: int
    estimated: int | None = None
    decided: PublicCount | None = None

    def counted(self, found: int | None) -> PublicCount:
        """The count: as decided before counting, else from `found`, the list's
        `count_up_to(queryset, limit)` (None for a decided list, which is not counted)."""
        if self.decided is not None:
            return self.decided
        return past_the_count(self.queryset, found, self.limit, self.estimated)


def before_counting(querysets: Sequence[QuerySet], limit: int) -> list[BeforeCounting]:
    """For each filtered list, what `count_public` knows before it counts: on PostgreSQL a
    list of a table its statistics put well past the limit is estimated (the planner's
    guesses about a small or never analysed table are not worth a count), and one the
    planner puts far past the limit is not counted at all. The statistics are one query and
    the estimates another, however many lists (a search has five)."""
    querysets = [queryset.order_by() for queryset in querysets]
    known: list[BeforeCounting | None] = [
        # `.none()`, e.g. a search with no usable terms
        BeforeCounting(queryset, limit, decided=PublicCount(0, True))
        if queryset.query.is_empty()
        else None
        for queryset in querysets
    ]
    open_lists = [index for index, before in enumerate(known) if before is None]
    if open_lists and connections[querysets[0].db].vendor == "postgresql":
        statistics = table_estimates([querysets[index] for index in open_lists])
        large = [
            index
            for index in open_lists
            if statistics.get(querysets[index].model, 0) > SURELY_PAST_FILTERED * limit
        ]
        for index, estimated in zip(
            large, planner_estimates([querysets[index] for index in large]), strict=True
        ):
            decided = None
            if estimated > SURELY_PAST_FILTERED * limit:
                decided = PublicCount(estimated, False)
            known[index] = BeforeCounting(querysets[index], limit, estimated, decided)
    return [
        before or BeforeCounting(queryset, limit)
        for before, queryset in zip(known, querysets, strict=True)
    ]


def count_tables(querysets: Sequence[QuerySet], limit: int | None = None) -> list[PublicCount]:
    """Whole tables of public rows (unfiltered querysets), each counted as `count_public`
    counts a list, in two queries at most however many tables: their statistics, then the
    counts those leave open (the home page counts five tables)."""
    limit = EXACT_LIMIT if limit is None else limit
    estimates = statistics_of(querysets)

    # Statistics that put the rows well past the limit: counting 10,001 of them would only
    # confirm it (most of a cold page at 1M rows).
    def surely_past(queryset) -> bool:
        return estimates.get(queryset.model, 0) > SURELY_PAST * limit

    counted = iter(counts_up_to([q for q in querysets if not surely_past(q)], limit))
    return [
        PublicCount(estimates[queryset.model], False)
        if surely_past(queryset)
        else past_the_count(queryset, next(counted), limit, estimates.get(queryset.model))
        for queryset in querysets
    ]


def past_the_count(
    queryset: QuerySet, found: int, limit: int, estimated: int | None
) -> PublicCount:
    """A count that stopped at `limit + 1` rows: exact below that, else estimated."""
    if found <= limit:
        return PublicCount(found, True)
    if connections[queryset.db].vendor != "postgresql":
        return PublicCount(limit, False, at_least=True)
    if estimated is None:
        estimated = planner_estimate(queryset)
    # More than the limit for certain: an estimate below it would be wrong.
    return PublicCount(max(estimated, limit + 1), False)


def statistics_of(querysets: Sequence[QuerySet]) -> dict:
    """`table_estimates` of the querysets' tables on PostgreSQL; nothing elsewhere."""
    if connections[querysets[0].db].vendor != "postgresql":
        return {}
    return table_estimates(querysets)


def table_estimates(querysets: Sequence[QuerySet]) -> dict:
    """{model: rows} of the querysets' tables by PostgreSQL's statistics, in one query;
    a table never vacuumed or analysed is left out."""
    tables = {queryset.model._meta.db_table: queryset.model for queryset in querysets}
    with connections[querysets[0].db].cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples::bigint FROM pg_class WHERE oid = ANY(%s::regclass[])",
            [list(tables)],
        )
        return {tables[table]: int(rows) for table, rows in cursor.fetchall() if rows >= 0}


def planner_estimate(queryset: QuerySet) -> int:
    """The PostgreSQL planner's estimate of the rows of this queryset."""
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that can match nothing, such as `id__in=[]`
        return 0
    return int(explained(queryset.db, sql, params)["Plan Rows"])


def planner_estimates(querysets: Sequence[QuerySet]) -> list[int]:
    """`planner_estimate` of each queryset, in one `EXPLAIN` of them all as the parts of a
    `UNION ALL`, whose plan estimates each part as it would alone."""
    if len(querysets) == 1:
        return [planner_estimate(querysets[0])]
    estimated = [0] * len(querysets)
    planned, parts, params = [], [], []
    for index, queryset in enumerate(querysets):
        try:
            sql, part_params = queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            continue  # can match nothing
        planned.append(index)
        parts.append(f"({sql})")
        params.extend(part_params)
    if not parts:
        return estimated
    plan = explained(querysets[0].db, " UNION ALL ".join(parts), params)
    if len(parts) == 1:
        estimates = [plan["Plan Rows"]]
    elif plan["Node Type"] == "Append":
        estimates = [part["Plan Rows"] for part in plan.get("Plans", ())]
    else:
        estimates = []
    if len(estimates) != len(parts):
        # Parts the planner merged or left out: each alone.
        return [planner_estimate(queryset) for queryset in querysets]
    for index, rows in zip(planned, estimates, strict=True):
        estimated[index] = int(rows)
    return estimated


def explained(alias: str, sql: str, params) -> dict:
    """The top node of the plan PostgreSQL makes for this query (`EXPLAIN`, not run)."""
    with connections[alias].cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return plan[0]["Plan"]
