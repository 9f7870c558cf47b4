"""Merge a duplicate person or group into the record that stays.

    person_merge(winner=kept, loser=duplicate, user=editor)
    group_merge(winner=kept, loser=duplicate, user=editor)

Everything pointing at the loser moves to the winner: memberships, statements (as
speaker and addressee), participations, citations, conflicting versions, identifiers,
aliases and (for groups) relations to other groups. The loser's name and aliases become
the winner's aliases, its slug redirects to the winner, and it is deleted. One
transaction; every change is saved record by record so the history shows who did it.
Where the two records disagree in a way that cannot be merged (two different Wikidata
ids), nothing is changed and the error says what to resolve.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import models

from advocacy.models import (
    Citation,
    ConflictingVersion,
    ExternalIdentifier,
    Group,
    GroupAlias,
    GroupRelation,
    Membership,
    Participation,
    Person,
    PersonAlias,
    SlugRedirect,
    Statement,
)
from advocacy.publication.triggers import batch


class MergeError(Exception):
    pass


@dataclass
class MergeReport:
    winner: Person | Group
    loser_name: str
    loser_slug: str
    moved: dict[str, int] = field(default_factory=dict)
    combined: dict[str, int] = field(default_factory=dict)

    def count(self, what: str, combined: bool = False) -> None:
        target = self.combined if combined else self.moved
        target[what] = target.get(what, 0) + 1

    def summary(self) -> str:
        moved = ", ".join(f"{n} {what}" for what, n in sorted(self.moved.items())) or "nothing"
        text = f"Merged “{self.loser_name}” into “{self.winner}”: moved {moved}."
        if self.combined:
            combined = ", ".join(f"{n} {what}" for what, n in sorted(self.combined.items()))
            text += f" Combined with the winner's own: {combined}."
        return text


def merge_permission(model) -> str:
    """The codename check for merging a model's records."""
    return f"{model._meta.app_label}.merge_{model._meta.model_name}"


def user_can_merge(user, model) -> bool:
    return bool(user and user.is_active and user.has_perm(merge_permission(model)))


def person_merge(*, winner: Person, loser: Person, user) -> MergeReport:
    return _merge(Person, winner, loser, user)


def group_merge(*, winner: Group, loser: Group, user) -> MergeReport:
    return _merge(Group, winner, loser, user)


