import pytest
from django.core.cache import cache
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_caches():
    """Throttle counters and kept answers live in caches: each test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def token_client(researcher):
    """A researcher (view, add, change) authenticated by token, as a script would be."""
    client = APIClient()
    token = Token.objects.create(user=researcher)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


@pytest.fixture
def reader_client(db):
    """Authenticated by token, allowed to view everything but to write nothing."""
    user = UserFactory(permissions=["view"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client


@pytest.fixture
def plain_client(db):
    """Authenticated by token, with no permission at all (sees only published records)."""
    user = UserFactory()
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    return client
