import io

import pytest
from django.contrib.auth.models import Group as AuthGroup
from django.contrib.auth.models import Permission
from django.core.management import call_command

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def setup_roles() -> str:
    out = io.StringIO()
    call_command("setup_roles", stdout=out)
    return out.getvalue()


def permissions_of(name):
    return set(AuthGroup.objects.get(name=name).permissions.values_list("codename", flat=True))


def test_setup_roles_is_idempotent():
    first = setup_roles()
    snapshot = {name: permissions_of(name) for name in ("viewer", "researcher", "editor")}
    permission_count = Permission.objects.count()
    second = setup_roles()
    assert "created" in first and "created" not in second and "updated" not in second
    assert AuthGroup.objects.count() == 3
    assert Permission.objects.count() == permission_count
    assert {name: permissions_of(name) for name in snapshot} == snapshot


def test_setup_roles_repairs_a_changed_group():
    setup_roles()
    researcher = AuthGroup.objects.get(name="researcher")
    researcher.permissions.add(Permission.objects.get(codename="publish_statement"))
    output = setup_roles()
    (line,) = [line for line in output.splitlines() if "researcher:" in line]
    assert line.endswith("(updated)")
    assert "publish_statement" not in permissions_of("researcher")


def test_what_each_role_may_do():
    setup_roles()
    users = {}
    for name in ("viewer", "researcher", "editor"):
        users[name] = UserFactory(is_staff=True)
        users[name].groups.add(AuthGroup.objects.get(name=name))
    viewer, researcher, editor = users["viewer"], users["researcher"], users["editor"]
    assert viewer.has_perm("advocacy.view_statement")
    assert not viewer.has_perm("advocacy.change_statement")
    assert researcher.has_perm("advocacy.add_statement")
    assert researcher.has_perm("advocacy.change_person")
    for forbidden in ("publish_statement", "delete_source", "merge_person", "publish_source"):
        assert not researcher.has_perm(f"advocacy.{forbidden}")
    for allowed in ("publish_statement", "delete_source", "merge_group", "merge_person"):
        assert editor.has_perm(f"advocacy.{allowed}")
