"""Downloads of the public lists: one row per record, with its citations.

The same rows feed both formats: JSON keeps quotations and citations as lists of
objects; CSV flattens them into text cells. Every text is redacted of protected names,
and a protected person appears only by the neutral label, with no link.
"""

from __future__ import annotations

import json

from advocacy.csvfile import csv_text
from advocacy.redaction import redact
from advocacy.views.presentation import is_named, record_label, record_url, statement_title


class RowBuilder:
    def __init__(self, request, names: list[str]):
        self.request = request
        self.names = names

    def url(self, record) -> str:
        path = record_url(record)
        return self.request.build_absolute_uri(path) if path else ""

    def text(self, value) -> str:
        return redact(str(value or ""), self.names)

    def citations(self, record) -> list[dict]:
        rows = []
        for citation in record.citations.all():
            rows.append(self.source_ref(citation.source, excerpt=citation.excerpt))
        return rows

    def source_ref(self, source, excerpt: str = "") -> dict:
        return {
            "source": self.text(source.title),
            "publisher": self.text(source.publisher),
            "published": source.published_on.isoformat() if source.published_on else "",
            "url": source.url,
            "source_page": self.request.build_absolute_uri(source.get_absolute_url()),
            "excerpt": self.text(excerpt),
        }

    def conflicts(self, record) -> list[dict]:
        return [
            {
                "field": version.field,
                "value": self.text(version.value),
                **self.source_ref(version.source, excerpt=version.excerpt),
            }
            for version in record.conflicting_versions.all()
        ]

    def party(self, record) -> dict:
        """A speaker, addressee or participant: name and link, or the neutral label."""
        if record is None:
            return {"name": "", "url": ""}
        return {"name": record_label(record, self.names), "url": self.url(record)}

    # One function per list

    def statement(self, statement) -> dict:
        speaker = self.party(statement.speaker)
        addressee = self.party(statement.addressee)
        return {
            "id": statement.pk,
            "url": self.url(statement),
            "title": statement_title(statement, self.names),
            "date": statement.date.isoformat() if statement.date else "",
            "date_precision": statement.date_precision,
            "latest_date": statement.latest_date.isoformat() if statement.latest_date else "",
            "speaker": speaker["name"],
            "speaker_url": speaker["url"],
            "addressee": addressee["name"],
            "addressee_url": addressee["url"],
            "medium": statement.get_medium_display(),
            "event": statement.event.name if statement.event else "",
            "event_url": self.url(statement.event) if statement.event else "",
            "summary": self.text(statement.summary),
            "quotations": [
                {
                    "text": self.text(quotation.text),
                    "language": quotation.language,
                    "found_verbatim": quotation.is_verbatim,
                    **self.source_ref(quotation.source),
                }
                for quotation in statement.quotations.all()
            ],
            "topics": [topic.name for topic in statement.topics.all()],
            "has_conflict": statement.has_conflict,
            "conflicting_versions": self.conflicts(statement),
            "citations": self.citations(statement),
        }

    def event(self, event) -> dict:
        return {
            "id": event.pk,
            "url": self.url(event),
            "name": event.name,
            "kind": event.get_kind_display(),
            "date": event.date.isoformat() if event.date else "",
            "date_precision": event.date_precision,
            "latest_date": event.latest_date.isoformat() if event.latest_date else "",
            "date_as_printed": event.date_as_printed,
            "place": event.place,
            "description": self.text(event.description),
            "participants": [
                {
                    **self.party(participation.participant),
                    "part": participation.get_part_display(),
                    "note": self.text(participation.note),
                }
                for participation in event.participations.all()
            ],
            "has_conflict": event.has_conflict,
            "conflicting_versions": self.conflicts(event),
            "citations": self.citations(event),
        }

    def group(self, group) -> dict:
        return {
            "id": group.pk,
            "url": self.url(group),
            "name": group.name,
            "aliases": [alias.name for alias in group.aliases.all()],
            "kind": group.get_kind_display(),
            "country": group.get_country_display() if group.country else "",
            "description": self.text(group.description),
            "website": group.website,
            "has_conflict": group.has_conflict,
            "conflicting_versions": self.conflicts(group),
            "citations": self.citations(group),
        }

    def person(self, person) -> dict:
        named = is_named(person)
        return {
            "id": person.pk,
            "url": self.url(person),
            "name": person.public_name,
            "aliases": [alias.name for alias in person.aliases.all()] if named else [],
            "country": person.get_country_display() if person.country else "",
            "description": self.text(person.description) if named else "",
            "roles": [
                {
                    "group": membership.group.name,
                    "role": self.text(membership.role),
                    "start": membership.start_date.isoformat() if membership.start_date else "",
                    "end": membership.end_date.isoformat() if membership.end_date else "",
                    "citations": self.citations(membership),
                }
                for membership in person.memberships.all()
            ],
            "has_conflict": person.has_conflict,
            "conflicting_versions": self.conflicts(person),
            "citations": self.citations(person),
        }

    def source(self, source) -> dict:
        return {
            "id": source.pk,
            "url": self.url(source),
            "title": self.text(source.title),
            "publisher": self.text(source.publisher),
            "authors": self.text(source.authors),
            "kind": source.get_kind_display(),
            "language": source.language,
            "published": source.published_on.isoformat() if source.published_on else "",
            "published_precision": source.published_precision,
            "original_url": source.url,
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
