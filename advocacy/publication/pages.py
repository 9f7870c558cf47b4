"""What a record's public page shows beyond its API document, built with it.

A page also shows records of other kinds (a group's members, a person's statements); those
are read at request time from their own public rows. What has no public row of its own is
built here: a source's quotations marked in their paragraphs, a group's relations, and the
sources of other names. Like the documents, every string here goes through the builder's
final redaction pass.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from itertools import pairwise

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from advocacy import selectors
from advocacy.api.fields import agent_summary, group_summary, source_summary
from advocacy.api.prefetch import related
from advocacy.api.serializers import record_summary
from advocacy.dates import format_partial_date
from advocacy.models import Citation, ConflictingVersion, Group, GroupRelation, Quotation, Source
from advocacy.publication.reading import document_title, shown_name
from advocacy.text import paragraph_around


def citation(audience, item) -> dict:
    return {
        "id": item.pk,
        "source": source_summary(audience, item.source),
        "excerpt": item.excerpt,
        "note": item.note,
    }


def _alias_sources(objects, audience) -> dict:
    """The sources of these records' other names that the audience may see, by id."""
    source_ids = {
        alias.source_id for obj in objects for alias in related(obj, "aliases") if alias.source_id
    }
    return {
        source.pk: source
        for source in Source.objects.visible_to(audience.request.user).filter(pk__in=source_ids)
    }


def aliases(obj, audience) -> list[dict]:
    """Other names, each with the source that gives it (where that source is public)."""
    names = list(related(obj, "aliases"))
    sources = getattr(obj, "_page_alias_sources", None)
    if sources is None:
        sources = _alias_sources([obj], audience)
    return [
        {
            "name": alias.name,
            "language": alias.language,
            "script": alias.script,
            "kind": alias.kind,
            "source": source_summary(audience, sources.get(alias.source_id)),
        }
        for alias in names
    ]


def cited_record(audience, record) -> dict | None:
    """What a citation supports, said in words a reader follows: "Olga Tsukanova —
    president, Council of Mothers and Wives" rather than "membership #3"."""
    from advocacy.models import GroupRelation as Relation
    from advocacy.models import Membership, Participation, Statement

    def label_of(summary, fallback=""):
        # The name in the page's language (built once per language), a transliteration
        # marked as one.
        return shown_name(summary) or fallback

    if isinstance(record, Membership):
        person = agent_summary(audience, record.person)
        group = group_summary(audience, record.group)
        translation = record.role_in(get_language())
        role = f"{record.role} ({translation})" if translation else record.role
        return {
            "label": f"{label_of(person)} — {role}, {label_of(group)}",
            "html_url": (person or {}).get("html_url") or (group or {}).get("html_url"),
        }
    if isinstance(record, Participation):
        agent = agent_summary(audience, record.participant)
        event = record_summary(audience, record.event, "event")
        return {
            "label": f"{label_of(agent)} — {str(record.get_part_display()).lower()}, "
            f"{label_of(event)}",
            "html_url": (event or {}).get("html_url"),
        }
    if isinstance(record, Relation):
        subject = group_summary(audience, record.subject)
        object_ = group_summary(audience, record.object)
        return {
            "label": f"{label_of(subject, record.subject.name)} {record.get_kind_display()} "
            f"{label_of(object_, record.object.name)}",
            "html_url": audience.html_url("group-detail", record.subject.slug),
        }
    if isinstance(record, Statement):
        summary = record_summary(audience, record, "statement") or {}
        return {
            "label": document_title(
                {
                    "speaker": agent_summary(audience, record.speaker),
                    "summary": record.summary,
                    "quotations": [],
                }
            ),
            "html_url": summary.get("html_url"),
        }
    return None


def cited_parts(record) -> list:
    """The records `cited_record` shows a summary of, for a cited record."""
    from advocacy.models import Membership, Participation, Statement

    if isinstance(record, Membership):
        return [record.person, record.group]
    if isinstance(record, Participation):
        return [record.participant, record.event]
    if isinstance(record, Statement):
        return [record, record.speaker]
    return []


def citation_page(obj, audience, redactor) -> dict:
    return {"record": cited_record(audience, obj.content_object)}


def person_page(obj, audience, redactor) -> dict:
    return {"aliases": aliases(obj, audience), "changes": changes(obj, "person")}


def statement_page(obj, audience, redactor) -> dict:
    return {"changes": changes(obj, "statement")}


def event_page(obj, audience, redactor) -> dict:
    return {"changes": changes(obj, "event")}


