"""Published means reviewed: which writes wait for an editor before the public sees them.

A change to a published record made in a request by someone who may not publish that kind
of record (a researcher) is held: the record is marked `changed_since_published` and its
public row keeps the last published version, until an editor publishes the changes
(`advocacy.services.publishing.record_publish_changes`) or saves the record themselves. A
change to a part of a published record (a quotation, a citation, an alias, its topics) holds
the record it belongs to.

What hides is never held: unpublishing, retracting, protecting a person and deleting take
effect in their own transaction (advocacy.publication.triggers). Writes made outside a
request (seeding, `import_archive`, commands run by whoever runs the server) are not held.
"""

from __future__ import annotations

from django.apps import apps
from simple_history.models import HistoricalRecords

from advocacy.choices import Status
from advocacy.models.base import PublishableModel

# A part's changes are its owner's: the record whose page it belongs on.
PART_OWNERS = {
    "quotation": "statement",
    "personalias": "person",
    "groupalias": "group",
}
GENERIC_PARTS = {"citation", "conflictingversion", "externalidentifier"}


def acting_user():
    """The signed-in user of the request being served, if any (DRF sets `request.user`
    on the Django request when it authenticates, so API tokens count too)."""
    request = getattr(HistoricalRecords.context, "request", None)
    user = getattr(request, "user", None)
    return user if user is not None and user.is_authenticated else None


def may_publish(user, model) -> bool:
    opts = model._meta
    return user.is_active and user.has_perm(f"{opts.app_label}.publish_{opts.model_name}")


def decide(instance, before: dict | None) -> None:
    """Before a publishable record is saved: hold a researcher's change to it while it is
    published; an editor's save publishes whatever was waiting."""
    from advocacy.publication import reviewed

    user = acting_user()
    if user is None or before is None:
        return
    model = type(instance)
    stays_published = before["status"] == instance.status == Status.PUBLISHED
    if not stays_published:
        return
    name = model._meta.model_name
    if may_publish(user, model):
        if before["changed_since_published"]:
            reviewed.release(name, instance.pk)
        instance.changed_since_published = False
    elif not hides(instance, before):
        if not before["changed_since_published"]:
            reviewed.hold(name, instance.pk)
        instance.changed_since_published = True
        instance._public_held = True


def hides(instance, before: dict) -> bool:
    """Protecting (or unprotecting) a person is never held."""
    return "is_protected" in before and before["is_protected"] != instance.is_protected


def owner_of(instance) -> tuple[type, int] | None:
    """The publishable record a part belongs to, as (model, pk)."""
    name = instance._meta.model_name
    if name in GENERIC_PARTS:
        model = instance.content_type.model_class()
        return (model, instance.object_id) if model is not None else None
    if name in PART_OWNERS:
        field = PART_OWNERS[name]
        return apps.get_model("advocacy", field), getattr(instance, f"{field}_id")
    return None


def hold_owner(model, pk) -> bool:
    """Whether a change to a part of this record, made now, waits for an editor: it does
    when a researcher makes it and the record is published (which is then marked changed
    since published)."""
    user = acting_user()
    if user is None or pk is None or not issubclass(model, PublishableModel):
        return False
    manager = model._default_manager
    if may_publish(user, model):
        # An editor's change to a part is public at once, unless the record already waits
        # for review: then it waits with the rest, to be published together.
        return manager.filter(pk=pk, changed_since_published=True).exists()
    if manager.filter(pk=pk, status=Status.PUBLISHED, changed_since_published=False).exists():
        from advocacy.publication import reviewed

        reviewed.hold(model._meta.model_name, pk)
    return bool(manager.filter(pk=pk, status=Status.PUBLISHED).update(changed_since_published=True))
