"""What the contract does not cover: protected people, search, cursors, CSV, conditional
GET, errors, throttling, nested writes."""

import csv
import io

import pytest
from django.contrib.auth.models import Permission
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient
from rest_framework.throttling import AnonRateThrottle, SimpleRateThrottle

from advocacy.choices import Status
from advocacy.models import Citation, Group, Quotation, Statement
from advocacy.publication import counting
from tests import factories
from tests.api import RESOURCES

pytestmark = pytest.mark.django_db

SECRET = "Alexander"


@pytest.fixture
def protected_statement():
    """A published statement by a protected person, whose name also appears in texts."""
    soldier = factories.PersonFactory(name=f"{SECRET} Hidden", protected=True)
    factories.PersonAliasFactory(person=soldier, name="Александр")
    source = factories.SourceFactory(
        archived_text=f'"We have no hope," said {SECRET} Hidden, a mobilized soldier.',
        full_text_public=True,
    )
    statement = factories.StatementFactory(
        speaker_person=soldier, summary=f"{SECRET} Hidden says there is no hope.", quotation=False
    )
    factories.QuotationFactory(
        statement=statement, source=source, text=f"We have no hope, said {SECRET} Hidden"
    )
    factories.CitationFactory(content_object=statement, source=source, excerpt=f"said {SECRET}")
    return statement


# Protected people ------------------------------------------------------------------------------


def test_protected_speaker_is_a_neutral_label_for_anonymous(api_client, protected_statement):
    body = api_client.get(f"/api/v1/statements/{protected_statement.slug}/").json()
    assert body["speaker"] == {"type": "person", "label": "a protected person"}
    assert (
        SECRET
        not in api_client.get(f"/api/v1/statements/{protected_statement.pk}/").content.decode()
    )
    listed = api_client.get("/api/v1/statements/").content.decode()
    assert SECRET not in listed and "Hidden" not in listed
    assert "[protected person]" in listed
    for resource in ("quotations", "citations", "sources"):
        assert SECRET not in api_client.get(f"/api/v1/{resource}/").content.decode(), resource
    assert SECRET not in api_client.get("/api/v1/statements/?format=csv").content.decode()


def test_protected_person_has_no_page_and_is_not_listed(api_client, protected_statement):
    soldier = protected_statement.speaker_person
    assert api_client.get(f"/api/v1/people/{soldier.pk}/").status_code == 404
    assert api_client.get(f"/api/v1/people/{soldier.slug}/").status_code == 404
    assert soldier.pk not in {p["id"] for p in api_client.get("/api/v1/people/").json()["results"]}
    # Not even as a filter value.
    assert api_client.get("/api/v1/statements/", {"speaker": soldier.slug}).status_code == 400


def test_a_researcher_sees_the_protected_name(token_client, protected_statement):
    body = token_client.get(f"/api/v1/statements/{protected_statement.pk}/").json()
    assert body["speaker"]["name"] == f"{SECRET} Hidden"
    assert SECRET in body["quotations"][0]["text"]


# Search and pagination --------------------------------------------------------------------------


def test_cyrillic_search_finds_latin_names(api_client, seeded):
    response = api_client.get("/api/v1/statements/", {"q": "Цуканова"})
    slugs = {row["slug"] for row in response.json()["results"]}
    assert "tsukanova-are-you-a-man-or-what" in slugs
    people = api_client.get("/api/v1/people/", {"q": "Цуканова"}).json()["results"]
    assert [p["slug"] for p in people] == ["olga-tsukanova"]


def test_walk_a_groups_statements_with_cursors(api_client, seeded):
    expected = set(
        Statement.objects.public()
        .filter(speaker_group__slug="council-of-mothers-and-wives")
        .values_list("pk", flat=True)
    ) | set(
        Statement.objects.public()
        .filter(speaker_person__memberships__group__slug="council-of-mothers-and-wives")
        .values_list("pk", flat=True)
    )
    url = "/api/v1/statements/?group=council-of-mothers-and-wives&pagination=cursor&page_size=1"
    seen, pages = [], 0
    while url:
        with CaptureQueriesContext(connection) as queries:
            body = api_client.get(url).json()
        assert "count" not in body
        assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
        seen += [row["id"] for row in body["results"]]
        url, pages = body["next"], pages + 1
    assert len(expected) >= 3
    assert seen == sorted(expected)
    assert pages >= len(expected)


