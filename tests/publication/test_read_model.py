"""The public read model: what anonymous readers get is built at publication, redacted by
construction, and never older than a protection."""

import datetime
import io
import json
import re
from html import escape, unescape
from urllib.parse import parse_qs, quote, quote_plus, urlsplit

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from advocacy.choices import Status
from advocacy.models import (
    Person,
    PublicDependency,
    PublicEvent,
    PublicRedirect,
    PublicSource,
    PublicStatement,
    SlugRedirect,
    Statement,
)
from advocacy.publication import builders, fail_closed
from advocacy.publication.counting import table_estimates
from advocacy.publication.redaction import Redactor, strings_of
from advocacy.publication.triggers import batch, flush
from advocacy.text import fold
from tests import factories
from tests.api import RESOURCES

pytestmark = pytest.mark.django_db

# Searches a reader might try for her: each name, alias, a case ending, a near spelling.
SEARCHES = ["Zinaida", "Kovrigina", "Ковригина", "Ковригиной", "Kovrigna", "zinaida kovrigina"]
# Folded stems that must appear nowhere: in no text, slug or URL.
FORBIDDEN = ["zinaida", "kovrigin"]


@pytest.fixture
def at_risk():
    """A published person named in event names, summaries, quotations, a source title,
    aliases and slugs — not yet protected."""
    text = (
        'Zinaida Kovrigina spoke to the council. "We want our sons back," said Zinaida '
        "Kovrigina, the mother of a mobilised soldier.\n\nПо словам Зинаиды Ковригиной, "
        "ответа нет."
    )
    source = factories.SourceFactory(title="Zinaida Kovrigina asks for her son", archived_text=text)
    person = factories.PersonFactory(name="Zinaida Kovrigina")
    factories.PersonAliasFactory(person=person, name="Зинаида Ковригина")
    group = factories.GroupFactory(name="Wives of Example")
    factories.MembershipFactory(person=person, group=group, role="activist")
    event = factories.EventFactory(name="Kovrigina's video appeal")
    factories.ParticipationFactory(event=event, group=group)
    by_her = factories.StatementFactory(
        speaker_person=person,
        event=event,
        summary="Kovrigina asks where her son is.",
        quotation=False,
    )
    factories.QuotationFactory(statement=by_her, source=source, text="We want our sons back")
    about_her = factories.StatementFactory(
        speaker_group=group,
        speaker_person=None,
        summary="The group backs Zinaida Kovrigina.",
        quotation=False,
    )
    factories.QuotationFactory(statement=about_her, source=source, text="ответа нет", language="ru")
    factories.CitationFactory(
        content_object=event, source=source, excerpt="Zinaida Kovrigina spoke to the council."
    )
    flush()
    return person


def crawl(client) -> dict[str, bytes]:
    """Every anonymous API answer: each list (JSON and CSV), each detail it links, a
    search for every way of writing her name, and the OpenAPI schema with its examples."""
    pages: dict[str, bytes] = {}
    for url in ("/api/schema/", "/api/schema/?format=json", "/api/docs/", "/api/redoc/"):
        answer = client.get(url)
        assert answer.status_code == 200, url
        pages[url] = answer.content
    for resource in RESOURCES:
        url = f"/api/v1/{resource}/"
        answer = client.get(url, {"page_size": 500})
        assert answer.status_code == 200, url
        pages[url] = answer.content
        pages[url + "?format=csv"] = client.get(url, {"page_size": 500, "format": "csv"}).content
        for record in answer.json()["results"]:
            detail = f"/api/v1/{resource}/{record['id']}/"
            pages[detail] = client.get(detail).content
        for query in SEARCHES:
            found = client.get(url, {"q": query})
            if found.status_code == 200:  # lists without `q` refuse it (400): nothing shown
                pages[f"{url}?q={query}"] = found.content
    return pages


