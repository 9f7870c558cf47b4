"""The published records as Popolo JSON (popoloproject.com, draft-03 schemas).

Persons, organizations, memberships, events, and statements as speeches, read through
the same selectors as every other reader. Ids are "<kind>/<slug>" (or "<kind>/<id>");
dates keep their precision ("2022", "2022-11", "2022-11-24"). A protected speaker is
attributed by the neutral label only, with no creator_id.
"""

import datetime
import json
from collections.abc import Iterator

from django.db.models import Max, QuerySet

from advocacy import selectors
from advocacy.api.audience import FULL, Audience
from advocacy.api.prefetch import related, with_prefetched_lists
from advocacy.choices import DatePrecision
from advocacy.models import Event, Group, Person

SCRIPT_SUBTAGS = {"latn": "Latn", "cyrl": "Cyrl"}


def partial_date(date: datetime.date | None, precision: str) -> str | None:
    if date is None:
        return None
    if precision == DatePrecision.YEAR:
        return f"{date.year:04d}"
    if precision == DatePrecision.MONTH:
        return f"{date.year:04d}-{date.month:02d}"
    return date.isoformat()


def _stamp(value) -> str | None:
    return value.isoformat() if value else None


def _other_names(record, audience: Audience) -> list[dict]:
    names = []
    for alias in related(record, "aliases"):
        lang = alias.language or None
        script = SCRIPT_SUBTAGS.get(alias.script)
        names.append(
            {
                "name": alias.name,
                "note": alias.get_kind_display(),
                "lang": f"{lang}-{script}" if lang and script else lang,
                "language": alias.language or None,
                "script": alias.script,
            }
        )
    return names


def _identifiers(record) -> list[dict]:
    return [
        {"scheme": i.scheme, "identifier": i.identifier} for i in related(record, "identifiers")
    ]


def _source_link(audience: Audience, source, note: str = "") -> dict:
    url = source.url or audience.html_url("source-detail", source.slug)
    return {"url": url, "note": " — ".join(part for part in (source.title, note) if part)}


def _sources(record, audience: Audience) -> list[dict]:
    return [
        _source_link(audience, citation.source, audience.redact(citation.excerpt))
        for citation in related(record, "citations")
    ]


def _links(audience: Audience, basename: str, page: str, record) -> list[dict]:
    links = [{"url": audience.api_url(basename, record.pk), "note": "Advocacy Tracker API"}]
    html = audience.html_url(page, getattr(record, "slug", None))
    if html:
        links.insert(0, {"url": html, "note": "Advocacy Tracker"})
    return links


def person_id(person: Person) -> str:
    return f"person/{person.slug}"


def organization_id(group: Group) -> str:
    return f"organization/{group.slug}"


def person_rows(people: list[Person], audience: Audience) -> list[dict]:
    audience.prime(Person, [p.pk for p in people])
    return [
        {
            "id": person_id(p),
            "name": p.name,
            "other_names": _other_names(p, audience),
            "identifiers": _identifiers(p),
            "biography": audience.redact(p.description) or None,
            "national_identity": p.country or None,
            "links": _links(audience, "person", "person-detail", p),
            "sources": _sources(p, audience),
            "created_at": _stamp(p.created_at),
            "updated_at": _stamp(p.updated_at),
        }
        for p in people
        if audience.level(p) == FULL
    ]


def organization_rows(groups: list[Group], audience: Audience) -> list[dict]:
    return [
        {
            "id": organization_id(g),
            "name": g.name,
            "other_names": _other_names(g, audience),
            "identifiers": _identifiers(g),
            "classification": g.kind,
            "description": audience.redact(g.description) or None,
            "founding_date": partial_date(g.founded_on, g.founded_precision),
            "area_id": g.country or None,
            "links": _links(audience, "group", "group-detail", g),
            "sources": _sources(g, audience),
            "created_at": _stamp(g.created_at),
            "updated_at": _stamp(g.updated_at),
        }
        for g in groups
    ]


def membership_rows(memberships: list, audience: Audience) -> list[dict]:
    audience.prime(Person, [m.person_id for m in memberships])
    audience.prime(Group, [m.group_id for m in memberships])
    return [
        {
            "id": f"membership/{m.pk}",
            "person_id": person_id(m.person),
            "organization_id": organization_id(m.group),
            "role": m.role,
            "label": f"{m.role}, {m.group.name}",
            "start_date": partial_date(m.start_date, m.start_precision),
            "end_date": partial_date(m.end_date, m.end_precision),
            "links": [
                {"url": audience.api_url("membership", m.pk), "note": "Advocacy Tracker API"}
            ],
            "sources": _sources(m, audience),
            "created_at": _stamp(m.created_at),
            "updated_at": _stamp(m.updated_at),
        }
        for m in memberships
        if audience.level(m.person) == FULL and audience.level(m.group) == FULL
    ]


