"""Search across scripts and spellings, on the folded search key every searchable record stores.

Every term of the query, folded the same way as the key, must occur in the key, so
"Цуканова", "tsukanova" and "Tsukanova" find the same records on any database.

On PostgreSQL the same terms also go through full-text search (`to_tsvector('simple',
search_key)`, prefix matching) for ranking, and pg_trgm word similarity, so a misspelling
("Tsukanva") still finds the record. Both use the indexes of migration 0002. On SQLite the
substring match on the key is the whole search.

`search_queryset` narrows whatever queryset it is given and nothing else: visibility is the
caller's (selectors pass an already-public queryset).
"""

import difflib
import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVectorField
from django.db import connections
from django.db.models import BooleanField, F, FloatField, Func, Q, QuerySet, Value
from django.db.models.functions import Greatest

from advocacy.text import fold

MAX_QUERY_LENGTH = 200
# Shorter terms make too few trigrams for similarity to mean anything.
MIN_FUZZY_TERM_LENGTH = 4


def query_terms(query: str) -> list[str]:
    return fold(query[:MAX_QUERY_LENGTH]).split()


def search_queryset(queryset: QuerySet, query: str) -> QuerySet:
    terms = query_terms(query)
    if not terms:
        return queryset.none()
    if connections[queryset.db].vendor == "postgresql":
        return _postgresql_search(queryset, terms)
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


def _postgresql_search(queryset: QuerySet, terms: list[str]) -> QuerySet:
    # Terms are folded to [a-z0-9], so they are safe in a raw tsquery.
    tsquery = SearchQuery(
        " & ".join(f"{term}:*" for term in terms), search_type="raw", config="simple"
    )
    vector = SimpleVector(F("search_key"))
    condition = Q()
    for term in terms:
        term_matches = Q(search_key__contains=term)
        if len(term) >= MIN_FUZZY_TERM_LENGTH:
            term_matches |= Q(WordSimilar(F("search_key"), Value(term)))
        condition &= term_matches
    similarities = [WordSimilarity(Value(term), F("search_key")) for term in terms]
    similarity = similarities[0] if len(similarities) == 1 else Greatest(*similarities)
    return (
        queryset.annotate(
            search_matches=vector,
            search_rank=SearchRank(vector, tsquery) + similarity,
        )
        .filter(Q(search_matches=tsquery) | condition)
        .order_by("-search_rank", "pk")
    )


# Highlighting: which words of a displayed text a query matched.

_WORD = re.compile(r"[\w'’ʼ-]+", re.UNICODE)
FUZZY_WORD_RATIO = 0.75


def matched_spans(text: str, query: str) -> list[tuple[int, int]]:
    """Spans of the words in `text` that a query matched, in any script or spelling.

    A word matches when its folded form contains a folded query term (Цуканова and
    Tsukanova) or is a near spelling of one (Tsukanva); a term shorter than four letters
    must be the whole word.
    """
    terms = query_terms(query)
    if not text or not terms:
        return []
    spans = []
    for match in _WORD.finditer(text):
        word = fold(match.group())
        if not word:
            continue
        word = word.replace(" ", "")
        for term in terms:
            # A short term must be the whole word ("put" is not "Putin").
            if len(term) < MIN_FUZZY_TERM_LENGTH:
                matched = word == term
            else:
                matched = (
                    term in word
                    or difflib.SequenceMatcher(None, term, word).ratio() >= FUZZY_WORD_RATIO
                )
            if matched:
                spans.append((match.start(), match.end()))
                break
    return spans
