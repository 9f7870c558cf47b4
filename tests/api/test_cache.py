"""The data version (PostgreSQL's snapshot) moves with every committed write, and names
the streamed Popolo export's state. These tests commit for real (`transaction=True`)."""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from advocacy.caching import data_version
from advocacy.choices import Status
from advocacy.models import Statement
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
KEEPS_ANSWERS = connection.vendor == "postgresql"
URL = "/api/v1/statements/"


def get_counting_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_data_version_moves_with_every_committed_write_and_only_then():
    if not KEEPS_ANSWERS:
        assert data_version() is None
        return
    before = data_version()
    Statement.objects.count()
    assert data_version() == before
    factories.GroupFactory()
    after = data_version()
    assert after != before
    with transaction.atomic():
        # Inside a transaction this connection may see its own uncommitted writes.
        assert data_version() is None


def test_a_bulk_unpublish_is_caught_by_the_next_scheduled_export(api_client):
    """A bulk `update()` sends no signal, so the served file is not withdrawn at once; the
    scheduled build (`export_popolo --if-changed`) sees the public records changed and
    replaces it."""
    factories.StatementFactory()
    export = "/api/v1/export/popolo.json"
    first = api_client.get(export)
    assert api_client.get(export, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Statement.objects.update(status=Status.DRAFT)
    call_command("export_popolo", "--if-changed", stderr=io.StringIO())
    changed = api_client.get(export, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert json.loads(b"".join(changed.streaming_content))["speeches"] == []
