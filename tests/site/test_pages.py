"""What the pages show: footnotes, conflicts, quotations in context, downloads, feeds,
metadata, languages, the timeline; retracted and merged records."""

import csv
import datetime
import io
import json
import re

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse

from advocacy.choices import DatePrecision, Status
from advocacy.models import Event, Person, Quotation, SlugRedirect, Source, Statement
from advocacy.views.presentation import unquoted
from tests.factories import EventFactory, GroupAliasFactory, QuotationFactory, StatementFactory
from tests.site.sitemaps import sitemap_text


def html_of(client, url, **params) -> str:
    response = client.get(url, params)
    assert response.status_code == 200, url
    return response.content.decode()


def jsonld(html: str) -> dict:
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
    assert match, "no JSON-LD"
    return json.loads(match.group(1))


# Conflicts and footnotes, on the seed data


def test_meeting_date_conflict_shows_every_version_with_its_source(client, seeded):
    html = html_of(client, "/events/putin-meeting-with-soldiers-mothers-2022/")
    box = html[html.index('class="conflict-box"') :]
    box = box[: box.index("</section>")]
    assert "Sources disagree" in box
    for version, publisher in [
        ("“Friday”", "The Moscow Times"),
        ("“Sunday, November 27”", "Newsweek"),
        ("“Nov 25, 2022”", "365NEWSX"),
    ]:
        assert version in box
        assert publisher in box
    assert box.count('<sup class="fn">') == 3


def test_melnikova_role_conflict_shows_both_titles(client, seeded):
    html = html_of(client, "/people/valentina-melnikova/")
    assert "Sources disagree" in html
    assert "the secretary of Russia’s Committee of Soldiers’ Mothers" in html
    assert "director of the Union of Soldiers Mothers" in html
    assert html.count('class="badge conflict"') >= 2  # the two contested memberships


def test_footnotes_are_numbered_and_lead_to_the_passage_on_the_source_page(client, seeded):
    statement = Statement.objects.get(slug="tsukanova-are-you-a-man-or-what")
    html = html_of(client, statement.get_absolute_url())
    numbers = [int(n) for n in re.findall(r'<li id="fn-(\d+)">', html)]
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 2
    assert 'href="#fn-1-1"' in html  # to the passage it rests on
    citation = statement.citations.order_by("pk").first()
    anchor = f"{citation.source.get_absolute_url()}#citation-{citation.pk}"
    assert f'href="{anchor}"' in html
    source_html = html_of(client, citation.source.get_absolute_url())
    assert f'id="citation-{citation.pk}"' in source_html


def test_two_passages_of_one_source_are_told_apart_in_one_marker(client, seeded):
    """Not "[1, 1]": each link is numbered by its passage, as the footnotes number them."""
    statement = Statement.objects.get(slug="put-domoi-message-to-putin-2023-12-18")
    html = html_of(client, statement.get_absolute_url())
    heading = re.search(r"<h1>.*?</h1>", html, re.S).group()
    passages = re.findall(
        r'<a href="#fn-1-(\d)" aria-label="Source 1, passage \1">1\.\1</a>', heading
    )
    assert passages == ["1", "2"]
    for passage in ("1-1", "1-2"):
        assert f'id="fn-{passage}"' in html


def test_statement_shows_its_quotations_side_by_side_with_sources(client, seeded):
    statement = Statement.objects.get(slug="tsukanova-are-you-a-man-or-what")
    html = html_of(client, statement.get_absolute_url())
    quotations = list(statement.quotations.all())
    assert len({q.source_id for q in quotations}) == 2
    for quotation in quotations:
        assert f'id="quotation-{quotation.pk}"' in html
        assert f"{quotation.source.get_absolute_url()}#quotation-{quotation.pk}" in html
    assert "The Moscow Times" in html and "Newsweek" in html


def test_unverified_quotation_is_marked(client, world):
    QuotationFactory(statement=world.statement, source=world.source, text="Words never printed")
    html = html_of(client, world.statement.get_absolute_url())
    assert "Unverified: not found word for word" in html
    assert "Found word for word in the source" in html


# Source pages


def test_source_page_highlights_each_quotation_in_its_paragraph(client, seeded):
    source = Source.objects.get(slug="mt-2022-11-24-mothers-accuse-putin")
    html = html_of(client, source.get_absolute_url())
    quotations = Quotation.objects.public().filter(source=source, is_verbatim=True)
    assert quotations.exists()
    for quotation in quotations:
        assert f'<mark id="quotation-{quotation.pk}" class="quotation">' in html
        assert f"{quotation.statement.get_absolute_url()}#quotation-{quotation.pk}" in html
    # Copyrighted: only the quoted paragraphs, not the whole text.
    assert "not shown publicly" in html
    assert 'class="full-text"' not in html


