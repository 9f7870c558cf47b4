"""The published records as Popolo JSON (popoloproject.com, draft-03 schemas).

Persons, organizations, memberships, events, and statements as speeches, made from the
public rows' documents (in English), so the export holds exactly what the public API
shows, redacted once when it was published. Ids are "<kind>/<slug>" (or "<kind>/<id>");
dates keep their precision ("2022", "2022-11", "2022-11-24"). A protected speaker is
attributed by the neutral label only, with no creator_id.
"""

import datetime
import json
from collections.abc import Iterator

from django.utils import translation

from advocacy.choices import AliasKind
from advocacy.formats.documents import load, partial_date
from advocacy.publication.reading import public_rows

SCRIPT_SUBTAGS = {"latn": "Latn", "cyrl": "Cyrl"}
LANGUAGE = "en"


def _other_names(document: dict) -> list[dict]:
    kinds = dict(AliasKind.choices)
    names = []
    for alias in document.get("aliases") or []:
        lang = alias["language"] or None
        script = SCRIPT_SUBTAGS.get(alias["script"])
        names.append(
            {
                "name": alias["name"],
                "note": str(kinds.get(alias["kind"], alias["kind"])),
                "lang": f"{lang}-{script}" if lang and script else lang,
                "language": lang,
                "script": alias["script"],
            }
        )
    return names


def _identifiers(document: dict) -> list[dict]:
    return [
        {"scheme": i["scheme"], "identifier": i["identifier"]}
        for i in document.get("identifiers") or []
    ]


def _source_link(source: dict, note: str = "") -> dict:
    url = source.get("source_url") or source.get("html_url")
    return {"url": url, "note": " — ".join(part for part in (source["title"], note) if part)}


def _sources(document: dict) -> list[dict]:
    return [
        _source_link(citation["source"], citation["excerpt"])
        for citation in document.get("citations") or []
    ]


def _links(document: dict) -> list[dict]:
    links = [{"url": document["url"], "note": "Advocacy Tracker API"}]
    if document.get("html_url"):
        links.insert(0, {"url": document["html_url"], "note": "Advocacy Tracker"})
    return links


def _id(kind: str, summary: dict | None) -> str | None:
    if not summary or not summary.get("slug"):
        return None
    return f"{kind}/{summary['slug']}"


def person_row(p: dict) -> dict:
    return {
        "id": f"person/{p['slug']}",
        "name": p["name"],
        "other_names": _other_names(p),
        "identifiers": _identifiers(p),
        "biography": p["description"] or None,
        "national_identity": p["country"] or None,
        "links": _links(p),
        "sources": _sources(p),
        "created_at": p["created_at"],
        "updated_at": p["updated_at"],
    }


def organization_row(g: dict) -> dict:
    return {
        "id": f"organization/{g['slug']}",
        "name": g["name"],
        "other_names": _other_names(g),
        "identifiers": _identifiers(g),
        "classification": g["kind"],
        "description": g["description"] or None,
        "founding_date": partial_date(g["founded_on"], g["founded_precision"]),
        "area_id": g["country"] or None,
        "links": _links(g),
        "sources": _sources(g),
        "created_at": g["created_at"],
        "updated_at": g["updated_at"],
    }


def membership_row(m: dict) -> dict | None:
    person, group = m.get("person") or {}, m.get("group") or {}
    if not person.get("slug") or not group.get("slug"):
        return None  # a protected member: the membership would say who she is
    return {
        "id": f"membership/{m['id']}",
        "person_id": _id("person", person),
        "organization_id": _id("organization", group),
        "role": m["role"],
        "label": f"{m['role']}, {group['name']}",
        "start_date": partial_date(m["start_date"], m["start_precision"]),
        "end_date": partial_date(m["end_date"], m["end_precision"]),
        "links": [{"url": m["url"], "note": "Advocacy Tracker API"}],
        "sources": _sources(m),
        "created_at": m["created_at"],
        "updated_at": m["updated_at"],
    }


