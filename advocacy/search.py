"""Search across scripts and spellings, on the folded search key every searchable record stores.

Every term of the query, folded the same way as the key, must occur in the key, so
"Цуканова", "tsukanova" and "Tsukanova" find the same records on any database.
"""

from django.db.models import Q, QuerySet

from advocacy.text import fold

MAX_QUERY_LENGTH = 200


def query_terms(query: str) -> list[str]:
    return fold(query[:MAX_QUERY_LENGTH]).split()


def search_queryset(queryset: QuerySet, query: str) -> QuerySet:
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    condition = Q()
    for term in terms:
        condition &= Q(search_key__contains=term)
    return queryset.filter(condition)
