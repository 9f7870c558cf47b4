"""Keep protected people's names out of any text shown publicly."""

import re

from django.utils.translation import gettext as _

from advocacy.models import Person, PersonAlias


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


def redaction_pattern(names: list[str]) -> re.Pattern | None:
    if not names:
        return None
    alternatives = "|".join(re.escape(name) for name in names)
    return re.compile(rf"(?<!\w)(?:{alternatives})(?!\w)", re.IGNORECASE)


def redact(text: str, names: list[str] | None = None) -> str:
    """Replace protected names in text with a neutral marker of the same meaning."""
    pattern = redaction_pattern(protected_names() if names is None else names)
    if pattern is None or not text:
        return text
    return pattern.sub(_("[protected person]"), text)
