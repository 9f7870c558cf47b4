"""Reading the public rows: what every public surface that has moved onto the read model
calls. Documents are served as stored; only the placeholder origin in their links becomes
the reader's own."""

import functools
from collections.abc import Callable, Sequence
from contextlib import contextmanager

import orjson
from django.conf import settings
from django.core.exceptions import EmptyResultSet, FieldDoesNotExist
from django.db import connections
from django.db.models import F, QuerySet
from django.db.models.query import ValuesIterable
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from advocacy.models.public import DOCUMENT_LANGUAGES, PLACEHOLDER_ORIGIN, PUBLIC_MODELS
from advocacy.publication.counting import (
    counted_sql,
    counts_up_to,
    is_whole_table,
    select_together,
)
from advocacy.publication.triggers import flush
from advocacy.text import propose_title

WORKING_KINDS = ("statement", "event", "group", "person", "membership", "source", "quotation")
WORKING_READER_PERMISSIONS = [f"advocacy.view_{kind}" for kind in (*WORKING_KINDS, "citation")]


def reads_public_rows(user, kind_name: str = "") -> bool:
    """Whether this reader is served the public rows: anyone not allowed to view every
    kind's drafts. Researchers, who may, read the working records (drafts and full
    names); a reader allowed only some kinds gets the public rows, redacted, for all."""
    return user is None or not user.has_perms(WORKING_READER_PERMISSIONS)


def reader_language(language: str | None = None) -> str:
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    return language if language in DOCUMENT_LANGUAGES else settings.LANGUAGE_CODE


def public_rows(
    kind_name: str,
    language: str | None = None,
    *,
    documents: bool = True,
    pages: bool = False,
) -> QuerySet:
    """The public rows of a kind, each with `document` in the reader's language (unless
    `documents=False`: ids, slugs and dates only, for indexes such as the sitemap), and
    with `pages=True` its page extras (`page`)."""
    language = reader_language(language)
    flush()
    model = PUBLIC_MODELS[kind_name]
    columns = ["id", "slug", "updated_at"]
    if any(f.name == "latest_date" for f in model._meta.fields):
        columns += ["date", "latest_date"]
    rows = model.objects.only(*columns)
    if documents:
        rows = rows.annotate(document_text=F(f"document_{language}"))
    if pages:
        rows = rows.annotate(page_text=F(f"page_{language}"))
    return rows


@contextmanager
def text_as_bytes(alias: str):
    """On PostgreSQL (psycopg2), text read meanwhile on this connection comes as the UTF-8
    bytes the server sends, not decoded to str: stored documents go into an answer as
    they are. Decoding a page of 500 documents and encoding it again was a fifth of it."""
    connection = connections[alias]
    if connection.vendor != "postgresql" or connection.Database.__name__ != "psycopg2":
        yield
        return
    extensions = connection.Database.extensions
    connection.ensure_connection()
    raw = connection.connection
    extensions.register_type(extensions.BYTES, raw)
    try:
        yield
    finally:
        extensions.register_type(extensions.UNICODE, raw)


class StoredBytesIterable(ValuesIterable):
    """`.values()` rows whose text columns are read as bytes (`text_as_bytes`)."""

    def __iter__(self):
        with text_as_bytes(self.queryset.db):
            yield from super().__iter__()


def stored_values(rows: QuerySet, *fields: str) -> QuerySet:
    """`rows.values(*fields)`, text (the stored documents) as UTF-8 bytes on PostgreSQL,
    str elsewhere: for answers that write documents as stored."""
    values = rows.values(*fields)
    values._iterable_class = StoredBytesIterable
    return values


def values_of_tables(querysets: Sequence[QuerySet], *fields: str) -> list[list[tuple]]:
    """`list(queryset.values_list(*fields))` of each, in its model's order. Whole tables
    (a list page's record filters) are read in one query written directly, not compiled
    through the ORM, which cost more than reading a few dozen options."""
    values: list[list[tuple]] = [[] for _queryset in querysets]
    parts, params = [], []
    for index, queryset in enumerate(querysets):
        part = whole_table_sql(queryset, fields)
        if part is None:
            values[index] = list(queryset.values_list(*fields))
            continue
        parts.append(part)
        params.append(index)
    if parts:
        with connections[querysets[0].db].cursor() as cursor:
            cursor.execute(
                f"SELECT * FROM ({' UNION ALL '.join(parts)}) AS listed ORDER BY 1, 2", params
            )
            for index, _position, *row in cursor.fetchall():
                values[index].append(tuple(row))
    return values


