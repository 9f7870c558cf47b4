from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.choices import DatePrecision, Language, SourceKind
from advocacy.models.base import PublishableModel, PublishableQuerySet
from advocacy.models.mixins import SearchableModel, SluggedModel
from advocacy.text import content_hash


class SourceQuerySet(PublishableQuerySet):
    pass


class Source(SluggedModel, SearchableModel, PublishableModel):
    """A published document: every fact and quotation points back to one."""

    title = models.CharField(max_length=500, help_text=_("The title as printed."))
    publisher = models.CharField(max_length=200, blank=True, db_index=True)
    authors = models.CharField(max_length=300, blank=True, help_text=_("As printed."))
    url = models.URLField(max_length=500, blank=True)
    kind = models.CharField(
        max_length=32, choices=SourceKind.choices, default=SourceKind.NEWS_ARTICLE
    )
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    published_on = models.DateField(null=True, blank=True, db_index=True)
    published_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    retrieved_on = models.DateField(null=True, blank=True)
    archived_text = models.TextField(
        help_text=_(
            "The document's text, cleaned of site navigation and unrelated headline lists, "
            "against which every quotation is checked."
        )
    )
    content_hash = models.CharField(
        max_length=64,
        unique=True,
        editable=False,
        help_text=_("SHA-256 of the archived text, to refuse the same document twice."),
    )
    full_text_public = models.BooleanField(
        _("full text may be shown publicly"),
        default=False,
        help_text=_("Off for copyrighted text: public pages then show only quoted paragraphs."),
    )
    original_filename = models.CharField(max_length=255, blank=True)
    notes = models.TextField(blank=True, help_text=_("Researchers' notes; never shown publicly."))

    objects = SourceQuerySet.as_manager()

    class Meta(PublishableModel.Meta):
        permissions = [
            ("publish_source", "Can publish and retract sources"),
        ]
        ordering = ["-published_on", "title"]
        indexes = [models.Index(fields=["status", "published_on"], name="source_status_date_idx")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("source-detail", kwargs={"slug": self.slug})

    def slug_base(self) -> str:
        return self.title

    def search_texts(self) -> list[str]:
        return [self.title, self.publisher, self.authors]

    @property
    def published_display(self) -> str:
        from advocacy.dates import format_partial_date

        return format_partial_date(self.published_on, self.published_precision)

    def save(self, *args, **kwargs):
        self.content_hash = content_hash(self.archived_text)
        super().save(*args, **kwargs)
