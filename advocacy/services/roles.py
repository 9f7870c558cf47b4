"""The three roles researchers work in, as Django groups and permissions.

- viewer: reads everything in the admin, drafts included (view_*).
- researcher: adds and edits drafts (view_*, add_*, change_*), cannot publish or delete.
- editor: everything, including publish_* (publish and retract), merge_* and delete_*.

publish_<model> and merge_<model> are custom permissions. They are created here as
plain Permission rows, so no model Meta (and no migration) is needed; declaring them in
the models' Meta.permissions later creates the same rows, and this stays correct.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import transaction

from advocacy.models import Group, Person
from advocacy.services.publishing import PUBLISHABLE_MODELS

APP_LABEL = "advocacy"
MERGEABLE_MODELS = [Person, Group]
VIEWER, RESEARCHER, EDITOR = "viewer", "researcher", "editor"


def custom_permissions() -> list[Permission]:
    """publish_<model> for each model with a status, merge_<model> for people and groups."""
    wanted = [
        (model, "publish", f"Can publish and retract {model._meta.verbose_name_plural}")
        for model in PUBLISHABLE_MODELS
    ] + [
        (model, "merge", f"Can merge duplicate {model._meta.verbose_name_plural}")
        for model in MERGEABLE_MODELS
    ]
    permissions = []
    for model, action, name in wanted:
        permission, _ = Permission.objects.get_or_create(
            content_type=ContentType.objects.get_for_model(model),
            codename=f"{action}_{model._meta.model_name}",
            defaults={"name": name[:255]},
        )
        permissions.append(permission)
    return permissions


@transaction.atomic
def roles_setup() -> list[str]:
    """Create the groups and give each exactly its permissions. Idempotent."""
    custom_permissions()
    app_permissions = Permission.objects.filter(content_type__app_label=APP_LABEL)
    wanted = {
        VIEWER: app_permissions.filter(codename__startswith="view_"),
        RESEARCHER: app_permissions.filter(codename__regex=r"^(view|add|change)_"),
        EDITOR: app_permissions,
    }
    lines = []
    for name, permissions in wanted.items():
        group, created = AuthGroup.objects.get_or_create(name=name)
        before = set(group.permissions.values_list("pk", flat=True))
        after = set(permissions.values_list("pk", flat=True))
        if before != after:
            group.permissions.set(after)
        state = "created" if created else ("updated" if before != after else "unchanged")
        lines.append(f"{name}: {len(after)} permissions ({state})")
    return lines
