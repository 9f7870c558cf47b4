"""The status workflow: draft → in review → published (→ retracted).

    record_submit(record=statement, user=researcher)       # draft → in review
    record_publish(record=statement, user=editor)          # in review (or draft) → published
    record_retract(record=statement, user=editor, note="…") # published → retracted
    record_return_to_draft(record=statement, user=editor)  # in review → draft
    record_publish_changes(record=statement, user=editor)  # published, changed → published

Published means reviewed: a researcher's change to a published record waits (the record is
`changed_since_published`, the public sees the version last published) until an editor
publishes the changes or saves the record (advocacy.publication.holding).

`publish_problems(record)` explains what is missing before a record may be published
(a statement needs a published source for each quotation and a published, cited
speaker). Who may publish is a Django permission, `advocacy.publish_<model>`
(see `publish_permission`), given to editors by `manage.py setup_roles`.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from advocacy.choices import Status
from advocacy.models import (
    Event,
    Group,
    GroupRelation,
    Membership,
    Participation,
    Person,
    Source,
    Statement,
)
from advocacy.models.base import CitedModel, PublishableModel
from advocacy.publication import reviewed
from advocacy.publication.triggers import batch
from advocacy.publication.triggers import changed as public_changed

TRANSITIONS = {
    "submit": ({Status.DRAFT}, Status.IN_REVIEW),
    # An editor publishing a draft is its review; researchers cannot publish at all.
    "publish": ({Status.DRAFT, Status.IN_REVIEW}, Status.PUBLISHED),
    "retract": ({Status.PUBLISHED}, Status.RETRACTED),
    "return_to_draft": ({Status.IN_REVIEW, Status.RETRACTED}, Status.DRAFT),
}


class PublishingError(Exception):
    """A transition refused; `problems` lists everything that is missing."""

    def __init__(self, record, problems: list[str]):
        self.record = record
        self.problems = problems
        super().__init__(f"{_label(record)} cannot be changed: " + " ".join(problems))


def publish_permission(model) -> str:
    """The codename check for publishing (and retracting) a model's records."""
    return f"{model._meta.app_label}.publish_{model._meta.model_name}"


def change_permission(model) -> str:
    return f"{model._meta.app_label}.change_{model._meta.model_name}"


def user_can_publish(user, model) -> bool:
    return bool(user and user.is_active and user.has_perm(publish_permission(model)))


def _label(record) -> str:
    return f"{record._meta.verbose_name.capitalize()} “{record}”"


def _name(record) -> str:
    return f"{record._meta.verbose_name} “{record}”"


def _cites_published_source(record) -> bool:
    return any(citation.source.status == Status.PUBLISHED for citation in record.citations.all())


def publish_problems(record) -> list[str]:
    """What is missing before `record` may be published; empty if nothing is."""
    problems: list[str] = []
    if isinstance(record, Source):
        if not record.archived_text.strip():
            problems.append("The source has no archived text.")
        if not record.publisher.strip():
            problems.append(
                "The source has no publisher: say who published it, so it can be cited."
            )
        if not record.url.strip():
            problems.append(
                "The source has no URL: give where it was published, so it can be cited."
            )
        return problems
    if isinstance(record, Statement):
        quotations = list(record.quotations.select_related("source"))
        if not quotations:
            problems.append(
                "The statement has no quotation: add the words as a source prints them."
            )
        for quotation in quotations:
            if quotation.source.status != Status.PUBLISHED:
                problems.append(
                    f"Quotation {quotation.position} comes from source “{quotation.source}”, "
                    f"which is {quotation.source.get_status_display().lower()}: publish the "
                    "source first."
                )
            if not quotation.is_verbatim:
                problems.append(
                    f"Quotation {quotation.position} is not found verbatim in its source."
                )
        speaker = record.speaker
        if speaker is None:
            problems.append("The statement has no speaker.")
        else:
            if speaker.status != Status.PUBLISHED:
                problems.append(
                    f"The speaker, {_name(speaker)}, is "
                    f"{speaker.get_status_display().lower()}: publish them first."
                )
            if not speaker.citations.exists():
                problems.append(
                    f"The speaker, {_name(speaker)}, cites no source: add a citation that "
                    "shows who they are."
                )
        return problems
    if isinstance(record, CitedModel) and not _cites_published_source(record):
        problems.append("It cites no published source: add a citation to a published source.")
    related: list = []
    if isinstance(record, Membership):
        related = [record.person, record.group]
    elif isinstance(record, GroupRelation):
        related = [record.subject, record.object]
    elif isinstance(record, Participation):
        related = [record.event, record.participant]
    for other in related:
        if other is not None and other.status != Status.PUBLISHED:
            problems.append(
                f"{_name(other).capitalize()} is {other.get_status_display().lower()}: "
                "publish it first."
            )
    return problems


