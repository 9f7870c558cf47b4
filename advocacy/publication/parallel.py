"""Building public rows in several processes at once (`rebuild_public --workers N`).

Each batch is its own transaction whichever process runs it, so batches over disjoint ids
can run side by side: on PostgreSQL, in processes forked from this one, each with its own
connection. SQLite allows one writer at a time, and a caller inside a transaction must see
its own writes: both build in this process, one batch after another.
"""

import multiprocessing
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager

from django.db import DEFAULT_DB_ALIAS, connections

# What every task needs (the redactor), handed to the forked processes by inheritance.
_shared = None


def _run(task):
    function, argument = task
    return function(_shared, argument)


def can_fork(alias: str = DEFAULT_DB_ALIAS) -> bool:
    connection = connections[alias]
    return connection.vendor == "postgresql" and not connection.in_atomic_block


@contextmanager
def ordered_map(workers: int, shared) -> Iterator[Callable[[Callable, Iterable], Iterator]]:
    """A `map(function, tasks)` calling `function(shared, task)`, results in the tasks'
    order: in `workers` processes where it can (see `can_fork`), else in this one."""
    global _shared
    if workers <= 1 or not can_fork():
        yield lambda function, tasks: (function(shared, task) for task in tasks)
        return
    # A forked process must not share this one's connection: each opens its own.
    connections.close_all()
    _shared = shared
    pool = multiprocessing.get_context("fork").Pool(workers)
    try:
        yield lambda function, tasks: pool.imap(_run, [(function, task) for task in tasks])
        pool.close()
    except BaseException:
        pool.terminate()
        raise
    finally:
        pool.join()
        _shared = None
