"""Anonymous API answers are kept until the data changes, and never outlive a change.

Kept answers need a committed database state (PostgreSQL's snapshot), so these tests commit
for real (`transaction=True`). On SQLite nothing is kept: every answer is built afresh, and
the same tests show it is still right.
"""

import io
import json

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from advocacy.caching import data_version
from advocacy.choices import Status
from advocacy.models import Person, Statement
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)
KEEPS_ANSWERS = connection.vendor == "postgresql"
URL = "/api/v1/statements/"


def get_counting_queries(client, url, **extra):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **extra)
    return response, len(queries)


def test_the_same_anonymous_request_is_answered_from_the_cache(api_client):
    factories.StatementFactory.create_batch(3)
    first, built = get_counting_queries(api_client, URL)
    again, queries = get_counting_queries(api_client, URL)
    assert again.status_code == 200
    assert again.content == first.content
    assert again["ETag"] == first["ETag"]
    assert again["Content-Type"] == first["Content-Type"]
    assert built > 5
    if KEEPS_ANSWERS:
        assert queries == 1  # the data version, nothing else
    else:
        assert queries > 5  # built afresh


def test_a_bulk_unpublish_is_seen_at_once(api_client):
    """`update()` sends no signal and calls no save(): the snapshot still moves."""
    statement = factories.StatementFactory()
    assert statement.slug in api_client.get(URL).content.decode()
    Statement.objects.filter(pk=statement.pk).update(status=Status.DRAFT)
    assert statement.slug not in api_client.get(URL).content.decode()
    assert api_client.get(f"{URL}{statement.pk}/").status_code == 404


def test_a_newly_protected_speaker_is_never_named_from_a_kept_answer(api_client):
    statement = factories.StatementFactory(speaker_person__name="Irina Volkova")
    url = f"{URL}{statement.slug}/"
    assert "Irina Volkova" in api_client.get(url).content.decode()
    Person.objects.filter(pk=statement.speaker_person_id).update(is_protected=True)
    assert "Irina Volkova" not in api_client.get(url).content.decode()


def test_researchers_are_never_served_a_kept_answer(api_client, token_client):
    draft = factories.StatementFactory(status=Status.DRAFT)
    assert draft.slug not in api_client.get(URL).content.decode()
    assert draft.slug in token_client.get(URL).content.decode()
    # And a researcher's answer is not kept for anonymous readers.
    assert draft.slug not in api_client.get(URL).content.decode()


def test_formats_and_filters_are_kept_apart(api_client):
    factories.StatementFactory(medium="interview")
    factories.StatementFactory(medium="speech")
    as_json = api_client.get(URL)
    as_csv = api_client.get(URL, {"format": "csv"})
    assert as_csv["Content-Type"].startswith("text/csv")
    assert as_json["Content-Type"].startswith("application/json")
    assert api_client.get(URL).json() == as_json.json()
    assert api_client.get(URL, {"format": "csv"}).content == as_csv.content
    assert api_client.get(URL, {"medium": "speech"}).json()["count"] == 1
    assert api_client.get(URL, {"medium": "interview"}).json()["count"] == 1


def test_a_kept_answer_still_honours_conditional_requests(api_client):
    factories.StatementFactory()
    first = api_client.get(URL)
    api_client.get(URL)
    assert api_client.get(URL, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
    assert api_client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]).status_code == 304


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