HREF = re.compile(r'href="(/[^"#]*)')
SELECT = re.compile(r'<select name="(\w+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
SITE_LIMIT = 1200
TEXT_TYPES = ("text/", "application/json", "application/xml", "application/atom")


def crawl_site(client) -> dict[str, bytes]:
    """Every public page a reader can reach from the home page and the sitemap: lists with
    each of their filter options, details, downloads, the feed, the timeline, the Popolo
    export, and a search for every way of writing her name."""
    queue = ["/", "/sitemap.xml", "/feeds/statements/", "/timeline/", "/api/v1/export/popolo.json"]
    # As a browser sends them: percent-encoded.
    queue += [f"/search/?q={quote_plus(query)}" for query in SEARCHES]
    queue += [f"/{page}/?q={quote_plus(query)}" for page in LISTS for query in SEARCHES]
    pages: dict[str, bytes] = {}
    while queue and len(pages) < SITE_LIMIT:
        url = queue.pop(0)
        if url in pages or url.startswith(("/admin", "/api/docs", "/api/redoc", "/i18n")):
            continue
        answer = client.get(url)
        if answer.status_code in (301, 302):
            queue.append(answer["Location"])
            continue
        assert answer.status_code in (200, 404, 410), (url, answer.status_code)
        if not answer.get("Content-Type", "").startswith(TEXT_TYPES):
            continue  # the favicon, a stylesheet
        pages[url] = b"".join(answer) if answer.streaming else answer.content
        if "html" not in answer.get("Content-Type", "") and "xml" not in answer.get(
            "Content-Type", ""
        ):
            continue
        text = pages[url].decode()
        queue += [unescape(link) for link in HREF.findall(text)]
        queue += [link for link in re.findall(r"<loc>https?://[^/]+(/[^<]*)</loc>", text)]
        path = url.split("?")[0]
        if path.startswith(("/ru/", "/uk/")):
            continue  # the same filter options as in English
        for name, options in SELECT.findall(text):
            queue += [f"{path}?{name}={value}" for value in OPTION.findall(options)]
    return pages


LISTS = ["groups", "people", "events", "statements", "sources"]


def leaks(pages: dict[str, bytes]) -> list[str]:
    """Her names in any answer, except where a search page repeats the reader's own query
    (the search box, the heading, the download links keeping the filters)."""
    found = []
    for url, content in pages.items():
        text = content.decode()
        for values in parse_qs(urlsplit(url).query).values():
            for value in values:
                for form in (value, escape(value), quote_plus(value), quote(value)):
                    text = text.replace(form, "")
        folded = fold(text)
        found.extend(f"{url}: {stem}" for stem in FORBIDDEN if stem in folded)
    return found


def protect(person: Person) -> None:
    person.is_protected = True
    person.save()


def test_the_crawl_finds_her_before_she_is_protected(api_client, at_risk):
    """The fixture names her everywhere: the crawl below would see her if she leaked."""
    answers = {
        resource: api_client.get(f"/api/v1/{resource}/", {"page_size": 500}).content
        for resource in RESOURCES
    }
    assert leaks(answers), "the fixture does not name her"


def test_a_protected_person_is_nowhere_in_the_anonymous_api(api_client, at_risk):
    protect(at_risk)
    pages = crawl(api_client)
    assert len(pages) > 40
    assert leaks(pages) == []
    searches = [json.loads(content) for url, content in pages.items() if "?q=" in url]
    assert searches and all(page["results"] == [] for page in searches)
    # What mentions her is still public, with her name redacted.
    assert any(b"[protected person]" in content for content in pages.values())


def test_without_the_final_redaction_pass_the_crawl_finds_her(api_client, at_risk, monkeypatch):
    """The final pass is what keeps her out (not the serializers' own redaction): skip
    it, and she leaks."""
    monkeypatch.setattr(Redactor, "document", lambda self, value: value)
    protect(at_risk)
    assert leaks(crawl(api_client))


def test_the_site_crawl_finds_her_before_she_is_protected(client, at_risk):
    pages = crawl_site(client)
    assert len(pages) > 60
    assert any("/people/zinaida-kovrigina/" in url for url in pages)
    assert leaks(pages)


def test_a_protected_person_is_nowhere_on_the_public_site(client, at_risk):
    """Every page, filter option, download, feed entry and search, read from the public
    rows: nothing of her, not even in a URL."""
    protect(at_risk)
    pages = crawl_site(client)
    assert len(pages) > 60
    assert leaks(pages) == []
    # No address names her either (the search pages' own query aside).
    paths = [urlsplit(url).path for url in pages]
    assert not [path for path in paths if any(stem in fold(path) for stem in FORBIDDEN)]
    assert any(b"[protected person]" in content for content in pages.values())


def test_without_the_final_redaction_pass_the_site_crawl_finds_her(client, at_risk, monkeypatch):
    monkeypatch.setattr(Redactor, "document", lambda self, value: value)
    protect(at_risk)
    assert leaks(crawl_site(client))


def test_protection_rebuilds_inside_its_own_transaction(at_risk):
    with transaction.atomic():
        with batch():
            protect(at_risk)
        # Not yet committed: the public rows already name her nowhere.
        for model in (PublicStatement, PublicEvent):
            for row in model.objects.all():
                assert not any(stem in row.mentions for stem in FORBIDDEN), row
        assert not PublicStatement.objects.filter(slug__contains="kovrigina").exists()


def test_drafts_are_never_shown_through_a_published_statement(api_client):
    draft_event = factories.EventFactory(draft=True, name="Secret planning meeting")
    draft_addressee = factories.PersonFactory(draft=True, name="Draft Addressee")
    statement = factories.StatementFactory(event=draft_event, addressee_person=draft_addressee)
    document = api_client.get(f"/api/v1/statements/{statement.pk}/").json()
    assert document["event"] is None
    assert document["addressee"] is None
    listing = api_client.get("/api/v1/statements/", {"format": "csv"}).content.decode()
    assert "Secret planning" not in listing and "Draft Addressee" not in listing
    site = crawl_site(api_client)
    assert any(statement.slug in url for url in site)
    for content in site.values():
        text = content.decode()
        assert "Secret planning" not in text and "Draft Addressee" not in text
        assert draft_event.slug not in text and draft_addressee.slug not in text
    # Published later, the event appears on the statement at once.
    draft_event.status = Status.PUBLISHED
    draft_event.save()
    document = api_client.get(f"/api/v1/statements/{statement.pk}/").json()
    assert document["event"]["name"] == "Secret planning meeting"


def test_an_unpublished_record_leaves_the_public_rows(api_client):
    statement = factories.StatementFactory()
    assert api_client.get(f"/api/v1/statements/{statement.pk}/").status_code == 200
    statement.status = Status.DRAFT
    statement.save()
    assert api_client.get(f"/api/v1/statements/{statement.pk}/").status_code == 404
    assert not PublicStatement.objects.filter(pk=statement.pk).exists()


def test_a_renamed_speaker_is_renamed_on_every_statement(api_client):
    person = factories.PersonFactory(name="Anna Before")
    statements = factories.StatementFactory.create_batch(3, speaker_person=person)
    person.name = "Anna After"
    person.save()
    for statement in statements:
        speaker = api_client.get(f"/api/v1/statements/{statement.pk}/").json()["speaker"]
        assert speaker["name"] == "Anna After"


def test_rows_record_what_they_show():
    statement = factories.StatementFactory()
    flush()
    shown = set(
        PublicDependency.objects.filter(kind="statement", row_id=statement.pk).values_list(
            "model", "record_id"
        )
    )
    assert ("person", statement.speaker_person_id) in shown
    assert ("quotation", statement.quotations.get().pk) in shown


def test_the_final_pass_changes_only_protected_names(client):
    """Same answers: a stored document is what the serializers give an anonymous reader,
    but for the strings naming a protected person, which the final pass redacts."""
    call_command("seed", stdout=io.StringIO())
    redactor = builders.current_redactor()
    assert redactor.names, "the seed protects someone"
    changed = 0
    for kind in builders.KINDS.values():
        objects = list(kind.queryset())
        assert objects, kind.name
        raw = builders.render(kind, objects, Redactor.for_names([]))
        for (_obj, plain, _), (_o, redacted, _p) in zip(
            raw, builders.render(kind, objects, redactor), strict=True
        ):
            for language in plain:
                pairs = zip(
                    strings_of(plain[language]), strings_of(redacted[language]), strict=True
                )
                for before, after in pairs:
                    if before != after:
                        changed += 1
                        # The marker in the document's language.
                        with translation.override(language):
                            assert after == redactor.text(before)
                        assert any(word in fold(before) for word in redactor.folded_words)
    assert changed


def test_reading_a_list_is_two_queries_whatever_the_rows(api_client):
    factories.StatementFactory.create_batch(3)
    flush()
    with CaptureQueriesContext(connection) as few:
        api_client.get("/api/v1/statements/")
    factories.StatementFactory.create_batch(30)
    flush()
    with CaptureQueriesContext(connection) as many:
        assert len(api_client.get("/api/v1/statements/").json()["results"]) == 33
    assert len(many) == len(few) <= 3


def test_rebuild_public_check_reports_drift_and_rebuild_mends_it():
    factories.StatementFactory(summary="Mothers ask for a meeting.")
    flush()
    call_command("rebuild_public", "--check", stdout=io.StringIO())
    row = PublicStatement.objects.get()
    row.document_en = json.dumps({**row.document_in("en"), "summary": "tampered"})
    row.save()
    with pytest.raises(SystemExit) as exit_code:
        call_command("rebuild_public", "--check", stdout=io.StringIO(), stderr=io.StringIO())
    assert exit_code.value.code == 1
    out = io.StringIO()
    call_command("rebuild_public", stdout=out)
    assert "statement 1" in out.getvalue()
    call_command("rebuild_public", "--check", stdout=io.StringIO())
    assert (
        PublicStatement.objects.get().document_in("en")["summary"] == "Mothers ask for a meeting."
    )


def planned_rows(model) -> int:
    """How many rows the database's planner believes the table holds, from its statistics
    (on PostgreSQL as the home page's counts read them)."""
    if connection.vendor == "postgresql":
        return table_estimates([model.objects.all()]).get(model, 0)
    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = %s", [model._meta.db_table])
        row = cursor.fetchone()
        return int(row[0].split()[0]) if row else 0


def test_a_full_rebuild_leaves_the_planner_knowing_the_rows():
    """Planned as still empty, a detail page's lookup by slug walked the list's order index."""
    factories.StatementFactory.create_batch(3)
    flush()
    PublicStatement.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {PublicStatement._meta.db_table}")
    assert planned_rows(PublicStatement) == 0
    builders.rebuild_all(kinds=["statement"])
    assert planned_rows(PublicStatement) == PublicStatement.objects.count() == 3


def statement_timeout() -> str | None:
    if connection.vendor != "postgresql":
        return None  # SQLite has none
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        return cursor.fetchone()[0]


class RolledBack(Exception):
    pass


def test_the_rebuilds_analyze_leaves_the_callers_transaction_as_it_was():
    """An archive's restore rebuilds inside its transaction and goes on: ANALYZE, run
    without the statement timeout, leaves it the caller's timeout, and everything still the
    caller's to roll back."""
    with pytest.raises(RolledBack), transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL statement_timeout = '7s'")
        before = statement_timeout()
        assert before in (None, "7s")
        factories.StatementFactory()
        flush()
        builders.rebuild_all(kinds=["statement"])
        assert PublicStatement.objects.exists()
        assert statement_timeout() == before
        raise RolledBack
    assert not Statement.objects.exists()
    assert not PublicStatement.objects.exists()


def all_visible_pages(model) -> tuple[int, int]:
    """(pages, pages marked all-visible) of the table, as PostgreSQL last counted them."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relpages, relallvisible FROM pg_class WHERE oid = %s::regclass",
            [model._meta.db_table],
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_rebuild_public_leaves_the_tables_vacuumed_and_the_timeout_as_it_was():
    """Run on its own, not inside a transaction, `rebuild_public` vacuums what it rewrote:
    with no page marked all-visible, counting 9,000 statements read the whole table
    instead of an index (the home page of a database just rebuilt took twice as long)."""
    factories.StatementFactory.create_batch(3)
    flush()
    before = statement_timeout()
    call_command("rebuild_public", "--kind", "statement", stdout=io.StringIO())
    assert planned_rows(PublicStatement) == PublicStatement.objects.count() == 3
    assert statement_timeout() == before
    if connection.vendor == "postgresql":
        pages, all_visible = all_visible_pages(PublicStatement)
        assert pages > 0
        assert all_visible == pages


def test_a_detail_page_looks_its_row_up_by_slug_alone(client):
    """No ORDER BY beside the slug: with it, on stale statistics, PostgreSQL walked the
    list's order index to the row rather than looking the slug up."""
    statement = factories.StatementFactory()
    flush()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/statements/{statement.slug}/").status_code == 200
    lookups = [q["sql"] for q in queries if "advocacy_publicstatement" in q["sql"]]
    assert lookups
    assert all("ORDER BY" not in sql for sql in lookups)


def test_an_unchanged_row_keeps_its_updated_at():
    statement = factories.StatementFactory()
    flush()
    before = PublicStatement.objects.get(pk=statement.pk).updated_at
    builders.rebuild("statement", [statement.pk])
    assert PublicStatement.objects.get(pk=statement.pk).updated_at == before
    statement.summary = "Changed."
    statement.save()
    flush()
    assert PublicStatement.objects.get(pk=statement.pk).updated_at > before


def test_dates_and_filters_work_on_the_public_rows(api_client):
    early = factories.StatementFactory(date=datetime.date(2022, 1, 5))
    late = factories.StatementFactory(date=datetime.date(2023, 6, 1))
    found = api_client.get("/api/v1/statements/", {"date_after": "2023-01-01"}).json()
    assert [s["id"] for s in found["results"]] == [late.pk]
    ordered = api_client.get("/api/v1/statements/", {"ordering": "date"}).json()["results"]
    assert [s["id"] for s in ordered] == [early.pk, late.pk]
    unknown = api_client.get("/api/v1/statements/", {"speaker": "nobody-at-all"})
    assert unknown.status_code == 400 and "speaker" in json.loads(unknown.content)


def test_a_facet_filter_matches_the_whole_slug_by_its_index():
    """`group-1` is not `group-11`; on PostgreSQL the match is the GIN index on the tokens
    (migration 0015), not a scan: the lookup and the index must write the same expression."""
    now = datetime.datetime.now(datetime.UTC)
    for pk, facets in [(1, " group:group-1 lang:en "), (2, " group:group-11 "), (3, "")]:
        PublicStatement.objects.create(
            id=pk,
            facets=facets,
            document_en="{}",
            document_ru="{}",
            document_uk="{}",
            updated_at=now,
        )
    found = PublicStatement.objects.filter(facets__has="group:group-1")
    assert list(found.values_list("id", flat=True)) == [1]
    assert not PublicStatement.objects.filter(facets__has="group:").exists()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Every other way to the rows closed: only the index can answer the filter.
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute("SET LOCAL enable_indexscan = off")
            plan = found.order_by().explain()
        assert "advocacy_publicstatement_facet_tokens" in plan, plan


def test_a_name_only_in_a_case_form_is_found_and_redacted(api_client):
    """No link to her: the statement names her only in the genitive, in its summary."""
    person = factories.PersonFactory(name="Зинаида Ковригина")
    group = factories.GroupFactory(name="Wives of Example")
    statement = factories.StatementFactory(
        speaker_group=group, speaker_person=None, summary="По словам Зинаиды Ковригиной, нет."
    )
    assert "kovrigin" in fold(
        api_client.get(f"/api/v1/statements/{statement.pk}/").content.decode()
    )
    protect(person)
    document = api_client.get(f"/api/v1/statements/{statement.pk}/").json()
    assert "kovrigin" not in fold(json.dumps(document, ensure_ascii=False))
    assert document["summary"].startswith("По словам [protected person]")


def test_lifting_a_protection_names_her_again():
    person = factories.PersonFactory(name="Zinaida Kovrigina", is_protected=True)
    group = factories.GroupFactory(name="Wives of Example")
    statement = factories.StatementFactory(
        speaker_group=group, speaker_person=None, summary="The group backs Zinaida Kovrigina."
    )
    flush()
    assert "[protected person]" in PublicStatement.objects.get(pk=statement.pk).document["summary"]
    person.is_protected = False
    person.save()
    flush()
    assert PublicStatement.objects.get(pk=statement.pk).document["summary"] == (
        "The group backs Zinaida Kovrigina."
    )


@pytest.mark.django_db(transaction=True)
def test_a_write_outside_batch_is_made_public_right_after_its_commit(caplog):
    """A write path that forgot `batch()`: rebuilt after the commit, and logged."""
    with transaction.atomic():
        statement = factories.StatementFactory()
    assert PublicStatement.objects.filter(pk=statement.pk).exists()
    assert "outside publication.batch()" in caplog.text
    with pytest.raises(RuntimeError), transaction.atomic():
        factories.StatementFactory(summary="Rolled back.")
        raise RuntimeError
    with transaction.atomic():
        later = factories.StatementFactory()
    assert PublicStatement.objects.filter(pk=later.pk).exists()
    assert not PublicStatement.objects.filter(slug__contains="rolled-back").exists()


def test_stored_documents_are_byte_for_byte_what_the_api_renders():
    from rest_framework.renderers import JSONRenderer

    document = {"summary": "Путь домой\u2028next line", "nested": [{"a": 1, "b": None}]}
    assert builders.as_json(document).encode() == JSONRenderer().render(document)


def test_citations_written_nested_in_an_api_write_get_their_public_rows(api_client):
    """Found by the fault drill: nested citations are bulk-created (no signal)."""
    from rest_framework.authtoken.models import Token

    editor = factories.UserFactory(permissions=["view", "add", "change", "publish"])
    source = factories.SourceFactory()
    writer = type(api_client)()
    writer.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=editor).key}")
    created = writer.post(
        "/api/v1/groups/",
        {
            "name": "Wives of Example",
            "kind": "advocacy_group",
            "status": "published",
            "citations": [{"source": source.slug, "excerpt": "Article"}],
        },
        format="json",
    )
    assert created.status_code == 201, created.content
    citation_id = created.json()["citations"][0]["id"]
    assert api_client.get(f"/api/v1/citations/{citation_id}/").status_code == 200
    call_command("rebuild_public", "--check", stdout=io.StringIO())


