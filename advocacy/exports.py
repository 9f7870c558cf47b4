"""Downloads of the public lists: one row per record, with its citations.

Rows are made from the public documents (advocacy.publication): already redacted, with
drafts and protected people left out or shown by the neutral label. The same rows feed
both formats: JSON keeps quotations and citations as lists of objects; CSV flattens them
into text cells.
"""

from __future__ import annotations

import json

from advocacy.choices import Country, EventKind, GroupKind, Medium, ParticipantRole, SourceKind
from advocacy.csvfile import csv_text
from advocacy.models.public import PLACEHOLDER_ORIGIN
from advocacy.publication.reading import document_title


def _label(choices, value) -> str:
    try:
        return str(choices(value).label) if value else ""
    except ValueError:
        return value


class RowBuilder:
    def __init__(self, request, memberships: dict[int, dict] | None = None):
        self.origin = request.build_absolute_uri("/")[:-1]
        self.memberships = memberships or {}

    def url(self, summary: dict | None) -> str:
        link = (summary or {}).get("html_url") or ""
        return link.replace(PLACEHOLDER_ORIGIN, self.origin)

    def citations(self, document: dict) -> list[dict]:
        return [
            self.source_ref(citation["source"], excerpt=citation["excerpt"])
            for citation in document.get("citations") or []
        ]

    def source_ref(self, source: dict, excerpt: str = "") -> dict:
        return {
            "source": source.get("title", ""),
            "publisher": source.get("publisher", ""),
            "published": source.get("published_on") or "",
            "url": source.get("source_url", ""),
            "source_page": self.url(source),
            "excerpt": excerpt or "",
        }

    def conflicts(self, document: dict) -> list[dict]:
        return [
            {
                "field": version["field"],
                "value": version["value"],
                **self.source_ref(version["source"], excerpt=version["excerpt"]),
            }
            for version in document.get("conflicting_versions") or []
        ]

    def party(self, summary: dict | None) -> dict:
        """A speaker, addressee or participant: name and link, or the neutral label."""
        if not summary:
            return {"name": "", "url": ""}
        return {"name": summary.get("label", ""), "url": self.url(summary)}

    # One function per list

    def statement(self, row) -> dict:
        document = row.document
        speaker = self.party(document["speaker"])
        addressee = self.party(document["addressee"])
        event = document.get("event") or {}
        return {
            "id": document["id"],
            "url": self.url(document),
            "title": document_title(document),
            "date": document["date"] or "",
            "date_precision": document["date_precision"],
            "latest_date": row.latest_date.isoformat() if row.latest_date else "",
            "speaker": speaker["name"],
            "speaker_url": speaker["url"],
            "addressee": addressee["name"],
            "addressee_url": addressee["url"],
            "medium": _label(Medium, document["medium"]),
            "event": event.get("name", ""),
            "event_url": self.url(event) if event else "",
            "summary": document["summary"],
            "quotations": [
                {
                    "text": quotation["text"],
                    "language": quotation["language"],
                    "found_verbatim": quotation["is_verbatim"],
                    **self.source_ref(quotation["source"]),
                }
                for quotation in document["quotations"]
            ],
            "topics": document["topics"],
            "has_conflict": document["has_conflict"],
            "conflicting_versions": self.conflicts(document),
            "citations": self.citations(document),
        }

    def event(self, row) -> dict:
        document = row.document
        return {
            "id": document["id"],
            "url": self.url(document),
            "name": document["name"],
            "kind": _label(EventKind, document["kind"]),
            "date": document["date"] or "",
            "date_precision": document["date_precision"],
            "latest_date": row.latest_date.isoformat() if row.latest_date else "",
            "date_as_printed": document["date_as_printed"],
            "place": document["place"],
            "description": document["description"],
            "participants": [
                {
                    **self.party(participation["participant"]),
                    "part": _label(ParticipantRole, participation["part"]),
                    "note": participation["note"],
                }
                for participation in document["participations"]
            ],
            "has_conflict": document["has_conflict"],
            "conflicting_versions": self.conflicts(document),
            "citations": self.citations(document),
        }

    def group(self, row) -> dict:
        document = row.document
        return {
            "id": document["id"],
            "url": self.url(document),
            "name": document["name"],
            "aliases": [alias["name"] for alias in document["aliases"]],
            "kind": _label(GroupKind, document["kind"]),
            "country": _label(Country, document["country"]),
            "description": document["description"],
            "website": document.get("website", ""),
            "has_conflict": document["has_conflict"],
            "conflicting_versions": self.conflicts(document),
            "citations": self.citations(document),
        }

    def person(self, row) -> dict:
        document = row.document
        return {
            "id": document["id"],
            "url": self.url(document),
            "name": document["name"],
            "aliases": [alias["name"] for alias in document["aliases"]],
            "country": _label(Country, document["country"]),
            "description": document["description"],
            "roles": [
                {
                    "group": (membership["group"] or {}).get("name", ""),
                    "role": membership["role"],
                    "start": membership["start_date"] or "",
                    "end": membership["end_date"] or "",
                    "citations": self.citations(self.memberships.get(membership["id"], {})),
                }
                for membership in document["memberships"]
            ],
            "has_conflict": document["has_conflict"],
            "conflicting_versions": self.conflicts(document),
            "citations": self.citations(document),
        }

    def source(self, row) -> dict:
        document = row.document
        return {
            "id": document["id"],
            "url": self.url(document),
            "title": document["title"],
            "publisher": document["publisher"],
            "authors": document.get("authors", ""),
            "kind": _label(SourceKind, document["kind"]),
            "language": document["language"],
            "published": document["published_on"] or "",
            "published_precision": document.get("published_precision", ""),
            "original_url": document.get("source_url", ""),
        }


# Formats


def flatten(value) -> str:
    """A list of citations, quotations or names as one readable cell."""
    if isinstance(value, list):
        return "\n".join(flatten(item) for item in value)
    if isinstance(value, dict):
        parts = []
        for key in ("text", "name", "field", "value", "role", "group", "part"):
            if value.get(key):
                parts.append(str(value[key]))
        head = " — ".join(parts)
        if "source" in value:
            reference = f"{value['source']} ({value['publisher']}, {value['published']})"
            if value.get("excerpt"):
                reference += f": “{value['excerpt']}”"
            reference += f" <{value['url'] or value['source_page']}>"
            head = f"{head} [{reference}]" if head else reference
        if value.get("citations"):
            head += " [" + "; ".join(flatten(c) for c in value["citations"]) + "]"
        return head
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "" if value is None else str(value)


def to_csv(rows: list[dict]) -> str:
    """UTF-8 CSV with a byte-order mark, so spreadsheets read Cyrillic correctly."""
    if not rows:
        return "\ufeff"
    columns = list(rows[0])
    return csv_text(
        columns, ([flatten(row[column]) for column in columns] for row in rows), bom=True
    )


def to_json(rows: list[dict], *, filters: dict, generated: str) -> str:
    return json.dumps(
        {"generated": generated, "filters": filters, "count": len(rows), "results": rows},
        ensure_ascii=False,
        indent=1,
    )
