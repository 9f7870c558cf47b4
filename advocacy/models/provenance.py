"""How any record points at its sources: citations, conflicting versions, identifiers."""

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from advocacy.choices import IdentifierScheme
from advocacy.models.base import TimeStampedModel, VisibilityQuerySet


class GenericAttachment(TimeStampedModel):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    content_object = GenericForeignKey("content_type", "object_id")

    class Meta:
        abstract = True


def cited_models() -> list[type[models.Model]]:
    from advocacy.models.base import CitedModel

    return [model for model in apps.get_models() if issubclass(model, CitedModel)]


class SourceBackedQuerySet(VisibilityQuerySet):
    def public(self):
        """Public when its source is public and so is the record it is attached to."""
        from advocacy.models.sources import Source

        # A correlated EXISTS per kind of record, not `object_id IN (all public ids)`:
        # PostgreSQL would hash every public record's id on each query (slow at a million
        # statements), where EXISTS probes the primary key of only the rows at hand.
        targets = Q(pk__in=[])
        for model in cited_models():
            targets |= Q(content_type=ContentType.objects.get_for_model(model)) & Exists(
                model._default_manager.public().filter(pk=OuterRef("object_id"))
            )
        return self.filter(Source.objects.public_q("source__") & targets)


class Citation(GenericAttachment):
    """One source supporting one record, with the words that support it."""

    # PROTECT: a source cannot vanish while a fact rests on it.
    source = models.ForeignKey(
        "advocacy.Source", on_delete=models.PROTECT, related_name="citations"
    )
    excerpt = models.TextField(blank=True, help_text=_("The supporting passage, verbatim."))
    note = models.CharField(max_length=300, blank=True)

    objects = SourceBackedQuerySet.as_manager()

    class Meta:
        ordering = ["pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="citation_target_idx")]

    def __str__(self) -> str:
        # Cheap on purpose: lists show many citations and must not load each record.
        return f"{self.content_type.name} #{self.object_id} ← {self.source}"

    def get_absolute_url(self) -> str:
        return f"{self.source.get_absolute_url()}#citation-{self.pk}"


class ConflictingVersion(GenericAttachment):
    """What one source says of a contested fact; a record keeps every version."""

    field = models.CharField(max_length=50, help_text=_('The contested fact, e.g. "date", "role".'))
    value = models.CharField(max_length=500, help_text=_("The version as the source gives it."))
    normalized_value = models.CharField(
        max_length=200, blank=True, help_text=_("The same, in a comparable form, e.g. 2022-11-27.")
    )
    # PROTECT: a contested version is worthless without its source.
    source = models.ForeignKey(
        "advocacy.Source", on_delete=models.PROTECT, related_name="conflicting_versions"
    )
    excerpt = models.TextField(blank=True)
    note = models.CharField(max_length=300, blank=True)

    objects = SourceBackedQuerySet.as_manager()

    class Meta:
        ordering = ["field", "pk"]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="conflict_target_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.field}: {self.value} ({self.source})"

    def get_absolute_url(self) -> str:
        return self.content_object.get_absolute_url()


class ExternalIdentifier(GenericAttachment):
    scheme = models.CharField(max_length=32, choices=IdentifierScheme.choices)
    identifier = models.CharField(max_length=200)

    class Meta:
        ordering = ["scheme"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "scheme"], name="identifier_unique_per_scheme"
            )
        ]
        indexes = [models.Index(fields=["scheme", "identifier"], name="identifier_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.get_scheme_display()}: {self.identifier}"

    def get_absolute_url(self) -> str:
        return self.content_object.get_absolute_url()

    @property
    def url(self) -> str:
        if self.scheme == IdentifierScheme.WIKIDATA:
            return f"https://www.wikidata.org/wiki/{self.identifier}"
        if self.scheme == IdentifierScheme.TELEGRAM:
            return f"https://t.me/{self.identifier.lstrip('@')}"
        return ""


class Topic(TimeStampedModel):
    """A researcher-curated theme or demand, to follow across statements and events."""

    name = models.CharField(max_length=200, unique=True)
    name_ru = models.CharField(_("name in Russian"), max_length=200, blank=True)
    name_uk = models.CharField(_("name in Ukrainian"), max_length=200, blank=True)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str) -> str:
        """The topic's name in an interface language, English where none is given."""
        return getattr(self, f"name_{language}", "") or self.name

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("statement-list") + f"?topic={self.slug}"