def whole_table_sql(queryset: QuerySet, fields: Sequence[str]) -> str | None:
    """`SELECT %s, position, *fields FROM table`, position numbering the rows in the
    queryset's order; None unless the queryset is a whole table ordered by its own
    columns."""
    if not is_whole_table(queryset):
        return None
    meta = queryset.model._meta
    quote = connections[queryset.db].ops.quote_name

    def column(name: str) -> str:
        field = meta.pk if name == "pk" else meta.get_field(name)
        if field.is_relation:  # ordered by the related model's ordering, not its id
            raise FieldDoesNotExist(name)
        return quote(field.column)

    ordering = queryset.query.order_by or meta.ordering or ["pk"]
    try:
        order = ", ".join(
            f"{column(name.removeprefix('-'))}{' DESC' if name.startswith('-') else ''}"
            for name in ordering
        )
        selected = ", ".join(map(column, fields))
    except (FieldDoesNotExist, AttributeError):  # a lookup, "?", an expression
        return None
    return (
        f"SELECT %s AS part, ROW_NUMBER() OVER (ORDER BY {order}) AS position, {selected} "
        f"FROM {quote(meta.db_table)}"
    )


def row_with_slug(rows: QuerySet, slug: str):
    """The public row with this slug, or None. Unordered: a slug names one row, and with
    the list's ORDER BY, on statistics older than a rebuild, PostgreSQL walked the order
    index to find it rather than looking the slug up (5 ms at 10,000 statements, and
    longer the further down the list the row sits)."""
    return next(iter(rows.filter(slug=slug).order_by()[:1]), None)


def site_relative(text: str) -> str:
    """Stored links made relative to the site, pages in the reader's language (`/ru/…`);
    the API's addresses have no language."""
    language = reader_language()
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    text = text.replace(f"{PLACEHOLDER_ORIGIN}/api/", "/api/")
    return text.replace(f"{PLACEHOLDER_ORIGIN}/", f"{prefix}/")


def stored_json(text: str) -> dict:
    """Stored JSON for a page: its links relative to the site (`/people/…/`)."""
    return orjson.loads(site_relative(text))


def document_of(row) -> dict:
    """A row's document for a page."""
    return stored_json(row.document_text)


def page_of(row) -> dict:
    """A row's page extras, links relative to the site."""
    return stored_json(row.page_text or "{}")


@functools.lru_cache(maxsize=64)
def _compiled(build: Callable[..., QuerySet], language: str, args: tuple) -> tuple[str, str, tuple]:
    rows = build(*args)
    return rows.db, *documents_sql(rows)


def documents_sql(rows: QuerySet) -> tuple[str, tuple]:
    """The SQL of the rows' document texts."""
    try:
        return rows.values_list("document_text", flat=True).query.sql_with_params()
    except EmptyResultSet:  # a list that can match nothing
        return "SELECT CAST(NULL AS TEXT) WHERE 1 = 0", ()


def as_array(sql: str, params: tuple) -> tuple[str, tuple]:
    """A list's SQL as one value, for `select_together` (PostgreSQL): its rows in its
    order."""
    return f"ARRAY({sql})", params


def fixed_documents(*lists: tuple[Callable[..., QuerySet], tuple]) -> list[list[dict]]:
    """`documents_of(build(*args))` of each (build, args), for lists that are the same
    query at every request (the home page's): their SQL is made by the ORM once per
    language and arguments, and on PostgreSQL they are read together, each an
    `ARRAY(…)` in its own order. Building, compiling and running the home page's four
    lists one by one cost more than reading them."""
    flush()
    language = reader_language()
    compiled = [_compiled(build, language, tuple(args)) for build, args in lists]
    alias = compiled[0][0]
    if connections[alias].vendor == "postgresql":
        texts = select_together(alias, [as_array(sql, params) for _alias, sql, params in compiled])
    else:
        texts = []
        with connections[alias].cursor() as cursor:
            for _alias, sql, params in compiled:
                cursor.execute(sql, params)
                texts.append([text for (text,) in cursor.fetchall()])
    return [[stored_json(text) for text in listed] for listed in texts]


