"""When a working record changes, the public rows that show it are rebuilt in the same
transaction: a protection, an unpublication, a retraction or a deletion is public the moment
it commits (fail closed), and so is a correction.

Every save and delete of a working model (ORM `save()`, `delete()`, cascades, m2m changes)
is seen here. Writes of many records (seeding, imports, merges, API writes with nested
records) run inside `batch()`, which rebuilds once, at its end, inside its transaction.
Bulk `QuerySet.update()` is not seen: code that hides records that way must call
`rebuild_for()` itself (or `manage.py rebuild_public`).
"""

import logging
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from advocacy.models import Event, Person, PersonAlias, Statement
from advocacy.models.base import PublishableModel
from advocacy.publication import holding
from advocacy.text import fold


class Pending:
    """The working records changed and not yet made public, and names whose protection
    changed, for this thread's connection."""

    def __init__(self):
        self.records: set[tuple[str, int]] = set()
        self.names: set[str] = set()
        self.batches = 0

    def take(self) -> tuple[set, set]:
        records, names = self.records, self.names
        self.records, self.names = set(), set()
        return records, names


_pending: ContextVar[Pending | None] = ContextVar("public_rebuild_pending", default=None)


def _state() -> Pending:
    state = _pending.get()
    if state is None:
        state = Pending()
        _pending.set(state)
    return state


logger = logging.getLogger(__name__)

PROTECTED_MARK = fold("[protected person]")


def _parents(instance) -> list[tuple[str, int]]:
    """The records whose public document shows this one as a part of it."""
    name = instance._meta.model_name
    if name in {"citation", "conflictingversion", "externalidentifier", "slugredirect"}:
        return [(instance.content_type.model, instance.object_id)]
    fields = {
        "quotation": ["statement", "source"],
        "personalias": ["person"],
        "groupalias": ["group"],
        "membership": ["person", "group"],
        "participation": ["event"],
        "grouprelation": ["subject", "object"],
    }.get(name, [])
    return [
        (instance._meta.get_field(f).related_model._meta.model_name, getattr(instance, f"{f}_id"))
        for f in fields
    ]


def _watched(sender) -> bool:
    opts = sender._meta
    return (
        opts.app_label == "advocacy"
        and not opts.model_name.startswith(("public", "historical"))
        # Data releases are built from the public rows, not shown by them.
        and opts.model_name != "datarelease"
    )


def changed(records: Iterable[tuple[str, int]], names: Iterable[str] = ()) -> None:
    """Note that these working records (and these names' protection) changed.

    Outside a transaction the rows are rebuilt now. Inside one they are rebuilt together,
    before it commits: at the end of `batch()` (every write path of the app runs in one),
    or before the next public read in the same transaction. A transaction that commits
    with changes still pending (a write path without `batch()`) has them rebuilt right
    after its commit, and says so in the log."""
    state = _state()
    state.records |= {(model, pk) for model, pk in records if pk is not None}
    state.names |= set(names)
    if state.batches:
        return
    if not transaction.get_connection().in_atomic_block:
        flush()
    else:
        # Each time: a transaction rolled back never runs its callbacks.
        transaction.on_commit(_after_commit)


def flush() -> None:
    """Rebuild what is pending, now, in the current transaction."""
    state = _state()
    while state.records or state.names:
        records, names = state.take()
        rebuild_for(records, names)


def _after_commit() -> None:
    state = _state()
    if state.records or state.names:
        logger.warning(
            "Public rows rebuilt after a commit (a write outside publication.batch()): %s",
            sorted(state.records)[:10],
        )
        with transaction.atomic():
            flush()


def rebuild_for(records: Iterable[tuple[str, int]], names: Iterable[str] = ()) -> None:
    """Rebuild every public row of, or showing, these records, and every row that
    mentions these names."""
    # Here, not at the top: the builders import the serializers, which import services
    # that write through `batch()`.
    from advocacy.publication import builders

    with transaction.atomic():
        # First: the rows found below are then all those committed before this change,
        # a concurrent rebuild's included.
        builders.lock()
        _rebuild_locked(records, set(names))


