"""Fill a PostgreSQL database with synthetic records at realistic proportions, fast (COPY).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_api \\
        .venv/bin/python bench/api_fill.py --scale small

`--scale` is `small` (10,000 statements), `medium` (100,000), `full` (1,000,000) or a
number (the fraction of full). Full scale: 1,000 groups, 20,000 people, 100,000 events,
100,000 sources, 1,000,000 statements with 1.3 quotations each, a citation on every
statement, group, person and event, two aliases per group and one per person,
memberships, participants, topics; 5 % drafts, 1 % protected people, 2 % conflicts.

It migrates the database, empties the advocacy tables (history tables are left empty),
and loads everything with COPY, ids assigned here so no lookups are needed. For the API
benchmark (bench/api_bench.py); the ORM-based bench/synthetic.py is for small sets.
"""

from __future__ import annotations

import argparse
import datetime
import io
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FULL = {
    "groups": 1_000,
    "people": 20_000,
    "events": 100_000,
    "sources": 100_000,
    "statements": 1_000_000,
}
SCALES = {"small": 0.01, "medium": 0.1, "full": 1.0}
QUOTATIONS_PER_STATEMENT = 1.3
CHUNK = 50_000

FIRST = ["Olga", "Valentina", "Maria", "Yulia", "Natalia", "Irina", "Svetlana", "Oksana"]
LAST = ["Tsukanova", "Melnikova", "Petrova", "Ivanova", "Kovalenko", "Shevchenko", "Orlova"]
CYRILLIC_FIRST = ["Ольга", "Валентина", "Мария", "Юлия", "Наталья", "Ирина", "Светлана", "Оксана"]
CYRILLIC_LAST = ["Цуканова", "Мельникова", "Петрова", "Иванова", "Коваленко", "Шевченко", "Орлова"]
SOLDIER_FIRST = ["Alexander", "Dmitry", "Sergei", "Andrei"]
SOLDIER_LAST = ["Volkov", "Sokolov", "Morozov", "Lebedev"]
CYRILLIC_SOLDIER_FIRST = ["Александр", "Дмитрий", "Сергей", "Андрей"]
CYRILLIC_SOLDIER_LAST = ["Волков", "Соколов", "Морозов", "Лебедев"]
GROUP_WORDS = ["Council", "Union", "Committee", "Movement", "Association", "Way Home"]
OF = ["Mothers", "Wives", "Mothers and Wives", "Families", "Soldiers' Mothers"]
PLACES = ["Moscow", "Kyiv", "Saint Petersburg", "Novosibirsk", "Yekaterinburg", "Kharkiv"]
DEMANDS = [
    "We want our sons back",
    "Bring the mobilised men home",
    "Tell us where our husbands are",
    "Exchange all prisoners for all prisoners",
    "We demand a meeting with the minister",
    "Our children are not cannon fodder",
]
MEDIA = ["video_message", "telegram_post", "interview", "written_statement", "speech"]
EVENT_KINDS = ["meeting", "roundtable", "protest", "video_appeal", "zoom_conference"]
PUBLISHERS = ["Meduza", "The Moscow Times", "Novaya Gazeta", "Kyiv Post", "Newsweek"]
START = datetime.date(2022, 2, 24)
DAYS = 1400


def counts_for(scale: float) -> dict[str, int]:
    return {name: max(3, round(full * scale)) for name, full in FULL.items()}


