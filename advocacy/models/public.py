"""The public read model: what the public may see, built once and stored.

Each public row holds one published record as an anonymous reader sees it, already
redacted: its full API document per interface language, the columns public lists filter
and order by, and a folded search key made from the redacted text only. Rows are written by
`advocacy.publication` (the only code that reads the working tables for the public) and
read by every public surface that has moved onto them.

A row's `id` is its working record's id, so a public URL keeps working across rebuilds.
"""

import orjson
from django.conf import settings
from django.db import models
from django.db.models.lookups import Contains
from django.utils.translation import gettext_lazy as _

# Stored documents' links carry this origin; a reader's own replaces it when served.
PLACEHOLDER_ORIGIN = "http://public-origin.invalid"
# One stored document per interface language (settings.LANGUAGES).
DOCUMENT_LANGUAGES = ("en", "ru", "uk")


class HasFacet(models.Lookup):
    """`facets__has="group:group-1"`: the row's facets hold that token.

    On PostgreSQL the tokens are read as an array, matched exactly by a GIN index on the
    same expression (migration 0015); a trigram match of `LIKE '% group:group-1 %'`
    rechecks nearly every row, as every row holds `group:` and `-1`. Elsewhere, the token
    between its spaces.
    """

    lookup_name = "has"
    TOKENS = "string_to_array(btrim({column}), ' ')"

    def as_sql(self, compiler, connection):
        return compiler.compile(Contains(self.lhs, f" {self.rhs} "))

    def as_postgresql(self, compiler, connection):
        column, params = compiler.compile(self.lhs)
        return f"{self.TOKENS.format(column=column)} @> ARRAY[%s]::text[]", [*params, self.rhs]


class FacetsField(models.TextField):
    """Related records and choices as " name:value " tokens, sorted, space-separated."""

    def deconstruct(self):
        # Stored as any text: migrations see a TextField, so no table is remade for a lookup.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.TextField", args, kwargs


FacetsField.register_lookup(HasFacet)


class PublicRow(models.Model):
    id = models.BigIntegerField(primary_key=True, help_text=_("The working record's id."))
    slug = models.CharField(max_length=200, blank=True, db_index=True)
    # JSON text, not jsonb: served as stored, keys in the order the API has always had.
    document_en = models.TextField(help_text=_("The public API document, in English."))
    document_ru = models.TextField(help_text=_("The public API document, in Russian."))
    document_uk = models.TextField(help_text=_("The public API document, in Ukrainian."))
    search_key = models.TextField(
        blank=True, help_text=_("The redacted searchable text, folded across scripts.")
    )
    mentions = models.TextField(
        blank=True,
        help_text=_("Every string of the document, folded: finds the rows that name someone."),
    )
    facets = FacetsField(
        blank=True,
        help_text=_('Related records as " name:slug " tokens, for the public filters.'),
    )
    # What the record's public page shows beyond its API document (a source's quotations in
    # their paragraphs, a group's relations, aliases with their sources), built and redacted
    # with the document.
    page_en = models.TextField(blank=True, default="{}")
    page_ru = models.TextField(blank=True, default="{}")
    page_uk = models.TextField(blank=True, default="{}")
    has_conflict = models.BooleanField(default=False)
    updated_at = models.DateTimeField(
        db_index=True, help_text=_("When this public row last changed.")
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.slug or str(self.pk)

    @property
    def document(self) -> dict:
        """The document in the language the row was read for (`reading.public_rows`), or
        in the site's default language."""
        text = getattr(self, "document_text", None)
        if text is None:
            text = getattr(self, f"document_{settings.LANGUAGE_CODE}")
        return orjson.loads(text)

    def document_in(self, language: str) -> dict:
        return orjson.loads(getattr(self, f"document_{language}"))

    @property
    def page(self) -> dict:
        """The page extras in the language the row was read for (`reading.public_rows`)."""
        text = getattr(self, "page_text", None)
        if text is None:
            text = getattr(self, f"page_{settings.LANGUAGE_CODE}")
        return orjson.loads(text or "{}")


class DatedPublicRow(PublicRow):
    date = models.DateField(null=True, blank=True, db_index=True)
    latest_date = models.DateField(null=True, blank=True, db_index=True)

    class Meta:
        abstract = True


class PublicStatement(DatedPublicRow):
    medium = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-date", "id"]
        # Each default order has its index: a page of the latest 25 statements of a
        # million reads 25 rows, not every row of the latest dates, sorted.
        indexes = [models.Index(fields=["-date", "id"], name="public_statement_order_idx")]


class PublicEvent(DatedPublicRow):
    name = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    place = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-date", "name"]
        indexes = [models.Index(fields=["-date", "name"], name="public_event_order_idx")]

    def __str__(self) -> str:
        return self.name or self.slug


class PublicGroup(PublicRow):
    name = models.CharField(max_length=300, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    country = models.CharField(max_length=2, blank=True)

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="public_group_order_idx")]

    def __str__(self) -> str:
        return self.name or self.slug


