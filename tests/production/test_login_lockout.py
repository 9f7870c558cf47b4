"""Repeated failed logins lock the login out (django-axes), and it is logged.

Covers every login endpoint the site has: the admin's, at its configurable path, and the API
token endpoint once it exists (see `login_endpoints()`).
"""

import logging

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.urls import Resolver404, resolve, reverse

from tests.factories import UserFactory

PASSWORD = "correct horse battery staple"
TOKEN_PATHS = ["/api/v1/auth/token/", "/api/auth/token/", "/api-token-auth/"]


def login_endpoints() -> list[str]:
    endpoints = [reverse("admin:login")]
    for path in TOKEN_PATHS:
        try:
            match = resolve(path)
        except Resolver404:
            continue
        if "token" in (match.url_name or "") or "token" in match.func.__name__.lower():
            endpoints.append(path)
    return endpoints


def attempt(client, url: str, username: str, password: str, ip: str = "203.0.113.7"):
    return client.post(
        url, {"username": username, "password": password}, REMOTE_ADDR=ip, secure=True
    )


def logged_in(response, url: str) -> bool:
    if url == reverse("admin:login"):
        return response.status_code == 302
    return response.status_code == 200 and "token" in response.json()


@pytest.fixture(autouse=True)
def fast_hashing(settings):
    """A deliberately slow hasher would make these dozens of logins take seconds each."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def staff(db):
    return UserFactory(username="editor", is_staff=True, is_superuser=True)


def test_the_admin_lives_at_the_configured_path():
    assert reverse("admin:index") == f"/{settings.ADMIN_URL}"


@pytest.mark.parametrize("url", login_endpoints())
def test_lockout_after_repeated_failures_even_with_the_right_password(client, staff, url, caplog):
    assert logged_in(attempt(client, url, "editor", PASSWORD), url)
    client.logout()
    with caplog.at_level(logging.WARNING, logger="axes"):
        for _ in range(settings.AXES_FAILURE_LIMIT):
            response = attempt(client, url, "editor", "wrong password")
            assert not logged_in(response, url)
    assert attempt(client, url, "editor", PASSWORD).status_code == 429
    assert AccessAttempt.objects.filter(username="editor").exists()
    assert any("login failure" in record.getMessage() for record in caplog.records)


@pytest.mark.parametrize("url", login_endpoints())
def test_nobody_can_lock_an_editor_out_by_name(client, staff, url):
    """Lockouts go by address, and by (username, address): failures for a username from
    one address, or spread over many, do not lock its owner out elsewhere."""
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, url, "editor", "wrong password", ip="198.51.100.1")
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, url, "editor", "wrong password", ip=f"198.51.100.{number + 10}")
    assert attempt(client, url, "editor", PASSWORD, ip="198.51.100.1").status_code == 429
    assert logged_in(attempt(client, url, "editor", PASSWORD, ip="192.0.2.99"), url)


@pytest.mark.parametrize("url", login_endpoints())
def test_an_address_guessing_many_usernames_is_locked(client, staff, url):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, url, f"guess{number}", "wrong password", ip="203.0.113.50")
    assert attempt(client, url, "editor", PASSWORD, ip="203.0.113.50").status_code == 429
    # Someone else, from elsewhere, still gets in.
    assert logged_in(attempt(client, url, "editor", PASSWORD, ip="192.0.2.1"), url)


def test_fewer_failures_than_the_limit_do_not_lock(client, staff):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, url, "editor", "wrong password")
    assert logged_in(attempt(client, url, "editor", PASSWORD), url)


def test_behind_a_proxy_the_forwarded_address_counts(client, staff, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(
            url,
            {"username": "nobody", "password": "x"},
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR="forged, 203.0.113.9",
            secure=True,
        )
    assert AccessAttempt.objects.filter(ip_address="203.0.113.9").exists()
    assert not AccessAttempt.objects.filter(ip_address="10.0.0.2").exists()


def test_logins_without_a_request_still_work(staff):
    """Management commands and the test client log in without a request."""
    from django.contrib.auth import authenticate

    assert authenticate(username="editor", password=PASSWORD) == staff
