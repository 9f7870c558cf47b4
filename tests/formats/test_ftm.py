"""The FollowTheMoney export: every entity valid by followthemoney's own model, read by its
command-line tools, with stable ids and the sources it rests on; nothing unpublished or
protected in it."""

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from followthemoney import model
from followthemoney.exc import InvalidData

from advocacy.models import Person, PublicPerson, PublicQuotation, PublicSource, Statement
from advocacy.publication.triggers import flush
from advocacy.text import fold
from tests import factories

pytestmark = pytest.mark.django_db
FTM_CLI = Path(sys.executable).with_name("ftm")


def errors_of(data: dict):
    """What followthemoney's schema validation finds wrong (None: nothing), and the
    required properties missing (its validation checks only the properties given)."""
    schema = model.get(data["schema"])
    missing = [name for name in schema.required if not data["properties"].get(name)]
    if missing:
        return {"missing": missing}
    try:
        schema.validate(data)
    except InvalidData as exc:
        return exc.errors
    return None


def export(tmp_path, name="ftm.jsonl") -> tuple[Path, list[dict]]:
    path = tmp_path / name
    call_command("export_ftm", str(path), "--base-url", "https://t.example", stderr=io.StringIO())
    return path, [json.loads(line) for line in path.read_text().splitlines()]


def test_every_entity_is_valid_by_the_followthemoney_model(seeded, tmp_path):
    _, entities = export(tmp_path)
    assert entities
    ids = [e["id"] for e in entities]
    assert len(ids) == len(set(ids))
    for data in entities:
        schema = model.get(data["schema"])
        assert schema is not None and not schema.abstract, data["schema"]
        # Required properties present, every value of a property the schema has.
        assert errors_of(data) is None, (data["id"], errors_of(data))
        # Cleaning by the model keeps every value: nothing we wrote is invalid for its type.
        proxy = model.get_proxy(data, cleaned=False)
        assert proxy.to_dict()["properties"] == data["properties"], data["id"]
    # Every reference points at an entity of the export.
    for data in entities:
        proxy = model.get_proxy(data)
        for prop, value in proxy.itervalues():
            if prop.type.name == "entity":
                assert value in ids, (data["id"], prop.name, value)


def test_the_check_rejects_what_is_not_followthemoney():
    assert errors_of({"schema": "Membership", "properties": {"role": ["x"]}})
    assert errors_of({"schema": "Article", "properties": {"contentHash": ["ab" * 32]}})
    proxy = model.get_proxy(
        {"id": "x", "schema": "Person", "properties": {"birthDate": ["not a date"]}},
        cleaned=False,
    )
    assert proxy.to_dict()["properties"] != {"birthDate": ["not a date"]}


def test_each_kind_in_its_schema_with_stable_ids(seeded, tmp_path):
    _, entities = export(tmp_path)
    by_schema: dict[str, set[str]] = {}
    for data in entities:
        by_schema.setdefault(data["schema"], set()).add(data["id"])
    people = {f"advocacy-person-{pk}" for pk in PublicPerson.objects.values_list("pk", flat=True)}
    assert by_schema["Person"] == people
    sources = {f"advocacy-source-{pk}" for pk in PublicSource.objects.values_list("pk", flat=True)}
    assert by_schema.get("Article", set()) | by_schema.get("Video", set()) == sources
    assert by_schema["Organization"] and by_schema["Membership"] and by_schema["Event"]
    # Every quotation of a statement whose speaker may be named is a Documentation.
    named = [
        q for q in PublicQuotation.objects.all() if q.document["statement"]["speaker"].get("id")
    ]
    assert by_schema["Documentation"] == {f"advocacy-quotation-{q.pk}" for q in named}
    # The same ids on a second run.
    _, again = export(tmp_path, "again.jsonl")
    assert [e["id"] for e in again] == [e["id"] for e in entities]


