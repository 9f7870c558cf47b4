from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.choices import Language, Medium
from advocacy.models.base import (
    CitedModel,
    PartialDate,
    PublishableQuerySet,
    TimeStampedModel,
    VisibilityQuerySet,
)
from advocacy.models.mixins import SearchableModel, SluggedModel
from advocacy.models.people import Group, Person
from advocacy.models.sources import Source
from advocacy.text import locate_quotation


class StatementQuerySet(PublishableQuerySet):
    def public_q(self, prefix: str = "") -> Q:
        # Spoken by a published person (a protected one is shown by a label) or group.
        return (
            super().public_q(prefix)
            & (
                Q(**{f"{prefix}speaker_person__isnull": True})
                | Person.objects.published_q(f"{prefix}speaker_person__")
            )
            & (
                Q(**{f"{prefix}speaker_group__isnull": True})
                | Group.objects.public_q(f"{prefix}speaker_group__")
            )
        )

    def search(self, query: str):
        from advocacy.search import search_queryset

        return search_queryset(self, query)


class Statement(SluggedModel, SearchableModel, PartialDate, CitedModel):
    """One utterance or written message by one speaker, a person or a group.

    Its words are in its quotations: the same utterance printed by two outlets in two
    translations is one statement with two quotations.
    """

    speaker_person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    speaker_group = models.ForeignKey(
        Group, on_delete=models.PROTECT, null=True, blank=True, related_name="statements"
    )
    medium = models.CharField(max_length=32, choices=Medium.choices, db_index=True)
    addressee_person = models.ForeignKey(
        Person, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    addressee_group = models.ForeignKey(
        Group, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    event = models.ForeignKey(
        "advocacy.Event",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="statements",
    )
    title = models.CharField(
        max_length=160,
        blank=True,
        help_text=_(
            "A short, complete title for headings, citations and the feed, e.g. “Put' Domoi "
            "demands negotiations and an end to the war”. Empty: the summary's first "
            "sentence is shown."
        ),
    )
    summary = models.TextField(
        blank=True, help_text=_("A researcher's summary; the words themselves are quotations.")
    )
    topics = models.ManyToManyField("advocacy.Topic", blank=True, related_name="statements")

    objects = StatementQuerySet.as_manager()

    class Meta(CitedModel.Meta):
        permissions = [
            ("publish_statement", "Can publish and retract statements"),
        ]
        ordering = ["-date", "pk"]
        constraints = [
            *CitedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(speaker_person__isnull=False, speaker_group__isnull=True)
                | Q(speaker_person__isnull=True, speaker_group__isnull=False),
                name="statement_exactly_one_speaker",
            ),
            models.CheckConstraint(
                condition=Q(addressee_person__isnull=True) | Q(addressee_group__isnull=True),
                name="statement_at_most_one_addressee",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "date"], name="statement_status_date_idx"),
            models.Index(fields=["speaker_group", "date"], name="statement_group_date_idx"),
            models.Index(fields=["speaker_person", "date"], name="statement_person_date_idx"),
        ]

    def __str__(self) -> str:
        first = self.title or self.summary or self.slug
        return f"{self.speaker}: {first[:80]}" if self.speaker else first[:80]

    def get_absolute_url(self) -> str:
        return reverse("statement-detail", kwargs={"slug": self.slug})

    def slug_base(self) -> str:
        from advocacy.redaction import redact

        words = " ".join(self.summary.split()[:8])
        # A protected person's name (the speaker's, or one in the summary) must not end
        # up in a public URL.
        speaker = self.speaker.public_name if self.speaker else ""
        return redact(f"{speaker} {self.date or ''} {words}")

    def search_texts(self) -> list[str]:
        texts = [self.summary]
        if self.pk:
            texts += [quotation.text for quotation in self.quotations.all()]
        return texts

    @property
    def speaker(self) -> Person | Group | None:
        return self.speaker_person or self.speaker_group

    @property
    def addressee(self) -> Person | Group | None:
        return self.addressee_person or self.addressee_group


class QuotationQuerySet(VisibilityQuerySet):
    def public(self):
        return self.filter(
            Statement.objects.public_q("statement__") & Source.objects.public_q("source__")
        )


class Quotation(TimeStampedModel):
    """A statement's words exactly as one source prints them."""

    statement = models.ForeignKey(Statement, on_delete=models.CASCADE, related_name="quotations")
    # PROTECT: deleting the source would leave words without provenance.
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="quotations")
    text = models.TextField(help_text=_("Verbatim, as printed in the source."))
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    position = models.PositiveSmallIntegerField(
        default=1, help_text=_("Order among the statement's quotations.")
    )
    is_verbatim = models.BooleanField(
        _("found verbatim in source"),
        default=False,
        editable=False,
        help_text=_("Checked on save against the source's archived text."),
    )
    start_offset = models.PositiveIntegerField(null=True, blank=True, editable=False)
    end_offset = models.PositiveIntegerField(null=True, blank=True, editable=False)
    prefix = models.CharField(
        max_length=64,
        blank=True,
        help_text=_("Words just before the quotation; picks the occurrence if it repeats."),
    )
    suffix = models.CharField(max_length=64, blank=True, editable=False)

    objects = QuotationQuerySet.as_manager()

    class Meta:
        ordering = ["statement", "position", "pk"]
        constraints = [
            models.CheckConstraint(condition=~Q(text=""), name="quotation_text_not_empty"),
            models.UniqueConstraint(
                fields=["statement", "source", "position"], name="quotation_unique_position"
            ),
        ]
        indexes = [models.Index(fields=["source", "start_offset"], name="quotation_source_idx")]

    def __str__(self) -> str:
        return f"“{self.text[:80]}” ({self.source})"

    def get_absolute_url(self) -> str:
        return f"{self.statement.get_absolute_url()}#quotation-{self.pk}"

    def locate(self) -> None:
        """Check the text against the source and record where it stands (TextQuoteSelector)."""
        position = locate_quotation(self.text, self.source.archived_text, self.prefix)
        self.is_verbatim = position is not None
        if position:
            self.start_offset, self.end_offset = position.start, position.end
            self.prefix, self.suffix = position.prefix, position.suffix
        else:
            self.start_offset = self.end_offset = None
            self.suffix = ""

    def save(self, *args, **kwargs):
        self.locate()
        super().save(*args, **kwargs)
        self.statement.refresh_search_key()
