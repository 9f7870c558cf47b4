"""The three roles researchers work in, as Django groups and permissions.

- viewer: reads everything in the admin, drafts included (view_*).
- researcher: adds and edits drafts (view_*, add_*, change_*), cannot publish, delete or
  lift a person's protection (they may only ask for it, which hides the person at once).
- editor: everything, including publish_* (publish and retract), merge_*, delete_* and
  protect_person.

The custom permissions are declared in the models' Meta.permissions, so `migrate` creates
them; this only assigns them.
"""

from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.db import transaction

APP_LABEL = "advocacy"
VIEWER, RESEARCHER, EDITOR = "viewer", "researcher", "editor"


@transaction.atomic
def roles_setup() -> list[str]:
    """Create the groups and give each exactly its permissions. Idempotent."""
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
