"""Search across scripts and spellings, on the folded search key every searchable record stores.

Every term of the query, folded the same way as the key, must occur in the key, so
"Цуканова", "tsukanova" and "Tsukanova" find the same records on any database.

On PostgreSQL the substring match uses the trigram index of migration 0002, results are
ranked (full-text rank plus trigram word similarity), and when nothing matches exactly a
misspelling ("Tsukanva") still finds the record by pg_trgm word similarity. On SQLite the
substring match on the key is the whole search.

`search_queryset` narrows whatever queryset it is given and nothing else: visibility is the
caller's (selectors pass an already-public queryset). What it does know of the audience is
redaction: the public cannot search by a protected person's name.
"""

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Greatest

from advocacy.models import Person
from advocacy.models.base import can_view_drafts
from advocacy.publication.counting import count_up_to
from advocacy.redaction import protected_names, searchable_terms
from advocacy.text import (  # noqa: F401  (their home)
    MAX_QUERY_LENGTH,
    fold,
    matched_spans,
    query_terms,
)

# Matches ranked by relevance; beyond this many, a search keeps the list's order.
RANK_LIMIT = 500
# Shorter terms are matched as word beginnings: a two-letter substring is everywhere.
MIN_SUBSTRING_TERM_LENGTH = 3
# Shorter terms make too few trigrams for similarity to mean anything.
MIN_FUZZY_TERM_LENGTH = 4


def search_queryset(
    queryset: QuerySet,
    query: str,
    *,
    user=None,
    near_spellings: bool = True,
    names: list[str] | None = None,
) -> QuerySet:
    """The records matching every term of the query. `near_spellings=False` leaves out
    the misspelling fallback (PostgreSQL), for a caller that knows exact matches exist
    elsewhere (the search page, across its sections).

    Unless `user` may see people's records in full, terms that are part of a protected
    person's name are left out (the public must not find what mentions them); a query
    left with no terms finds nothing. `names`: the protected names, if already read.
    """
    terms = query_terms(query)
    if terms and not can_view_drafts(user, Person):
        terms = searchable_terms(terms, protected_names() if names is None else names)
    if not terms:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _postgresql_search(queryset, terms, near_spellings=near_spellings)
    condition = Q()
    for term in terms:
        condition &= Q(search_key__contains=term)
    return queryset.filter(condition)


class SimpleVector(Func):
    """`to_tsvector('simple', search_key)`: the expression migration 0002 indexes."""

    function = "to_tsvector"
    template = "%(function)s('simple', %(expressions)s)"
    output_field = SearchVectorField()


class WordSimilar(Func):
    """`search_key %> term`: pg_trgm word similarity above its threshold (GIN-indexed)."""

    template = "(%(expressions)s)"
    arg_joiner = " %%> "
    output_field = BooleanField()


class WordSimilarity(Func):
    function = "word_similarity"
    output_field = FloatField()


def _postgresql_search(queryset: QuerySet, terms: list[str], *, near_spellings: bool) -> QuerySet:
    """Exact matches if there are any, else near spellings; ranked when few enough.

    Each term of three letters or more is a substring of the key (`LIKE`, served by the
    trigram index); a shorter one begins a word of it (the full-text index), since a
    two-letter substring is in nearly every record. Only when nothing matches exactly are
    near spellings of the longer terms tried (`%>`): their similarity is costly to compute
    and, next to exact matches, only noise.

    Up to RANK_LIMIT matches are ordered by relevance. More than that (a common name among
    a million statements) keep the list's own order (statements newest first, people by
    name): ranking them all would cost seconds, and they all contain the name.
    """
    vector = SimpleVector(F("search_key"))
    exact = Q()
    fuzzy = Q()
    for term in terms:
        if len(term) >= MIN_SUBSTRING_TERM_LENGTH:
            term_matches = Q(search_key__contains=term)
        else:
            term_matches = Q(search_words=_prefix_query([term]))
        exact &= term_matches
        if len(term) >= MIN_FUZZY_TERM_LENGTH:
            term_matches |= Q(WordSimilar(F("search_key"), Value(term)))
        fuzzy &= term_matches
    queryset = queryset.alias(search_words=vector)
    matches = queryset.filter(exact)
    rank = SearchRank(vector, _prefix_query(terms))
    found = count_up_to(matches, RANK_LIMIT)
    if not found and near_spellings:
        matches = queryset.filter(fuzzy)
        found = count_up_to(matches, RANK_LIMIT)
        # Only near spellings tell their matches apart by similarity; for exact matches
        # it is 1 throughout and costs most of the ranking.
        similarities = [WordSimilarity(Value(term), F("search_key")) for term in terms]
        rank += similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    if found > RANK_LIMIT:
        return matches
    return matches.annotate(search_rank=rank).order_by("-search_rank", "pk")


def _prefix_query(terms: list[str]) -> SearchQuery:
    # Terms are folded to [a-z0-9], so they are safe in a raw tsquery.
    return SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
    )
