"""A synthetic data set shaped like the real one, at any size, for benchmarks and tests.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/advocacy_bench \\
        .venv/bin/python bench/synthetic.py --scale 10

fills a migrated database with `scale` times the base counts below: groups with Latin and
Cyrillic aliases, people (some protected), memberships, events with participants, sources
whose archived text holds every quotation verbatim, statements, citations on every cited
record, conflicting versions, identifiers, topics; a share of drafts. Deterministic for a
given seed. `generate()` is the same from Python (tests/production uses it).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BASE = {"sources": 12, "groups": 10, "people": 20, "events": 15, "statements": 40}

FIRST = ["Olga", "Valentina", "Maria", "Yulia", "Natalia", "Irina", "Svetlana", "Oksana"]
LAST = ["Tsukanova", "Melnikova", "Petrova", "Ivanova", "Kovalenko", "Shevchenko", "Orlova"]
CYRILLIC_FIRST = ["Ольга", "Валентина", "Мария", "Юлия", "Наталья", "Ирина", "Светлана", "Оксана"]
CYRILLIC_LAST = ["Цуканова", "Мельникова", "Петрова", "Иванова", "Коваленко", "Шевченко", "Орлова"]
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


def generate(*, scale: int = 1, seed: int = 7, draft_share: float = 0.1) -> dict[str, int]:
    """Create the data set in the current database (Django must be set up)."""
    from django.contrib.contenttypes.models import ContentType
    from django.db import transaction

    from advocacy import models
    from advocacy.choices import Status
    from tests import factories

    rng = random.Random(seed)
    counts = {name: base * scale for name, base in BASE.items()}

    def status() -> str:
        return Status.DRAFT if rng.random() < draft_share else Status.PUBLISHED

    def day() -> datetime.date:
        return datetime.date(2022, 2, 24) + datetime.timedelta(days=rng.randrange(1400))

    def cite(record, sources, excerpt_of) -> None:
        for source in rng.sample(sources, k=min(len(sources), rng.randint(1, 2))):
            models.Citation.objects.create(
                content_type=ContentType.objects.get_for_model(record),
                object_id=record.pk,
                source=source,
                excerpt=excerpt_of(source),
            )

    with transaction.atomic():
        topics = [
            factories.TopicFactory(name=f"{demand} ({n})", slug=f"demand-{n}")
            for n, demand in enumerate(DEMANDS)
        ]
        # Each source's text holds the sentences quoted from it, verbatim.
        sources, said = [], {}
        for n in range(counts["sources"]):
            lines = [
                f"{rng.choice(DEMANDS)}, said {rng.choice(FIRST)} ({n}-{k})." for k in range(6)
            ]
            source = factories.SourceFactory(
                title=f"{rng.choice(OF)} speak out, report {n}",
                publisher=rng.choice(["Meduza", "The Moscow Times", "Novaya Gazeta", "Kyiv Post"]),
                archived_text="\n\n".join(lines),
                published_on=day(),
                status=status() if n % 5 else Status.PUBLISHED,
            )
            sources.append(source)
            said[source.pk] = lines

        def excerpt(source) -> str:
            return rng.choice(said[source.pk])

        groups = []
        for n in range(counts["groups"]):
            group = factories.GroupFactory(
                name=f"{rng.choice(GROUP_WORDS)} of {rng.choice(OF)} {n}",
                country=rng.choice(["RU", "UA"]),
                description=f"A group of relatives in {rng.choice(PLACES)}.",
                status=status(),
            )
            factories.GroupAliasFactory(group=group, name=f"Совет матерей {n}")
            cite(group, sources, excerpt)
            groups.append(group)
        for n in range(0, len(groups) - 1, 3):
            relation = models.GroupRelation.objects.create(
                subject=groups[n], object=groups[n + 1], kind="part_of", status=Status.PUBLISHED
            )
            cite(relation, sources, excerpt)

        people = []
        for n in range(counts["people"]):
            first, last = rng.randrange(len(FIRST)), rng.randrange(len(LAST))
            person = factories.PersonFactory(
                name=f"{FIRST[first]} {LAST[last]} {n}",
                is_protected=rng.random() < 0.05,
                description="Mother of a mobilised soldier.",
                status=status(),
            )
            factories.PersonAliasFactory(
                person=person, name=f"{CYRILLIC_FIRST[first]} {CYRILLIC_LAST[last]} {n}"
            )
            cite(person, sources, excerpt)
            membership = models.Membership.objects.create(
                person=person, group=rng.choice(groups), role="member", status=Status.PUBLISHED
            )
            cite(membership, sources, excerpt)
            people.append(person)

        events = []
        for n in range(counts["events"]):
            event = factories.EventFactory(
                name=f"{rng.choice(['Roundtable', 'Protest', 'Video appeal', 'Meeting'])} {n}",
                kind=rng.choice(["roundtable", "protest", "meeting"]),
                date=day(),
                place=rng.choice(PLACES),
                status=status(),
            )
            event.topics.set(rng.sample(topics, k=2))
            for group in rng.sample(groups, k=min(2, len(groups))):
                participation = models.Participation.objects.create(
                    event=event, group=group, part="organiser", status=Status.PUBLISHED
                )
                cite(participation, sources, excerpt)
            cite(event, sources, excerpt)
            if n % 4 == 0:
                source_a, source_b = rng.sample(sources, k=2)
                event.has_conflict = True
                event.save(update_fields=["has_conflict"])
                for source, value in ((source_a, "2022-11-25"), (source_b, "2022-11-27")):
                    models.ConflictingVersion.objects.create(
                        content_object=event,
                        field="date",
                        value=value,
                        normalized_value=value,
                        source=source,
                    )
            events.append(event)

        for n in range(counts["statements"]):
            speaker = rng.choice(people) if n % 3 else None
            statement = factories.StatementFactory(
                speaker_person=speaker,
                speaker_group=None if speaker else rng.choice(groups),
                summary=f"{rng.choice(DEMANDS)} — appeal {n}",
                date=day(),
                event=rng.choice(events) if n % 2 else None,
                status=status(),
                quotation=False,
            )
            statement.topics.set(rng.sample(topics, k=1))
            source = rng.choice(sources)
            factories.QuotationFactory(
                statement=statement, source=source, text=excerpt(source), position=1
            )
            cite(statement, sources, excerpt)

        for group in groups[:: max(1, len(groups) // 5)]:
            models.ExternalIdentifier.objects.create(
                content_object=group, scheme="wikidata", identifier=f"Q{1000 + group.pk}"
            )

    return {
        model.__name__: model._default_manager.count()
        for model in (
            models.Source,
            models.Group,
            models.Person,
            models.Membership,
            models.Event,
            models.Participation,
            models.Statement,
            models.Quotation,
            models.Citation,
            models.ConflictingVersion,
        )
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="Multiplies the base counts.")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    started = time.monotonic()
    counts = generate(scale=options.scale, seed=options.seed)
    for name, count in counts.items():
        print(f"  {name}: {count}")
    print(f"Generated in {time.monotonic() - started:.1f} s.")


if __name__ == "__main__":
    main()
