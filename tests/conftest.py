import io

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture
def researcher(db):
    """Can view and change everything, drafts included, but is not a superuser."""
    return UserFactory(is_staff=True, permissions=["view", "add", "change"])


@pytest.fixture
def admin_user(db):
    return UserFactory(username="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def researcher_client(client, researcher):
    client.force_login(researcher)
    return client


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def seeded(db):
    """The five seed articles' records, loaded with the real command."""
    call_command("seed", stdout=io.StringIO())
