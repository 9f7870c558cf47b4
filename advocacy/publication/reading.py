"""Reading the public rows: what every public surface that has moved onto the read model
calls. Documents are served as stored; only the placeholder origin in their links becomes
the reader's own."""

from django.db.models import QuerySet
from django.db.models.fields.json import KeyTransform
from django.utils.translation import get_language

from advocacy.models.base import can_view_drafts
from advocacy.publication.builders import KINDS, PLACEHOLDER_ORIGIN
from advocacy.publication.triggers import flush


def reads_public_rows(user, kind_name: str) -> bool:
    """Whether this reader is served the public rows: anyone not allowed to view the
    kind's drafts (researchers read the working records, drafts and full names)."""
    return not can_view_drafts(user, KINDS[kind_name].model)


def public_rows(kind_name: str, language: str | None = None) -> QuerySet:
    """The public rows of a kind, each with `document` in the reader's language."""
    from django.conf import settings

    languages = {code for code, _name in settings.LANGUAGES}
    language = (language or get_language() or settings.LANGUAGE_CODE).split("-")[0]
    if language not in languages:
        language = settings.LANGUAGE_CODE
    flush()
    model = KINDS[kind_name].public_model
    return model.objects.only("id", "slug", "updated_at").annotate(
        document=KeyTransform(language, "documents")
    )


def with_origin(content: bytes, origin: str) -> bytes:
    """Stored documents' links, pointed at the reader's origin (scheme and host)."""
    return content.replace(PLACEHOLDER_ORIGIN.encode(), origin.encode())