class _Merger:
    def __init__(self, model, winner, loser, user):
        self.model = model
        self.winner = winner
        self.loser = loser
        self.user = user
        self.reason = f"Merged {model._meta.verbose_name} “{loser}” (#{loser.pk}) into #{winner.pk}"
        self.report = MergeReport(winner, loser_name=loser.name, loser_slug=loser.slug)
        self.content_type = ContentType.objects.get_for_model(model)

    def save(self, obj, **kwargs) -> None:
        obj._history_user = self.user
        obj._change_reason = self.reason
        obj.save(**kwargs)

    def delete(self, obj) -> None:
        obj._history_user = self.user
        obj._change_reason = self.reason
        obj.delete()

    # Provenance hanging off any record

    def move_attachments(self, source_obj, target_obj, label_prefix: str = "") -> None:
        """Citations, conflicting versions and identifiers of one record to another."""
        source_type = ContentType.objects.get_for_model(source_obj)
        target_type = ContentType.objects.get_for_model(target_obj)
        for model, label in ((Citation, "citations"), (ConflictingVersion, "conflicting versions")):
            for item in model.objects.filter(content_type=source_type, object_id=source_obj.pk):
                item.content_type, item.object_id = target_type, target_obj.pk
                self.save(item)
                self.report.count(label_prefix + label)
        for item in ExternalIdentifier.objects.filter(
            content_type=source_type, object_id=source_obj.pk
        ):
            theirs = ExternalIdentifier.objects.filter(
                content_type=target_type, object_id=target_obj.pk, scheme=item.scheme
            ).first()
            if theirs is not None:
                if theirs.identifier != item.identifier:
                    raise MergeError(
                        f"Both records have a {item.get_scheme_display()} identifier, "
                        f"{theirs.identifier} and {item.identifier}: decide which is right "
                        "and delete the other before merging."
                    )
                self.delete(item)
                self.report.count(label_prefix + "identifiers", combined=True)
                continue
            item.content_type, item.object_id = target_type, target_obj.pk
            self.save(item)
            self.report.count(label_prefix + "identifiers")

    def move_or_combine(self, obj, field_name: str, duplicate_of, label: str) -> None:
        """Point obj at the winner, or fold it into the winner's identical record."""
        existing = duplicate_of()
        if existing is None:
            setattr(obj, field_name, self.winner)
            self.save(obj)
            self.report.count(label)
            return
        # The winner already has this fact: keep its provenance on the one record.
        self.move_attachments(obj, existing, label_prefix=f"{label}' ")
        if existing.has_conflict is False and obj.has_conflict:
            existing.has_conflict = True
            self.save(existing)
        self.delete(obj)
        self.report.count(label, combined=True)

    # Aliases

    def merge_aliases(self, alias_model, owner_field: str) -> None:
        winner_aliases = {
            alias.name: alias for alias in alias_model.objects.filter(**{owner_field: self.winner})
        }
        for alias in alias_model.objects.filter(**{owner_field: self.loser}):
            kept = winner_aliases.get(alias.name)
            if kept is not None or alias.name == self.winner.name:
                if kept is not None and kept.source_id is None and alias.source_id is not None:
                    kept.source_id = alias.source_id
                    self.save(kept)
                self.delete(alias)
                self.report.count("aliases", combined=True)
                continue
            setattr(alias, owner_field, self.winner)
            self.save(alias)
            winner_aliases[alias.name] = alias
            self.report.count("aliases")
        if self.loser.name not in winner_aliases and self.loser.name != self.winner.name:
            alias = alias_model(**{owner_field: self.winner}, name=self.loser.name)
            self.save(alias)
            self.report.count("names kept as aliases")

    # Redirects

    def redirect(self) -> None:
        for redirect in SlugRedirect.objects.filter(
            content_type=self.content_type, object_id=self.loser.pk
        ):
            redirect.object_id = self.winner.pk
            redirect.save()
        SlugRedirect.objects.update_or_create(
            content_type=self.content_type,
            old_slug=self.loser.slug,
            defaults={"object_id": self.winner.pk},
        )

    def fill_blanks(self, field_names: list[str]) -> None:
        changed = False
        for name in field_names:
            if not getattr(self.winner, name) and getattr(self.loser, name):
                setattr(self.winner, name, getattr(self.loser, name))
                changed = True
        if self.loser.has_conflict and not self.winner.has_conflict:
            self.winner.has_conflict = changed = True
        if changed:
            self.save(self.winner)

    def check_nothing_left(self) -> None:
        """Refuse (and roll back) if some relation this service does not know still points
        at the loser: it would otherwise be deleted or block the delete."""
        for relation in self.model._meta.related_objects:
            related_model = relation.related_model
            if related_model.__module__.startswith("simple_history") or (
                getattr(related_model, "_meta", None)
                and related_model._meta.model_name.startswith("historical")
            ):
                continue
            if relation.many_to_many:
                accessor = relation.get_accessor_name()
                if accessor and getattr(self.loser, accessor).exists():
                    raise MergeError(f"Cannot merge: unhandled relation {relation.name}.")
                continue
            if not relation.one_to_many and not relation.one_to_one:
                continue
            remaining = related_model._default_manager.filter(
                **{relation.field.name: self.loser}
            ).count()
            if remaining:
                raise MergeError(
                    f"Cannot merge: {remaining} {related_model._meta.verbose_name_plural} "
                    f"still point at “{self.loser}” through {relation.field.name}."
                )