class PublicPerson(PublicRow):
    name = models.CharField(max_length=300, blank=True)
    country = models.CharField(max_length=2, blank=True)
    roles = models.TextField(blank=True, help_text=_("Every public role, one a line."))

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["name"], name="public_person_order_idx")]

    def __str__(self) -> str:
        return self.name or self.slug


class PublicMembership(PublicRow):
    role = models.CharField(max_length=300, blank=True)
    sort_key = models.CharField(max_length=600, blank=True)

    class Meta:
        ordering = ["sort_key", "id"]


class PublicSource(PublicRow):
    title = models.CharField(max_length=500, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    kind = models.CharField(max_length=32, blank=True)
    published_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["-published_on", "title"], name="public_source_order_idx")]

    def __str__(self) -> str:
        return self.title or self.slug


class PublicQuotation(PublicRow):
    statement_id = models.BigIntegerField(db_index=True)
    position = models.PositiveIntegerField(default=1)
    language = models.CharField(max_length=8, blank=True)
    is_verbatim = models.BooleanField(default=False)

    class Meta:
        ordering = ["statement_id", "position", "id"]


class PublicCitation(PublicRow):
    model = models.CharField(max_length=50, blank=True)

    class Meta:
        ordering = ["id"]


class PublicTopic(PublicRow):
    name = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name or self.slug


class PublicRetraction(models.Model):
    """A retracted record's page: its slug and the retraction note, redacted (410)."""

    kind = models.CharField(max_length=20)
    record_id = models.BigIntegerField()
    slug = models.CharField(max_length=200, db_index=True)
    note = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="public_retraction_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.slug} (retracted)"


class PublicRedirect(models.Model):
    """An old slug of a public record (renamed or merged into it): answers 301. Never an
    old slug that names a protected person."""

    kind = models.CharField(max_length=20)
    old_slug = models.CharField(max_length=200)
    record_id = models.BigIntegerField()

    class Meta:
        indexes = [models.Index(fields=["kind", "old_slug"], name="public_redirect_slug_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.old_slug} → {self.record_id}"


class PublicDependency(models.Model):
    """Which public rows show which working record: a change to the record finds every row
    to rebuild with one query."""

    kind = models.CharField(max_length=20, help_text=_("The public row's kind, e.g. statement."))
    row_id = models.BigIntegerField()
    model = models.CharField(max_length=50, help_text=_("The working model, e.g. person."))
    record_id = models.BigIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["model", "record_id", "kind", "row_id"], name="public_dependency_unique"
            )
        ]
        indexes = [models.Index(fields=["kind", "row_id"], name="public_dependency_row_idx")]

    def __str__(self) -> str:
        return f"{self.kind} {self.row_id} shows {self.model} {self.record_id}"


class HeldVersion(models.Model):
    """The published version of a record that waits for an editor (a researcher changed it
    since it was published), and of its parts: the public row it had when it was first
    held, unchanged. Its public row is refreshed from this (what it shows of other records
    named again, redacted again), never built from the working tables, until an editor
    publishes the changes (`advocacy.publication.reviewed`). Not read by any public
    surface."""

    kind = models.CharField(max_length=20, help_text=_("The public row's kind, e.g. statement."))
    record_id = models.BigIntegerField()
    row = models.TextField(help_text=_("The public row's fields, as JSON."))
    held_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["kind", "record_id"], name="held_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.record_id} as published"


class PublicWord(models.Model):
    """The lexicon: each distinct folded word of the public rows' search keys, for near
    spellings ("Tsukanva" → tsukanova). Derived from redacted search keys only, and purged
    of a person's names in the transaction that protects them, so no word of a protected
    name is ever here (`advocacy.publication.lexicon`)."""

    word = models.CharField(max_length=64, primary_key=True)
    length = models.PositiveSmallIntegerField(
        db_index=True, help_text=_("Letters in the word: near spellings are of a similar length.")
    )

    def __str__(self) -> str:
        return self.word


PUBLIC_MODELS: dict[str, type[PublicRow]] = {
    "statement": PublicStatement,
    "event": PublicEvent,
    "group": PublicGroup,
    "person": PublicPerson,
    "membership": PublicMembership,
    "source": PublicSource,
    "quotation": PublicQuotation,
    "citation": PublicCitation,
    "topic": PublicTopic,
}


class DataRelease(models.Model):
    """A versioned data release (`manage.py make_release`): its files live in RELEASES_DIR
    under its name; this row says what they are and whether they may still be served.

    A release must never show what a later protection hides. So it keeps the ids of the
    people it holds (all must still be public for it to be served) and the folded words of
    its text (a protection withdraws every release that holds one of the protected names)."""

    name = models.CharField(
        max_length=40, unique=True, help_text=_("The release's date, e.g. 2026-12-01.")
    )
    created_at = models.DateTimeField(db_index=True)
    files = models.TextField(help_text=_("JSON: each file's path, bytes, media type and SHA-256."))
    counts = models.TextField(help_text=_("JSON: records per kind."))
    changes = models.TextField(help_text=_("JSON: added, changed, withdrawn per kind."))
    person_ids = models.TextField(
        blank=True, help_text=_("The ids of the people it holds, space-separated.")
    )
    words = models.TextField(
        blank=True, help_text=_("Every word of its text, folded, space-separated.")
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name