def _rebuild_locked(records: Iterable[tuple[str, int]], names: set[str]) -> None:
    from advocacy.publication import builders, lexicon

    targets: dict[str, set[int]] = {}
    by_model: dict[str, set[int]] = {}
    for model, pk in records:
        by_model.setdefault(model, set()).add(pk)
        if model in builders.KINDS:
            targets.setdefault(model, set()).add(pk)
    for model, ids in by_model.items():
        for kind, rows in builders.dependents(model, ids).items():
            targets.setdefault(kind, set()).update(rows)
    if names - {PROTECTED_MARK}:
        _withdraw_releases(names - {PROTECTED_MARK})
    # Rows that hid someone whose protection was lifted or who was renamed.
    for kind, rows in builders.rows_containing(names & {PROTECTED_MARK}).items():
        targets.setdefault(kind, set()).update(rows)
    # Rows that only mention the names (in a quotation, a title) are redacted as stored:
    # nothing they show changed but what the final pass hides.
    mentioning = {
        kind: rows - targets.get(kind, set())
        for kind, rows in builders.rows_mentioning(names - {PROTECTED_MARK}).items()
    }
    if names - {PROTECTED_MARK}:
        builders.forget_addresses_naming(names - {PROTECTED_MARK})
    if not targets and not names:
        return
    redactor = builders.current_redactor()
    if names:
        # A protection (or a protected person's new alias): their words leave the
        # lexicon in this transaction, whether or not any row still showed them.
        lexicon.purge(redactor.folded_words)
        builders.redact_retraction_notes(redactor)
    for kind, rows in mentioning.items():
        if rows:
            left = builders.redact_stored(kind, rows, redactor)
            targets.setdefault(kind, set()).update(left)
    for kind in builders.KINDS:
        if targets.get(kind):
            builders.rebuild(kind, targets[kind], redactor)


def _withdraw_releases(names: set[str]) -> None:
    """Data releases holding a newly protected name stop being served, in this transaction
    (advocacy/formats/releases.py)."""
    from advocacy.formats import releases
    from advocacy.publication.builders import stem

    stems = {stem(word) for name in names for word in fold(name).split()}
    releases.withdraw_mentioning(w for w in stems if len(w) > 2 and not w.isdigit())


@contextmanager
def batch() -> Iterator[None]:
    """One transaction whose changes are made public at its end, before it commits."""
    state = _state()
    state.batches += 1
    try:
        with transaction.atomic():
            yield
            state.batches -= 1
            if not state.batches:
                flush()
            state.batches += 1
    finally:
        state.batches -= 1


def _names_of(person: Person) -> set[str]:
    names = {person.name, *(part for part in person.name.split() if not part.isdigit())}
    if person.pk:
        names.update(person.aliases.values_list("name", flat=True))
    return names


def on_pre_save(sender, instance, raw=False, **kwargs):
    if raw or not instance.pk or not issubclass(sender, PublishableModel):
        return
    fields = ["status", "changed_since_published"]
    if sender is Person:
        fields += ["is_protected", "name"]
    before = None
    if sender is Person or holding.acting_user() is not None:
        before = sender._default_manager.filter(pk=instance.pk).values(*fields).first()
    instance._public_before = before
    instance._public_held = False
    holding.decide(instance, before)


def on_save(sender, instance, raw=False, **kwargs):
    # Raw saves (fixtures, archives) load records half-linked: their loader rebuilds after.
    if raw or not _watched(sender) or getattr(instance, "_public_held", False):
        return
    owner = holding.owner_of(instance)
    if owner is not None and holding.hold_owner(*owner):
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
    except Exception:
        parents = []
    changed([(instance._meta.model_name, instance.pk), *parents], names)


def on_m2m(sender, instance, action, reverse, model, pk_set, **kwargs):
    if not action.startswith("post_"):
        return
    if reverse:
        owner = model._meta.model_name
        changed((owner, pk) for pk in pk_set or ())
    elif not holding.hold_owner(type(instance), instance.pk):
        changed([(instance._meta.model_name, instance.pk)])


def forget_pending() -> None:
    """Start clean (tests): what was left pending was rolled back with its transaction."""
    _pending.set(None)


def connect() -> None:
    pre_save.connect(on_pre_save, dispatch_uid="public-pre-save")
    post_save.connect(on_save, dispatch_uid="public-save")
    post_delete.connect(on_delete, dispatch_uid="public-delete")
    for through in (Statement.topics.through, Event.topics.through):
        m2m_changed.connect(on_m2m, sender=through, dispatch_uid=f"public-m2m-{through}")
