"""Reads for the public pages, the API, exports and feeds.

Each selector applies the visibility rule (`visible_to`, which is `public()` for the
public) and fetches related records in a fixed number of queries, whatever the rows.
"""

from django.db.models import Prefetch, QuerySet

from advocacy.models import (
    Citation,
    ConflictingVersion,
    Event,
    Group,
    GroupAlias,
    Membership,
    Participation,
    Person,
    PersonAlias,
    Quotation,
    Source,
    Statement,
)
from advocacy.models.base import can_view_drafts


def citations_prefetch(prefix: str = "", *, user=None) -> list[Prefetch]:
    """The citations and conflicting versions of cited records, with sources: those with a
    public source, or all of them for a user allowed to view drafts.

    Only for records read through `visible_to(user)`: the records being visible already,
    the rest of `Citation.objects.public()` (the cited record is public) holds, and leaving
    it out spares every page a subquery over each of the seven cited tables.
    """
    public_source = Source.objects.public_q("source__")
    citations = (
        Citation.objects.all()
        if can_view_drafts(user, Citation)
        else Citation.objects.filter(public_source)
    )
    conflicts = (
        ConflictingVersion.objects.all()
        if can_view_drafts(user, ConflictingVersion)
        else ConflictingVersion.objects.filter(public_source)
    )
    return [
        Prefetch(f"{prefix}citations", queryset=citations.select_related("source").order_by("pk")),
        Prefetch(f"{prefix}conflicting_versions", queryset=conflicts.select_related("source")),
    ]


def public_quotations(*, user=None) -> QuerySet:
    """The quotations of statements read through `visible_to(user)`: those from a public
    source (the statement being visible already), or all of them for a user allowed to
    view drafts."""
    queryset = (
        Quotation.objects.all()
        if can_view_drafts(user, Quotation)
        else Quotation.objects.filter(Source.objects.public_q("source__"))
    )
    return queryset.select_related("source").order_by("position", "pk")


def statement_list(*, user=None) -> QuerySet:
    return (
        Statement.objects.visible_to(user)
        .select_related(
            "speaker_person", "speaker_group", "addressee_person", "addressee_group", "event"
        )
        .prefetch_related(
            Prefetch("quotations", queryset=public_quotations(user=user)),
            "topics",
            *citations_prefetch(user=user),
        )
    )


def group_list(*, user=None) -> QuerySet:
    return Group.objects.visible_to(user).prefetch_related(
        Prefetch(
            "aliases",
            queryset=GroupAlias.objects.select_related("source").order_by("script", "name"),
        ),
        "identifiers",
        *citations_prefetch(user=user),
    )


def person_list(*, user=None) -> QuerySet:
    return Person.objects.visible_to(user).prefetch_related(
        Prefetch(
            "aliases",
            queryset=PersonAlias.objects.select_related("source").order_by("script", "name"),
        ),
        Prefetch(
            "memberships",
            queryset=Membership.objects.public()
            .select_related("group")
            .prefetch_related(*citations_prefetch(user=user)),
        ),
        "identifiers",
        *citations_prefetch(user=user),
    )


def membership_list(*, user=None) -> QuerySet:
    return (
        Membership.objects.visible_to(user)
        .select_related("person", "group")
        .prefetch_related(*citations_prefetch(user=user))
    )


def event_list(*, user=None) -> QuerySet:
    return Event.objects.visible_to(user).prefetch_related(
        Prefetch(
            "participations",
            queryset=Participation.objects.public()
            .select_related("person", "group")
            .prefetch_related(*citations_prefetch(user=user)),
        ),
        "topics",
        *citations_prefetch(user=user),
    )


def source_list(*, user=None) -> QuerySet:
    return Source.objects.visible_to(user)


def quotation_list(*, user=None) -> QuerySet:
    return Quotation.objects.visible_to(user).select_related(
        "source", "statement", "statement__speaker_person", "statement__speaker_group"
    )


def citation_list(*, user=None) -> QuerySet:
    return Citation.objects.visible_to(user).select_related("source", "content_type")