def esc(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    text = str(value)
    if any(c in text for c in "\\\t\n\r"):
        text = text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        text = text.replace("\r", "\\r")
    return text


class Loader:
    def __init__(self, connection):
        self.connection = connection
        self.cursor = connection.cursor()

    def copy(self, table: str, columns: list[str], rows) -> int:
        # Columns added by later migrations take their empty value (blank text, False: a
        # filled record is as an editor published it, nothing waiting for review).
        missing = self.unfilled_columns(table, columns)
        if missing:
            columns = [*columns, *missing]
            rows = ((*row, *missing.values()) for row in rows)
        buffer, count = io.StringIO(), 0
        for row in rows:
            buffer.write("\t".join(esc(value) for value in row))
            buffer.write("\n")
            count += 1
            if count % CHUNK == 0:
                self._flush(table, columns, buffer)
                buffer = io.StringIO()
        self._flush(table, columns, buffer)
        print(f"  {table}: {count}", flush=True)
        return count

    def unfilled_columns(self, table: str, columns: list[str]) -> dict:
        self.cursor.execute(
            "SELECT column_name, data_type FROM information_schema.columns"
            " WHERE table_name = %s AND is_nullable = 'NO' AND column_default IS NULL",
            [table],
        )
        empty = {"boolean": False, "character varying": "", "text": ""}
        return {
            name: empty[data_type]
            for name, data_type in self.cursor.fetchall()
            if name not in columns
        }

    def _flush(self, table, columns, buffer) -> None:
        if buffer.tell() == 0:
            return
        buffer.seek(0)
        self.cursor.copy_expert(
            f"COPY {table} ({', '.join(columns)}) FROM STDIN WITH (FORMAT text)", buffer
        )


def fill(scale: float, seed: int = 7) -> dict[str, int]:
    from django.core.management import call_command
    from django.db import connection

    from advocacy.dates import period_bounds
    from advocacy.text import fold

    assert connection.vendor == "postgresql", "The benchmark runs on PostgreSQL."
    call_command("migrate", verbosity=0)
    rng = random.Random(seed)
    n = counts_for(scale)
    now = datetime.datetime.now(datetime.UTC)
    base = [now, now, 1]  # created_at, updated_at, version
    # A vocabulary of made-up words, each in ~1 of 1,700 statements: the rare search term.
    vocabulary = sorted(
        {
            f"{rng.choice('bdgklmnprstvz')}{rng.choice('aeiou')}{rng.choice('bdgklmnprstvz')}{rng.choice('aeiou')}{rng.choice('klmnrst')}{rng.choice('aeiou')}"
            for _ in range(6000)
        }
    )

    tables = [
        "advocacy_statement_topics",
        "advocacy_citation",
        "advocacy_conflictingversion",
        "advocacy_quotation",
        "advocacy_statement",
        "advocacy_participation",
        "advocacy_event_topics",
        "advocacy_event",
        "advocacy_membership",
        "advocacy_personalias",
        "advocacy_person",
        "advocacy_groupalias",
        "advocacy_grouprelation",
        "advocacy_group",
        "advocacy_source",
        "advocacy_topic",
    ]
    loader = Loader(connection)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE")
        cursor.execute("SELECT model, id FROM django_content_type WHERE app_label = 'advocacy'")
        content_types = dict(cursor.fetchall())

    def status() -> str:
        return "draft" if rng.random() < 0.05 else "published"

    def partial_date():
        day = START + datetime.timedelta(days=rng.randrange(DAYS))
        roll = rng.random()
        precision = "day" if roll < 0.8 else "month" if roll < 0.95 else "year"
        first, last = period_bounds(day, precision)
        return first, precision, last

    started = time.monotonic()
    # Topics.
    loader.copy(
        "advocacy_topic",
        [
            *("id", "created_at", "updated_at", "version"),
            *("name", "name_ru", "name_uk", "slug", "description"),
        ],
        (
            (i, *base, f"{demand} ({i})", "", "", f"topic-{i}", "")
            for i, demand in enumerate(DEMANDS * 3, 1)
        ),
    )
    topic_count = len(DEMANDS) * 3

    # Sources: short archived texts holding the sentences quoted from them.
    def sources():
        for i in range(1, n["sources"] + 1):
            said = f"{rng.choice(DEMANDS)}, said {rng.choice(FIRST)}."
            text = f"Report {i}.\n\n{said}\n\nThe ministry did not reply."
            title = f"{rng.choice(OF)} speak out, report {i}"
            publisher = rng.choice(PUBLISHERS)
            yield (
                i,
                *base,
                "published" if rng.random() > 0.02 else "draft",
                "",
                f"report-{i}",
                f"{fold(title)}\n{fold(publisher)}",
                title,
                publisher,
                "",
                f"https://news.example.org/{i}",
                "news_article",
                "en",
                START + datetime.timedelta(days=rng.randrange(DAYS)),
                "day",
                None,
                text,
                f"{i:064x}",
                False,
                "",
                "",
            )

    loader.copy(
        "advocacy_source",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "retraction_note",
            "slug",
            "search_key",
            "title",
            "publisher",
            "authors",
            "url",
            "kind",
            "language",
            "published_on",
            "published_precision",
            "retrieved_on",
            "archived_text",
            "content_hash",
            "full_text_public",
            "original_filename",
            "notes",
        ],
        sources(),
    )

    # Groups, with a Latin and a Cyrillic alias.
    group_names = {}

    def groups():
        for i in range(1, n["groups"] + 1):
            name = f"{rng.choice(GROUP_WORDS)} of {rng.choice(OF)} {i}"
            group_names[i] = name
            alias = f"Совет матерей {i}"
            yield (
                i,
                *base,
                status() if i > 1 else "published",
                "",
                False,
                f"group-{i}",
                f"{fold(name)}\n{fold(alias)}",
                name,
                "advocacy_group",
                rng.choice(["RU", "UA"]),
                f"A group of relatives in {rng.choice(PLACES)}.",
                None,
                "year",
                "",
                "",
            )

    loader.copy(
        "advocacy_group",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "retraction_note",
            "has_conflict",
            "slug",
            "search_key",
            "name",
            "kind",
            "country",
            "description",
            "founded_on",
            "founded_precision",
            "website",
            "telegram",
        ],
        groups(),
    )
    loader.copy(
        "advocacy_groupalias",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "name",
            "language",
            "script",
            "kind",
            "group_id",
            "source_id",
        ],
        (
            row
            for i in range(1, n["groups"] + 1)
            for row in (
                (2 * i - 1, *base, f"Совет матерей {i}", "ru", "cyrl", "original", i, None),
                (2 * i, *base, f"Council of Mothers {i}", "en", "latn", "translation", i, None),
            )
        ),
    )

    # People, each with a Cyrillic alias; 1 % protected.
    person_words = {}

    def people():
        for i in range(1, n["people"] + 1):
            protected = rng.random() < 0.01
            if protected:
                # Soldiers at risk, as in the seed data: not the mothers' names, which
                # would then be redacted (and unsearchable) everywhere.
                first, last = rng.randrange(len(SOLDIER_FIRST)), rng.randrange(len(SOLDIER_LAST))
                name = f"{SOLDIER_FIRST[first]} {SOLDIER_LAST[last]}"
                alias = f"{CYRILLIC_SOLDIER_FIRST[first]} {CYRILLIC_SOLDIER_LAST[last]}"
                person_words[i] = fold(SOLDIER_LAST[last])
            else:
                first, last = rng.randrange(len(FIRST)), rng.randrange(len(LAST))
                name = f"{FIRST[first]} {LAST[last]} {i}"
                alias = f"{CYRILLIC_FIRST[first]} {CYRILLIC_LAST[last]} {i}"
                person_words[i] = fold(LAST[last])
            yield (
                i,
                *base,
                status(),
                "",
                False,
                f"person-{i}",
                f"{fold(name)}\n{fold(alias)}",
                name,
                "Mother of a mobilised soldier.",
                rng.choice(["RU", "UA"]),
                protected,
            )

    loader.copy(
        "advocacy_person",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "retraction_note",
            "has_conflict",
            "slug",
            "search_key",
            "name",
            "description",
            "country",
            "is_protected",
        ],
        people(),
    )
    loader.copy(
        "advocacy_personalias",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "name",
            "language",
            "script",
            "kind",
            "person_id",
            "source_id",
        ],
        (
            (i, *base, f"Псевдоним {i}", "ru", "cyrl", "original", i, None)
            for i in range(1, n["people"] + 1)
        ),
    )
    # Memberships: every person in one group, a fifth in a second one.
    member_of: dict[int, list[int]] = {}

    def memberships():
        mid = 0
        for person in range(1, n["people"] + 1):
            groups_of = rng.sample(range(1, n["groups"] + 1), k=2 if person % 5 == 0 else 1)
            for group in groups_of:
                mid += 1
                member_of.setdefault(group, []).append(person)
                yield (
                    mid,
                    *base,
                    "published",
                    "",
                    False,
                    "member",
                    None,
                    "day",
                    None,
                    "day",
                    group,
                    person,
                )

    loader.copy(
        "advocacy_membership",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "retraction_note",
            "has_conflict",
            "role",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "group_id",
            "person_id",
        ],
        memberships(),
    )

    # Events, two participants each.
    def events():
        for i in range(1, n["events"] + 1):
            first, precision, last = partial_date()
            name = f"{rng.choice(['Roundtable', 'Protest', 'Video appeal', 'Meeting'])} {i}"
            place = rng.choice(PLACES)
            yield (
                i,
                *base,
                status(),
                "",
                rng.random() < 0.02,
                first,
                precision,
                None,
                "",
                last,
                f"event-{i}",
                f"{fold(name)}\n{fold(place)}",
                name,
                rng.choice(EVENT_KINDS),
                place,
                "",
            )

    loader.copy(
        "advocacy_event",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "retraction_note",
            "has_conflict",
            "date",
            "date_precision",
            "end_date",
            "date_as_printed",
            "latest_date",
            "slug",
            "search_key",
            "name",
            "kind",
            "place",
            "description",
        ],
        events(),
    )
    loader.copy(
        "advocacy_participation",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "retraction_note",
            "has_conflict",
            "part",
            "note",
            "event_id",
            "group_id",
            "person_id",
        ],
        (
            row
            for i in range(1, n["events"] + 1)
            for row in (
                (
                    2 * i - 1,
                    *base,
                    "published",
                    "",
                    False,
                    "organiser",
                    "",
                    i,
                    rng.randrange(1, n["groups"] + 1),
                    None,
                ),
                (
                    2 * i,
                    *base,
                    "published",
                    "",
                    False,
                    "attendee",
                    "",
                    i,
                    None,
                    rng.randrange(1, n["people"] + 1),
                ),
            )
        ),
    )

    # Statements: 70 % by a person, 30 % by a group; half at an event.
    quotation_rows: list[tuple] = []

    def statements():
        qid = 0
        for i in range(1, n["statements"] + 1):
            first, precision, last = partial_date()
            by_person = rng.random() < 0.7
            person = rng.randrange(1, n["people"] + 1) if by_person else None
            group = None if by_person else rng.randrange(1, n["groups"] + 1)
            words = rng.sample(vocabulary, 3)
            demand = rng.choice(DEMANDS)
            speaker_word = person_words[person] if person else f"group {group}"
            summary = f"{speaker_word.title()} says: {demand.lower()} ({' '.join(words)})."
            quotation_count = 1 + (rng.random() < QUOTATIONS_PER_STATEMENT - 1)
            texts = []
            for position in range(1, quotation_count + 1):
                qid += 1
                text = f"{demand}, {' '.join(words)}"
                texts.append(text)
                quotation_rows.append(
                    (
                        qid,
                        *base,
                        text,
                        "en",
                        position,
                        True,
                        10,
                        10 + len(text),
                        "said ",
                        ".",
                        rng.randrange(1, n["sources"] + 1),
                        i,
                    )
                )
            key = "\n".join(dict.fromkeys(fold(t) for t in (summary, *texts)))
            yield (
                i,
                *base,
                status(),
                "",
                rng.random() < 0.02,
                first,
                precision,
                None,
                "",
                last,
                f"statement-{i}",
                key,
                rng.choice(MEDIA),
                "",  # no title: pages propose one from the summary
                summary,
                None,
                3 if i % 10 == 0 and n["people"] >= 3 else None,
                rng.randrange(1, n["events"] + 1) if i % 2 else None,
                group,
                person,
            )

    loader.copy(
        "advocacy_statement",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "status",
            "retraction_note",
            "has_conflict",
            "date",
            "date_precision",
            "end_date",
            "date_as_printed",
            "latest_date",
            "slug",
            "search_key",
            "medium",
            "title",
            "summary",
            "addressee_group_id",
            "addressee_person_id",
            "event_id",
            "speaker_group_id",
            "speaker_person_id",
        ],
        statements(),
    )
    loader.copy(
        "advocacy_quotation",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "text",
            "language",
            "position",
            "is_verbatim",
            "start_offset",
            "end_offset",
            "prefix",
            "suffix",
            "source_id",
            "statement_id",
        ],
        quotation_rows,
    )
    quotation_rows.clear()
    loader.copy(
        "advocacy_statement_topics",
        ["id", "statement_id", "topic_id"],
        ((i, i, 1 + i % topic_count) for i in range(1, n["statements"] + 1)),
    )

    # A citation on every statement, group, person and event.
    def citations():
        cid = 0
        for model, count in (
            ("statement", n["statements"]),
            ("group", n["groups"]),
            ("person", n["people"]),
            ("event", n["events"]),
        ):
            content_type = content_types[model]
            for object_id in range(1, count + 1):
                cid += 1
                yield (
                    cid,
                    *base,
                    object_id,
                    "said the report.",
                    "",
                    content_type,
                    rng.randrange(1, n["sources"] + 1),
                )

    loader.copy(
        "advocacy_citation",
        [
            "id",
            "created_at",
            "updated_at",
            "version",
            "object_id",
            "excerpt",
            "note",
            "content_type_id",
            "source_id",
        ],
        citations(),
    )

    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 1))"
            )
        print(f"  loaded in {time.monotonic() - started:.0f} s; analysing...", flush=True)
        cursor.execute("ANALYZE")
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", default="small", help="small, medium, full or a fraction")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    scale = SCALES.get(options.scale) or float(options.scale)
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "1")
    os.environ.setdefault("DB_STATEMENT_TIMEOUT_MS", "0")
    import django

    django.setup()
    from django.db import transaction

    started = time.monotonic()
    with transaction.atomic():
        counts = fill(scale, options.seed)
    # Only now is it committed: a rebuild started before this line finds no tables.
    print(f"Filled in {time.monotonic() - started:.0f} s: {counts}")


if __name__ == "__main__":
    main()
