"""The selectors' prefetches, kept as plain lists.

A selector says what to prefetch (with the visibility rule in each queryset, e.g. public
citations only). Django stores each prefetched relation in a queryset cloned and filtered
per row, which costs most of an API list's time when the queryset is as rich as
`Citation.objects.public()`. With `to_attr`, the same rows are stored as a list: the API
rewrites the selector's `Prefetch` objects that way (same lookups, same querysets) and
reads them back with `related()`, falling back to the relation when not prefetched.
"""

from django.db.models import Prefetch, QuerySet

PREFIX = "_api_"


def _as_list(lookup):
    if not isinstance(lookup, Prefetch) or lookup.queryset is None or lookup.to_attr:
        return lookup
    queryset = lookup.queryset
    if queryset._prefetch_related_lookups:
        queryset = with_prefetched_lists(queryset)
    path = lookup.prefetch_through
    if "__" in path:
        return lookup
    return Prefetch(path, queryset=queryset, to_attr=PREFIX + path)


def with_prefetched_lists(queryset: QuerySet) -> QuerySet:
    """The queryset with its Prefetch lookups stored as lists (`_api_<name>`)."""
    lookups = queryset._prefetch_related_lookups
    if not lookups:
        return queryset
    return queryset.prefetch_related(None).prefetch_related(*(_as_list(x) for x in lookups))


def related(obj, name: str):
    """The prefetched records of a relation, as a list or a queryset."""
    prefetched = getattr(obj, PREFIX + name, None)
    if prefetched is not None:
        return prefetched
    return getattr(obj, name).all()


def prefetched_lists(obj):
    """Every prefetched list on a record (for the latest `updated_at`)."""
    return [value for key, value in vars(obj).items() if key.startswith(PREFIX)]
