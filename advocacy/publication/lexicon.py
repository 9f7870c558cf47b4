"""The lexicon of public words, and near spellings from it, on any database.

The lexicon (`PublicWord`) holds each distinct folded word of the public rows' search keys.
Search keys are made from redacted text only, so a protected person's name is not among
them; words that match a protected name (or its stem, for case endings) are also refused
when added and purged in the transaction that protects someone. The builders keep it: each
rebuilt row adds its words (`add_rows`); words no longer in any row may linger, which leaks
nothing (they were public, and are never a protected name), until `rebuild_lexicon()` (run
by a full `rebuild_public`) derives the lexicon afresh.

Near spellings: a query word that is not in the lexicon is also looked for as its nearest
lexicon words — pg_trgm similarity on PostgreSQL, `rapidfuzz` on SQLite — so `Tsukanva`
finds Tsukanova on both. `expand_query()` gives each term's alternatives, and
`matching(queryset, text)` filters public rows with them (the API's `?q=`, and any public
page).
"""

from collections.abc import Iterable

from django.db import connections, router, transaction
from django.db.models import Q, QuerySet
from rapidfuzz import fuzz, process

from advocacy.models.public import PUBLIC_MODELS, PublicWord
from advocacy.text import query_terms

# Words shorter than this are not kept (nor near-spelled: too few letters to mean anything).
MIN_WORD_LENGTH = 3
MAX_WORD_LENGTH = 64
# A query term this long or longer, not in the lexicon, is looked for by its near spellings.
MIN_NEAR_TERM_LENGTH = 4
# At most this many near spellings of one term.
MAX_NEAR_WORDS = 5
# How alike a near spelling must be: pg_trgm similarity (0–1) on PostgreSQL, rapidfuzz's
# normalized Indel similarity (0–100) on SQLite. Both let one or two letters differ in a
# name ("tsukanva", "tsukanowa" → tsukanova) but not a different name.
TRIGRAM_THRESHOLD = 0.45
RATIO_THRESHOLD = 80
# Candidates on SQLite are words of about the term's length.
LENGTH_SLACK = 2
# Case endings glued to a stem (kovrigin → kovriginoi, kovrigina): as the redactor.
CASE_ENDING_LENGTH = 3


def words_of(keys: Iterable[str]) -> set[str]:
    """The lexicon words of these folded search keys."""
    return {
        word
        for key in keys
        for word in key.split()
        if MIN_WORD_LENGTH <= len(word) <= MAX_WORD_LENGTH and not word.isdigit()
    }


def stem(word: str) -> str:
    """A folded name word without its final vowel, so its case forms share it."""
    return word[:-1] if len(word) >= 5 and word[-1] in "aeiou" else word


class ProtectedForms:
    """The stems of protected name words, each also matching with a case ending glued on
    (as the redactor matches Cyrillic names): checks a word with a few set look-ups."""

    def __init__(self, protected_words: Iterable[str]):
        self.forms = sorted(
            {stem(word) for word in protected_words if len(word) >= MIN_WORD_LENGTH}
        )
        self.form_set = set(self.forms)
        self.lengths = sorted({len(form) for form in self.forms})

    def __contains__(self, word: str) -> bool:
        return any(
            len(word) <= length + CASE_ENDING_LENGTH + 1 and word[:length] in self.form_set
            for length in self.lengths
        )

    def condition(self) -> Q:
        condition = Q()
        for form in self.forms:
            condition |= Q(word__startswith=form, length__lte=len(form) + CASE_ENDING_LENGTH + 1)
        return condition


def is_protected(word: str, protected_words: Iterable[str]) -> bool:
    """Whether a word is, or is a case form of, a protected name's word."""
    return word in ProtectedForms(protected_words)


def add_words(words: Iterable[str], protected_words: Iterable[str] = ()) -> None:
    """Add these words (unless they are of a protected name). In order: concurrent
    builders adding the same words wait for each other, never in a circle."""
    protected = ProtectedForms(protected_words)
    new = sorted(word for word in set(words) if word not in protected)
    if not new:
        return
    alias = router.db_for_write(PublicWord)
    if connections[alias].vendor == "postgresql":
        # One array parameter, not two per word (most words of a batch are known already).
        with connections[alias].cursor() as cursor:
            cursor.execute(
                "INSERT INTO advocacy_publicword (word, length) "
                "SELECT word, char_length(word) FROM unnest(%s::text[]) AS word "
                "ON CONFLICT DO NOTHING",
                [new],
            )
        return
    PublicWord.objects.bulk_create(
        [PublicWord(word=word, length=len(word)) for word in new], ignore_conflicts=True
    )


def add_rows(rows: Iterable, protected_words: Iterable[str] = ()) -> None:
    """Add the words of these (just built) public rows' search keys."""
    add_words(words_of(row.search_key for row in rows), protected_words)


