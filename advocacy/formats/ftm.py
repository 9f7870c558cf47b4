"""The public records as FollowTheMoney entities (followthemoney.tech), the model Aleph and
OpenSanctions use, one JSON entity a line.

| our record | FtM schema | notes |
| --- | --- | --- |
| person | `Person` | aliases as `alias`, Wikidata id as `wikidataId` |
| group | `Organization` | |
| membership | `Membership` | `member` → Person, `organization` → Organization |
| event | `Event` | organisers as `organizer`, attendees, the invited and addressees as `involved` |
| source | `Article` (`Video` for videos) | `contentHash`: SHA-1 of the archived text |
| quotation | `Documentation` | see below |

A statement's quotations are `Documentation` entities: FtM's link between a document and
the entity it documents (`document` → the source, `entity` → the speaker), with the words
as printed in `description`, the statement's summary in `summary`, its date in `date` and
`role` "speaker". That is what a quotation is — a source recording that someone said
something — and Aleph shows it on both the speaker's and the source's page. FtM has no
schema for an utterance: `Event` is for things that happen at a place and time (our
events), `Note` is a remark attached to an entity with no document, `Mention` a name found
in a document and not yet resolved. The statement itself is the quotations' shared
`recordId` (`advocacy-statement-<id>`). A quotation whose speaker may not be named (a
protected person) has no entity to document, and is left out.

Sources' `bodyText` is there only where the full text may be shown.

Ids are stable: `advocacy-<kind>-<id>` with the record's id, which never changes. Every
entity says what it rests on: `proof` names the Article entities of the sources cited for
it, `sourceUrl` their original addresses (our source page where a source has none) and
`publisher` their publishers.
"""

import json
from collections.abc import Iterable, Iterator

from followthemoney import model
from followthemoney.proxy import EntityProxy

from advocacy.formats.documents import documents, partial_date

PREFIX = "advocacy"
VIDEO_KINDS = {"news_video", "video_message"}
INVOLVED_PARTS = {"attendee", "invited", "addressee"}


def entity_id(kind: str, pk: int | str) -> str:
    return f"{PREFIX}-{kind}-{pk}"


def _agent_id(summary: dict | None) -> str | None:
    """A person or group summary's entity id; None for a protected person (no id)."""
    if not summary or summary.get("id") is None:
        return None
    kind = "person" if summary.get("type") == "person" else "group"
    return entity_id(kind, summary["id"])


def _source_url(source: dict) -> str:
    return source.get("source_url") or source.get("html_url") or ""


def _rests_on(entity: EntityProxy, sources: Iterable[dict]) -> None:
    """`proof`, `sourceUrl` and `publisher` from the sources a record is cited to."""
    for source in sources:
        if not source or source.get("id") is None:
            continue
        entity.add("proof", entity_id("source", source["id"]))
        entity.add("sourceUrl", _source_url(source))
        entity.add("publisher", source.get("publisher") or None)


def _cited(document: dict) -> list[dict]:
    return [citation["source"] for citation in document.get("citations") or []]


def person(document: dict) -> EntityProxy:
    entity = model.make_entity("Person")
    entity.id = entity_id("person", document["id"])
    entity.add("name", document["name"])
    entity.add("alias", [alias["name"] for alias in document.get("aliases") or []])
    entity.add("country", document.get("country") or None)
    entity.add("description", document.get("description") or None)
    for identifier in document.get("identifiers") or []:
        if identifier.get("scheme") == "wikidata":
            entity.add("wikidataId", identifier["identifier"])
    entity.add("position", [m["role"] for m in document.get("memberships") or [] if m["role"]])
    _rests_on(entity, _cited(document))
    return entity


def organization(document: dict) -> EntityProxy:
    entity = model.make_entity("Organization")
    entity.id = entity_id("group", document["id"])
    entity.add("name", document["name"])
    entity.add("alias", [alias["name"] for alias in document.get("aliases") or []])
    entity.add("country", document.get("country") or None)
    entity.add("description", document.get("description") or None)
    entity.add(
        "incorporationDate",
        partial_date(document.get("founded_on"), document.get("founded_precision")),
    )
    entity.add("website", document.get("website") or None)
    for identifier in document.get("identifiers") or []:
        if identifier.get("scheme") == "wikidata":
            entity.add("wikidataId", identifier["identifier"])
    _rests_on(entity, _cited(document))
    return entity