def test_the_public_pages_show_researchers_what_they_show_everyone(researcher_client, seeded):
    """A source's full text not public is not on its public page, logged in or not: the
    pages show the published record (researchers read the rest in the admin)."""
    source = Source.objects.get(slug="mt-2022-11-24-mothers-accuse-putin")
    assert not source.full_text_public
    html = html_of(researcher_client, source.get_absolute_url())
    assert 'class="full-text"' not in html
    assert "Quotations in context" in html


def test_protected_name_is_redacted_from_source_text_without_shifting_quotes(client, seeded):
    source = Source.objects.get(slug="mt-2023-12-18-families-call-on-putin-to-end-war")
    protected = Person.objects.get(is_protected=True)
    assert protected.name in source.archived_text
    html = html_of(client, source.get_absolute_url())
    assert protected.name not in html
    assert "[protected person]" in html
    # The quotation next to the name is still marked whole.
    assert "no signs that our mobilized boys will return home in the foreseeable future" in html


def test_full_text_when_public_marks_quotes_and_redacts(client, world):
    html = html_of(client, world.source.get_absolute_url())
    full = html[html.index('class="full-text"') :]
    assert '<mark class="quotation">We will not be silent' in full
    assert "Protectova" not in html


# Downloads


def test_csv_download_opens_in_a_spreadsheet_with_cyrillic_intact(client, seeded):
    response = client.get(reverse("person-export", kwargs={"fmt": "csv"}))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    tsukanova = next(row for row in rows if row["name"] == "Olga Tsukanova")
    assert "Ольга Цуканова" in tsukanova["aliases"]
    assert "Newsweek" in tsukanova["citations"]
    assert all(row["name"] != "Alexander" for row in rows)


def test_download_has_the_same_filters_as_the_list(client, seeded):
    params = {"group": "put-domoi"}
    listed = html_of(client, reverse("statement-list"), **params)
    response = client.get(reverse("statement-export", kwargs={"fmt": "json"}), params)
    data = json.loads(response.content)
    assert data["filters"] == params
    assert data["count"] >= 1
    for row in data["results"]:
        assert row["url"].replace("http://testserver", "") in listed
        assert row["citations"] or row["quotations"]
        for citation in row["citations"]:
            assert citation["source_page"].startswith("http://testserver/sources/")
    all_rows = json.loads(client.get(reverse("statement-export", kwargs={"fmt": "json"})).content)
    assert data["count"] < all_rows["count"]


def test_statement_download_names_a_protected_speaker_only_by_label(client, seeded):
    data = json.loads(client.get(reverse("statement-export", kwargs={"fmt": "json"})).content)
    row = next(
        r
        for r in data["results"]
        if r["url"].endswith("mobilized-soldier-no-hope-after-direct-line/")
    )
    assert row["speaker"] == "a protected person"
    assert row["speaker_url"] == ""
    assert "Alexander" not in json.dumps(data, ensure_ascii=False)


def test_csv_cells_cannot_run_as_formulas(client, world):
    world.group.description = '=HYPERLINK("http://evil")'
    world.group.save()
    text = client.get(reverse("group-export", kwargs={"fmt": "csv"})).content.decode("utf-8-sig")
    assert "'=HYPERLINK" in text


# Feeds, sitemap, robots


