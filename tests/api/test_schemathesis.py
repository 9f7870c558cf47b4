"""A bounded property-based run of schemathesis against the API's own schema.

Every operation is called with generated requests, authenticated as an administrator (so
writes get past permissions and reach validation) and anonymously: no response may be a
server error, and each must match the schema (status code, content type, body, headers).
"""

import pytest
import schemathesis
import yaml
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES_PER_OPERATION = 6
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    response_headers_conformance,
]


@pytest.fixture
def keep_connection():
    """A WSGI call ends with `request_finished`, which would close the test's database
    connection (and its transaction) on PostgreSQL; the test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_client, seeded):
    text = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi").content
    schema = schemathesis.openapi.from_dict(yaml.safe_load(text))
    schema.app = WSGIHandler()
    return schema


def test_no_server_error_and_every_response_matches_the_schema(api_schema, keep_connection):
    admin = factories.UserFactory(is_staff=True, is_superuser=True)
    token = Token.objects.create(user=admin).key
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    calls = {"count": 0}

    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            database=None,
            derandomize=True,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            for headers in ({"Authorization": f"Token {token}"}, {}):
                response = case.call(headers=headers)
                case.validate_response(response, checks=CHECKS)
                calls["count"] += 1

        run()
    assert calls["count"] >= 300