def event_row(e: dict) -> dict:
    participants = []
    organiser = None
    for participation in e["participations"]:
        agent = participation.get("participant")
        if not agent:
            continue
        row = {"role": participation["part"], "note": participation["note"] or None}
        if agent.get("slug"):
            key = "person_id" if agent["type"] == "person" else "organization_id"
            row[key] = _id("person" if agent["type"] == "person" else "organization", agent)
            if participation["part"] == "organiser" and agent["type"] == "group" and not organiser:
                organiser = row[key]
        row["label"] = agent.get("name") or agent.get("label")
        participants.append(row)
    return {
        "id": f"event/{e['slug']}",
        "name": e["name"],
        "description": e["description"] or None,
        "start_date": partial_date(e["date"], e["date_precision"]),
        "end_date": e["end_date"],
        "location": e["place"] or None,
        "classification": e["kind"],
        "organization_id": organiser,
        "participants": participants,
        "links": _links(e),
        "sources": _sources(e),
        "created_at": e["created_at"],
        "updated_at": e["updated_at"],
    }


def speech_row(s: dict) -> dict:
    speaker = s.get("speaker") or {}
    quotations = s["quotations"]
    speech = {
        "id": f"speech/{s['slug']}",
        "creator_id": _id("person", speaker) if speaker.get("type") == "person" else None,
        "attribution_text": speaker.get("name") or speaker.get("label"),
        "text": quotations[0]["text"] if quotations else None,
        "title": s["summary"] or None,
        "type": s["medium"],
        "date": (
            datetime.datetime.combine(
                datetime.date.fromisoformat(s["date"]), datetime.time(), tzinfo=datetime.UTC
            ).isoformat()
            if s["date"]
            else None
        ),
        "date_precision": s["date_precision"],
        "event_id": _id("event", s.get("event")),
        "quotations": [
            {
                "text": q["text"],
                "language": q["language"],
                "source": _source_link(q["source"]),
                "is_verbatim": q["is_verbatim"],
                "start_offset": q["start_offset"],
                "end_offset": q["end_offset"],
            }
            for q in quotations
        ],
        "links": _links(s),
        "sources": [_source_link(q["source"]) for q in quotations] + _sources(s),
        "created_at": s["created_at"],
        "updated_at": s["updated_at"],
    }
    if speaker.get("type") == "group" and speaker.get("slug"):
        speech["organization_id"] = _id("organization", speaker)
    addressee = s.get("addressee") or {}
    if addressee.get("type") == "person" and addressee.get("slug"):
        speech["audience_id"] = _id("person", addressee)
    return speech


SECTIONS = [
    ("persons", "person", person_row),
    ("organizations", "group", organization_row),
    ("memberships", "membership", membership_row),
    ("events", "event", event_row),
    ("speeches", "statement", speech_row),
]
META = {"format": "popolo", "schemas": "http://www.popoloproject.com/schemas/"}
# Rows read and written out at a time.
CHUNK_SIZE = 500


def _chunks(kind: str, size: int) -> Iterator[list]:
    """The kind's public rows, `size` at a time, by id (keyset: no offset, however far)."""
    last = None
    while True:
        page = public_rows(kind, LANGUAGE).order_by("id")
        if last is not None:
            page = page.filter(id__gt=last)
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].id


def popolo_chunks(audience) -> Iterator[bytes]:
    """The export as JSON text, a chunk of rows at a time: a million statements are
    streamed in the memory of five hundred. Links point at `audience.base` (an origin)."""
    base = audience.base
    yield b'{"meta":' + _json(META)
    with translation.override(LANGUAGE):
        for key, kind, build in SECTIONS:
            yield f',"{key}":['.encode()
            separator = b""
            for rows in _chunks(kind, CHUNK_SIZE):
                documents = (load(row.document_text, base) for row in rows)
                built = [item for item in map(build, documents) if item is not None]
                if built:
                    yield separator + b",".join(_json(item) for item in built)
                    separator = b","
            yield b"]"
    yield b"}"


def _json(value) -> bytes:
    # As the API's JSON renderer writes it: UTF-8, compact.
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()
