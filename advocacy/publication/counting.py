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
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma, intword
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet
from django.utils.translation import gettext

EXACT_LIMIT = 10_000
# Statistics can lag behind the table until autovacuum analyses it again (after a tenth of
# its rows changed, by default): an unfiltered count trusts them without counting only
# when they put the table at this many times the limit.
SURELY_PAST = 2
# A filtered list's estimate multiplies guesses (a word's share of the rows, a date
# range's): it is trusted from further past the limit.
SURELY_PAST_FILTERED = 5


def count_up_to(queryset: QuerySet, limit: int) -> int:
    """The number of rows, counting no further than `limit + 1`."""
    # Only the ids: the rows' documents, annotated for reading, are not counted.
    return queryset.order_by().values("pk")[: limit + 1].count()


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
    try:
        queryset.query.sql_with_params()
    except EmptyResultSet:  # `.none()`, e.g. a search with no usable terms
        return PublicCount(0, True)
    postgresql = connections[queryset.db].vendor == "postgresql"
    estimated = None
    if postgresql:
        # Statistics that put the rows well past the limit: counting 10,001 of them would
        # only confirm it (most of a cold page at 1M rows; 70 ms for a common name). A
        # filter is estimated only on a table its statistics put past that already: the
        # planner's guesses about a small or never analysed table are not worth a count.
        table_rows = table_estimate(queryset)
        if not queryset.query.where:
            estimated, bar = table_rows, SURELY_PAST
        elif table_rows is not None and table_rows > SURELY_PAST_FILTERED * limit:
            estimated, bar = planner_estimate(queryset), SURELY_PAST_FILTERED
        if estimated is not None and estimated > bar * limit:
            return PublicCount(estimated, False)
    found = count_up_to(queryset, limit)
    if found <= limit:
        return PublicCount(found, True)
    if not postgresql:
        return PublicCount(limit, False, at_least=True)
    if estimated is None:
        estimated = planner_estimate(queryset)
    # More than the limit for certain: an estimate below it would be wrong.
    return PublicCount(max(estimated, limit + 1), False)


def table_estimate(queryset: QuerySet) -> int | None:
    """The rows of the queryset's table as PostgreSQL's statistics last saw them; None
    before the table was first vacuumed or analysed."""
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(
            "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass",
            [queryset.model._meta.db_table],
        )
        row = cursor.fetchone()
    return int(row[0]) if row and row[0] >= 0 else None


def planner_estimate(queryset: QuerySet) -> int:
    """The PostgreSQL planner's estimate of the rows of this queryset."""
    with connections[queryset.db].cursor() as cursor:
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        plan = cursor.fetchone()[0]
    if isinstance(plan, str):
        plan = json.loads(plan)
    return int(plan[0]["Plan"]["Plan Rows"])
