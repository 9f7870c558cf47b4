import pytest
from django.contrib.auth.models import Group as AuthGroup

from advocacy.services.roles import EDITOR, RESEARCHER, VIEWER, roles_setup
from tests.factories import (
    GroupAliasFactory,
    GroupFactory,
    PersonAliasFactory,
    PersonFactory,
    UserFactory,
)


@pytest.fixture
def roles(db):
    roles_setup()


def _user(role: str, username: str):
    user = UserFactory(username=username, is_staff=True)
    user.groups.add(AuthGroup.objects.get(name=role))
    return user


@pytest.fixture
def viewer(roles):
    return _user(VIEWER, "viewer")


@pytest.fixture
def researcher_user(roles):
    return _user(RESEARCHER, "researcher")


@pytest.fixture
def editor(roles):
    return _user(EDITOR, "editor")


@pytest.fixture
def cast(db):
    """People and groups the example texts mention, with names in both scripts."""
    tsukanova = PersonFactory(name="Olga Tsukanova")
    PersonAliasFactory(person=tsukanova, name="Ольга Цуканова")
    melnikova = PersonFactory(name="Valentina Melnikova")
    PersonAliasFactory(person=melnikova, name="Валентина Мельникова")
    peskov = PersonFactory(name="Dmitry Peskov")
    PersonAliasFactory(person=peskov, name="Дмитрий Песков")
    council = GroupFactory(name="Council of Mothers and Wives")
    GroupAliasFactory(group=council, name="Совет матерей и жён")
    put_domoi = GroupFactory(name="Put' Domoi")
    GroupAliasFactory(group=put_domoi, name="Путь домой")
    GroupAliasFactory(group=put_domoi, name="Way Home", script="latn", language="en")
    kremlin = GroupFactory(name="The Kremlin", kind="government_body")
    return {
        "tsukanova": tsukanova,
        "melnikova": melnikova,
        "peskov": peskov,
        "council": council,
        "put_domoi": put_domoi,
        "kremlin": kremlin,
    }
