"""Who may protect a person, or lift their protection.

A protected person is never named publicly, so lifting protection publishes a name at
once: it is an editor's decision (`advocacy.protect_person`), with a reason kept in the
history. Asking for protection fails closed: any researcher who may change people can do
it, the person is hidden at once, and an editor decides later whether it stays. Every
change of protection is logged (logger "advocacy.protection", always on, like failed logins).
"""

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext_lazy as _

from advocacy.models import Person
from advocacy.publication.triggers import batch

logger = logging.getLogger("advocacy.protection")

PROTECT_PERMISSION = "advocacy.protect_person"
REQUESTED_REASON = "Protection requested; an editor decides whether it stays."


def user_can_protect(user) -> bool:
    return bool(user and user.is_active and user.has_perm(PROTECT_PERMISSION))


def user_can_request_protection(user) -> bool:
    return bool(user and user.is_active and user.has_perm("advocacy.change_person"))


def log_protection_change(*, person: Person, user, protected: bool, reason: str = "") -> None:
    logger.warning(
        "Person %s (id %s) %s by %s%s",
        person.slug,
        person.pk,
        "protected" if protected else "UNPROTECTED",
        getattr(user, "get_username", lambda: "?")(),
        f": {reason}" if reason else "",
    )


def check_protection_change(*, person: Person, user, protected: bool, reason: str = "") -> str:
    """Refuses a change of `is_protected` the user may not make; the history reason."""
    if person.pk is None or person.is_protected == protected:
        return ""
    if not user_can_protect(user):
        raise PermissionDenied(_("Only an editor may protect a person or lift a protection."))
    reason = (reason or "").strip()
    if not protected and not reason:
        raise ValidationError(
            {"protection_reason": [_("Give the reason for lifting this person's protection.")]}
        )
    return reason or "Protected by an editor."


@batch()
def person_set_protection(*, person: Person, user, protected: bool, reason: str = "") -> Person:
    """An editor protects a person, or lifts the protection giving a reason."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    reason = check_protection_change(person=person, user=user, protected=protected, reason=reason)
    if not reason:
        return person
    person.is_protected = protected
    person._change_reason = reason
    person.save()
    log_protection_change(person=person, user=user, protected=protected, reason=reason)
    return person


@batch()
def person_request_protection(*, person: Person, user) -> Person:
    """Any researcher hides a person at once; an editor may lift it later."""
    if not user_can_request_protection(user):
        raise PermissionDenied(_("You may not change people."))
    person = Person.objects.select_for_update().get(pk=person.pk)
    if person.is_protected:
        return person
    person.is_protected = True
    person._change_reason = REQUESTED_REASON
    person.save()
    log_protection_change(person=person, user=user, protected=True, reason=REQUESTED_REASON)
    return person