def test_a_long_public_list_is_counted_up_to_the_limit_then_paged_to_its_end(
    api_client, monkeypatch
):
    """Past `EXACT_LIMIT` public rows the count is the database's estimate (no `COUNT(*)`
    of a million), said so; every page is still reached by number, the last by `next`
    being null, whatever the estimate says."""
    monkeypatch.setattr(counting, "EXACT_LIMIT", 2)
    created = {group.pk for group in factories.GroupFactory.create_batch(5)}
    url, seen = "/api/v1/groups/?page_size=2", []
    while url:
        body = api_client.get(url).json()
        assert body["count_exact"] is False and body["count"] >= 2
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
    assert sorted(seen) == sorted(created)
    assert api_client.get("/api/v1/groups/?page_size=2&page=4").status_code == 404
    # A short list is counted exactly, and says nothing more.
    body = api_client.get("/api/v1/groups/", {"country": "UA"}).json()
    assert body["count"] == 0 and "count_exact" not in body


def test_numbered_pages_are_bounded_at_500(api_client):
    factories.GroupFactory.create_batch(3)
    body = api_client.get("/api/v1/groups/", {"page_size": 500}).json()
    assert body["count"] == 3
    # Beyond the documented maximum is refused, as the schema says, not silently capped.
    refused = api_client.get("/api/v1/groups/", {"page_size": 10000})
    assert refused.status_code == 400 and "page_size" in refused.json()
    assert (
        api_client.get("/api/v1/groups/", {"page_size": 2})
        .json()["next"]
        .endswith("page=2&page_size=2")
    )
    response = api_client.get("/api/v1/groups/", {"page_size": 2})
    assert 'rel="next"' in response["Link"]


def test_bad_cursor_is_400(api_client):
    response = api_client.get("/api/v1/statements/", {"cursor": "not-a-cursor"})
    assert response.status_code == 400
    assert "cursor" in response.json()


# Formats -----------------------------------------------------------------------------------------