def test_every_entity_names_the_source_it_rests_on(seeded, tmp_path):
    _, entities = export(tmp_path)
    sources = {e["id"]: e for e in entities if e["schema"] in {"Article", "Video"}}
    for data in entities:
        if data["id"] in sources:
            assert data["properties"]["sourceUrl"] and data["properties"]["contentHash"]
            continue
        props = data["properties"]
        if data["schema"] == "Documentation":
            assert props["document"] == props["proof"]
        if "proof" in props:
            assert set(props["proof"]) <= set(sources), data["id"]
            assert props["sourceUrl"], data["id"]
    statement = Statement.objects.get(slug="tsukanova-are-you-a-man-or-what")
    first = statement.quotations.order_by("position", "pk").first()
    quote = next(e for e in entities if e["id"] == f"advocacy-quotation-{first.pk}")
    assert quote["properties"]["entity"] == [f"advocacy-person-{statement.speaker_person_id}"]
    assert quote["properties"]["recordId"] == [f"advocacy-statement-{statement.pk}"]
    assert quote["properties"]["document"] == [f"advocacy-source-{first.source_id}"]
    assert "Vladimir Vladimirovich, are you a man or what?" in quote["properties"]["description"][0]
    assert sum(1 for e in entities if "proof" in e["properties"]) > len(entities) // 2


def test_the_ftm_command_line_tools_read_it(seeded, tmp_path):
    path, entities = export(tmp_path)
    for command in ("validate", "aggregate"):
        out = tmp_path / f"{command}.jsonl"
        result = subprocess.run(
            [str(FTM_CLI), command, "-i", str(path), "-o", str(out)],
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
        read = [json.loads(line) for line in out.read_text().splitlines()]
        assert sorted(e["id"] for e in read) == sorted(e["id"] for e in entities), command
        assert {e["schema"] for e in read} == {e["schema"] for e in entities}


def test_the_endpoint_serves_the_same_entities(api_client, seeded, tmp_path, settings):
    settings.EXPORTS_BASE_URL = "https://t.example"
    response = api_client.get("/api/v1/export/ftm.jsonl")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/x-ndjson")
    served = b"".join(response.streaming_content).decode()
    path, _ = export(tmp_path)
    assert served == path.read_text()


def test_large_data_is_served_from_the_latest_release(api_client, seeded, settings):
    settings.EXPORT_BUILD_IN_REQUEST_MAX = 1
    waiting = api_client.get("/api/v1/export/ftm.jsonl")
    assert waiting.status_code == 503 and waiting["Retry-After"]
    call_command("make_release", stderr=io.StringIO())
    response = api_client.get("/api/v1/export/ftm.jsonl")
    assert response.status_code == 200
    assert response["X-Data-Release"]
    person = PublicPerson.objects.first()
    assert f'"advocacy-person-{person.pk}"'.encode() in b"".join(response.streaming_content)


def test_unpublished_and_protected_people_are_not_in_it(tmp_path):
    named = factories.PersonFactory(name="Galina Visible")
    hidden = factories.PersonFactory(name="Tamara Hiddenova")
    factories.PersonFactory(name="Drafty Draftova", draft=True)
    statement = factories.StatementFactory(speaker_person=hidden, summary="Hiddenova speaks.")
    factories.StatementFactory(speaker_person=named)
    hidden.is_protected = True
    hidden.save()
    flush()
    text = fold(export(tmp_path)[0].read_text())
    assert "galina" in text
    for stem in ("hiddenov", "tamara", "draftov"):
        assert stem not in text, stem
    _, entities = export(tmp_path, "again.jsonl")
    ids = {e["id"] for e in entities}
    quotation = statement.quotations.get()
    assert f"advocacy-quotation-{quotation.pk}" not in ids
    assert f"advocacy-person-{hidden.pk}" not in ids
    assert Person.objects.filter(is_protected=True).exists() and Statement.objects.exists()
