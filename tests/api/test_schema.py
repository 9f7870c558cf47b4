"""The OpenAPI schema: valid, and committed, so that a change to it is a reviewed change.

After changing the API on purpose, regenerate the committed copy with

    UPDATE_API_SCHEMA=1 .venv/bin/python -m pytest tests/api/test_schema.py

and commit tests/api/openapi-schema.yml with the change.
"""

import os
from pathlib import Path

import pytest
import yaml
from openapi_spec_validator import validate

SCHEMA_FILE = Path(__file__).with_name("openapi-schema.yml")


def generated_schema(client) -> str:
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi")
    assert response.status_code == 200
    return response.content.decode("utf-8")


@pytest.fixture
def schema_text(api_client, db):
    return generated_schema(api_client)


def test_schema_is_valid_openapi(schema_text):
    schema = yaml.safe_load(schema_text)
    validate(schema)
    assert schema["openapi"].startswith("3.")


def test_schema_matches_the_committed_file(schema_text):
    if os.environ.get("UPDATE_API_SCHEMA"):
        SCHEMA_FILE.write_text(schema_text, encoding="utf-8")
    committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    assert schema_text == committed, (
        "The API schema changed. If on purpose, regenerate it with "
        "`UPDATE_API_SCHEMA=1 .venv/bin/python -m pytest tests/api/test_schema.py` "
        "and commit tests/api/openapi-schema.yml."
    )


def test_schema_documents_filters_pagination_and_errors(schema_text):
    schema = yaml.safe_load(schema_text)
    statements = schema["paths"]["/api/v1/statements/"]["get"]
    names = {parameter["name"] for parameter in statements["parameters"]}
    assert {"q", "speaker", "group", "date_after", "date_before", "updated_after"} <= names
    assert {"page", "page_size", "cursor", "pagination", "format", "ordering"} <= names
    assert {"200", "400", "401", "404", "429"} <= set(statements["responses"])
    assert "text/csv" in statements["responses"]["200"]["content"]
    create = schema["paths"]["/api/v1/statements/"]["post"]
    assert {"201", "400", "401", "403", "415"} <= set(create["responses"])
    assert "/api/v1/export/popolo.json" in schema["paths"]
    assert {"tokenAuth", "cookieAuth"} <= set(schema["components"]["securitySchemes"])


def test_reads_are_open_to_anonymous_readers_and_writes_are_not(schema_text):
    schema = yaml.safe_load(schema_text)
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            security = operation.get("security", [])
            if method in {"get", "head"}:
                assert {} in security, (method, path)
            else:
                assert security and {} not in security, (method, path)


def test_every_status_an_operation_can_answer_is_documented(schema_text):
    schema = yaml.safe_load(schema_text)
    detail = schema["paths"]["/api/v1/groups/{id_or_slug}/"]
    assert {"204", "400", "403", "404", "409", "412", "413", "415", "500", "503"} <= set(
        detail["delete"]["responses"]
    )
    assert {"200", "304", "404", "500", "503"} <= set(detail["get"]["responses"])


def test_the_cursor_and_free_texts_are_described_exactly(schema_text):
    schema = yaml.safe_load(schema_text)
    parameters = schema["paths"]["/api/v1/statements/"]["get"]["parameters"]
    (cursor,) = [p for p in parameters if p["name"] == "cursor"]
    assert cursor["schema"]["pattern"] and cursor["schema"]["minLength"] == 1
    (q,) = [p for p in parameters if p["name"] == "q"]
    assert "u0000" in q["schema"]["pattern"]
    name = schema["components"]["schemas"]["GroupRequest"]["properties"]["name"]
    assert name["type"] == "string" and "\\s" in name["pattern"]
