"""What a rebuild costs: a batch of public rows reads in a fixed number of queries, none of
them once per record."""

import dataclasses
import datetime
import re
from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from advocacy.dates import format_partial_date, formats_remembered
from advocacy.models import PublicDependency, PublicStatement, PublicWord
from advocacy.publication import builders
from advocacy.publication.bulk import insert_rows
from advocacy.publication.redaction import Redactor
from bench.synthetic import generate

pytestmark = pytest.mark.django_db


@pytest.fixture
def synthetic():
    generate(scale=2)


def shape(sql: str) -> str:
    """A query without its values: the same query for another record has the same shape."""
    sql = re.sub(r"IN \([^)]*\)", "IN (…)", sql)
    return re.sub(r"'[^']*'|\b\d+\b|\"s\d+_x\d+\"", "…", sql)


def reads_to_rebuild(kind: str, ids: list[int]) -> Counter:
    """The queries rebuilding these records' rows runs, by shape, but for the bulk writes
    (whose statements SQLite splits by its limit on parameters)."""
    with CaptureQueriesContext(connection) as captured:
        builders.rebuild(kind, ids)
    return Counter(
        shape(query["sql"])
        for query in captured
        if not query["sql"].startswith(("INSERT", "DELETE", "UPDATE"))
    )


@pytest.mark.parametrize("kind", list(builders.KINDS))
def test_a_batch_reads_no_query_per_record(synthetic, kind):
    model = builders.KINDS[kind].model
    ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
    assert len(ids) >= 6
    builders.rebuild(kind, ids)  # caches warmed (content types, URL patterns)
    reads = reads_to_rebuild(kind, ids)
    repeated = {query: count for query, count in reads.items() if count > 2}
    assert not repeated, f"{kind}: {len(ids)} records, {sum(reads.values())} reads: {repeated}"
    # A handful of queries for the whole batch, whatever its size.
    assert sum(reads.values()) <= 25


NAMES = [
    "Zinaida Kovrigina",
    "Зинаида Ковригина",
    "Kovrigina",
    "Zinaida",
    "Ковригина",
    "Зинаида",
    "Alexander Volkov",
    "Alexander",
    "Volkov",
    "Псевдоним 47",
    "Псевдоним",
    "Ян",
    "Zoé Müller",
    "Sergeı",
]
TEXTS = [
    "Zinaida Kovrigina spoke.",
    "ZINAIDA kovrigina, zInAiDa",
    "По словам Зинаиды Ковригиной, ответа нет.",
    "КОВРИГИНОЙ и Ковригиною",
    "Kovriginas video appeal",
    "Kovrigin",
    "zinaida-kovrigina",
    "kovriginas-video-appeal",
    "http://public-origin.invalid/statements/zinaida-kovrigina-says/",
    "http://public-origin.invalid/statements/statement-12/",
    "alexander-volkovs-mother",
    "Alexandrov and Volkova",
    "Volkovsky street",
    "Псевдоним 47 и Псевдоним 470",
    "Ян Янович",
    "Яна",
    "VOLKOV",
    "Volſkov Alexander",
    "Zinaida\u2028Kovrigina",
    "Kovrigina's",
    "a protected person",
    "",
    "x" * 600 + " Kovrigina",
    # Letters the ignore-case flag matches across scripts: dotless ı, long ſ, the Kelvin
    # sign, dotted İ, a rounded Cyrillic ve.
    "Alexander Volkov ↗",
    "«Zinaıda Kovrigina» ↗",
    "Volſkov, VOLKOV — Volkov",
    "\u212aovrigina",
    "ZİNAIDA",
    "Ко\u1c80ригиной",
    "Zoé Müller — ZOÉ MÜLLER — zoe muller",
    "Sergei Sergeı SERGEI",
    'Say "Zinaida" \\ Kovrigina\n',
    'Zin"aida spoke',
]


@pytest.mark.parametrize(
    "names", [NAMES, NAMES[:1], NAMES[6:9], ["Ян"], ["Zoé Müller"], ["Sergeı"], ['Zin"aida']]
)
def test_the_prefilter_never_changes_what_is_redacted(names):
    """A string the prefilters pass as clean is one the full patterns leave as it is, and
    so is a document whose JSON text they pass."""
    fast = Redactor.for_names(names)
    assert fast.prefilter is not None
    full = dataclasses.replace(fast, prefilter=None, plain_prefilter=None, clean=set())
    redacted = 0
    for _ in range(2):  # the second time, from the remembered clean strings
        for text in TEXTS:
            assert fast.text(text, "X") == full.text(text, "X"), text
            redacted += full.text(text, "X") != text
            document = {"a": [text, {"b": text}]}
            assert fast.document(document) == full.document(document)
            if fast.json_is_clean(builders.as_json(document)):
                assert full.document(document) == document, text
    assert fast.clean and not full.clean
    assert redacted