def _transition(record, action: str, user, *, note: str = "") -> PublishableModel:
    allowed_from, target = TRANSITIONS[action]
    model = type(record)
    needed = (
        publish_permission(model)
        if action in ("publish", "retract", "return_to_draft")
        else change_permission(model)
    )
    if user is None or not user.is_active or not user.has_perm(needed):
        verb = action.replace("_", " ")
        raise PermissionDenied(f"You may not {verb} {model._meta.verbose_name_plural}.")
    with batch():
        # Lock the row and read the current status, so two editors cannot race.
        current = model._default_manager.select_for_update().get(pk=record.pk)
        if current.status not in allowed_from:
            expected = " or ".join(sorted(Status(s).label.lower() for s in allowed_from))
            raise PublishingError(
                current,
                [f"It is {current.get_status_display().lower()}; it must be {expected}."],
            )
        if action == "publish":
            problems = publish_problems(current)
            if problems:
                raise PublishingError(current, problems)
        if action == "retract":
            if not note.strip():
                raise PublishingError(
                    current, ["Give a retraction note: it is shown on the record's old URL."]
                )
            current.retraction_note = note.strip()
        current.status = target
        if target == Status.PUBLISHED and current.changed_since_published:
            # Publishing is the review of the record as it is now.
            reviewed.release(model._meta.model_name, current.pk)
            current.changed_since_published = False
        current._history_user = user
        current._change_reason = {
            "submit": "Submitted for review",
            "publish": "Published",
            "retract": "Retracted",
            "return_to_draft": "Returned to draft",
        }[action]
        current.save()
    record.status, record.version = current.status, current.version
    record.retraction_note = current.retraction_note
    return current


def record_submit(*, record, user) -> PublishableModel:
    return _transition(record, "submit", user)


def record_publish(*, record, user) -> PublishableModel:
    return _transition(record, "publish", user)


def record_publish_changes(*, record, user) -> PublishableModel:
    """Make public what was changed in a published record since it was published."""
    model = type(record)
    if not user_can_publish(user, model):
        raise PermissionDenied(f"You may not publish {model._meta.verbose_name_plural}.")
    with batch():
        current = model._default_manager.select_for_update().get(pk=record.pk)
        if current.status != Status.PUBLISHED:
            raise PublishingError(
                current,
                [
                    f"It is {current.get_status_display().lower()}: publish it instead of "
                    "publishing its changes."
                ],
            )
        if not current.changed_since_published:
            raise PublishingError(current, ["It has no changes waiting to be published."])
        problems = publish_problems(current)
        if problems:
            raise PublishingError(current, problems)
        reviewed.release(model._meta.model_name, current.pk)
        current.changed_since_published = False
        current._history_user = user
        current._change_reason = "Published changes"
        current.save()
        # Parts added while it waited have no public row yet: build them with it.
        parts = reviewed.parts_of(model._meta.model_name, current.pk)
        public_changed((kind, pk) for kind, ids in parts.items() for pk in ids)
    record.changed_since_published, record.version = False, current.version
    return current


def record_retract(*, record, user, note: str) -> PublishableModel:
    return _transition(record, "retract", user, note=note)


def record_return_to_draft(*, record, user) -> PublishableModel:
    return _transition(record, "return_to_draft", user)


PUBLISHABLE_MODELS = [
    Source,
    Group,
    Person,
    Membership,
    GroupRelation,
    Event,
    Participation,
    Statement,
]
