"""Import an article (pasted text or a saved web page) as a draft Source, and propose
its candidate statements.

    article = article_from_file(path)            # or article_from_text / article_from_html
    result = source_import(article=article, user=request.user)
    result.source, result.candidates

Nothing is published: the source is a draft and candidates become statements only
through review (advocacy.services.review).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError
from django.urls import NoReverseMatch, reverse

from advocacy.choices import Language, SourceKind, Status
from advocacy.models import Source
from advocacy.publication.triggers import batch
from advocacy.services.extraction import (
    Candidate,
    detect_language,
    extract_candidates,
    find_article_date,
)
from advocacy.text import content_hash

TEXT_SUFFIXES = {".txt", ".text"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
MAX_TITLE = 500
# Less main text than this in a web page is navigation, not an article.
MIN_HTML_TEXT = 100

# Lines that belong to the site, not the article, in a pasted text.
_BOILERPLATE = re.compile(
    r"^\s*(read more|related( articles| stories)?|advertisement|share this( article)?|"
    r"subscribe( to our newsletter)?|sign up for|follow us|most read|"
    r"читайте также|реклама|подписывайтесь|поделиться|читайте також|підписуйтесь)\b.{0,120}$",
    re.IGNORECASE | re.MULTILINE,
)


class ArticleImportError(Exception):
    """The input cannot be imported; the message says why. Nothing was written."""


class DuplicateSourceError(ArticleImportError):
    def __init__(self, existing: Source):
        self.existing = existing
        super().__init__(
            f"This document is already stored as source #{existing.pk} "
            f"“{existing.title}” ({existing.get_status_display().lower()}, slug "
            f"{existing.slug}): {admin_change_url(existing)}"
        )


def admin_change_url(source: Source) -> str:
    try:
        return reverse("admin:advocacy_source_change", args=[source.pk])
    except NoReverseMatch:
        return source.get_absolute_url()


@dataclass
class Article:
    """An article's cleaned text and what is known about it."""

    text: str
    title: str
    language: str = Language.ENGLISH
    published_on: datetime.date | None = None
    authors: str = ""
    publisher: str = ""
    url: str = ""
    original_filename: str = ""
    language_detected: bool = False  # read from the text, not given

    @property
    def language_note(self) -> str:
        """Which language the article is read in, and why: shown to the researcher."""
        name = Language(self.language).label
        if self.language_detected:
            return f"{name} (detected from the text; choose another language to override)"
        return f"{name} (as given)"


@dataclass
class ImportResult:
    source: Source
    candidates: list[Candidate] = field(default_factory=list)
    saved: bool = False


# Reading


def clean_text(text: str) -> str:
    """Normalise line ends and spacing; drop site furniture lines; paragraphs by blank lines."""
    text = text.replace("\ufeff", "").replace("\r\n", "\n").replace("\r", "\n")
    text = unicodedata.normalize("NFC", text)
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c) != "Cc")
    text = _BOILERPLATE.sub("", text)
    lines = [line.strip() for line in text.split("\n")]
    text = "\n".join(lines)
    if "\n\n" not in text:
        # One paragraph per line: make paragraphs explicit (the hash ignores whitespace).
        text = text.replace("\n", "\n\n")
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def article_from_text(text: str, *, language: str = "", filename: str = "") -> Article:
    """A pasted or saved plain text; `language` "" (or None) is detected from the text."""
    text = clean_text(text)
    if not text:
        raise ArticleImportError("The text is empty: paste the article's text.")
    title = text.split("\n", 1)[0].strip()[:MAX_TITLE]
    language, detected = _language(language, text)
    return Article(
        text=text,
        title=title,
        language=language,
        published_on=find_article_date(text, language),
        original_filename=filename,
        language_detected=detected,
    )