def test_csv_is_utf8_with_citations_flattened(api_client, seeded):
    response = api_client.get("/api/v1/groups/", {"format": "csv", "q": "Council of Mothers"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8"))))
    council = next(row for row in rows if row["slug"] == "council-of-mothers-and-wives")
    assert "Совет" in council["aliases.name"]
    assert council["citations.source.title"].count(" | ") >= 1
    assert council["citations.excerpt"]


def test_every_list_has_csv(api_client, seeded):
    for resource in RESOURCES:
        response = api_client.get(f"/api/v1/{resource}/?format=csv")
        assert response.status_code == 200, resource
        header = next(csv.reader(io.StringIO(response.content.decode())))
        assert "id" in header and "url" in header, resource


# Conditional GET ---------------------------------------------------------------------------------


def test_etag_and_last_modified_give_304(api_client):
    group = factories.GroupFactory()
    for url in (f"/api/v1/groups/{group.pk}/", "/api/v1/groups/"):
        first = api_client.get(url)
        assert first["ETag"] and first["Last-Modified"]
        assert api_client.get(url, HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304
        since = api_client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
        assert since.status_code == 304
    etag = api_client.get(f"/api/v1/groups/{group.pk}/")["ETag"]
    group.description = "Changed."
    group.save()
    changed = api_client.get(f"/api/v1/groups/{group.pk}/", HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed.json()["description"] == "Changed."


def test_csv_and_json_have_different_etags(api_client):
    factories.GroupFactory()
    assert (
        api_client.get("/api/v1/groups/")["ETag"]
        != api_client.get("/api/v1/groups/?format=csv")["ETag"]
    )


# Errors ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, field",
    [
        ({"speaker": "no-such-person"}, "speaker"),
        ({"date_after": "2022-13-45"}, "date_after"),
        ({"medium": "carrier-pigeon"}, "medium"),
        ({"has_conflict": "maybe"}, "has_conflict"),
        ({"has_conflict": "1"}, "has_conflict"),
        ({"updated_after": "yesterday"}, "updated_after"),
        ({"q": "x" * 201}, "q"),
        ({"ordering": "speaker"}, "ordering"),
        ({"spaeker": "olga"}, "spaeker"),
        ({"pagination": "sideways"}, "pagination"),
        ({"q": "nul\x00byte"}, "q"),
    ],
)
def test_bad_filters_are_400_naming_them(api_client, params, field):
    response = api_client.get("/api/v1/statements/", params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert field in response.json()


def test_errors_are_json_even_when_csv_was_asked_for(api_client):
    response = api_client.get("/api/v1/statements/", {"format": "csv", "medium": "fax"})
    assert response.status_code == 400
    assert response.json() == {"medium": [response.json()["medium"][0]]}


def test_malformed_json_is_400(token_client):
    response = token_client.post(
        "/api/v1/groups/", data='{"name": "x",', content_type="application/json"
    )
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


def test_form_data_is_415(token_client):
    response = token_client.post("/api/v1/groups/", {"name": "x"}, format="multipart")
    assert response.status_code == 415
    assert "detail" in response.json()


def test_unknown_endpoint_and_method_are_json(api_client, token_client):
    missing = api_client.get("/api/v1/nothing-here/")
    assert missing.status_code == 404 and missing.json()["detail"]
    assert api_client.get("/api/v1/statements/99999999999999999999999/").status_code == 404
    assert api_client.get("/api/v1/statements/bad%20slug!/").status_code == 404
    response = token_client.post("/api/v1/export/popolo.json", {}, format="json")
    assert response.status_code == 405
    assert response.json()["detail"]


def test_over_long_strings_and_bad_dates_name_the_field(token_client):
    response = token_client.post(
        "/api/v1/events/",
        {"name": "n" * 301, "kind": "protest", "date": "2023-02-30"},
        format="json",
    )
    assert response.status_code == 400
    assert {"name", "date"} <= set(response.json())


def test_throttled_requests_get_429_with_retry_after(api_client, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "2/minute"})
    assert api_client.get("/api/v1/groups/").status_code == 200
    assert api_client.get("/api/v1/groups/").status_code == 200
    response = api_client.get("/api/v1/groups/")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    assert "detail" in response.json()


def test_an_anonymous_reader_is_counted_by_the_anonymous_rate_alone(
    api_client, token_client, researcher, monkeypatch
):
    rates = {"anon": "1/minute", "user": "2/minute"}
    monkeypatch.setattr(SimpleRateThrottle, "THROTTLE_RATES", rates)
    assert [api_client.get("/api/v1/groups/").status_code for _ in range(2)] == [200, 429]
    # A signed-in user has the user rate, and a count of their own...
    assert [token_client.get("/api/v1/groups/").status_code for _ in range(3)] == [200, 200, 429]
    # ...kept under their account; the anonymous reader's address was not counted at it.
    assert len(cache.get(f"throttle_user_{researcher.pk}")) == 2
    assert cache.get("throttle_user_127.0.0.1") is None


# Writes ------------------------------------------------------------------------------------------


def test_create_a_statement_with_two_quotations_and_citations(token_client):
    speaker = factories.PersonFactory(name="Olga Example")
    first, second = factories.SourceFactory(), factories.SourceFactory()
    response = token_client.post(
        "/api/v1/statements/",
        {
            "speaker_person": speaker.slug,
            "medium": "video_message",
            "date": "2022-11-15",
            "date_precision": "month",
            "summary": "The council wants the sons back.",
            "quotations": [
                {"source": first.slug, "text": "We want our sons back"},
                {"source": second.pk, "text": "The ministry did not reply.", "position": 2},
            ],
            "citations": [{"source": first.slug, "excerpt": "said Olga Example"}],
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "draft"
    assert body["date"] == "2022-11-01" and body["date_precision"] == "month"
    assert [q["is_verbatim"] for q in body["quotations"]] == [True, True]
    assert body["quotations"][0]["start_offset"] is not None
    assert body["citations"][0]["source"]["id"] == first.pk
    statement = Statement.objects.get(pk=body["id"])
    assert "sons back" in statement.search_key


def test_a_researcher_cannot_publish_through_the_api(token_client):
    """Publishing is an editor's (`publish_<model>`), through the API as in the admin."""
    before = Group.objects.count()
    response = token_client.post(
        "/api/v1/groups/",
        {"name": "Mothers of Omsk", "kind": "advocacy_group", "status": "published"},
        format="json",
    )
    assert response.status_code == 403, response.content
    assert "publish" in response.json()["detail"]
    assert Group.objects.count() == before

    draft = factories.GroupFactory(status=Status.DRAFT)
    response = token_client.patch(
        f"/api/v1/groups/{draft.pk}/", {"status": "published"}, format="json"
    )
    assert response.status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.DRAFT

    published = factories.GroupFactory()
    for status in ("draft", "retracted"):
        response = token_client.patch(
            f"/api/v1/groups/{published.pk}/", {"status": status}, format="json"
        )
        assert response.status_code == 403, status
    published.refresh_from_db()
    assert published.status == Status.PUBLISHED

    # Editing a published record, its status sent back unchanged, is a researcher's.
    response = token_client.patch(
        f"/api/v1/groups/{published.pk}/",
        {"description": "Founded in 2022.", "status": "published"},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert (
        token_client.patch(
            f"/api/v1/groups/{draft.pk}/", {"status": "in_review"}, format="json"
        ).status_code
        == 200
    )


def test_an_editor_publishes_through_the_api(db):
    from django.core.management import call_command

    call_command("setup_roles", verbosity=0)
    editor = factories.UserFactory(permissions=["view", "add", "change"])
    editor.user_permissions.add(Permission.objects.get(codename="publish_group"))
    client = APIClient()
    client.force_authenticate(editor)
    draft = factories.GroupFactory(status=Status.DRAFT)
    response = client.patch(f"/api/v1/groups/{draft.pk}/", {"status": "published"}, format="json")
    assert response.status_code == 200, response.content
    draft.refresh_from_db()
    assert draft.status == Status.PUBLISHED


def test_a_failed_nested_write_changes_nothing(token_client):
    speaker, source = factories.PersonFactory(), factories.SourceFactory()
    before = (Statement.objects.count(), Quotation.objects.count(), Citation.objects.count())
    response = token_client.post(
        "/api/v1/statements/",
        {
            "speaker_person": speaker.slug,
            "medium": "interview",
            "quotations": [
                {"source": source.slug, "text": "We want our sons back"},
                {"source": "no-such-source", "text": "Lost words"},
            ],
            "citations": [{"source": source.slug}],
        },
        format="json",
    )
    assert response.status_code == 400
    assert "source" in response.json()["quotations"]["1"]
    after = (Statement.objects.count(), Quotation.objects.count(), Citation.objects.count())
    assert after == before


def test_nested_write_without_quotation_permission_is_refused_atomically(db):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    user = factories.UserFactory()
    from django.contrib.auth.models import Permission

    user.user_permissions.set(
        Permission.objects.filter(codename__in=["add_statement", "view_statement"])
    )
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=user).key}")
    source = factories.SourceFactory()
    response = client.post(
        "/api/v1/statements/",
        {
            "speaker_person": factories.PersonFactory().slug,
            "medium": "interview",
            "quotations": [{"source": source.slug, "text": "We want our sons back"}],
        },
        format="json",
    )
    assert response.status_code == 403
    assert not Statement.objects.exists()


def test_update_replaces_quotations_and_patch_keeps_them(token_client):
    statement = factories.StatementFactory()
    source = factories.SourceFactory()
    url = f"/api/v1/statements/{statement.pk}/"
    response = token_client.patch(url, {"summary": "Shorter."}, format="json")
    assert response.status_code == 200
    assert len(response.json()["quotations"]) == 1
    response = token_client.patch(
        url,
        {"quotations": [{"source": source.slug, "text": "The ministry did not reply."}]},
        format="json",
    )
    assert response.status_code == 200
    assert [q["source"]["id"] for q in response.json()["quotations"]] == [source.pk]
    assert statement.quotations.count() == 1


def test_speaker_rules(token_client):
    statement = factories.StatementFactory()
    url = f"/api/v1/statements/{statement.pk}/"
    group = factories.GroupFactory()
    both = token_client.patch(url, {"speaker_group": group.slug}, format="json")
    assert both.status_code == 400 and "speaker_person" in both.json()
    switched = token_client.patch(
        url, {"speaker_group": group.slug, "speaker_person": None}, format="json"
    )
    assert switched.status_code == 200
    assert switched.json()["speaker"]["slug"] == group.slug


def test_duplicate_slug_is_400(token_client):
    existing = factories.GroupFactory()
    response = token_client.post(
        "/api/v1/groups/",
        {"name": "Copy", "kind": "advocacy_group", "slug": existing.slug},
        format="json",
    )
    assert response.status_code == 400
    assert "slug" in response.json()


def test_deleting_a_source_others_rest_on_is_409(db):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=admin).key}")
    quotation = factories.QuotationFactory()
    response = client.delete(f"/api/v1/sources/{quotation.source.pk}/")
    assert response.status_code == 409
    assert "quotations" in response.json()["detail"]
    unused = factories.SourceFactory()
    assert client.delete(f"/api/v1/sources/{unused.slug}/").status_code == 204


def test_session_writes_need_csrf(client, researcher):
    from django.test import Client

    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(researcher)
    response = csrf_client.post(
        "/api/v1/groups/", {"name": "x", "kind": "other"}, content_type="application/json"
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_root_lists_every_resource(api_client):
    body = api_client.get("/api/v1/").json()
    assert set(body) == set(RESOURCES)


def test_docs_are_served_offline(api_client):
    for url in ("/api/docs/", "/api/redoc/"):
        page = api_client.get(url).content.decode()
        assert "drf_spectacular_sidecar" in page or "/static/" in page
        assert "cdn.jsdelivr.net" not in page and "unpkg.com" not in page


def test_a_database_lost_while_answering_a_write_leaves_nothing_saved(token_client, monkeypatch):
    """The record is read back for the answer inside the write's transaction: a failure
    there undoes the write, so a 503 never hides a saved change."""
    from django.db import OperationalError

    from advocacy.api.views import RecordViewSet

    def lost_after_saving(self, instance):
        assert Group.objects.filter(pk=instance.pk).exists()
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr(RecordViewSet, "represent", lost_after_saving)
    before = Group.objects.count()
    response = token_client.post(
        "/api/v1/groups/",
        {"name": "Mothers of Tver", "kind": "advocacy_group"},
        format="json",
    )
    assert response.status_code == 503, response.content
    assert Group.objects.count() == before


def test_if_match_refuses_a_write_over_someone_elses_change(token_client, admin_user):
    """Two researchers read the same group; the second one's write, made against what
    they read, is refused (412) instead of silently undoing the first one's."""
    group = factories.GroupFactory(description="As first printed.")
    url = f"/api/v1/groups/{group.pk}/"
    read = token_client.get(url)
    etag = read["ETag"]

    first = token_client.patch(
        url, {"description": "Corrected."}, format="json", HTTP_IF_MATCH=etag
    )
    assert first.status_code == 200, first.content
    stale = token_client.patch(url, {"name": "Renamed"}, format="json", HTTP_IF_MATCH=etag)
    assert stale.status_code == 412
    assert "changed since you read it" in stale.json()["detail"]
    group.refresh_from_db()
    assert (group.name, group.description) == (read.json()["name"], "Corrected.")
    admin = APIClient()
    admin.force_authenticate(admin_user)
    assert admin.delete(url, HTTP_IF_MATCH=etag).status_code == 412
    assert Group.objects.filter(pk=group.pk).exists()

    fresh = token_client.get(url)["ETag"]
    assert fresh == first["ETag"]
    assert (
        token_client.patch(
            url, {"name": "Renamed"}, format="json", HTTP_IF_MATCH=f"W/{fresh}"
        ).status_code
        == 200
    )
    # Without If-Match (or with "*") writes go through as before.
    assert token_client.patch(url, {"name": "Again"}, format="json").status_code == 200
    assert (
        token_client.patch(url, {"name": "Once more"}, format="json", HTTP_IF_MATCH="*").status_code
        == 200
    )


def test_api_csv_cells_cannot_run_as_formulas(api_client):
    """The same writer as the site's downloads: a formula is written as text."""
    group = factories.GroupFactory(name='=HYPERLINK("http://evil.example","click")')
    factories.GroupFactory(name="+7 mothers", description="@SUM(A1:A9)")
    for url in (f"/api/v1/groups/{group.pk}/?format=csv", "/api/v1/groups/?format=csv"):
        text = api_client.get(url).content.decode("utf-8")
        rows = list(csv.reader(io.StringIO(text)))
        cells = [cell for row in rows for cell in row]
        assert '\'=HYPERLINK("http://evil.example","click")' in cells
        assert not any(cell.startswith(("=", "+", "@")) for cell in cells)
    site = api_client.get("/groups/export.csv").content.decode("utf-8-sig")
    assert "'=HYPERLINK" in site