def test_atom_feed_of_statements_and_per_group(client, seeded):
    response = client.get(reverse("statement-feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    body = response.content.decode()
    assert "/statements/tsukanova-are-you-a-man-or-what/" in body
    assert "a protected person" in body
    assert "Alexander" not in body
    group_feed = client.get(reverse("group-statement-feed", kwargs={"group": "put-domoi"}))
    group_body = group_feed.content.decode()
    assert "/statements/put-domoi-message-to-putin-2023-12-18/" in group_body
    assert "/statements/tsukanova-are-you-a-man-or-what/" not in group_body


def test_sitemap_lists_public_pages_only(client, seeded):
    body = sitemap_text(client)
    assert "/people/olga-tsukanova/" in body
    assert "/statements/tsukanova-are-you-a-man-or-what/" in body
    assert "/timeline/" in body
    assert "mobilized-soldier-in-put-domoi-video" not in body


def test_the_sitemap_is_an_index_of_pages_each_reading_only_its_records(
    client, seeded, monkeypatch
):
    """/sitemap.xml lists each section's pages; a page holds `limit` addresses, the same
    (record, language) pairs Django's own paging gives, read with a LIMIT rather than by
    reading every record."""
    from django.contrib.sitemaps import Sitemap
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from advocacy.sitemaps import RecordSitemap, StatementSitemap

    monkeypatch.setattr(RecordSitemap, "limit", 4)
    sitemap = StatementSitemap()
    django_pages = Sitemap.paginator.fget(sitemap)
    assert sitemap.paginator.num_pages == django_pages.num_pages > 2
    index = client.get("/sitemap.xml").content.decode()
    last = django_pages.num_pages
    assert f"/sitemap-statements.xml?p={last}</loc>" in index
    assert f"/sitemap-statements.xml?p={last + 1}</loc>" not in index
    for number in range(1, last + 1):
        expected = [(item.pk, language) for item, language in django_pages.page(number)]
        assert [(item.pk, language) for item, language in sitemap.paginator.page(number)] == (
            expected
        )
        with CaptureQueriesContext(connection) as queries:
            xml = client.get(f"/sitemap-statements.xml?p={number}").content.decode()
        assert xml.count("<url>") == len(expected) <= 4
        reads = [q["sql"] for q in queries if '"advocacy_publicstatement"."slug"' in q["sql"]]
        assert reads and all("LIMIT" in sql for sql in reads), reads


def test_robots_txt_points_at_the_sitemap(client, db):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()


# Metadata


@pytest.mark.parametrize(
    ("url", "schema_type"),
    [
        ("/statements/tsukanova-are-you-a-man-or-what/", "Quotation"),
        ("/people/olga-tsukanova/", "Person"),
        ("/groups/put-domoi/", "Organization"),
        ("/events/putin-meeting-with-soldiers-mothers-2022/", "Event"),
    ],
)
def test_detail_pages_carry_title_description_og_jsonld_and_canonical(
    client, seeded, url, schema_type
):
    html = html_of(client, url)
    assert f'<link rel="canonical" href="http://testserver{url}">' in html
    assert '<meta property="og:title" content="' in html
    assert re.search(r'<meta name="description" content="[^"]{10,}', html)
    assert jsonld(html)["@type"] == schema_type
    assert html.count("<h1") == 1


def test_jsonld_of_a_statement_by_a_protected_person_has_no_creator(client, seeded):
    html = html_of(client, "/statements/mobilized-soldier-no-hope-after-direct-line/")
    data = jsonld(html)
    assert "creator" not in data
    assert "Alexander" not in html


def test_event_jsonld_gives_month_precision_as_a_month(client, world):
    world.event.date_precision = DatePrecision.MONTH
    world.event.save()
    data = jsonld(html_of(client, world.event.get_absolute_url()))
    assert data["startDate"] == "2022-11"


def test_cite_this_gives_permalink_and_original_source(client, seeded):
    html = html_of(client, "/groups/put-domoi/")
    assert "http://testserver/groups/put-domoi/ (retrieved" in html
    assert "Original sources" in html
    assert "https://www.themoscowtimes.com/" in html


# Languages: tests/site/test_languages.py


# Timeline


def test_timeline_draws_partial_dates_as_spans_and_days_as_dots(client, world):
    StatementFactory(
        speaker_person=world.person, date_precision=DatePrecision.MONTH, summary="Month only"
    )
    html = html_of(client, reverse("timeline"))
    assert '<svg class="timeline-svg"' in html
    assert '<rect class="statement-mark span-mark"' in html
    assert '<circle class="event-mark"' in html
    assert f'<a href="{world.event.get_absolute_url()}"' in html


def test_timeline_filters_by_group_and_date(client, seeded):
    everything = html_of(client, reverse("timeline"))
    narrowed = html_of(
        client,
        reverse("timeline"),
        group="put-domoi",
        date_after="2023-01-01",
        date_before="2023-12-31",
    )
    assert narrowed.count("<a href=") < everything.count("<a href=")
    assert "/statements/put-domoi-message-to-putin-2023-12-18/" in narrowed
    assert "/statements/tsukanova-are-you-a-man-or-what/" not in narrowed


def test_statement_list_filters_by_group_and_date_range(client, seeded):
    html = html_of(
        client,
        reverse("statement-list"),
        group="council-of-mothers-and-wives",
        date_after="2022-11-01",
        date_before="2022-11-30",
    )
    assert "/statements/tsukanova-are-you-a-man-or-what/" in html
    assert "/statements/put-domoi-message-to-putin-2023-12-18/" not in html


def test_home_counts_only_public_records(client, world, drafts):
    html = html_of(client, reverse("home"))
    people = Person.objects.public().count()
    assert f"<strong>{people}</strong> people" in html
    assert f"<strong>{Event.objects.public().count()}</strong> events" in html


# Retracted and merged records


def test_retracted_record_answers_410_with_its_note(client, world):
    world.statement.status = Status.RETRACTED
    world.statement.retraction_note = "Misattributed: the words were Zinaida Protectova's."
    world.statement.save()
    response = client.get(world.statement.get_absolute_url())
    assert response.status_code == 410
    html = response.content.decode()
    assert "This record was retracted" in html
    assert "Misattributed" in html
    assert "Protectova" not in html


def test_merged_slug_redirects_to_the_record_it_now_names(client, world):
    SlugRedirect.objects.create(
        content_type=ContentType.objects.get_for_model(world.group),
        old_slug="old-volga-council",
        object_id=world.group.pk,
    )
    response = client.get("/groups/old-volga-council/?page=2")
    assert response.status_code == 301
    assert response["Location"] == f"{world.group.get_absolute_url()}?page=2"


def test_redirect_to_a_draft_is_still_404(client, world, drafts):
    SlugRedirect.objects.create(
        content_type=ContentType.objects.get_for_model(Person),
        old_slug="old-draft-person",
        object_id=drafts["person"].pk,
    )
    assert client.get("/people/old-draft-person/").status_code == 404


def test_statement_by_id_redirects_to_its_slug(client, world):
    response = client.get(f"/statements/{world.statement.pk}/")
    assert response.status_code == 301
    assert response["Location"] == world.statement.get_absolute_url()


def test_alias_footnote_only_to_a_public_source(client, world, drafts):
    GroupAliasFactory(group=world.group, name="Волжский совет", source=drafts["source"])
    html = html_of(client, world.group.get_absolute_url())
    assert "Волжский совет" in html
    assert "Совет матерей Волги" in html
    assert drafts["source"].title not in html
    assert drafts["source"].get_absolute_url() not in html
    assert 'Совет матерей Волги</span><sup class="fn">' in html
    assert "Волжский совет</span>\n" in html  # no footnote after it


def test_api_sync_filter_is_not_offered_to_readers(client, world):
    html = html_of(client, reverse("statement-list"))
    assert 'name="updated_after"' not in html
    assert 'name="date_after"' in html


def test_a_protected_name_in_a_record_title_is_redacted_everywhere(client, world):
    from tests.factories import EventFactory, ParticipationFactory

    event = EventFactory(name="Zinaida Protectova's video appeal", place="Volgograd")
    ParticipationFactory(event=event, group=world.group)
    for url in (
        reverse("home"),
        reverse("event-list"),
        reverse("timeline"),
        event.get_absolute_url(),
        world.group.get_absolute_url(),
    ):
        html = html_of(client, url)
        assert event.get_absolute_url() in html, url
        assert "protectova" not in html.lower(), url


def test_researchers_preview_a_draft_the_public_never_sees(researcher_client):
    """The admin's "View on site" opens the preview of the working record; its public
    address has nothing to show until it is published."""
    draft = StatementFactory(draft=True, summary="A draft about the meeting.")
    preview = reverse("preview", args=["statement", draft.pk])
    anonymous = Client()
    assert anonymous.get(draft.get_absolute_url()).status_code == 404
    assert researcher_client.get(draft.get_absolute_url()).status_code == 404
    assert anonymous.get(preview).status_code == 302  # to the login page
    html = html_of(researcher_client, preview)
    assert "A draft about the meeting." in html
    assert "A preview of the working record" in html
    assert '<meta name="robots" content="noindex">' in html


def test_a_statement_lists_each_source_once_with_its_passages(client, seeded):
    """Five quotations from two articles: two sources, each with what it supports."""
    html = html_of(client, "/statements/tsukanova-are-you-a-man-or-what/")
    sources = html[html.index('id="footnotes-title"') :]
    assert len(re.findall(r'<li id="fn-\d+">', sources)) == 2
    assert sources.count("<cite>Putin &#x27;Hiding&#x27; from Mothers") == 1
    # Each with the passages cited from it and the quotations taken from it, each linked
    # to its place in our copy: 2 excerpts, 5 quotations.
    assert sources.count("<blockquote>") == 2
    assert sources.count("See it in the source") == 7
    assert 'href="/sources/mt-2022-11-24-mothers-accuse-putin/#citation-' in sources
    assert 'href="/sources/mt-2022-11-24-mothers-accuse-putin/#quotation-' in sources


@pytest.mark.parametrize(
    "excerpt, shown",
    [
        ('"We were followed', "We were followed"),
        ("“We were followed”", "We were followed"),
        ('She said "no" twice', 'She said "no" twice'),
        ('the end of it."', "the end of it."),
    ],
)
def test_excerpts_lose_the_quotation_marks_they_were_copied_with(excerpt, shown):
    assert unquoted(excerpt) == shown


@pytest.mark.django_db
def test_a_corrected_date_is_in_the_record_s_corrections_log(client):
    event = EventFactory(name="A meeting at the ministry", date=datetime.date(2022, 11, 27))
    html = html_of(client, event.get_absolute_url())
    assert "First published." in html and "corrected" not in html
    event.date = datetime.date(2022, 11, 25)
    event.save()
    html = html_of(client, event.get_absolute_url())
    changes = html[html.index('id="changes-title"') :]
    assert "Date corrected from “Nov. 27, 2022” to “Nov. 25, 2022”." in changes
    assert changes.index("Date corrected") < changes.index("First published.")  # newest first
    # A draft's edits are no revision of the public record.
    event.status = Status.DRAFT
    event.save()
    event.date = datetime.date(2022, 11, 20)
    event.save()
    event.status = Status.PUBLISHED
    event.save()
    changes = html_of(client, event.get_absolute_url())
    assert "Date corrected from “Nov. 25, 2022” to “Nov. 20, 2022”." in changes


@pytest.mark.django_db
def test_the_feed_carries_a_statement_s_corrections(client):
    statement = StatementFactory(summary="The council asks for a meeting.")
    statement.summary = "The council asks the president for a meeting."
    statement.save()
    feed = client.get(reverse("statement-feed")).content.decode()
    assert "Changes: " in feed and "Summary corrected" in feed


def test_a_statement_is_headed_by_its_title_and_never_names_its_speaker_twice(client, seeded):
    html = html_of(client, "/statements/put-domoi-message-to-putin-2023-12-18/")
    title = "Put&#x27; Domoi demands negotiations and an end to the war"
    assert re.search(rf"<h1>{title}<sup", html)
    assert f"<title>{title}" in html
    assert "Put&#x27; Domoi: Put&#x27; Domoi" not in html
    # Untitled, a statement is headed by its summary's first sentence, in whole words.
    untitled = StatementFactory(title="", summary="The council asks for a meeting. It waits.")
    assert "<h1>The council asks for a meeting</h1>" in html_of(client, untitled.get_absolute_url())


def test_names_are_shown_in_the_page_s_language_where_the_sources_give_one(client, seeded):
    html = html_of(client, "/ru/people/olga-tsukanova/")
    assert '<h1><span lang="ru">Ольга Цуканова</span>' in html
    assert "Olga Tsukanova" in html[html.index("<h1") :].split("</header>")[0]  # the original
    # No Russian form recorded: written in Cyrillic for the page, and said to be.
    person = Person.objects.get(slug="valentina-melnikova")
    person.aliases.filter(language="ru").delete()
    person.save()
    html = html_of(client, "/ru/people/valentina-melnikova/")
    assert '<h1><span lang="ru">Валентина Мелникова</span>' in html
    assert (
        "the sources give no form in this language" in html
        or "не даёт" in html
        or ("записан" in html)
    )
    # English pages keep the name; the API marks which name it chose.
    assert "<h1>Valentina Melnikova" in html_of(client, "/people/valentina-melnikova/")
    document = client.get(f"/api/v1/people/{person.pk}/", HTTP_ACCEPT_LANGUAGE="ru").json()
    assert document["display_name"] == {
        "name": "Валентина Мелникова",
        "language": "ru",
        "how": "transliterated",
    }


def test_topics_and_filter_options_are_named_in_the_page_s_language(client, seeded):
    html = html_of(client, "/ru/statements/tsukanova-are-you-a-man-or-what/")
    assert '<a href="/ru/statements/?topic=meeting-with-putin">Встреча с Путиным</a>' in html
    options = html_of(client, "/ru/statements/")
    assert '<option value="meeting-with-putin">Встреча с Путиным</option>' in options
    assert '<option value="olga-tsukanova">Ольга Цуканова</option>' in options
    assert '<option value="meeting-with-putin">A meeting with Putin</option>' in html_of(
        client, "/statements/"
    )


@pytest.mark.django_db
def test_a_reader_allowed_only_some_kinds_gets_no_preview(client):
    """Previews follow the one rule of who reads working records: all the view permissions
    or none (a reader allowed only statements reads the public rows everywhere)."""
    from django.contrib.auth.models import Permission, User

    draft = StatementFactory(draft=True)
    partial = User.objects.create_user("partial", password="x", is_staff=True)
    partial.user_permissions.add(Permission.objects.get(codename="view_statement"))
    client.force_login(partial)
    assert client.get(reverse("preview", args=["statement", draft.pk])).status_code == 404