def test_a_bulk_unpublish_hides_its_public_rows_at_once():
    """No signal is sent by `update()`: the database's own triggers fail closed, and the
    statement is gone from the public rows in the same statement."""
    kept, hidden = factories.StatementFactory.create_batch(2)
    flush()
    Statement.objects.filter(pk=hidden.pk).update(status=Status.DRAFT)
    assert list(PublicStatement.objects.values_list("pk", flat=True)) == [kept.pk]


def test_a_protection_in_raw_sql_hides_the_person_and_what_shows_her(at_risk):
    """Another program protecting her in SQL: her row and every row built from her record
    go at once; `rebuild_public` puts back, redacted, what may still be shown."""
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE advocacy_person SET is_protected = %s WHERE id = %s", [True, at_risk.pk]
        )
    shown = PublicDependency.objects.filter(model="person", record_id=at_risk.pk)
    assert shown.exists()
    for dependency in shown:
        model = builders.KINDS[dependency.kind].public_model
        assert not model.objects.filter(pk=dependency.row_id).exists(), dependency
    call_command("rebuild_public", stdout=io.StringIO())
    assert PublicStatement.objects.exists()
    for row in PublicStatement.objects.all():
        assert not any(stem in row.mentions for stem in FORBIDDEN), row


def test_an_old_slug_naming_a_protected_person_leads_nowhere(client, at_risk):
    """A renamed record's old address answers 301, unless it names someone protected."""
    group = factories.GroupFactory(name="Mothers of Example")
    SlugRedirect.objects.create(
        content_type=ContentType.objects.get_for_model(group),
        old_slug="kovrigina-mothers",
        object_id=group.pk,
    )
    assert client.get("/groups/kovrigina-mothers/").status_code == 301
    protect(at_risk)
    assert client.get("/groups/kovrigina-mothers/").status_code == 404
    assert not PublicRedirect.objects.filter(old_slug__contains="kovrigina").exists()


