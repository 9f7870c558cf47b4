"""The issue's "done when", as a new script would try it, with the examples of docs/API.md."""

import csv
import io
import json

import pytest

from advocacy.models import Statement
from tests.api import RESOURCES

pytestmark = pytest.mark.django_db


def test_a_script_discovers_walks_filters_searches_downloads_and_writes(
    api_client, token_client, seeded
):
    # Discover the API.
    assert api_client.get("/api/docs/").status_code == 200
    schema = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert "/api/v1/statements/" in schema.json()["paths"]

    # Page through every published statement of the Council of Mothers and Wives.
    url = "/api/v1/statements/"
    params = {"group": "council-of-mothers-and-wives", "pagination": "cursor", "page_size": 2}
    walked = []
    while url:
        page = api_client.get(url, params).json()
        walked += page["results"]
        url, params = page["next"], None
    by_page = api_client.get(
        "/api/v1/statements/", {"group": "council-of-mothers-and-wives", "page_size": 500}
    ).json()
    assert len(walked) == by_page["count"] >= 3
    assert {s["id"] for s in walked} == {s["id"] for s in by_page["results"]}
    assert all(s["status"] == "published" for s in walked)

    # Filter by date and speaker; search in Cyrillic.
    filtered = api_client.get(
        "/api/v1/statements/",
        {"speaker": "olga-tsukanova", "date_after": "2022-11-01", "date_before": "2022-11-30"},
    ).json()["results"]
    assert filtered and all(s["speaker"]["slug"] == "olga-tsukanova" for s in filtered)
    found = api_client.get("/api/v1/statements/", {"q": "Цуканова"}).json()["results"]
    assert {s["id"] for s in filtered} <= {s["id"] for s in found}

    # Download CSV; pull the Popolo export.
    download = api_client.get(
        "/api/v1/statements/", {"group": "council-of-mothers-and-wives", "format": "csv"}
    )
    rows = list(csv.DictReader(io.StringIO(download.content.decode("utf-8"))))
    assert len(rows) == len(walked)
    assert all(row["citations.source.title"] for row in rows)
    popolo = json.loads(b"".join(api_client.get("/api/v1/export/popolo.json").streaming_content))
    assert {"persons", "organizations", "memberships", "events", "speeches"} <= set(popolo)

    # With a token, create a statement with two quotations (the docs' example).
    response = token_client.post(
        "/api/v1/statements/",
        {
            "speaker_person": "olga-tsukanova",
            "addressee_person": "vladimir-putin",
            "medium": "video_message",
            "date": "2022-11-01",
            "date_precision": "month",
            "summary": "Tsukanova asks Putin to meet real mothers.",
            "topics": ["meeting-with-putin"],
            "quotations": [
                {
                    "source": "mt-2022-11-24-mothers-accuse-putin",
                    "text": "Vladimir Vladimirovich, are you a man or what?",
                    "language": "en",
                },
                {
                    "source": "newsweek-2022-11-putin-hiding-from-mothers",
                    "text": "Vladimir Vladimirovich, are you a man or what?",
                    "language": "en",
                },
            ],
            "citations": [
                {
                    "source": "mt-2022-11-24-mothers-accuse-putin",
                    "excerpt": "asked in a video message posted on Telegram",
                }
            ],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert [q["is_verbatim"] for q in created["quotations"]] == [True, True]
    assert created["status"] == "draft"

    # ...and cannot see a draft or a protected name.
    assert api_client.get(created["url"]).status_code == 404
    assert created["id"] not in {
        s["id"] for s in api_client.get("/api/v1/statements/", {"page_size": 500}).json()["results"]
    }
    assert Statement.objects.filter(pk=created["id"]).exists()
    everything = b"".join(
        api_client.get(f"/api/v1/{name}/", {"page_size": 500}).content for name in RESOURCES
    ) + b"".join(api_client.get("/api/v1/export/popolo.json").streaming_content)
    assert b"Alexander" not in everything
    assert b"mobilized-soldier-in-put-domoi-video" not in everything
