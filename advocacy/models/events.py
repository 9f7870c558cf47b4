from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from advocacy.choices import EventKind, ParticipantRole
from advocacy.models.base import CitedModel, PartialDate, PublishableQuerySet
from advocacy.models.mixins import SearchableModel, SluggedModel
from advocacy.models.people import Group, Person


class EventQuerySet(PublishableQuerySet):
    def search(self, query: str):
        from advocacy.search import search_queryset

        return search_queryset(self, query)


class Event(SluggedModel, SearchableModel, PartialDate, CitedModel):
    """A meeting, roundtable, protest, video appeal, Zoom conference or broadcast."""

    name = models.CharField(max_length=300)
    kind = models.CharField(max_length=32, choices=EventKind.choices, db_index=True)
    place = models.CharField(max_length=200, blank=True, db_index=True)
    description = models.TextField(blank=True)
    topics = models.ManyToManyField("advocacy.Topic", blank=True, related_name="events")

    objects = EventQuerySet.as_manager()

    class Meta(CitedModel.Meta):
        permissions = [
            ("publish_event", "Can publish and retract events"),
        ]
        ordering = ["-date", "name"]
        constraints = [
            *CitedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("date")),
                name="event_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["status", "date"], name="event_status_date_idx")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("event-detail", kwargs={"slug": self.slug})

    def slug_base(self) -> str:
        return f"{self.name} {self.date.year if self.date else ''}"

    def search_texts(self) -> list[str]:
        return [self.name, self.place]


class ParticipationQuerySet(PublishableQuerySet):
    def public(self):
        # A protected participant is kept (shown by a neutral label); a draft one is not.
        return self.filter(
            self.public_q()
            & Event.objects.public_q("event__")
            & (Q(person__isnull=True) | Person.objects.published_q("person__"))
            & (Q(group__isnull=True) | Group.objects.public_q("group__"))
        )


class Participation(CitedModel):
    """A person or group's part in an event: organiser, attendee, not invited..."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participations")
    person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="participations"
    )
    group = models.ForeignKey(
        Group, on_delete=models.CASCADE, null=True, blank=True, related_name="participations"
    )
    part = models.CharField(max_length=16, choices=ParticipantRole.choices)
    note = models.CharField(max_length=300, blank=True, help_text=_('e.g. "did not attend"'))

    objects = ParticipationQuerySet.as_manager()

    class Meta(CitedModel.Meta):
        permissions = [
            ("publish_participation", "Can publish and retract participations"),
        ]
        ordering = ["event", "part", "pk"]
        constraints = [
            *CitedModel.Meta.constraints,
            models.CheckConstraint(
                condition=Q(person__isnull=False, group__isnull=True)
                | Q(person__isnull=True, group__isnull=False),
                name="participation_exactly_one_participant",
            ),
            models.UniqueConstraint(
                fields=["event", "person", "part"],
                condition=Q(person__isnull=False),
                name="participation_unique_person_part",
            ),
            models.UniqueConstraint(
                fields=["event", "group", "part"],
                condition=Q(group__isnull=False),
                name="participation_unique_group_part",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.participant} — {self.get_part_display()}, {self.event}"

    def get_absolute_url(self) -> str:
        return self.event.get_absolute_url()

    @property
    def participant(self) -> Person | Group:
        return self.person or self.group
