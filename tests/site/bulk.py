"""Many published rows in a few queries, for the query-count tests.

`bulk_create` skips `save()`, so each helper fills in what `save()` would: slug, search
key, normalized dates, content hash, quotation offsets. Rows are published.
"""

import datetime
import itertools

from django.contrib.contenttypes.models import ContentType

from advocacy.choices import GroupKind, Medium, ParticipantRole, Status
from advocacy.models import (
    Citation,
    Event,
    Group,
    GroupAlias,
    Membership,
    Participation,
    Person,
    PersonAlias,
    Quotation,
    Source,
    Statement,
)
from advocacy.text import content_hash, locate_quotation, search_key

_serial = itertools.count(1)
PUBLISHED = {"status": Status.PUBLISHED}
DAY = datetime.date(2022, 11, 23)


def _n() -> int:
    return next(_serial)


def groups(n: int) -> list[Group]:
    rows = []
    for _ in range(n):
        i = _n()
        name = f"Bulk Mothers Council {i}"
        rows.append(
            Group(
                name=name,
                slug=f"bulk-group-{i}",
                kind=GroupKind.ADVOCACY_GROUP,
                country="RU",
                search_key=search_key(name),
                **PUBLISHED,
            )
        )
    return Group.objects.bulk_create(rows)


def people(n: int) -> list[Person]:
    rows = []
    for _ in range(n):
        i = _n()
        name = f"Bulk Person{i}"
        rows.append(
            Person(
                name=name,
                slug=f"bulk-person-{i}",
                country="RU",
                search_key=search_key(name),
                **PUBLISHED,
            )
        )
    return Person.objects.bulk_create(rows)


def sources(n: int) -> list[Source]:
    rows = []
    for _ in range(n):
        i = _n()
        text = f'Bulk article {i}.\n\n"We want our sons back," said a mother.\n\nNo reply.'
        title = f"Bulk article {i}"
        rows.append(
            Source(
                title=title,
                slug=f"bulk-source-{i}",
                publisher="Bulk Daily",
                published_on=DAY,
                archived_text=text,
                content_hash=content_hash(text),
                search_key=search_key(title, "Bulk Daily"),
                full_text_public=True,
                **PUBLISHED,
            )
        )
    return Source.objects.bulk_create(rows)


def events(n: int, *, date=DAY) -> list[Event]:
    rows = []
    for _ in range(n):
        i = _n()
        name = f"Bulk roundtable {i}"
        rows.append(
            Event(
                name=name,
                slug=f"bulk-event-{i}",
                kind="roundtable",
                date=date,
                latest_date=date,
                place="Moscow",
                search_key=search_key(name, "Moscow"),
                **PUBLISHED,
            )
        )
    return Event.objects.bulk_create(rows)


def statements(speakers, *, event=None) -> list[Statement]:
    rows = []
    for speaker in speakers:
        i = _n()
        summary = f"Mothers want their sons back ({i})"
        rows.append(
            Statement(
                speaker_person=speaker,
                slug=f"bulk-statement-{i}",
                event=event,
                medium=Medium.VIDEO_MESSAGE,
                date=DAY,
                latest_date=DAY,
                summary=summary,
                search_key=search_key(summary),
                **PUBLISHED,
            )
        )
    return Statement.objects.bulk_create(rows)


def quotations(pairs, text: str = "We want our sons back") -> list[Quotation]:
    """(statement, source) pairs: the same verbatim words from each source."""
    rows = []
    for position, (statement, source) in enumerate(pairs, start=1):
        found = locate_quotation(text, source.archived_text)
        rows.append(
            Quotation(
                statement=statement,
                source=source,
                text=text,
                position=position,
                is_verbatim=True,
                start_offset=found.start,
                end_offset=found.end,
                prefix=found.prefix,
                suffix=found.suffix,
            )
        )
    return Quotation.objects.bulk_create(rows)


def citations(records, source, excerpt: str = "said a mother") -> list[Citation]:
    rows = [
        Citation(
            content_type=ContentType.objects.get_for_model(record),
            object_id=record.pk,
            source=source,
            excerpt=excerpt,
        )
        for record in records
    ]
    return Citation.objects.bulk_create(rows)


def memberships(pairs, role: str = "member") -> list[Membership]:
    rows = [
        Membership(person=person, group=group, role=role, **PUBLISHED) for person, group in pairs
    ]
    return Membership.objects.bulk_create(rows)


def participations(event_participants, part=ParticipantRole.ATTENDEE) -> list[Participation]:
    rows = []
    for event, participant in event_participants:
        field = "person" if isinstance(participant, Person) else "group"
        rows.append(Participation(event=event, part=part, **{field: participant}, **PUBLISHED))
    return Participation.objects.bulk_create(rows)


def group_aliases(group, n: int, source=None) -> list[GroupAlias]:
    rows = [
        GroupAlias(group=group, name=f"Совет {_n()}", script="cyrl", language="ru", source=source)
        for _ in range(n)
    ]
    return GroupAlias.objects.bulk_create(rows)


def person_aliases(persons) -> list[PersonAlias]:
    rows = [
        PersonAlias(person=person, name=f"Персона {_n()}", script="cyrl", language="ru")
        for person in persons
    ]
    return PersonAlias.objects.bulk_create(rows)
