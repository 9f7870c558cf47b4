"""Reading the public rows: what every public surface that has moved onto the read model
calls. Documents are served as stored; only the placeholder origin in their links becomes
the reader's own."""

from django.db.models import F, QuerySet
from django.utils.translation import get_language

from advocacy.models.public import DOCUMENT_LANGUAGES, PLACEHOLDER_ORIGIN, PUBLIC_MODELS
from advocacy.publication.triggers import flush


def reads_public_rows(user, kind_name: str) -> bool:
    """Whether this reader is served the public rows: anyone not allowed to view the
    kind's drafts (researchers read the working records, drafts and full names)."""
    return user is None or not user.has_perm(f"advocacy.view_{kind_name}")


def public_rows(kind_name: str, language: str | None = None, *, documents: bool = True) -> QuerySet:
    """The public rows of a kind, each with `document` in the reader's language (unless
    `documents=False`: ids, slugs and dates only, for indexes such as the sitemap)."""
    from django.conf import settings

    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in DOCUMENT_LANGUAGES:
        language = settings.LANGUAGE_CODE
    flush()
    model = PUBLIC_MODELS[kind_name]
    columns = ["id", "slug", "updated_at"]
    if any(f.name == "latest_date" for f in model._meta.fields):
        columns.append("latest_date")
    rows = model.objects.only(*columns)
    if not documents:
        return rows
    return rows.annotate(document_text=F(f"document_{language}"))


def with_origin(content: bytes, origin: str) -> bytes:
    """Stored documents' links, pointed at the reader's origin (scheme and host)."""
    return content.replace(PLACEHOLDER_ORIGIN.encode(), origin.encode())


TITLE_LENGTH = 90


def document_title(document: dict) -> str:
    """ "Speaker: summary", the summary cut at a word past 90 characters."""
    speaker = (document.get("speaker") or {}).get("label", "")
    quotations = document.get("quotations") or [{}]
    text = document.get("summary") or quotations[0].get("text", "")
    if len(text) > TITLE_LENGTH:
        text = text[: TITLE_LENGTH - 2].rsplit(" ", 1)[0] + "…"
    return f"{speaker}: {text}" if speaker else text
