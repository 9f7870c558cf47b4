"""The Popolo export validates against the Popolo JSON schemas (draft-03) kept in
tests/data/popolo/schemas/ (vendored, CC BY 4.0), and shows nothing an anonymous reader may
not see."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from jsonschema import Draft3Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT3

from advocacy.api.audience import Audience
from advocacy.formats import popolo
from advocacy.models import Group, Statement
from tests import factories

pytestmark = pytest.mark.django_db

SCHEMAS = Path(__file__).parents[1] / "data" / "popolo" / "schemas"
COLLECTIONS = {
    "persons": "person",
    "organizations": "organization",
    "memberships": "membership",
    "events": "event",
    "speeches": "speech",
}


@pytest.fixture(scope="module")
def validators():
    registry = Registry()
    schemas = {}
    for path in sorted(SCHEMAS.glob("*.json")):
        schema = json.loads(path.read_text())
        registry = registry.with_resource(schema["id"], Resource.from_contents(schema, DRAFT3))
        schemas[path.stem] = schema
    assert set(COLLECTIONS.values()) <= set(schemas)
    return {
        name: Draft3Validator(
            schemas[name], registry=registry, format_checker=Draft3Validator.FORMAT_CHECKER
        )
        for name in COLLECTIONS.values()
    }


def test_export_validates_against_the_popolo_schemas(api_client, seeded, validators):
    response = api_client.get("/api/v1/export/popolo.json")
    assert response.status_code == 200
    data = export_of(api_client)
    # The validators do reject what is not Popolo.
    assert list(validators["person"].iter_errors({"name": 5, "links": [{"note": "no url"}]}))
    for collection, schema in COLLECTIONS.items():
        assert data[collection], collection
        for item in data[collection]:
            errors = sorted(validators[schema].iter_errors(item), key=str)
            assert not errors, (collection, item.get("id"), [e.message for e in errors])


def test_export_carries_other_names_sources_and_links(api_client, seeded):
    data = export_of(api_client)
    council = next(
        o for o in data["organizations"] if o["id"].endswith("council-of-mothers-and-wives")
    )
    cyrillic = [n for n in council["other_names"] if n["script"] == "cyrl"]
    assert cyrillic and cyrillic[0]["lang"] == "ru-Cyrl"
    assert council["sources"] and all(link["url"] for link in council["sources"])
    assert council["links"][0]["url"].endswith("/groups/council-of-mothers-and-wives/")
    speech = next(
        s for s in data["speeches"] if s["id"] == "speech/tsukanova-are-you-a-man-or-what"
    )
    assert speech["creator_id"] == "person/olga-tsukanova"
    assert speech["text"] and speech["sources"]
    assert speech["date"].startswith("2022-11-01") and speech["date_precision"] == "month"
    person_ids = {p["id"] for p in data["persons"]}
    assert all(m["person_id"] in person_ids for m in data["memberships"])


def test_export_hides_drafts_and_protected_people(api_client, seeded):
    draft = factories.GroupFactory(draft=True, name="Secret draft group")
    soldier = factories.PersonFactory(name="Ivan Protectedov", protected=True)
    factories.StatementFactory(speaker_person=soldier, summary="No hope, says the soldier.")
    text = export_text(api_client)
    assert draft.slug not in text and "Secret draft group" not in text
    assert "Protectedov" not in text and soldier.slug not in text
    data = json.loads(text)
    speech = next(s for s in data["speeches"] if s["title"] == "No hope, says the soldier.")
    assert speech["creator_id"] is None
    assert speech["attribution_text"] == "a protected person"


def test_export_has_conditional_get(api_client, seeded):
    """By ETag and by date; a rebuild after a change answers 200 again."""
    first = api_client.get("/api/v1/export/popolo.json")
    again = api_client.get(
        "/api/v1/export/popolo.json", HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )
    assert again.status_code == 304
    same = api_client.get("/api/v1/export/popolo.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert same.status_code == 304
    group = Group.objects.get(slug="council-of-mothers-and-wives")
    with clock_ahead(seconds=5):
        group.name = "Renamed council"
        group.save()
        call_command("export_popolo", "--if-changed", stderr=io.StringIO())
    changed = api_client.get("/api/v1/export/popolo.json", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert changed["ETag"] != first["ETag"]
    assert "Renamed council" in b"".join(changed.streaming_content).decode()


def clock_ahead(*, seconds: int):
    """The clock `seconds` ahead (HTTP dates count whole seconds)."""
    from unittest import mock

    later = timezone.now() + datetime.timedelta(seconds=seconds)
    return mock.patch("django.utils.timezone.now", return_value=later)


def test_export_is_written_in_chunks_with_every_record(api_client, seeded, monkeypatch):
    """Read a few records at a time (keyset chunks), the whole export is the same."""
    whole = export_of(api_client)
    monkeypatch.setattr(popolo, "CHUNK_SIZE", 2)
    audience = Audience(None)
    audience.base = "http://testserver"
    parts = list(popolo.popolo_chunks(audience))
    assert len(parts) > 20
    assert json.loads(b"".join(parts)) == whole
    assert len(whole["speeches"]) == Statement.objects.public().count()


def export_text(client) -> str:
    response = client.get("/api/v1/export/popolo.json")
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def export_of(client) -> dict:
    return json.loads(export_text(client))


def test_export_command_writes_what_an_anonymous_reader_downloads(api_client, seeded, tmp_path):
    target = tmp_path / "popolo.json"
    call_command("export_popolo", str(target), "--base-url", "http://testserver/")
    assert json.loads(target.read_text()) == export_of(api_client)
    assert not list(tmp_path.glob("*.partial"))