def test_the_hiding_triggers_survive_every_migration():
    """SQLite rebuilds a table to alter it, dropping its triggers: they are put back after
    every migrate, so each working table has them now."""
    assert fail_closed.installed(connection) == fail_closed.expected(connection)
    fail_closed.uninstall(connection)
    assert not fail_closed.installed(connection)
    call_command("migrate", verbosity=0)
    assert fail_closed.installed(connection) == fail_closed.expected(connection)


def test_each_batch_of_a_full_rebuild_redacts_what_was_protected_before_it(at_risk):
    """A protection committed between two batches of `rebuild_public` (here by another
    program, in SQL) is in every batch after it."""

    def protect_after_first_batch(kind, done, total):
        if kind == "statement":
            Person.objects.filter(pk=at_risk.pk).update(is_protected=True)

    builders.rebuild_all(progress=protect_after_first_batch)

    built_after = list(builders.KINDS.values())[1:]
    assert any(kind.public_model.objects.exists() for kind in built_after)
    for kind in built_after:
        for row in kind.public_model.objects.all():
            assert "kovrigin" not in row.mentions, (kind.name, row.pk)


def test_rows_that_only_mention_her_are_redacted_as_stored_as_a_rebuild_would(monkeypatch):
    """A wide protection: rows that name her only in their text (even beside someone
    protected before) are redacted where they are stored, not built again; rows that show
    her record are built again. Either way, what is stored is what a rebuild stores (no
    drift)."""
    person = factories.PersonFactory(name="Zinaida Kovrigina")
    group = factories.GroupFactory(name="Wives of Example")
    factories.PersonFactory(name="Marfa Lebedeva", is_protected=True)
    mentioning = [
        factories.StatementFactory(
            speaker_group=group, speaker_person=None, summary=f"Zinaida Kovrigina spoke ({n})."
        )
        for n in range(3)
    ]
    beside = factories.StatementFactory(
        speaker_group=group,
        speaker_person=None,
        summary="Marfa Lebedeva Zinaida Kovrigina and Kovrigina Lebedeva spoke.",
    )
    mentioning.append(beside)
    showing = factories.StatementFactory(speaker_person=person)
    flush()
    built = []
    build_chunk = builders.build_chunk

    def recording(kind, ids, redactor):
        built.extend((kind.name, pk) for pk in ids)
        return build_chunk(kind, ids, redactor)

    monkeypatch.setattr(builders, "build_chunk", recording)
    with batch():
        protect(person)
    assert ("statement", showing.pk) in built
    assert not {("statement", statement.pk) for statement in mentioning} & set(built)
    assert PublicStatement.objects.get(pk=beside.pk).document_in("en")["summary"] == (
        "[protected person] and [protected person] spoke."
    )
    for statement in mentioning:
        row = PublicStatement.objects.get(pk=statement.pk)
        assert row.document_in("en")["summary"].startswith("[protected person]")
        assert "kovrigin" not in row.mentions and "kovrigin" not in row.search_key
        # The page of the source it quotes names the statement: found, and redacted.
        source = PublicSource.objects.get(pk=statement.quotations.get().source_id)
        assert "kovrigin" not in fold(source.page_en + source.page_ru)
    monkeypatch.undo()
    assert builders.drift() == []


