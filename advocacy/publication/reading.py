"""Reading the public rows: what every public surface that has moved onto the read model
calls. Documents are served as stored; only the placeholder origin in their links becomes
the reader's own."""

import json

from django.conf import settings
from django.db.models import F, QuerySet
from django.utils.translation import get_language

from advocacy.models.public import DOCUMENT_LANGUAGES, PLACEHOLDER_ORIGIN, PUBLIC_MODELS
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


def site_relative(text: str) -> str:
    """Stored links made relative to the site, pages in the reader's language (`/ru/…`);
    the API's addresses have no language."""
    language = reader_language()
    prefix = "" if language == settings.LANGUAGE_CODE else f"/{language}"
    text = text.replace(f"{PLACEHOLDER_ORIGIN}/api/", "/api/")
    return text.replace(f"{PLACEHOLDER_ORIGIN}/", f"{prefix}/")


def document_of(row) -> dict:
    """A row's document for a page: its links relative to the site (`/people/…/`)."""
    return json.loads(site_relative(row.document_text))


def page_of(row) -> dict:
    """A row's page extras, links relative to the site."""
    return json.loads(site_relative(row.page_text or "{}"))


def documents_of(rows) -> list[dict]:
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