def test_rows_written_in_bulk_read_back_as_they_were():
    """COPY's text format on PostgreSQL: tabs, line ends, backslashes and nulls survive."""
    tricky = 'a\tb\nc\rd\\e \\N \\. "f" ё \u2028 g'
    row = PublicStatement(
        id=7,
        slug="s-7",
        document_en=tricky,
        document_ru="\\",
        document_uk="\\N",
        page_en="",
        search_key=tricky,
        has_conflict=True,
        date=datetime.date(2022, 11, 25),
        latest_date=None,
        medium="video",
        updated_at=datetime.datetime(2026, 11, 30, 10, 7, 39, 368208, tzinfo=datetime.UTC),
    )
    insert_rows(PublicStatement, [row])
    dependency = PublicDependency(kind="statement", row_id=7, model="person", record_id=3)
    insert_rows(PublicDependency, [dependency], ignore_conflicts=True)
    stored = PublicStatement.objects.get(pk=7)
    for field in PublicStatement._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(row, field.attname), field.name
    assert list(PublicDependency.objects.values_list("kind", "row_id", "model", "record_id")) == [
        ("statement", 7, "person", 3)
    ]


def test_dates_remembered_while_building_are_each_languages_own():
    day = datetime.date(2022, 11, 25)
    plain = {}
    for language in ("en", "ru", "uk"):
        with translation.override(language):
            plain[language] = format_partial_date(day, "day")
    assert len(set(plain.values())) == 3
    with formats_remembered():
        for _ in range(2):
            for language in ("en", "ru", "uk"):
                with translation.override(language):
                    assert format_partial_date(day, "day") == plain[language]


def stored_rows() -> dict[str, list[tuple]]:
    """Every public row and dependency as stored, but for when it was written."""
    rows = {}
    for name, kind in builders.KINDS.items():
        fields = [f.attname for f in kind.public_model._meta.concrete_fields]
        fields.remove("updated_at")
        rows[name] = list(kind.public_model.objects.order_by("pk").values_list(*fields))
    rows["dependencies"] = sorted(
        PublicDependency.objects.values_list("kind", "row_id", "model", "record_id")
    )
    rows["words"] = sorted(PublicWord.objects.values_list("word", "length"))
    return rows


@pytest.mark.django_db(transaction=True)
def test_workers_build_the_rows_one_process_builds(monkeypatch):
    """In several processes on PostgreSQL (SQLite: one after another), the same rows."""
    generate(scale=2)
    builders.rebuild_all()
    alone = stored_rows()
    assert all(alone.values())
    for kind in builders.KINDS.values():
        kind.public_model.objects.all().delete()
    PublicDependency.objects.all().delete()
    PublicWord.objects.all().delete()
    BATCHES_HERE.clear()
    monkeypatch.setattr(builders, "_rebuild_chunk", counted_batch)
    counts = builders.rebuild_all(workers=2)
    assert stored_rows() == alone
    assert counts == {name: len(rows) for name, rows in alone.items() if name in counts}
    # Built in other processes where the database allows it.
    assert bool(BATCHES_HERE) == (connection.vendor != "postgresql")


BATCHES_HERE: list = []
_rebuild_chunk = builders._rebuild_chunk


def counted_batch(*args):
    """A batch, counted in the process that builds it."""
    BATCHES_HERE.append(args)
    return _rebuild_chunk(*args)


def test_rows_of_records_gone_are_found_with_an_anti_join(synthetic):
    """A full rebuild first deletes the public rows whose record is gone, and `drift`
    reports them, with `NOT EXISTS`: the `NOT IN (SELECT id …)` it replaced rescans every
    record's id for each row once the ids outgrow PostgreSQL's `work_mem` (a full rebuild
    over 165,000 public rows of a million statements was stopped after 90 s of it)."""
    builders.rebuild_all()
    kept = PublicStatement.objects.order_by("-pk").first()
    orphan = PublicStatement.objects.get(pk=kept.pk)
    orphan.pk, orphan.slug = kept.pk + 1000, f"{kept.slug}-gone"
    orphan.save(force_insert=True)
    assert f"statement {orphan.pk}: record gone, public row kept" in builders.drift()
    with CaptureQueriesContext(connection) as captured:
        builders.rebuild_all(kinds=["statement"])
    assert not PublicStatement.objects.filter(pk=orphan.pk).exists()
    assert PublicStatement.objects.filter(pk=kept.pk).exists()
    gone = [q["sql"] for q in captured if "EXISTS" in q["sql"] or " IN (SELECT" in q["sql"]]
    deletes = [sql for sql in gone if sql.startswith("DELETE")]
    assert len(deletes) == 3, gone  # the public rows, redirects and retractions
    assert all("NOT EXISTS" in sql and " IN (SELECT" not in sql for sql in deletes), deletes
