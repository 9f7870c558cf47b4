"""Abstract bases every record shares: timestamps, publication status, provenance."""

from django.contrib.contenttypes.fields import GenericRelation
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from advocacy.choices import DatePrecision, Status


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)
    version = models.PositiveIntegerField(
        default=1,
        editable=False,
        help_text=_("Raised on every save, so a stale edit can be refused."),
    )
    # Who changed what and when, for every concrete model.
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.version += 1
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "version"}
        super().save(*args, **kwargs)


def can_view_drafts(user, model) -> bool:
    """Whether a user sees a model's drafts too: the model's Django view permission."""
    opts = model._meta
    return user is not None and user.has_perm(f"{opts.app_label}.view_{opts.model_name}")


class VisibilityQuerySet(models.QuerySet):
    """Who may see what: `public()` for everyone, everything for those allowed to view
    drafts (researchers). Subclasses define `public()`."""

    def public(self):
        raise NotImplementedError

    def visible_to(self, user):
        return self.all() if can_view_drafts(user, self.model) else self.public()


class PublishableQuerySet(VisibilityQuerySet):
    """The one visibility rule. Subclasses narrow `public_q` and nothing else."""

    def public_q(self, prefix: str = "") -> Q:
        """The condition for a record to be public, for use across a relation."""
        return Q(**{f"{prefix}status": Status.PUBLISHED})

    def public(self):
        return self.filter(self.public_q())

    def retracted(self):
        """Withdrawn records: their old URL shows the retraction note instead of a 404."""
        return self.filter(status=Status.RETRACTED)


class PublishableModel(TimeStampedModel):
    status = models.CharField(
        max_length=16,
        choices=Status.choices,
        default=Status.DRAFT,
        db_index=True,
        help_text=_("Only published records are shown publicly."),
    )
    retraction_note = models.TextField(
        blank=True,
        help_text=_("Shown on a retracted record's old URL instead of the record."),
    )
    # Published means reviewed: a researcher's edit to a published record waits here until
    # an editor publishes it; meanwhile the public row keeps the last published version.
    changed_since_published = models.BooleanField(
        _("changed since published"),
        default=False,
        editable=False,
        help_text=_(
            "Someone changed this published record; the public sees the last published "
            "version until an editor publishes the changes."
        ),
    )

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=Status.values), name="%(app_label)s_%(class)s_status_valid"
            )
        ]

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED


class CitedModel(PublishableModel):
    """A fact that cites its sources and may be contested by them.

    Every cited record exposes the same two names: `.citations` (the sources behind it)
    and `.conflicting_versions` (what each source says where they disagree).
    """

    has_conflict = models.BooleanField(
        _("sources conflict"),
        default=False,
        db_index=True,
        help_text=_("Set when sources disagree; each version is kept with its source."),
    )
    citations = GenericRelation("advocacy.Citation")
    conflicting_versions = GenericRelation("advocacy.ConflictingVersion")

    class Meta(PublishableModel.Meta):
        abstract = True


class PartialDate(models.Model):
    """A date known to the day, the month or the year, optionally spanning to an end."""

    date = models.DateField(
        null=True,
        blank=True,
        db_index=True,
        help_text=_("First day of the period when the precision is a month or a year."),
    )
    date_precision = models.CharField(
        max_length=8, choices=DatePrecision.choices, default=DatePrecision.DAY
    )
    end_date = models.DateField(null=True, blank=True, help_text=_("Where it spans days."))
    date_as_printed = models.CharField(
        max_length=200, blank=True, help_text=_('The date as the source gives it, e.g. "Friday".')
    )
    latest_date = models.DateField(
        null=True,
        blank=True,
        editable=False,
        db_index=True,
        help_text=_("Last day the date may stand for; date ranges match on overlap."),
    )

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        from advocacy.dates import normalize_partial_date, period_bounds

        self.date = normalize_partial_date(self.date, self.date_precision)
        self.latest_date = (
            period_bounds(self.date, self.date_precision, self.end_date)[1] if self.date else None
        )
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "date", "latest_date"}
        super().save(*args, **kwargs)

    @property
    def date_display(self) -> str:
        from advocacy.dates import format_partial_date

        return format_partial_date(self.date, self.date_precision, self.end_date)
