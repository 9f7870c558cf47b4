"""The public records as Popolo JSON (popoloproject.com), made from the public documents.

The same sections and fields as the API's export (advocacy/api/popolo.py): persons,
organizations, memberships, events, and statements as speeches; ids "<kind>/<slug>";
dates keep their precision; a protected speaker is attributed by the neutral label only.
Written a section at a time, in the memory of one chunk of rows.
"""

import datetime
import json
from collections.abc import Iterator

from advocacy.choices import AliasKind
from advocacy.formats.documents import documents, partial_date

SCRIPT_SUBTAGS = {"latn": "Latn", "cyrl": "Cyrl"}
META = {"format": "popolo", "schemas": "http://www.popoloproject.com/schemas/"}


def _kind_label(value: str) -> str:
    try:
        return str(AliasKind(value).label)
    except ValueError:
        return value


def _other_names(document: dict) -> list[dict]:
    names = []
    for alias in document.get("aliases") or []:
        lang = alias.get("language") or None
        script = SCRIPT_SUBTAGS.get(alias.get("script"))
        names.append(
            {
                "name": alias["name"],
                "note": _kind_label(alias.get("kind", "")),
                "lang": f"{lang}-{script}" if lang and script else lang,
                "language": lang,
                "script": alias.get("script"),
            }
        )
    return names


def _source_link(source: dict, note: str = "") -> dict:
    url = source.get("source_url") or source.get("html_url")
    return {"url": url, "note": " — ".join(p for p in (source.get("title"), note) if p)}


def _sources(document: dict) -> list[dict]:
    return [
        _source_link(c["source"], c.get("excerpt") or "") for c in document.get("citations") or []
    ]


def _links(document: dict) -> list[dict]:
    links = [{"url": document["url"], "note": "Advocacy Tracker API"}]
    if document.get("html_url"):
        links.insert(0, {"url": document["html_url"], "note": "Advocacy Tracker"})
    return links


def _ref(summary: dict | None, kind: str) -> str | None:
    """A person's or group's Popolo id; None for a protected person (no slug)."""
    return f"{kind}/{summary['slug']}" if summary and summary.get("slug") else None


def _stamps(document: dict) -> dict:
    return {"created_at": document.get("created_at"), "updated_at": document.get("updated_at")}


def person(d: dict) -> dict:
    return {
        "id": f"person/{d['slug']}",
        "name": d["name"],
        "other_names": _other_names(d),
        "identifiers": [
            {"scheme": i["scheme"], "identifier": i["identifier"]} for i in d["identifiers"]
        ],
        "biography": d.get("description") or None,
        "national_identity": d.get("country") or None,
        "links": _links(d),
        "sources": _sources(d),
        **_stamps(d),
    }


def organization(d: dict) -> dict:
    return {
        "id": f"organization/{d['slug']}",
        "name": d["name"],
        "other_names": _other_names(d),
        "identifiers": [
            {"scheme": i["scheme"], "identifier": i["identifier"]} for i in d["identifiers"]
        ],
        "classification": d.get("kind"),
        "description": d.get("description") or None,
        "founding_date": partial_date(d.get("founded_on"), d.get("founded_precision")),
        "area_id": d.get("country") or None,
        "links": _links(d),
        "sources": _sources(d),
        **_stamps(d),
    }


def membership(d: dict) -> dict | None:
    person_id, group_id = _ref(d.get("person"), "person"), _ref(d.get("group"), "organization")
    if person_id is None or group_id is None:
        return None
    return {
        "id": f"membership/{d['id']}",
        "person_id": person_id,
        "organization_id": group_id,
        "role": d.get("role"),
        "label": f"{d.get('role')}, {d['group'].get('name', '')}",
        "start_date": partial_date(d.get("start_date"), d.get("start_precision")),
        "end_date": partial_date(d.get("end_date"), d.get("end_precision")),
        "links": [{"url": d["url"], "note": "Advocacy Tracker API"}],
        "sources": _sources(d),
        **_stamps(d),
    }


def event(d: dict) -> dict:
    participants, organisers = [], []
    for participation in d.get("participations") or []:
        agent = participation.get("participant") or {}
        row = {"role": participation.get("part"), "note": participation.get("note") or None}
        if agent.get("slug"):
            kind = "person" if agent.get("type") == "person" else "organization"
            row[f"{kind}_id"] = f"{kind}/{agent['slug']}"
            if kind == "organization" and participation.get("part") == "organiser":
                organisers.append(row[f"{kind}_id"])
        row["label"] = agent.get("label", "")
        participants.append(row)
    return {
        "id": f"event/{d['slug']}",
        "name": d["name"],
        "description": d.get("description") or None,
        "start_date": partial_date(d.get("date"), d.get("date_precision")),
        "end_date": d.get("end_date") or None,
        "location": d.get("place") or None,
        "classification": d.get("kind"),
        "organization_id": organisers[0] if organisers else None,
        "participants": participants,
        "links": _links(d),
        "sources": _sources(d),
        **_stamps(d),
    }


def speech(d: dict) -> dict:
    speaker = d.get("speaker") or {}
    quotations = d.get("quotations") or []
    date = d.get("date")
    row = {
        "id": f"speech/{d['slug']}",
        "creator_id": _ref(speaker, "person") if speaker.get("type") == "person" else None,
        "attribution_text": speaker.get("label", ""),
        "text": quotations[0]["text"] if quotations else None,
        "title": d.get("summary") or None,
        "type": d.get("medium"),
        "date": (
            datetime.datetime.combine(
                datetime.date.fromisoformat(date), datetime.time(), tzinfo=datetime.UTC
            ).isoformat()
            if date
            else None
        ),
        "date_precision": d.get("date_precision"),
        "event_id": _ref(d.get("event"), "event"),
        "quotations": [
            {
                "text": q["text"],
                "language": q.get("language"),
                "source": _source_link(q["source"]),
                "is_verbatim": q.get("is_verbatim"),
                "start_offset": q.get("start_offset"),
                "end_offset": q.get("end_offset"),
            }
            for q in quotations
        ],
        "links": _links(d),
        "sources": [_source_link(q["source"]) for q in quotations] + _sources(d),
        **_stamps(d),
    }
    if speaker.get("type") == "group" and speaker.get("slug"):
        row["organization_id"] = f"organization/{speaker['slug']}"
    addressee = d.get("addressee") or {}
    if addressee.get("type") == "person" and addressee.get("slug"):
        row["audience_id"] = f"person/{addressee['slug']}"
    return row


SECTIONS = [
    ("persons", "person", person),
    ("organizations", "group", organization),
    ("memberships", "membership", membership),
    ("events", "event", event),
    ("speeches", "statement", speech),
]


def _json(value) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def section(key: str, rows: Iterator[dict | None]) -> Iterator[bytes]:
    yield f',"{key}":['.encode()
    separator = b""
    for row in rows:
        if row is not None:
            yield separator + _json(row)
            separator = b","
    yield b"]"


def chunks(*, base: str = "") -> Iterator[bytes]:
    """The whole export as JSON text, a record at a time."""
    yield b'{"meta":' + _json(META)
    for key, kind, build in SECTIONS:
        yield from section(key, (build(d) for d in documents(kind, base=base)))
    yield b"}"
