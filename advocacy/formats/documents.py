"""The public documents of a kind, read in keyset chunks, their links on a given origin."""

from collections.abc import Iterator

import orjson
from django.conf import settings

from advocacy.models.public import PLACEHOLDER_ORIGIN
from advocacy.publication.reading import public_rows

# Rows read at a time: the export of a million statements runs in the memory of a thousand.
CHUNK_SIZE = 1000
KIND_PATHS = {
    "person": "people",
    "group": "groups",
    "membership": "memberships",
    "event": "events",
    "statement": "statements",
    "quotation": "quotations",
    "source": "sources",
    "citation": "citations",
}


def load(text: str, base: str) -> dict:
    """A stored document with its links on `base` ('' keeps paths only)."""
    return orjson.loads(text.replace(PLACEHOLDER_ORIGIN, base.rstrip("/")))


def documents(
    kind: str, *, base: str = "", language: str | None = None, chunk_size: int = CHUNK_SIZE
) -> Iterator[dict]:
    """Every public document of a kind, by id."""
    language = language or settings.LANGUAGE_CODE
    rows = public_rows(kind, language).order_by("pk")
    last = 0
    while True:
        batch = list(rows.filter(pk__gt=last).values_list("pk", "document_text")[:chunk_size])
        if not batch:
            return
        for _pk, text in batch:
            yield load(text, base)
        last = batch[-1][0]


def public_ids(kind: str) -> set[int]:
    """The ids of a kind's public rows (one query)."""
    return set(public_rows(kind, documents=False).values_list("pk", flat=True))


def partial_date(value: str | None, precision: str | None) -> str | None:
    """'2022-11-01' at month precision is '2022-11' (FollowTheMoney and Popolo both take
    date prefixes)."""
    if not value:
        return None
    if precision == "year":
        return value[:4]
    if precision == "month":
        return value[:7]
    return value[:10]
