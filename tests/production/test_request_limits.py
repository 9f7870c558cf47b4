"""Oversized bodies get 413 and over-nested JSON 400, before any view or parser sees them."""

import json

import pytest
from django.conf import settings
from django.urls import reverse

from advocacy.parsers import LimitedJSONParser, json_depth_exceeds

TEN_MB = 10 * 1000 * 1000


def nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.fixture
def api_list_url():
    return reverse("api:group-list")


@pytest.mark.parametrize("path", ["/", "/admin/login/", "/api/v1/groups/"])
def test_a_10_mb_body_gets_413(client, db, path):
    response = client.post(path, data=b"x" * TEN_MB, content_type="application/octet-stream")
    assert response.status_code == 413
    assert str(settings.REQUEST_MAX_BODY_BYTES) in response.content.decode()


def test_a_10_mb_json_body_gets_a_json_413(api_client, db, api_list_url):
    body = json.dumps({"name": "x" * TEN_MB})
    response = api_client.post(api_list_url, data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.json()["code"] == "request_too_large"


def test_a_body_just_under_the_limit_reaches_the_view(api_client, db, api_list_url):
    body = json.dumps({"name": "x" * (settings.REQUEST_MAX_BODY_BYTES - 100)})
    response = api_client.post(api_list_url, data=body, content_type="application/json")
    # Anonymous writes are refused by the API itself, not by the size limit.
    assert response.status_code in (401, 403)


@pytest.mark.parametrize("depth", [settings.JSON_MAX_DEPTH + 1, 5000, 100_000])
def test_deeply_nested_json_gets_400(api_client, db, api_list_url, depth):
    response = api_client.post(api_list_url, data=nested(depth), content_type="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "json_too_deep"
    assert f"at most {settings.JSON_MAX_DEPTH} levels" in response.json()["detail"]


def test_nesting_within_the_limit_reaches_the_view(api_client, db, api_list_url):
    body = json.dumps({"name": "x", "extra": json.loads(nested(settings.JSON_MAX_DEPTH - 1))})
    response = api_client.post(api_list_url, data=body, content_type="application/json")
    assert response.status_code in (401, 403)


@pytest.mark.parametrize(
    ("body", "limit", "exceeds"),
    [
        (b'{"a": [1, {"b": 2}]}', 3, False),
        (b'{"a": [1, {"b": [2]}]}', 3, True),
        (b'["[[[[[[[[", "{{{{{{{{{"]', 1, False),  # brackets inside strings do not count
        (b'["\\"[[[[[["]', 1, False),  # nor after an escaped quote
        (b'["\\\\", [[[]]]]', 3, True),  # an escaped backslash ends the string
        (b"[]" * 1000, 1, False),  # wide is fine, only deep is refused
        (b'[1, "unterminated ' + b'\\"' * 50_000, 1, False),  # linear, not quadratic
    ],
)
def test_json_depth_scan(body, limit, exceeds):
    assert json_depth_exceeds(body, limit) is exceeds


def test_the_drf_parser_refuses_deep_json_too():
    import io

    from rest_framework.exceptions import ParseError

    parser = LimitedJSONParser()
    assert parser.parse(io.BytesIO(b'{"a": [1]}')) == {"a": [1]}
    with pytest.raises(ParseError, match="nested too deeply"):
        parser.parse(io.BytesIO(nested(settings.JSON_MAX_DEPTH + 1).encode()))