def test_a_link_inside_text_is_redacted_as_a_link():
    """In a page's HTML, a link naming her becomes the link a rebuild would write (to the
    redacted slug), not a marker inside an address."""
    redactor = Redactor.for_names(["Zinaida Kovrigina", "Zinaida", "Kovrigina"])
    html = '<a href="https://example.org/statements/zinaida-kovrigina-spoke/">Zinaida Kovrigina</a>'
    assert redactor.text(html, "[x]") == (
        '<a href="https://example.org/statements/protected-person-spoke/">[x]</a>'
    )


def test_a_retraction_note_naming_her_is_redacted_when_she_is_protected(client):
    """A retracted record has no public row, only its page's note (410): a protection
    that comes later reaches the note too."""
    person = factories.PersonFactory(name="Zinaida Kovrigina")
    statement = factories.StatementFactory(speaker_person=factories.PersonFactory(name="Marfa"))
    statement.status = Status.RETRACTED
    statement.retraction_note = "The words were Zinaida Kovrigina's."
    statement.save()
    flush()
    answer = client.get(statement.get_absolute_url())
    assert answer.status_code == 410 and "Kovrigina" in answer.content.decode()
    with batch():
        protect(person)
    answer = client.get(statement.get_absolute_url())
    assert answer.status_code == 410
    assert "kovrigin" not in fold(answer.content.decode())


def test_stored_documents_are_read_as_the_databases_bytes_and_text_is_str_after(seeded):
    """An API list writes its documents as stored: on PostgreSQL they are read as the bytes
    the server sends (`stored_values`), and the connection reads text as str again after,
    also when reading failed."""
    from advocacy.publication.reading import public_rows, stored_values, text_as_bytes

    rows = public_rows("statement").order_by("id")
    stored = list(stored_values(rows, "id", "document_text"))
    as_read = bytes if connection.vendor == "postgresql" else str
    assert stored and all(isinstance(row["document_text"], as_read) for row in stored)
    assert [json.loads(row["document_text"]) for row in stored] == [
        json.loads(text) for text in rows.values_list("document_text", flat=True)
    ]
    assert isinstance(PublicStatement.objects.values_list("slug", flat=True).first(), str)

    with pytest.raises(ZeroDivisionError), text_as_bytes(connection.alias):
        1 / 0  # noqa: B018
    assert isinstance(PublicStatement.objects.values_list("slug", flat=True).first(), str)