def article_from_html(html: str | bytes, *, language: str = "", filename: str = "") -> Article:
    """The main text, title, date and author of a saved web page, by trafilatura."""
    import trafilatura

    if not html.strip():
        raise ArticleImportError("The HTML file is empty.")
    document = trafilatura.bare_extraction(
        html,
        with_metadata=True,
        include_comments=False,
        include_tables=False,
        include_images=False,
        include_links=False,
        deduplicate=True,
    )
    body = (document.text or "").strip() if document else ""
    if len(body) < MIN_HTML_TEXT:
        raise ArticleImportError(
            "No article text found in the HTML: is it a saved article page (not an index "
            "page or a page that loads its text by script)?"
        )
    title = (document.title or "").strip()
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    if title and paragraphs and paragraphs[0] == title:
        paragraphs = paragraphs[1:]
    text = clean_text("\n\n".join([title, *paragraphs] if title else paragraphs))
    if not title:
        title = text.split("\n", 1)[0]
    published_on = None
    if document.date:
        try:
            published_on = datetime.date.fromisoformat(document.date[:10])
        except ValueError:
            published_on = None
    url = (document.url or "").strip()
    try:
        URLValidator(schemes=["http", "https"])(url)
    except ValidationError:
        url = ""
    language, detected = _language(language, text)
    return Article(
        text=text,
        title=title[:MAX_TITLE],
        language=language,
        language_detected=detected,
        published_on=published_on or find_article_date(text, language),
        authors=(document.author or "").strip()[:300],
        publisher=(document.sitename or "").strip()[:200],
        url=url[:500],
        original_filename=filename,
    )


def article_from_bytes(
    content: bytes, *, filename: str, language: str = "", is_html: bool | None = None
) -> Article:
    """Read an uploaded or saved file: .txt as UTF-8 text, .html by trafilatura."""
    suffix = Path(filename).suffix.lower()
    if is_html is None:
        if suffix in HTML_SUFFIXES:
            is_html = True
        elif suffix in TEXT_SUFFIXES:
            is_html = False
        elif filename in ("", "-", "<stdin>"):
            is_html = _looks_like_html(content)
        else:
            raise ArticleImportError(
                f"Unsupported file type {suffix or '(none)'!s} for {filename}: "
                "expected a .txt or .html file."
            )
    name = "" if filename in ("-", "<stdin>") else Path(filename).name
    if is_html:
        return article_from_html(content, language=language, filename=name)
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ArticleImportError(
            f"{filename or 'The input'} is not UTF-8 text (byte {exc.start}): "
            "save it as UTF-8 and try again."
        ) from None
    return article_from_text(text, language=language, filename=name)


def article_from_file(path: str | Path, *, language: str = "") -> Article:
    path = Path(path)
    if not path.exists():
        raise ArticleImportError(f"No such file: {path}")
    if path.is_dir():
        raise ArticleImportError(f"{path} is a folder, not a .txt or .html file.")
    if path.suffix.lower() not in TEXT_SUFFIXES | HTML_SUFFIXES:
        raise ArticleImportError(
            f"Unsupported file type {path.suffix or '(none)'} for {path}: "
            "expected a .txt or .html file."
        )
    return article_from_bytes(path.read_bytes(), filename=str(path), language=language)


def _looks_like_html(content: bytes) -> bool:
    head = content[:2048].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml")) or b"<body" in head


def _language(language: str | None, text: str) -> tuple[str, bool]:
    """The language given, else the one detected from the text: (language, detected)."""
    if not language:
        return detect_language(text), True
    if language not in Language.values:
        raise ArticleImportError(
            f"Unknown language {language!r}: use one of {', '.join(Language.values)}."
        )
    return language, False


# Storing


def source_import(*, article: Article, user=None, dry_run: bool = False) -> ImportResult:
    """Store the article as a draft Source and propose its candidate statements.

    Refuses a document already stored (same content hash). With `dry_run`, nothing is
    written and the unsaved source comes back with the candidates.
    """
    existing = Source.objects.filter(content_hash=content_hash(article.text)).first()
    if existing is not None:
        raise DuplicateSourceError(existing)
    source = Source(
        title=article.title,
        publisher=article.publisher,
        authors=article.authors,
        url=article.url,
        kind=SourceKind.NEWS_ARTICLE,
        language=article.language,
        published_on=article.published_on,
        retrieved_on=datetime.date.today(),
        archived_text=article.text,
        original_filename=article.original_filename[:255],
        status=Status.DRAFT,
    )
    try:
        source.full_clean(exclude=["slug", "content_hash"])
    except ValidationError as exc:
        problems = "; ".join(f"{name}: {' '.join(msgs)}" for name, msgs in exc.message_dict.items())
        raise ArticleImportError(f"The article cannot be stored: {problems}") from None
    candidates = extract_candidates(
        article.text, article_date=article.published_on, language=article.language
    )
    if dry_run:
        return ImportResult(source=source, candidates=candidates, saved=False)
    source._history_user = user
    source._change_reason = "Imported article"
    try:
        with batch():
            source.save()
    except IntegrityError:
        existing = Source.objects.filter(content_hash=content_hash(article.text)).first()
        if existing is not None:
            raise DuplicateSourceError(existing) from None
        raise
    return ImportResult(source=source, candidates=candidates, saved=True)
