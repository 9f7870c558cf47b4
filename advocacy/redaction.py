"""Keep protected people's names out of any text shown publicly."""

import re
from functools import lru_cache

from django.utils.translation import gettext as _

from advocacy.models import Person, PersonAlias

WORD = re.compile(r"\w+")


def protected_names() -> list[str]:
    """Every name and alias of a protected person, longest first (two queries)."""
    names: set[str] = set()
    for name in Person.objects.filter(is_protected=True).values_list("name", flat=True):
        names.add(name)
        names.update(part for part in name.split() if len(part) > 2)
    names.update(
        PersonAlias.objects.filter(person__is_protected=True).values_list("name", flat=True)
    )
    return sorted((name for name in names if name.strip()), key=len, reverse=True)


@lru_cache(maxsize=16)
def compiled_redaction(names: tuple[str, ...]) -> tuple[re.Pattern | None, frozenset[str]]:
    """The pattern matching any of these names, and their first words: a name can only
    occur where its first word does, so most texts are passed by a set lookup instead of
    the alternation of every protected name. Built once per process and set of names."""
    if not names:
        return None, frozenset()
    alternatives = "|".join(re.escape(name) for name in names)
    first_words = frozenset(
        words[0] for words in (WORD.findall(name.lower()) for name in names) if words
    )
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE), first_words


def redact(text: str, names: list[str] | None = None) -> str:
    """Replace protected names in text with a neutral marker of the same meaning."""
    if not text:
        return text
    pattern, first_words = compiled_redaction(tuple(protected_names() if names is None else names))
    if pattern is None or first_words.isdisjoint(WORD.findall(text.lower())):
        return text
    return pattern.sub(_("[protected person]"), text)


def searchable_terms(terms: list[str], names: list[str]) -> list[str]:
    """The folded query terms less any that is part of a protected name: searching for a
    protected person must not reveal which records mention them, even with the name itself
    redacted from what is shown (the same words `redact` hides)."""
    from advocacy.text import fold

    hidden = {part for name in names for part in fold(name).split() if len(part) > 2}
    return [term for term in terms if not any(term in part for part in hidden)]