def _relations(group_ids) -> list:
    """The public relations of these groups, either side, with their citations."""
    return list(
        GroupRelation.objects.public()
        .filter(Q(subject__in=group_ids) | Q(object__in=group_ids))
        .select_related("subject", "object")
        .prefetch_related(*selectors.citations_prefetch(user=None))
        .order_by("kind", "pk")
    )


def group_page(obj, audience, redactor) -> dict:
    relations = getattr(obj, "_page_relations", None)
    if relations is None:
        relations = _relations([obj.pk])
    obj._api_page_relations = relations  # recorded as shown: a change rebuilds the page
    # Their groups' visibility and names in the page's language, asked for all at once.
    audience.prime(Group, {pk for r in relations for pk in (r.subject_id, r.object_id)})
    return {
        "aliases": aliases(obj, audience),
        "changes": changes(obj, "group"),
        "relations": [
            {
                "id": relation.pk,
                "kind": relation.kind,
                "kind_display": relation.get_kind_display(),
                "subject": group_summary(audience, relation.subject),
                "object": group_summary(audience, relation.object),
                "citations": [citation(audience, item) for item in relation.citations.all()],
            }
            for relation in relations
        ],
    }


def _source_quotations(source_ids) -> list:
    return list(
        selectors.quotation_list(user=None)
        .filter(source__in=source_ids)
        .order_by("start_offset", "pk")
    )


def _source_versions(source_ids) -> list:
    return list(
        ConflictingVersion.objects.public()
        .filter(source__in=source_ids)
        .select_related("content_type")
        .prefetch_related("content_object")
        .order_by("pk")
    )


def source_page(obj, audience, redactor) -> dict:
    quotations = getattr(obj, "_page_quotations", None)
    if quotations is None:
        quotations = _source_quotations([obj.pk])
    versions = getattr(obj, "_page_versions", None)
    if versions is None:
        versions = _source_versions([obj.pk])
    obj._api_page_quotations = quotations
    obj._api_page_versions = versions
    statements = {}
    for quotation in quotations:
        statement = quotation.statement
        statements[quotation.pk] = {
            "title": document_title(
                {
                    "speaker": agent_summary(audience, statement.speaker),
                    "summary": statement.summary,
                    "quotations": [{"text": quotation.text}],
                }
            ),
            "html_url": audience.html_url("statement-detail", redactor.text(statement.slug)),
        }
    marked = MarkedText(obj.archived_text or "", quotations, statements, redactor.text_pattern)
    return {
        "changes": changes(obj, "source"),
        "paragraphs": marked.paragraphs_in_context(),
        "full_text": marked.full_text() if obj.full_text_public else [],
        "unlocated": [
            {"id": q.pk, "text": q.text, "statement": statements[q.pk]}
            for q in quotations
            if q.start_offset is None
        ],
        "conflicting_versions": [
            {
                "id": version.pk,
                "field": version.field,
                "value": version.value,
                "excerpt": version.excerpt,
                "record": record_summary(
                    audience, version.content_object, version.content_type.model
                ),
            }
            for version in versions
        ],
    }


# Reading a chunk's pages at once


def prime(audience, records) -> None:
    """Ask, in a query or two per model, which of these records the audience may see."""
    wanted: dict[type, set[int]] = {}
    for record in records:
        if record is not None:
            wanted.setdefault(type(record), set()).add(record.pk)
    for model, ids in wanted.items():
        audience.prime(model, ids)


def _prepare_aliases(objects, audience) -> None:
    sources = _alias_sources(objects, audience)
    for obj in objects:
        obj._page_alias_sources = sources


def _prepare_group(objects, audience) -> None:
    _prepare_aliases(objects, audience)
    relations: dict[int, list] = {obj.pk: [] for obj in objects}
    for relation in _relations(list(relations)):
        for group_id in dict.fromkeys((relation.subject_id, relation.object_id)):
            if group_id in relations:
                relations[group_id].append(relation)
    for obj in objects:
        obj._page_relations = relations[obj.pk]
    prime(audience, [g for rs in relations.values() for r in rs for g in (r.subject, r.object)])


def _prepare_source(objects, audience) -> None:
    quotations: dict[int, list] = {obj.pk: [] for obj in objects}
    for quotation in _source_quotations(list(quotations)):
        quotations[quotation.source_id].append(quotation)
    versions: dict[int, list] = {obj.pk: [] for obj in objects}
    for version in _source_versions(list(versions)):
        versions[version.source_id].append(version)
    for obj in objects:
        obj._page_quotations = quotations[obj.pk]
        obj._page_versions = versions[obj.pk]
    shown = [q.statement.speaker for qs in quotations.values() for q in qs]
    shown += [v.content_object for vs in versions.values() for v in vs]
    prime(audience, shown)


