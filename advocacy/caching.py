"""Results kept until the database changes.

The *data version* on PostgreSQL is the current transaction snapshot
(`pg_current_snapshot()`: the oldest running transaction, the next transaction id, the
running ones). Any transaction that writes takes a transaction id, and committing takes it
out of the running ones, so every committed change — through the ORM, a bulk `update()`,
`manage.py seed` or psql — gives a new version: nothing kept under an older one (a count
that includes an unpublished statement, a page naming a newly protected person) is used
again. A reader that sees the old version while a writer commits can at worst keep a
*newer* result under the old key, which only readers of that same instant get. Writes
elsewhere in the cluster change the version too: more misses, never a wrong answer.

SQLite has no such version visible to every connection, and inside a transaction (tests, a
script calling views) this connection may read its own uncommitted writes: then there is
no version and nothing is kept.
"""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import QuerySet

from advocacy.routing import reading_alias

T = TypeVar("T")
# Kept results outlive no write, so this only bounds memory for versions nobody asks for.
TIMEOUT = 3600


def data_version(using: str | None = None) -> str | None:
    """The database's committed state as a string, or None when it cannot be known. By
    default, of the database this request reads from: on a replica, the state it has
    applied, which is the state of what it answers."""
    connection = connections[using or reading_alias()]
    if (
        not settings.CACHE_UNTIL_CHANGED
        or connection.vendor != "postgresql"
        or connection.in_atomic_block
    ):
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_current_snapshot()::text")
        return cursor.fetchone()[0]


def versioned_key(prefix: str, *parts: str, version: str) -> str:
    digest = hashlib.sha256("\n".join((version, *parts)).encode()).hexdigest()
    return f"{prefix}:{digest}"


def kept(key: str, compute: Callable[[], T], *, using: str = DEFAULT_DB_ALIAS) -> T:
    """`compute()`, or its result from an earlier call at the same data version."""
    version = data_version(using)
    if version is None:
        return compute()
    full_key = versioned_key("kept", key, version=version)
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, TIMEOUT)
    return value


def kept_count(queryset: QuerySet, count: Callable[[QuerySet], T] = QuerySet.count) -> T:
    """`count(queryset)` (by default `queryset.count()`), kept until the data changes.
    Counting every visible statement of a million takes half a second; the home page and
    numbered API pages ask often."""
    try:
        sql, params = queryset.order_by().query.sql_with_params()
    except EmptyResultSet:  # `.none()`, e.g. a search with no usable terms: no query
        return count(queryset)
    return kept(
        f"count\n{count.__qualname__}\n{sql}\n{params!r}",
        lambda: count(queryset),
        using=queryset.db,
    )
