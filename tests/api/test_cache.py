"""The data version (PostgreSQL's snapshot) moves with every committed write, and names
the streamed Popolo export's state. These tests commit for real (`transaction=True`)."""

import json

import pytest
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


def test_the_export_etag_names_the_data_version(api_client):
    """The streamed export's ETag cannot be a hash of its body; on PostgreSQL it names
    the data version, so even a bulk unpublish (no new `updated_at`) changes it."""
    factories.StatementFactory()
    export = "/api/v1/export/popolo.json"
    first = api_client.get(export)
    if not KEEPS_ANSWERS:
        assert not first.has_header("ETag")
        return
    assert api_client.get(export, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    Statement.objects.update(status=Status.DRAFT)
    changed = api_client.get(export, HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert json.loads(b"".join(changed.streaming_content))["speeches"] == []