def event_rows(events: list, audience: Audience) -> list[dict]:
    participations = [p for e in events for p in related(e, "participations")]
    audience.prime(Person, [p.person_id for p in participations])
    audience.prime(Group, [p.group_id for p in participations])
    rows = []
    for e in events:
        organisers = [
            p.group for p in related(e, "participations") if p.part == "organiser" and p.group_id
        ]
        participants = []
        for participation in related(e, "participations"):
            agent = participation.participant
            level = audience.level(agent)
            if level == "hidden":
                continue
            row = {"role": participation.part, "note": audience.redact(participation.note) or None}
            if level == FULL and isinstance(agent, Person):
                row["person_id"] = person_id(agent)
            elif level == FULL:
                row["organization_id"] = organization_id(agent)
            row["label"] = agent.public_name if level != FULL else agent.name
            participants.append(row)
        rows.append(
            {
                "id": f"event/{e.slug}",
                "name": e.name,
                "description": audience.redact(e.description) or None,
                "start_date": partial_date(e.date, e.date_precision),
                "end_date": e.end_date.isoformat() if e.end_date else None,
                "location": e.place or None,
                "classification": e.kind,
                "organization_id": organization_id(organisers[0]) if organisers else None,
                "participants": participants,
                "links": _links(audience, "event", "event-detail", e),
                "sources": _sources(e, audience),
                "created_at": _stamp(e.created_at),
                "updated_at": _stamp(e.updated_at),
            }
        )
    return rows


def speech_rows(statements: list, audience: Audience) -> list[dict]:
    audience.prime(
        Person,
        [s.speaker_person_id for s in statements] + [s.addressee_person_id for s in statements],
    )
    audience.prime(Group, [s.speaker_group_id for s in statements])
    audience.prime(Event, [s.event_id for s in statements])
    speeches = []
    for s in statements:
        speaker = s.speaker
        level = audience.level(speaker)
        quotations = list(related(s, "quotations"))
        speech = {
            "id": f"speech/{s.slug}",
            "creator_id": person_id(speaker)
            if isinstance(speaker, Person) and level == FULL
            else None,
            "attribution_text": speaker.name if level == FULL else speaker.public_name,
            "text": audience.redact(quotations[0].text) if quotations else None,
            "title": audience.redact(s.summary) or None,
            "type": s.medium,
            "date": (
                datetime.datetime.combine(s.date, datetime.time(), tzinfo=datetime.UTC).isoformat()
                if s.date
                else None
            ),
            "date_precision": s.date_precision,
            "event_id": f"event/{s.event.slug}"
            if s.event_id and audience.level(s.event) == FULL
            else None,
            "quotations": [
                {
                    "text": audience.redact(q.text),
                    "language": q.language,
                    "source": _source_link(audience, q.source),
                    "is_verbatim": q.is_verbatim,
                    "start_offset": q.start_offset,
                    "end_offset": q.end_offset,
                }
                for q in quotations
            ],
            "links": _links(audience, "statement", "statement-detail", s),
            "sources": [_source_link(audience, q.source) for q in quotations]
            + _sources(s, audience),
            "created_at": _stamp(s.created_at),
            "updated_at": _stamp(s.updated_at),
        }
        if isinstance(speaker, Group) and level == FULL:
            speech["organization_id"] = organization_id(speaker)
        addressee = s.addressee
        if isinstance(addressee, Person) and audience.level(addressee) == FULL:
            speech["audience_id"] = person_id(addressee)
        speeches.append(speech)
    return speeches


SECTIONS = [
    ("persons", selectors.person_list, person_rows),
    ("organizations", selectors.group_list, organization_rows),
    ("memberships", selectors.membership_list, membership_rows),
    ("events", selectors.event_list, event_rows),
    ("speeches", selectors.statement_list, speech_rows),
]
META = {"format": "popolo", "schemas": "http://www.popoloproject.com/schemas/"}
# Records read (with their prefetched relations) and written out at a time.
CHUNK_SIZE = 500


def _chunks(queryset: QuerySet, size: int) -> Iterator[list]:
    """The queryset's records, `size` at a time, by id (keyset: no offset, however far)."""
    last = None
    while True:
        page = queryset.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def popolo_chunks(audience: Audience) -> Iterator[bytes]:
    """The export as JSON text, a chunk of records at a time: a million statements are
    streamed in the memory of five hundred."""
    yield b'{"meta":' + _json(META)
    for key, selector, build in SECTIONS:
        yield f',"{key}":['.encode()
        separator = b""
        queryset = with_prefetched_lists(selector(user=audience.user))
        for records in _chunks(queryset, CHUNK_SIZE):
            rows = build(records, audience)
            if rows:
                yield separator + b",".join(_json(row) for row in rows)
                separator = b","
        yield b"]"
    yield b"}"


def _json(value) -> bytes:
    # As the API's JSON renderer writes it: UTF-8, compact.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def last_change(audience: Audience) -> datetime.datetime | None:
    """The latest change among the exported records."""
    stamps = [
        selector(user=audience.user).aggregate(latest=Max("updated_at"))["latest"]
        for _, selector, _ in SECTIONS
    ]
    return max((stamp for stamp in stamps if stamp), default=None)