def membership(document: dict) -> EntityProxy | None:
    member, group = _agent_id(document.get("person")), _agent_id(document.get("group"))
    if member is None or group is None:
        return None
    entity = model.make_entity("Membership")
    entity.id = entity_id("membership", document["id"])
    entity.add("member", member)
    entity.add("organization", group)
    entity.add("role", document.get("role") or None)
    entity.add("startDate", partial_date(document.get("start_date"), document["start_precision"]))
    entity.add("endDate", partial_date(document.get("end_date"), document["end_precision"]))
    _rests_on(entity, _cited(document))
    return entity


def event(document: dict) -> EntityProxy:
    entity = model.make_entity("Event")
    entity.id = entity_id("event", document["id"])
    entity.add("name", document["name"])
    entity.add("startDate", partial_date(document.get("date"), document.get("date_precision")))
    entity.add("endDate", document.get("end_date") or None)
    entity.add("location", document.get("place") or None)
    entity.add("description", document.get("description") or None)
    entity.add("keywords", document.get("topics") or [])
    for participation in document.get("participations") or []:
        agent = _agent_id(participation.get("participant"))
        if agent is None:
            continue
        if participation.get("part") == "organiser":
            entity.add("organizer", agent)
        elif participation.get("part") in INVOLVED_PARTS:
            entity.add("involved", agent)
    _rests_on(entity, _cited(document))
    return entity


def source(document: dict) -> EntityProxy:
    entity = model.make_entity("Video" if document.get("kind") in VIDEO_KINDS else "Article")
    entity.id = entity_id("source", document["id"])
    entity.add("title", document["title"])
    entity.add("publisher", document.get("publisher") or None)
    entity.add("author", document.get("authors") or None)
    entity.add(
        "publishedAt",
        partial_date(document.get("published_on"), document.get("published_precision")),
    )
    entity.add("retrievedAt", document.get("retrieved_on") or None)
    entity.add("language", document.get("language") or None)
    entity.add("sourceUrl", _source_url(document))
    # SHA-1 of our archived text (FtM checksums are SHA-1), kept even when it may not be shown.
    entity.add("contentHash", document.get("content_sha1") or None)
    entity.add("bodyText", document.get("archived_text") or None)
    return entity


def quotations(document: dict) -> Iterator[EntityProxy]:
    """A statement's quotations as Documentation entities (the module's docstring says why)."""
    speaker = _agent_id(document.get("speaker"))
    if speaker is None:
        return
    addressee = document.get("addressee") or {}
    for quotation in document.get("quotations") or []:
        source_doc = quotation["source"]
        entity = model.make_entity("Documentation")
        entity.id = entity_id("quotation", quotation["id"])
        entity.add("document", entity_id("source", source_doc["id"]))
        entity.add("entity", speaker)
        entity.add("role", "speaker")
        entity.add("description", quotation["text"])
        entity.add("summary", document.get("summary") or None)
        entity.add("date", partial_date(document.get("date"), document.get("date_precision")))
        entity.add("recordId", entity_id("statement", document["id"]))
        if addressee.get("id") is not None:
            entity.add("namesMentioned", addressee.get("label"))
        _rests_on(entity, [source_doc])
        yield entity


def entities(*, base: str = "") -> Iterator[EntityProxy]:
    """Every public record as FtM entities: sources first, so what rests on them follows."""
    yield from (source(d) for d in documents("source", base=base))
    yield from (organization(d) for d in documents("group", base=base))
    yield from (person(d) for d in documents("person", base=base))
    for document in documents("membership", base=base):
        entity = membership(document)
        if entity is not None:
            yield entity
    yield from (event(d) for d in documents("event", base=base))
    for document in documents("statement", base=base):
        yield from quotations(document)


def lines(*, base: str = "") -> Iterator[bytes]:
    """The export as JSON lines (what `ftm` reads), UTF-8."""
    for entity in entities(base=base):
        yield json.dumps(entity.to_dict(), ensure_ascii=False, sort_keys=True).encode() + b"\n"