def _prepare_citation(objects, audience) -> None:
    prime(audience, [part for obj in objects for part in cited_parts(obj.content_object)])


PREPARE = {
    "group": _prepare_group,
    "person": _prepare_aliases,
    "source": _prepare_source,
    "citation": _prepare_citation,
}


def prepare(kind_name: str, objects: list, audience) -> None:
    """Read what a chunk of records' pages show for the whole chunk at once, in a fixed
    number of queries (not per record, nor per language), and ask once which of the
    related records they name may be shown. The page functions read it from the records
    (`_page_*`); called on a record alone, they query for it."""
    attach_changes(kind_name, objects)
    if objects and kind_name in PREPARE:
        PREPARE[kind_name](objects, audience)


# A source's text with its quotations marked


@dataclass
class Span:
    start: int
    end: int
    quotation: Quotation


class MarkedText:
    """Slices of a source's archived text as HTML, with quotations in <mark>.

    Protected names are found once in the whole text and each slice drops what falls
    inside one, so quotation offsets stay right and a name cut by a mark is still removed.
    """

    def __init__(self, text: str, quotations, statements: dict, pattern: re.Pattern | None):
        self.text = text
        self.statements = statements
        self.spans = sorted(
            (
                Span(q.start_offset, q.end_offset, q)
                for q in quotations
                if q.start_offset is not None and q.end_offset is not None
            ),
            key=lambda span: (span.start, -span.end),
        )
        self.redactions = [(m.start(), m.end()) for m in pattern.finditer(text)] if pattern else []
        # Translated once, not once per quotation.
        self.redacted = f'<span class="redacted">{escape(_("[protected person]"))}</span>'
        self.statement_link = f'<span class="visually-hidden">{escape(_("(the statement)"))}</span>'

    def plain(self, start: int, end: int) -> str:
        out, cursor = [], start
        for name_start, name_end in self.redactions:
            if name_end <= cursor or name_start >= end:
                continue
            out.append(escape(self.text[cursor : max(cursor, name_start)]))
            if name_start >= start:
                out.append(self.redacted)
            cursor = min(end, name_end)
        out.append(escape(self.text[cursor:end]))
        return "".join(out)

    def render(self, start: int, end: int, spans: list[Span], with_ids: bool) -> str:
        out, cursor, index = [], start, 0
        while index < len(spans):
            span = spans[index]
            span_start, span_end = max(span.start, cursor), min(span.end, end)
            index += 1
            if span_end <= span_start:
                continue
            # Quotations starting inside this one are drawn inside it.
            children = []
            while index < len(spans) and spans[index].start < span_end:
                children.append(spans[index])
                index += 1
            out.append(self.plain(cursor, span_start))
            pk = span.quotation.pk
            url = self.statements[pk]["html_url"] or ""
            id_attribute = f' id="quotation-{pk}"' if with_ids else ""
            out.append(
                f'<mark{id_attribute} class="quotation">'
                f"{self.render(span_start, span_end, children, with_ids)}"
                f'<a class="quote-link" href="{escape(url)}#quotation-{pk}">'
                f"{self.statement_link}"
                '<span aria-hidden="true">↗</span></a></mark>'
            )
            cursor = span_end
        out.append(self.plain(cursor, end))
        return "".join(out)

    def paragraphs_in_context(self) -> list[dict]:
        """Each paragraph that holds a quotation, once, with its quotations marked."""
        groups: list[dict] = []
        for span in self.spans:
            start, end = paragraph_around(self.text, span.start, span.end)
            if groups and start < groups[-1]["end"]:
                groups[-1]["end"] = max(groups[-1]["end"], end)
                groups[-1]["spans"].append(span)
            else:
                groups.append({"start": start, "end": end, "spans": [span]})
        paragraphs = []
        for group in groups:
            statements: dict[str, dict] = {}
            for span in group["spans"]:
                statement = self.statements[span.quotation.pk]
                statements.setdefault(
                    statement["html_url"] or "", {**statement, "quotation": span.quotation.pk}
                )
            paragraphs.append(
                {
                    "html": self.render(group["start"], group["end"], group["spans"], True),
                    "statements": list(statements.values()),
                }
            )
        return paragraphs

    def full_text(self) -> list[str]:
        """The whole text as paragraphs, quotations marked (ids are on the context view)."""
        paragraphs, cursor = [], 0
        length = len(self.text)
        while cursor < length:
            end = self.text.find("\n\n", cursor)
            end = length if end < 0 else end
            spans = [s for s in self.spans if s.start < end and s.end > cursor]
            html = self.render(cursor, end, spans, with_ids=False).strip()
            if html:
                paragraphs.append(html)
            cursor = end + 2
        return paragraphs