def purge(protected_words: Iterable[str]) -> int:
    """Remove every word of these (folded) protected name words, with their case forms.
    Returns how many words went."""
    condition = ProtectedForms(protected_words).condition()
    if not condition:
        return 0
    deleted, _ = PublicWord.objects.filter(condition).delete()
    return deleted


def stored_words(batch_size: int = 2000) -> set[str]:
    """Every word of every public row's search key, now."""
    found: set[str] = set()
    for model in PUBLIC_MODELS.values():
        keys = model.objects.order_by().values_list("search_key", flat=True)
        found |= words_of(keys.iterator(chunk_size=batch_size))
    return found


@transaction.atomic
def rebuild_lexicon(protected_words: Iterable[str] = ()) -> int:
    """Derive the lexicon afresh from the public rows: words no longer in any row go.
    Returns the number of words."""
    protected = ProtectedForms(protected_words)
    wanted = {word for word in stored_words() if word not in protected}
    have = set(PublicWord.objects.values_list("word", flat=True))
    gone = sorted(have - wanted)
    for start in range(0, len(gone), 500):
        PublicWord.objects.filter(word__in=gone[start : start + 500]).delete()
    add_words(wanted - have)
    return len(wanted)


def lexicon_drift(protected_words: Iterable[str] = ()) -> list[str]:
    """Words of public rows missing from the lexicon, and words that must not be there."""
    have = set(PublicWord.objects.values_list("word", flat=True))
    protected = ProtectedForms(protected_words)
    missing = sorted(word for word in stored_words() - have if word not in protected)
    leaked = sorted(word for word in have if word in protected)
    return [f"lexicon: {word!r} missing" for word in missing[:20]] + [
        f"lexicon: {word!r} is a protected name's word" for word in leaked
    ]


# Near spellings.


def _vendor() -> str:
    return connections[router.db_for_read(PublicWord)].vendor


def _known(terms: list[str]) -> set[str]:
    return set(PublicWord.objects.filter(word__in=terms).values_list("word", flat=True))


def near_words(term: str) -> list[str]:
    """The lexicon words nearest to a folded term, best first (at most MAX_NEAR_WORDS)."""
    if len(term) < MIN_NEAR_TERM_LENGTH:
        return []
    if _vendor() == "postgresql":
        alias = router.db_for_read(PublicWord)
        with connections[alias].cursor() as cursor:
            # `%` is served by the trigram index on the word (migration 0006); the
            # threshold is set for this statement's transaction only.
            cursor.execute(
                "SELECT word FROM advocacy_publicword WHERE word %% %s "
                "AND similarity(word, %s) >= %s "
                "ORDER BY similarity(word, %s) DESC, word LIMIT %s",
                [term, term, TRIGRAM_THRESHOLD, term, MAX_NEAR_WORDS],
            )
            return [row[0] for row in cursor.fetchall()]
    candidates = list(
        PublicWord.objects.filter(
            length__gte=len(term) - LENGTH_SLACK, length__lte=len(term) + LENGTH_SLACK
        ).values_list("word", flat=True)
    )
    found = process.extract(
        term,
        candidates,
        scorer=fuzz.ratio,
        score_cutoff=RATIO_THRESHOLD,
        limit=MAX_NEAR_WORDS,
    )
    return [word for word, _score, _index in sorted(found, key=lambda f: (-f[1], f[0]))]


def expand_terms(terms: list[str]) -> list[list[str]]:
    """Each folded term with its alternatives: the term itself first, then, if it is not a
    lexicon word, its near spellings."""
    long_terms = [term for term in terms if len(term) >= MIN_NEAR_TERM_LENGTH]
    known = _known(long_terms) if long_terms else set()
    expanded = []
    for term in terms:
        alternatives = [term]
        if term in long_terms and term not in known:
            alternatives += [word for word in near_words(term) if word != term]
        expanded.append(alternatives)
    return expanded


def expand_query(text: str) -> list[list[str]]:
    """A search query as folded terms, each a list of alternatives (the term, then its
    near spellings if it is not a word of the public text). A row matches when, for every
    term, one of its alternatives is in the row's search key."""
    return expand_terms(query_terms(text))


def matching(
    queryset: QuerySet,
    text: str,
    field: str = "search_key",
    *,
    expanded: list[list[str]] | None = None,
) -> QuerySet:
    """Public rows matching a query, near spellings included; no terms: none. A caller
    searching several kinds passes the query's `expand_query()` once as `expanded`."""
    if expanded is None:
        expanded = expand_query(text)
    if not expanded:
        return queryset.none()
    condition = Q()
    for alternatives in expanded:
        either = Q()
        for alternative in alternatives:
            either |= Q(**{f"{field}__contains": alternative})
        condition &= either
    return queryset.filter(condition)
