"""Bad input gets a clean page naming what is wrong, never a 500."""

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from advocacy.search import MAX_QUERY_LENGTH

LISTS = ["group-list", "person-list", "event-list", "statement-list", "source-list"]


@pytest.mark.parametrize("url_name", LISTS)
def test_page_that_is_not_a_number(client, world, url_name):
    response = client.get(reverse(url_name), {"page": "abc"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“abc” is not a page number" in html
    assert 'class="record-list"' in html  # the first page is shown


@pytest.mark.parametrize("url_name", LISTS)
def test_page_past_the_end_shows_the_last_page(client, world, url_name):
    response = client.get(reverse(url_name), {"page": "999"})
    assert response.status_code == 200
    assert "There is no page 999" in response.content.decode()


@pytest.mark.parametrize("url_name", LISTS)
def test_over_long_query(client, world, url_name):
    response = client.get(reverse(url_name), {"q": "x" * (MAX_QUERY_LENGTH + 1)})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    ("url_name", "params", "named"),
    [
        ("statement-list", {"date_after": "notadate"}, "From date"),
        ("statement-list", {"medium": "carrier-pigeon"}, "Medium"),
        ("statement-list", {"speaker": "no-such-person"}, "Speaker"),
        ("statement-list", {"language": "klingon"}, "Language"),
        ("event-list", {"date_before": "2022-13-45"}, "To date"),
        ("source-list", {"ordering": "sideways"}, "Order by"),
        ("group-list", {"kind": "<script>"}, "Kind"),
    ],
)
def test_bad_filter_value_names_the_filter_and_shows_no_rows(
    client, world, url_name, params, named
):
    response = client.get(reverse(url_name), params)
    assert response.status_code == 400
    html = response.content.decode()
    assert named in html
    assert "could not be applied" in html
    assert 'class="record-list"' not in html
    assert "<script>" not in html


def test_search_page_over_long_query(client, world):
    response = client.get(reverse("search"), {"q": "Цуканова " * 40})
    assert response.status_code == 400
    assert "the limit is 200" in response.content.decode()


def test_download_with_bad_filter_is_400_with_reason(client, world):
    url = reverse("statement-export", kwargs={"fmt": "csv"})
    response = client.get(url, {"date_after": "notadate"})
    assert response.status_code == 400
    assert "date_after" in response.content.decode()


def test_download_in_unknown_format_is_404(client, world):
    assert client.get("/statements/export.xlsx").status_code == 404


def test_timeline_with_bad_date(client, world):
    response = client.get(reverse("timeline"), {"date_after": "soon"})
    assert response.status_code == 400
    assert "From date" in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/groups/no-such-group/",
        "/people/no-such-person/",
        "/events/no-such-event/",
        "/statements/no-such-statement/",
        "/statements/999999/",
        "/statements/99999999999999999999999999999/",
        "/sources/no-such-source/",
        "/feeds/statements/no-such-group/",
    ],
)
def test_unknown_slug_is_a_friendly_404(client, world, url):
    response = client.get(url)
    assert response.status_code == 404
    if not url.startswith("/feeds/"):
        assert "We could not find that page" in response.content.decode()


def test_500_page_renders_without_a_request():
    html = render_to_string("500.html")
    assert "Something went wrong on our side" in html
    assert "<h1>" in html


@pytest.mark.parametrize("url_name", [*LISTS, "search", "timeline"])
def test_nul_characters_and_markup_in_parameters(client, world, url_name):
    response = client.get(reverse(url_name), {"q": "Volga\x00<b>", "place": "a\x00b"})
    assert response.status_code in (200, 400)
    assert "<b>" not in response.content.decode()