def counted_documents(
    lists: Sequence[tuple[QuerySet | None, QuerySet]], limit: int
) -> list[tuple[int | None, list[dict]]]:
    """For each (to_count, to_read): `count_up_to(to_count, limit)`, None if there is
    nothing to count, and `documents_of(to_read)`. On PostgreSQL one query reads them all
    (a search's five sections); elsewhere each list is read unless counted empty."""
    flush()
    counted = [to_count for to_count, _to_read in lists if to_count is not None]
    connection = connections[lists[0][1].db]
    if connection.vendor != "postgresql":
        counts = iter(counts_up_to(counted, limit))
        read = []
        for to_count, to_read in lists:
            found = None if to_count is None else next(counts)
            read.append((found, documents_of(to_read) if found != 0 else []))
        return read
    parts = []
    for to_count, to_read in lists:
        if to_count is not None:
            parts.append(counted_sql(to_count, limit))
        parts.append(as_array(*documents_sql(to_read)))
    values = iter(select_together(connection.alias, parts))
    return [
        (None if to_count is None else next(values), [stored_json(text) for text in next(values)])
        for to_count, _to_read in lists
    ]


def documents_of(rows) -> list[dict]:
    """The documents of these public rows, links relative to the site. A queryset is read
    for its documents alone: model instances of rows with deferred fields cost twice the
    query."""
    if isinstance(rows, QuerySet):
        return [stored_json(text) for text in rows.values_list("document_text", flat=True)]
    return [document_of(row) for row in rows]


def with_origin(content: bytes, origin: str) -> bytes:
    """Stored documents' links, pointed at the reader's origin (scheme and host)."""
    return content.replace(PLACEHOLDER_ORIGIN.encode(), origin.encode())


def document_title(document: dict) -> str:
    """A statement's heading: its title, or one proposed from its summary (or its first
    quotation) — whole sentences or whole words, never the speaker twice (the speaker is
    shown beside it)."""
    if document.get("title"):
        return document["title"]
    quotations = document.get("quotations") or [{}]
    return propose_title(document.get("summary") or quotations[0].get("text", ""))


def shown_name(record: dict | None) -> str:
    """A person's or group's name as a page in the reader's language writes it in plain
    text: the name recorded in that language, or the name transliterated for the page and
    marked so ("Алла Макруч (трансл.)"); else its name or label ("a protected person")."""
    record = record or {}
    shown = record.get("display_name") or {}
    if shown.get("how") == "recorded":
        return shown["name"]
    if shown.get("how") == "transliterated":
        return f"{shown['name']} ({_('translit.')})"
    return record.get("label") or record.get("name") or ""


def recorded_name(record: dict | None) -> str:
    """A person's or group's name for structured data, titles and citations: the name the
    sources give in the reader's language, else its own name. A transliteration is for
    display only, where the page can say so; it is never given as a name."""
    record = record or {}
    shown = record.get("display_name") or {}
    if shown.get("how") == "recorded":
        return shown["name"]
    return record.get("name") or record.get("label") or ""


def other_names(record: dict) -> list[str]:
    """Its other names for schema.org's `alternateName`: its aliases, and its own name where
    a recorded name in the reader's language stands first."""
    names = [alias["name"] for alias in record.get("aliases") or []]
    primary = recorded_name(record)
    if record.get("name") and record["name"] != primary:
        names.insert(0, record["name"])
    return [
        name for index, name in enumerate(names) if name != primary and name not in names[:index]
    ]


def transliteration_note(record: dict) -> str:
    """What a transliterated name is, said in full (its original as the sources give it)."""
    return _(
        "%(name)s: written in this alphabet for this page; the sources give no form in this "
        "language."
    ) % {"name": record.get("name", "")}
