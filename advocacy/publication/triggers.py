"""When a working record changes, the public rows that show it are rebuilt in the same
transaction: a protection, an unpublication, a retraction or a deletion is public the moment
it commits (fail closed), and so is a correction.

Every save and delete of a working model (ORM `save()`, `delete()`, cascades, m2m changes)
is seen here. Writes of many records (seeding, imports, merges, API writes with nested
records) run inside `batch()`, which rebuilds once, at its end, inside its transaction.
Bulk `QuerySet.update()` is not seen: code that hides records that way must call
`rebuild_for()` itself (or `manage.py rebuild_public`).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from advocacy.models import Event, Person, PersonAlias, Statement
from advocacy.publication.builders import KINDS, current_redactor, dependents, rebuild
from advocacy.publication.builders import rows_mentioning as _rows_mentioning
from advocacy.text import fold

# The working records changed in the current batch, as (model name, id); None: no batch.
_pending: ContextVar[set | None] = ContextVar("public_rebuild_pending", default=None)
# Names whose public mentions must be rebuilt (protected, or no longer protected).
_names: ContextVar[set | None] = ContextVar("public_rebuild_names", default=None)

PROTECTED_MARK = fold("[protected person]")


def _parents(instance) -> list[tuple[str, int]]:
    """The records whose public document shows this one as a part of it."""
    name = instance._meta.model_name
    if name in {"citation", "conflictingversion", "externalidentifier"}:
        return [(instance.content_type.model, instance.object_id)]
    fields = {
        "quotation": ["statement", "source"],
        "personalias": ["person"],
        "groupalias": ["group"],
        "membership": ["person", "group"],
        "participation": ["event"],
        "grouprelation": ["subject", "object"],
    }.get(name, [])
    return [(instance._meta.get_field(f).related_model._meta.model_name, getattr(instance, f"{f}_id")) for f in fields]


def _watched(sender) -> bool:
    opts = sender._meta
    return (
        opts.app_label == "advocacy"
        and not opts.model_name.startswith(("public", "historical"))
        and opts.model_name != "slugredirect"
    )


def changed(records: Iterable[tuple[str, int]], names: Iterable[str] = ()) -> None:
    """Note that these working records (and these names' protection) changed: rebuilt at
    the end of the current batch, or now if there is none."""
    records = {(model, pk) for model, pk in records if pk is not None}
    names = set(names)
    pending = _pending.get()
    if pending is not None:
        pending |= records
        _names.get().update(names)
        return
    rebuild_for(records, names)


def rebuild_for(records: Iterable[tuple[str, int]], names: Iterable[str] = ()) -> None:
    """Rebuild every public row of, or showing, these records, and every row that
    mentions these names."""
    targets: dict[str, set[int]] = {}
    by_model: dict[str, set[int]] = {}
    for model, pk in records:
        by_model.setdefault(model, set()).add(pk)
        if model in KINDS:
            targets.setdefault(model, set()).add(pk)
    for model, ids in by_model.items():
        for kind, rows in dependents(model, ids).items():
            targets.setdefault(kind, set()).update(rows)
    for kind, rows in _rows_mentioning(names).items():
        targets.setdefault(kind, set()).update(rows)
    if not targets:
        return
    redactor = current_redactor()
    with transaction.atomic():
        for kind in KINDS:
            if targets.get(kind):
                rebuild(kind, targets[kind], redactor)


@contextmanager
def batch() -> Iterator[None]:
    """One transaction whose changes are made public once, at its end."""
    if _pending.get() is not None:
        yield
        return
    records, names = _pending.set(set()), _names.set(set())
    try:
        with transaction.atomic():
            yield
            # Saves made while rebuilding (none today) would join the next batch.
            pending, mentioned = _pending.get(), _names.get()
            _pending.reset(records)
            _names.reset(names)
            rebuild_for(pending, mentioned)
    finally:
        if _pending.get() is not None:
            _pending.set(None)
            _names.set(None)


def _names_of(person: Person) -> set[str]:
    names = {person.name, *person.name.split()}
    if person.pk:
        names.update(person.aliases.values_list("name", flat=True))
    return names


def on_pre_save(sender, instance, **kwargs):
    if sender is Person and instance.pk:
        old = Person.objects.filter(pk=instance.pk).values("is_protected", "name").first()
        instance._public_before = old


def on_save(sender, instance, **kwargs):
    if not _watched(sender):
        return
    names: set[str] = set()
    if sender is Person:
        before = getattr(instance, "_public_before", None) or {}
        if instance.is_protected:
            names |= _names_of(instance)
        if before.get("is_protected") and not instance.is_protected:
            names.add(PROTECTED_MARK)
        if before.get("is_protected") and before.get("name") != instance.name:
            names.add(PROTECTED_MARK)
    if sender is PersonAlias and instance.person.is_protected:
        names.add(instance.name)
    changed([(instance._meta.model_name, instance.pk), *_parents(instance)], names)


def on_delete(sender, instance, **kwargs):
    if not _watched(sender):
        return
    names = {PROTECTED_MARK} if sender is Person and instance.is_protected else set()
    parents = []
    try:
        parents = _parents(instance)
    except Exception:  # noqa: BLE001 - a parent deleted in the same cascade
        parents = []
    changed([(instance._meta.model_name, instance.pk), *parents], names)


def on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        owner = model._meta.model_name
        changed((owner, pk) for pk in pk_set or ())
    else:
        changed([(instance._meta.model_name, instance.pk)])


def connect() -> None:
    pre_save.connect(on_pre_save, dispatch_uid="public-pre-save")
    post_save.connect(on_save, dispatch_uid="public-save")
    post_delete.connect(on_delete, dispatch_uid="public-delete")
    for through in (Statement.topics.through, Event.topics.through):
        m2m_changed.connect(on_m2m, sender=through, dispatch_uid=f"public-m2m-{through}")