def _merge(model, winner, loser, user) -> MergeReport:
    if not isinstance(winner, model) or not isinstance(loser, model):
        raise MergeError(f"Both records must be {model._meta.verbose_name_plural}.")
    if winner.pk is None or loser.pk is None:
        raise MergeError("Both records must be saved.")
    if winner.pk == loser.pk:
        raise MergeError("A record cannot be merged into itself.")
    if not user_can_merge(user, model):
        raise PermissionDenied(f"You may not merge {model._meta.verbose_name_plural}.")
    with batch():
        locked = model._default_manager.select_for_update().in_bulk([winner.pk, loser.pk])
        if len(locked) != 2:
            raise MergeError("One of the records no longer exists.")
        winner, loser = locked[winner.pk], locked[loser.pk]
        merger = _Merger(model, winner, loser, user)
        if model is Person:
            _merge_person(merger)
        else:
            _merge_group(merger)
        merger.move_attachments(loser, winner)
        merger.redirect()
        merger.check_nothing_left()
        merger.delete(loser)
        winner.refresh_search_key()
    return merger.report


def _move_memberships_and_participations(merger: _Merger, field: str) -> None:
    """Move the loser's memberships and participations to the winner, combining each with
    the winner's own where it already has the same one. `field` is "person" or "group"."""
    winner, loser = merger.winner, merger.loser
    other = "group_id" if field == "person" else "person_id"
    for membership in Membership.objects.filter(**{field: loser}):
        merger.move_or_combine(
            membership,
            field,
            lambda m=membership: Membership.objects.filter(
                **{field: winner, other: getattr(m, other), "role": m.role}
            ).first(),
            "memberships",
        )
    for participation in Participation.objects.filter(**{field: loser}):
        merger.move_or_combine(
            participation,
            field,
            lambda p=participation: Participation.objects.filter(
                **{field: winner, "event_id": p.event_id, "part": p.part}
            ).first(),
            "participations",
        )


def _merge_person(merger: _Merger) -> None:
    winner, loser = merger.winner, merger.loser
    # Safety first: if either was protected, the merged person is.
    if loser.is_protected and not winner.is_protected:
        winner.is_protected = True
        merger.save(winner)
    merger.fill_blanks(["description", "country"])
    _move_memberships_and_participations(merger, "person")
    _move_statements(merger, "person")
    merger.merge_aliases(PersonAlias, "person")


def _merge_group(merger: _Merger) -> None:
    winner, loser = merger.winner, merger.loser
    merger.fill_blanks(["description", "country", "founded_on", "website", "telegram"])
    _move_memberships_and_participations(merger, "group")
    for relation in GroupRelation.objects.filter(models.Q(subject=loser) | models.Q(object=loser)):
        subject = winner if relation.subject_id == loser.pk else relation.subject
        obj = winner if relation.object_id == loser.pk else relation.object
        if subject.pk == obj.pk:
            # "The duplicate is part of the winner" means nothing once they are one.
            merger.move_attachments(relation, winner, label_prefix="dropped self-relations' ")
            merger.delete(relation)
            merger.report.count("group relations", combined=True)
            continue
        existing = (
            GroupRelation.objects.filter(subject=subject, kind=relation.kind, object=obj)
            .exclude(pk=relation.pk)
            .first()
        )
        if existing is not None:
            merger.move_attachments(relation, existing, label_prefix="group relations' ")
            merger.delete(relation)
            merger.report.count("group relations", combined=True)
            continue
        relation.subject, relation.object = subject, obj
        merger.save(relation)
        merger.report.count("group relations")
    _move_statements(merger, "group")
    merger.merge_aliases(GroupAlias, "group")


def _move_statements(merger: _Merger, kind: str) -> None:
    loser, winner = merger.loser, merger.winner
    speaker, addressee = f"speaker_{kind}", f"addressee_{kind}"
    for statement in Statement.objects.filter(
        models.Q(**{speaker: loser}) | models.Q(**{addressee: loser})
    ):
        if getattr(statement, f"{speaker}_id") == loser.pk:
            setattr(statement, speaker, winner)
            merger.report.count("statements (speaker)")
        if getattr(statement, f"{addressee}_id") == loser.pk:
            setattr(statement, addressee, winner)
            merger.report.count("statements (addressee)")
        merger.save(statement)