# The corrections log: what changed in each published revision, in plain words

# The facts a reader sees on each kind's page, as (field, label) pairs.
CORRECTED_FIELDS = {
    "statement": [
        ("summary", _lazy("summary")),
        ("date", _lazy("date")),
        ("medium", _lazy("medium")),
        ("speaker_person_id", _lazy("speaker")),
        ("speaker_group_id", _lazy("speaker")),
        ("event_id", _lazy("event")),
    ],
    "event": [
        ("name", _lazy("name")),
        ("date", _lazy("date")),
        ("place", _lazy("place")),
        ("description", _lazy("description")),
    ],
    "group": [("name", _lazy("name")), ("description", _lazy("description"))],
    "person": [("name", _lazy("name")), ("description", _lazy("description"))],
    "source": [
        ("title", _lazy("title")),
        ("publisher", _lazy("publisher")),
        ("published_on", _lazy("publication date")),
        ("url", _lazy("link to the original")),
    ],
}
DATED = {"date": "date_precision", "published_on": "published_precision"}
# Sources attached this soon after a record's first publication are part of it.
PUBLICATION_SITTING = datetime.timedelta(minutes=10)


def attach_changes(kind_name: str, objects: list) -> None:
    """Each record's published revisions (from its history) and the sources added to it
    since it was first published, read for a whole chunk in two queries."""
    if kind_name not in CORRECTED_FIELDS or not objects:
        return
    model = type(objects[0])
    ids = [obj.pk for obj in objects]
    revisions: dict[int, list] = {}
    # A researcher's revision of a published record is not published until an editor's.
    published = model.history.filter(id__in=ids, status="published", changed_since_published=False)
    for revision in published.order_by("id", "history_date", "history_id"):
        revisions.setdefault(revision.id, []).append(revision)
    added: dict[int, list] = {}
    content_type = ContentType.objects.get_for_model(model)
    for citation in (
        Citation.history.filter(content_type=content_type, object_id__in=ids, history_type="+")
        .select_related("source")
        .order_by("history_date")
    ):
        added.setdefault(citation.object_id, []).append(citation)
    for obj in objects:
        obj._page_revisions = revisions.get(obj.pk, [])
        obj._page_citations_added = added.get(obj.pk, [])


def changes(obj, kind_name: str) -> list[dict]:
    """The record's corrections log, newest first: when it was published, and each later
    published revision's date with what changed ("date corrected from 27 to 25 November
    2022", "source added: The Moscow Times")."""
    revisions = getattr(obj, "_page_revisions", [])
    if not revisions:
        return []
    first = revisions[0].history_date
    log = [(first, [str(_("First published."))])]
    for before, after in pairwise(revisions):
        said = [
            sentence
            for field, label in CORRECTED_FIELDS[kind_name]
            if (sentence := correction(before, after, field, label))
        ]
        if said:
            log.append((after.history_date, said))
    for citation in getattr(obj, "_page_citations_added", []):
        # Sources attached while it was first being published are part of that.
        if citation.history_date <= first + PUBLICATION_SITTING:
            continue
        if citation.source.status != "published":
            continue
        source = citation.source.publisher or citation.source.title
        log.append(
            (citation.history_date, [str(_("Source added: %(source)s.") % {"source": source})])
        )
    log.sort(key=lambda entry: entry[0], reverse=True)
    return [{"date": when.date().isoformat(), "changes": said} for when, said in log]


def correction(before, after, field: str, label) -> str:
    old, new = getattr(before, field), getattr(after, field)
    precision = DATED.get(field)
    if precision:
        old = format_partial_date(old, getattr(before, precision)) if old else ""
        new = format_partial_date(new, getattr(after, precision)) if new else ""
    if old == new:
        return ""
    if field.endswith("_id") or len(str(old)) > 80 or len(str(new)) > 80 or not old:
        return str(_("%(field)s corrected.") % {"field": str(label).capitalize()})
    return str(
        _("%(field)s corrected from “%(old)s” to “%(new)s”.")
        % {"field": str(label).capitalize(), "old": old, "new": new}
    )
