"""One builder per public kind: the only code that reads the working tables for the public.

A builder reads records through the one visibility rule (the selectors, as an anonymous
reader), renders each with the API's serializers for an anonymous reader in every
interface language, runs the final redaction pass over every string, and stores the row
with its filter columns, facets, search key and the working records it shows.
"""

import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

import orjson
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.prefetch import GenericPrefetch
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone, translation
from rest_framework import serializers as drf_serializers

from advocacy import selectors
from advocacy.api import serializers
from advocacy.api.names import CYRILLIC_LANGUAGES, CYRILLIC_LETTER
from advocacy.api.prefetch import with_prefetched_lists
from advocacy.dates import formats_remembered
from advocacy.models import (
    Citation,
    Event,
    Group,
    GroupRelation,
    HeldVersion,
    Membership,
    Participation,
    Person,
    PersonAlias,
    PublicCitation,
    PublicDependency,
    PublicEvent,
    PublicGroup,
    PublicMembership,
    PublicPerson,
    PublicQuotation,
    PublicRedirect,
    PublicRetraction,
    PublicSource,
    PublicStatement,
    PublicTopic,
    PublicWord,
    Quotation,
    SlugRedirect,
    Source,
    Statement,
    Topic,
)
from advocacy.models.public import DOCUMENT_LANGUAGES, PLACEHOLDER_ORIGIN
from advocacy.publication import lexicon, pages, parallel, reviewed
from advocacy.publication.bulk import (
    delete_rows,
    fingerprint,
    insert_rows,
    stored_fingerprints,
    vacuum_or_analyze,
)
from advocacy.publication.redaction import Redactor, strings_of
from advocacy.text import fold, search_key, slug_from, to_cyrillic

BATCH_SIZE = 500
DOCUMENT_FIELDS = tuple(f"document_{language}" for language in DOCUMENT_LANGUAGES)
PAGE_FIELDS = tuple(f"page_{language}" for language in DOCUMENT_LANGUAGES)


class BuildRequest:
    """What the serializers need of a request: an anonymous reader at the placeholder."""

    user = AnonymousUser()
    method = "GET"
    query_params: dict = {}

    def build_absolute_uri(self, location: str = "/") -> str:
        return PLACEHOLDER_ORIGIN + location


def facet_tokens(pairs: Iterable[tuple[str, object]]) -> str:
    tokens = sorted({f"{name}:{value}" for name, value in pairs if value not in (None, "")})
    return f" {' '.join(tokens)} " if tokens else ""


def _slug(summary: dict | None) -> str | None:
    return summary.get("slug") if summary else None


@dataclass
class Kind:
    """How one kind of record becomes a public row."""

    name: str
    model: type[models.Model]
    public_model: type[models.Model]
    selector: Callable
    serializer: type
    columns: Callable[[models.Model, dict], dict] = field(default=lambda obj, doc: {})
    facets: Callable[[models.Model, dict], Iterable[tuple[str, object]]] = field(
        default=lambda obj, doc: ()
    )
    search_texts: Callable[[dict], list[str]] = field(default=lambda doc: [])
    # What the record's page shows beyond its document (see `pages`).
    page: Callable | None = None

    def queryset(self):
        return with_prefetched_lists(self.selector(user=None))


def unprefixed(url_name: str) -> str:
    """A page's address without a language prefix, as stored links are (a reader's own is
    added when a page is read)."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse(url_name)


class TopicDocument(drf_serializers.Serializer):
    """A topic as the public sees it: its name, and the statements list it filters."""

    def to_representation(self, topic):
        return {
            "slug": topic.slug,
            "name": topic.name_in(translation.get_language() or settings.LANGUAGE_CODE),
            "description": topic.description,
            "html_url": f"{PLACEHOLDER_ORIGIN}{unprefixed('statement-list')}?topic={topic.slug}",
        }


def _statement_facets(obj, doc):
    yield (
        "speaker",
        _slug(doc["speaker"]) if doc["speaker"] and doc["speaker"]["type"] == ("person") else None,
    )
    speaker = doc["speaker"] or {}
    if speaker.get("type") == "group":
        yield "group", speaker.get("slug")
    for slug in getattr(obj, "_speaker_group_slugs", ()):
        yield "group", slug
    yield "event", _slug(doc["event"])
    for quotation in doc["quotations"]:
        yield "lang", quotation["language"]
        yield "source", _slug(quotation["source"])
    for topic in doc["topics"]:
        yield "topic", topic


def _event_facets(obj, doc):
    for participant in doc["participations"]:
        agent = participant.get("participant") or {}
        if agent.get("slug"):
            yield agent["type"], agent["slug"]
        yield "part", participant.get("part")
    for topic in doc["topics"]:
        yield "topic", topic


def _quotation_facets(obj, doc):
    yield "source", _slug(doc["source"])
    yield "statement", _slug(doc.get("statement"))


def cited_records() -> GenericPrefetch:
    """What citations support, with what their labels name, in one query per kind."""
    return GenericPrefetch(
        "content_object",
        [
            Group.objects.all(),
            Person.objects.all(),
            Event.objects.all(),
            Membership.objects.select_related("person", "group"),
            GroupRelation.objects.select_related("subject", "object"),
            Participation.objects.select_related("event", "person", "group"),
            Statement.objects.select_related("speaker_person", "speaker_group"),
        ],
    )


def _cited_model(obj) -> str:
    """What a citation supports, by model name (of a citation or its public row)."""
    return obj.model if isinstance(obj, PublicCitation) else obj.content_type.model


def _citation_facets(obj, doc):
    yield "source", _slug(doc["source"])
    yield "model", _cited_model(obj)


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in [
        Kind(
            "statement",
            Statement,
            PublicStatement,
            selectors.statement_list,
            serializers.StatementSerializer,
            columns=lambda obj, doc: {
                "date": obj.date,
                "latest_date": obj.latest_date,
                "medium": obj.medium,
            },
            facets=_statement_facets,
            search_texts=lambda doc: [doc["summary"], *(q["text"] for q in doc["quotations"])],
            page=pages.statement_page,
        ),
        Kind(
            "event",
            Event,
            PublicEvent,
            selectors.event_list,
            serializers.EventSerializer,
            columns=lambda obj, doc: {
                "date": obj.date,
                "latest_date": obj.latest_date,
                "name": doc["name"],
                "kind": obj.kind,
                "place": doc.get("place") or "",
            },
            facets=_event_facets,
            search_texts=lambda doc: [doc["name"], doc.get("description") or ""],
            page=pages.event_page,
        ),
        Kind(
            "group",
            Group,
            PublicGroup,
            selectors.group_list,
            serializers.GroupSerializer,
            columns=lambda obj, doc: {
                "name": doc["name"],
                "kind": obj.kind,
                "country": obj.country,
            },
            search_texts=lambda doc: [doc["name"], *(a["name"] for a in doc["aliases"])],
            page=pages.group_page,
        ),
        Kind(
            "person",
            Person,
            PublicPerson,
            selectors.person_list,
            serializers.PersonSerializer,
            columns=lambda obj, doc: {
                "name": doc["name"],
                "country": obj.country,
                "roles": "\n".join(m["role"] for m in doc["memberships"]),
            },
            facets=lambda obj, doc: (("group", _slug(m["group"])) for m in doc["memberships"]),
            search_texts=lambda doc: [doc["name"], *(a["name"] for a in doc["aliases"])],
            page=pages.person_page,
        ),
        Kind(
            "membership",
            Membership,
            PublicMembership,
            selectors.membership_list,
            serializers.MembershipSerializer,
            columns=lambda obj, doc: {
                "role": doc["role"],
                "sort_key": f"{(doc['group'] or {}).get('name', '')}\n"
                f"{(doc['person'] or {}).get('name', '')}",
            },
            facets=lambda obj, doc: (
                ("person", _slug(doc["person"])),
                ("group", _slug(doc["group"])),
            ),
            search_texts=lambda doc: [
                (doc["person"] or {}).get("name", ""),
                (doc["group"] or {}).get("name", ""),
            ],
        ),
        Kind(
            "source",
            Source,
            PublicSource,
            selectors.source_list,
            serializers.SourceSerializer,
            columns=lambda obj, doc: {
                "title": doc["title"],
                "publisher": doc["publisher"],
                "language": obj.language,
                "kind": obj.kind,
                "published_on": obj.published_on,
            },
            search_texts=lambda doc: [doc["title"], doc["publisher"]],
            page=pages.source_page,
        ),
        Kind(
            "quotation",
            Quotation,
            PublicQuotation,
            selectors.quotation_list,
            serializers.QuotationSerializer,
            columns=lambda obj, doc: {
                "statement_id": obj.statement_id,
                "position": obj.position,
                "language": obj.language,
                "is_verbatim": obj.is_verbatim,
            },
            facets=_quotation_facets,
        ),
        Kind(
            "citation",
            Citation,
            PublicCitation,
            lambda user=None: selectors.citation_list(user=user).prefetch_related(cited_records()),
            serializers.CitationSerializer,
            columns=lambda obj, doc: {"model": _cited_model(obj)},
            facets=_citation_facets,
            page=pages.citation_page,
        ),
        Kind(
            "topic",
            Topic,
            PublicTopic,
            lambda user=None: Topic.objects.all(),
            TopicDocument,
            columns=lambda obj, doc: {"name": doc["name"]},
            search_texts=lambda doc: [doc["name"]],
        ),
    ]
}
KIND_OF_MODEL = {kind.model: kind for kind in KINDS.values()}


def protected_names() -> list[str]:
    """Every name, alias and part of a name (of three letters or more) of a protected
    person, and a Latin one also as the Russian and Ukrainian pages would transliterate it
    (advocacy.api.names): none of them may appear in a public document."""
    names: set[str] = set()
    rows = [
        *Person.objects.filter(is_protected=True).values_list("name", flat=True),
        *PersonAlias.objects.filter(person__is_protected=True).values_list("name", flat=True),
    ]
    rows += [
        to_cyrillic(name, language)
        for name in rows
        if not CYRILLIC_LETTER.search(name)
        for language in CYRILLIC_LANGUAGES
    ]
    for name in rows:
        names.add(name)
        # Words of a name, not numbers ("Patient 112" must not hide every id 112).
        names.update(part for part in name.split() if len(part) > 2 and not part.isdigit())
    return sorted(names)


def current_redactor() -> Redactor:
    """The redactor for the people protected now (one query; the same redactor while the
    names stay the same)."""
    return Redactor.for_names(protected_names())


def records_shown(obj: models.Model, depth: int = 0) -> set[tuple[str, int]]:
    """The working records a built document was made from: the record and every related
    record loaded with it (prefetched or selected), shown or hidden — a hidden one that is
    published later must rebuild this row too. Followed three steps out, each loaded
    instance once, from the nearest step it is reached at (what every path would find)."""
    found = set()
    steps = {id(obj): depth}
    level = [obj]
    while level:
        following = []
        for item in level:
            found.add((item._meta.model_name, item.pk))
            if steps[id(item)] >= 3:
                continue
            for related in _loaded_with(item):
                if id(related) not in steps:
                    steps[id(related)] = steps[id(item)] + 1
                    following.append(related)
        level = following
    return found


def _loaded_with(obj: models.Model) -> list[models.Model]:
    """The saved records loaded with a record: prefetched, in `_api_` lists, selected."""
    related: list = []
    for value in getattr(obj, "_prefetched_objects_cache", {}).values():
        related.extend(value)
    for key, value in vars(obj).items():
        if key.startswith("_api_") and isinstance(value, list):
            related.extend(value)
    if hasattr(obj, "_state"):
        related.extend(value for value in obj._state.fields_cache.values() if value is not None)
    return [item for item in related if isinstance(item, models.Model) and item.pk is not None]


def _speaker_groups(statements: list[Statement]) -> None:
    """The groups each statement's speaker is a public member of, for `?group=`."""
    speakers = {s.speaker_person_id for s in statements if s.speaker_person_id}
    by_person: dict[int, set[str]] = {}
    for person_id, slug in (
        Membership.objects.public()
        .filter(person_id__in=speakers)
        .values_list("person_id", "group__slug")
    ):
        by_person.setdefault(person_id, set()).add(slug)
    for statement in statements:
        statement._speaker_group_slugs = by_person.get(statement.speaker_person_id, ())


def render(kind: Kind, objects: list, redactor: Redactor) -> list[tuple[models.Model, dict, dict]]:
    """Each record's public documents and page extras, by language, after the final
    redaction pass."""
    return [
        (obj, documents, extras)
        for obj, documents, extras, _texts in _render(kind, objects, redactor)
    ]


def _render(kind: Kind, objects: list, redactor: Redactor) -> list[tuple]:
    """`render`, with each document's and page's JSON text (as stored) by field name."""
    request = BuildRequest()
    # One audience for every language: what may be shown does not depend on it.
    audience = reviewed.PublishedAudience(request)
    context = {"audience": audience, "request": request}
    documents: list[dict] = [{} for _ in objects]
    extras: list[dict] = [{} for _ in objects]
    texts: list[dict] = [{} for _ in objects]
    pages.prepare(kind.name, objects, audience)
    for language in DOCUMENT_LANGUAGES:
        with translation.override(language), formats_remembered():
            data = kind.serializer(objects, many=True, context=context).data
            for obj, extras_of, texts_of in zip(objects, extras, texts, strict=True):
                page = kind.page(obj, audience, redactor) if kind.page else {}
                extras_of[language], texts_of[f"page_{language}"] = final_pass(redactor, page)
            for documents_of, texts_of, document in zip(documents, texts, data, strict=True):
                documents_of[language], texts_of[f"document_{language}"] = final_pass(
                    redactor, dict(document)
                )
    return list(zip(objects, documents, extras, texts, strict=True))


def final_pass(redactor: Redactor, document: dict) -> tuple[dict, str]:
    """The document after the final redaction pass, and its JSON text. Most documents name
    no protected person: when their JSON text holds none of what a match holds, the pass
    would give them back as they are, and is not walked."""
    text = as_json(document)
    if redactor.json_is_clean(text):
        return document, text
    document = redactor.document(document)
    return document, as_json(document)


def build_rows(kind: Kind, objects: list, redactor: Redactor) -> tuple[list, list]:
    """Unsaved public rows for these visible records, and their dependencies."""
    if kind.name == "statement":
        _speaker_groups(objects)
    now = timezone.now()
    rows, dependencies = [], []
    for obj, documents, extras, texts in _render(kind, objects, redactor):
        row = kind.public_model(
            id=obj.pk,
            **texts,
            updated_at=now,
        )
        derive(kind, row, obj, documents[settings.LANGUAGE_CODE], extras[settings.LANGUAGE_CODE])
        rows.append(row)
        dependencies.extend(
            PublicDependency(kind=kind.name, row_id=obj.pk, model=model, record_id=pk)
            for model, pk in records_shown(obj)
        )
    return rows, dependencies


def derive(kind: Kind, row, obj, document: dict, page: dict) -> None:
    """What a row's filters, search and lookups read, from its (redacted) document, and
    what it names from its document and its page (a source's page names the statements
    quoting it: a protection must find it)."""
    row.slug = document.get("slug") or ""
    row.search_key = search_key(*kind.search_texts(document))
    row.mentions = fold(" ".join([*strings_of(document), *strings_of(page)]))
    row.facets = facet_tokens(kind.facets(obj, document))
    row.has_conflict = bool(document.get("has_conflict"))
    for column, value in kind.columns(obj, document).items():
        setattr(row, column, value)


def refresh_rows(kind: Kind, rows: list, redactor: Redactor) -> None:
    """Stored rows of records that wait for an editor, refreshed in place: what they show of
    other records named as the public may see it now, and redacted again
    (advocacy.publication.reviewed)."""
    if not rows:
        return
    loaded = {
        (row.pk, field): orjson.loads(getattr(row, field) or "{}")
        for row in rows
        for field in (*DOCUMENT_FIELDS, *PAGE_FIELDS)
    }
    recomposer = reviewed.Recomposer(reviewed.PublishedAudience(BuildRequest()), loaded.values())
    for language in DOCUMENT_LANGUAGES:
        with translation.override(language):
            for row in rows:
                for prefix in ("document", "page"):
                    field = f"{prefix}_{language}"
                    value = recomposer.compose(loaded[row.pk, field], top=prefix == "document")
                    setattr(row, field, final_pass(redactor, value)[1])
    derive_stored(kind, rows)


def derive_stored(kind: Kind, rows: list) -> None:
    """`derive` for stored rows, from their (redacted) documents and pages: a row holds
    every column its kind reads from the working record."""
    documents = {
        row.pk: orjson.loads(getattr(row, f"document_{settings.LANGUAGE_CODE}")) for row in rows
    }
    if kind.name == "statement":
        for row in rows:
            speaker = documents[row.pk].get("speaker") or {}
            row.speaker_person_id = speaker.get("id") if speaker.get("type") == "person" else None
        _speaker_groups(rows)
    for row in rows:
        page = orjson.loads(getattr(row, f"page_{settings.LANGUAGE_CODE}") or "{}")
        derive(kind, row, row, documents[row.pk], page)


def redact_stored(kind_name: str, ids: Iterable[int], redactor: Redactor) -> set[int]:
    """Rows that mention a newly protected name without showing the person's record,
    redacted where they are stored: the final pass run again over their documents and
    pages, and what is derived from them. Nothing they show changed, so they are the
    documents as built, redacted for fewer names; and redacting for more names gives what
    redacting once for them all gives (see `Redactor.text`): this stores what a rebuild
    would, without building. Returns the ids it leaves to `rebuild`: rows of records
    waiting for an editor (their published version is kept elsewhere)."""
    kind = KINDS[kind_name]
    fields = (*DOCUMENT_FIELDS, *PAGE_FIELDS)
    ids = set(ids)
    left = set(
        HeldVersion.objects.filter(kind=kind_name, record_id__in=ids).values_list(
            "record_id", flat=True
        )
    )
    now = timezone.now()
    for chunk in _chunks(sorted(ids - left)):
        rows = []
        for row in kind.public_model.objects.filter(pk__in=chunk):
            texts = {name: getattr(row, name) or "{}" for name in fields}
            redacted = {}
            for name, text in texts.items():
                # The marker in the language of the document or page, as when it was built.
                with translation.override(name.rsplit("_", 1)[1]):
                    redacted[name] = final_pass(redactor, orjson.loads(text))
            if all(redacted[name][1] == texts[name] for name in fields):
                continue
            for name, (_document, text) in redacted.items():
                setattr(row, name, text)
            row.updated_at = now
            rows.append(row)
        if not rows:
            continue
        derive_stored(kind, rows)
        changed = [row.pk for row in rows]
        delete_rows(kind.public_model.objects.filter(pk__in=changed))
        insert_rows(kind.public_model, rows)
        if kind.name in PAGED_KINDS:
            write_missing_pages(kind, changed, set(changed), redactor)
        lexicon.add_rows(rows, redactor.folded_words)
    return left


def as_json(document: dict) -> str:
    """The document as the API's JSON renderer writes it (compact, UTF-8, with U+2028 and
    U+2029 escaped), so a stored document is served as it is."""
    text = json.dumps(document, ensure_ascii=False, separators=(",", ":"))
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _chunks(ids: list[int], size: int = BATCH_SIZE) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def build_chunk(kind: Kind, ids: list[int], redactor: Redactor) -> tuple[list, list, set[int]]:
    """The public rows these records should have now, their dependencies (of the rows
    built afresh), and the ids of the rows refreshed instead (records waiting for an
    editor keep their published version)."""
    objects = list(kind.queryset().filter(pk__in=ids))
    held = {obj.pk for obj in objects if reviewed.is_held(obj)}
    rows, dependencies = build_rows(kind, [obj for obj in objects if obj.pk not in held], redactor)
    kept = reviewed.kept_rows(kind.name, held)
    refresh_rows(kind, kept, redactor)
    return rows + kept, dependencies, held


# Any constant: the key of the lock every writer of public rows takes (PostgreSQL).
LOCK_KEY = 0x70756231


def lock(*, shared: bool = False) -> None:
    """Until the transaction ends: a change's rebuild (`triggers.rebuild_for`) holds the
    lock alone, batches of `rebuild_public` share it. A change (a protection) then waits for
    the batches under way and finds the rows they wrote, and a batch begun after it reads
    what it committed: no rebuild writes rows from a reading older than a protection.
    (PostgreSQL; SQLite lets one transaction write at a time.)"""
    connection = transaction.get_connection()
    if connection.vendor == "postgresql":
        function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {function}(%s)", [LOCK_KEY])


@transaction.atomic
def rebuild(kind_name: str, ids: Iterable[int], redactor: Redactor | None = None) -> int:
    """Rebuild the public rows of these records: built where the record is public, gone
    where it is not (any more); a record waiting for an editor keeps its published version,
    refreshed. Returns how many rows are public now."""
    kind = KINDS[kind_name]
    lock(shared=True)
    redactor = redactor or current_redactor()
    wanted = sorted(set(ids))
    public = 0
    for chunk in _chunks(wanted):
        rows, dependencies, held = build_chunk(kind, chunk, redactor)
        # Held before any version was kept (a bulk update): keep the row as it is public.
        reviewed.keep(kind.name, held)
        stored = stored_fingerprints(kind.public_model, chunk, (*DOCUMENT_FIELDS, *PAGE_FIELDS))
        now = timezone.now()
        for row in rows:
            updated_at, documents = stored.get(row.pk, (None, None))
            if documents and documents == fingerprint(row, (*DOCUMENT_FIELDS, *PAGE_FIELDS)):
                # Unchanged: `updated_at` (Last-Modified, `updated_after`) stays.
                row.updated_at = updated_at
            elif row.pk in held:
                row.updated_at = now
        delete_rows(kind.public_model.objects.filter(pk__in=chunk))
        # A refreshed row keeps what it was built from.
        delete_rows(PublicDependency.objects.filter(kind=kind.name, row_id__in=set(chunk) - held))
        insert_rows(kind.public_model, rows)
        insert_rows(PublicDependency, dependencies, ignore_conflicts=True)
        if kind.name in PAGED_KINDS:
            write_missing_pages(kind, chunk, {row.pk for row in rows}, redactor)
        lexicon.add_rows(rows, redactor.folded_words)
        public += len(rows)
    return public


# Kinds with pages of their own: an old slug redirects, a retracted record says so.
PAGED_KINDS = ("statement", "event", "group", "person", "source")


def write_missing_pages(kind: Kind, ids: list[int], public_ids: set[int], redactor) -> None:
    """What the pages of these records answer when they are not public: the old slugs of
    public ones (301), the notes of retracted ones (410). A slug or note naming a
    protected person is never stored as such."""
    content_type = ContentType.objects.get_for_model(kind.model)
    delete_rows(PublicRedirect.objects.filter(kind=kind.name, record_id__in=ids))
    PublicRedirect.objects.bulk_create(
        PublicRedirect(kind=kind.name, old_slug=old_slug, record_id=record_id)
        for old_slug, record_id in SlugRedirect.objects.filter(
            content_type=content_type, object_id__in=public_ids
        ).values_list("old_slug", "object_id")
        if redactor.text(old_slug) == old_slug
    )
    delete_rows(PublicRetraction.objects.filter(kind=kind.name, record_id__in=ids))
    retracted = kind.model._default_manager.retracted().filter(pk__in=set(ids) - public_ids)
    PublicRetraction.objects.bulk_create(
        PublicRetraction(kind=kind.name, record_id=pk, slug=slug, note=redactor.text(note or ""))
        for pk, slug, note in retracted.values_list("pk", "slug", "retraction_note")
        if redactor.text(slug) == slug
    )


def redact_retraction_notes(redactor: Redactor) -> None:
    """Retracted records' notes, redacted for the names protected now: a retracted record
    has no public row, so no protection finds it through the rows."""
    changed = []
    for retraction in PublicRetraction.objects.only("note"):
        note = redactor.text(retraction.note)
        if note != retraction.note:
            retraction.note = note
            changed.append(retraction)
    PublicRetraction.objects.bulk_update(changed, ["note"], batch_size=BATCH_SIZE)


def stem(word: str) -> str:
    """A folded name word without its final vowel, so that it is found in its Russian and
    Ukrainian case forms too (kovrigina → kovrigin: kovriginoi, kovriginu)."""
    return word[:-1] if len(word) >= 5 and word[-1] in "aeiou" else word


def forget_addresses_naming(names: Iterable[str]) -> None:
    """Old slugs and retracted records' slugs holding any of these names: answered 404
    from now on."""
    words = {stem(slug_from(word)) for name in names for word in name.split()}
    words = {word for word in words if len(word) > 2 and not word.isdigit()}
    if not words:
        return
    redirects, retractions = models.Q(), models.Q()
    for word in words:
        redirects |= models.Q(old_slug__contains=word)
        retractions |= models.Q(slug__contains=word)
    PublicRedirect.objects.filter(redirects).delete()
    PublicRetraction.objects.filter(retractions).delete()


def rows_mentioning(names: Iterable[str]) -> dict[str, set[int]]:
    """Public rows whose text contains any word of these names (or its stem), by kind."""
    words = {stem(word) for name in names for word in fold(name).split()}
    return rows_containing(word for word in words if len(word) > 2 and not word.isdigit())


def rows_containing(phrases: Iterable[str]) -> dict[str, set[int]]:
    """Public rows whose folded text contains any of these folded phrases, by kind."""
    condition = models.Q()
    for phrase in set(phrases):
        condition |= models.Q(mentions__contains=phrase)
    found: dict[str, set[int]] = {}
    if not condition:
        return found
    for kind in KINDS.values():
        ids = set(kind.public_model.objects.filter(condition).values_list("pk", flat=True))
        if ids:
            found[kind.name] = ids
    return found


def dependents(model_name: str, record_ids: Iterable[int]) -> dict[str, set[int]]:
    """Public rows that show any of these working records, by kind."""
    found: dict[str, set[int]] = {}
    for kind, row_id in PublicDependency.objects.filter(
        model=model_name, record_id__in=list(record_ids)
    ).values_list("kind", "row_id"):
        found.setdefault(kind, set()).add(row_id)
    return found


def rebuild_all(
    *,
    kinds: Iterable[str] | None = None,
    after: dict[str, int] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
    workers: int = 1,
) -> dict[str, int]:
    """Rebuild every public row, kind by kind, in batches of `BATCH_SIZE` records (each its
    own transaction, so a long rebuild can be resumed from `after[kind]`, the last id done).
    Rows of records no longer public are removed. Returns the public rows per kind.

    With `workers` above one, on PostgreSQL, a kind's batches are built by that many
    processes at once (`parallel`); progress is still reported in order."""
    counts: dict[str, int] = {}
    # No redactor handed to the batches: each reads its own under the lock, so a protection
    # committed during a long rebuild is in every batch after it.
    with formats_remembered(), parallel.ordered_map(workers, None) as build:
        for name in kinds or KINDS:
            kind = KINDS[name]
            last = (after or {}).get(name, 0)
            if not last:
                delete_rows(without_record(kind, kind.public_model.objects.all()))
                for model in (PublicRedirect, PublicRetraction):
                    delete_rows(without_record(kind, model.objects.filter(kind=name), "record_id"))
            ids = list(
                kind.model._default_manager.filter(pk__gt=last)
                .order_by("pk")
                .values_list("pk", flat=True)
            )
            total = len(ids)
            done = 0
            counts[name] = 0
            chunks = [(name, chunk) for chunk in _chunks(ids)]
            for (_name, chunk), public in zip(chunks, build(_rebuild_chunk, chunks), strict=True):
                counts[name] += public
                done += len(chunk)
                if progress:
                    progress(name, done, total)
    if not after:
        # Every row rebuilt: words no longer in any of them leave the lexicon.
        with transaction.atomic():
            lock(shared=True)
            lexicon.rebuild_lexicon(current_redactor().folded_words)
    vacuum_or_analyze(
        [*(KINDS[name].public_model for name in counts), PublicDependency, PublicWord]
    )
    return counts


def without_record(kind, rows: models.QuerySet, field: str = "pk") -> models.QuerySet:
    """The rows whose working record (by `field`) is gone. `NOT EXISTS`, an anti-join: the
    `NOT IN (SELECT …)` of `exclude(field__in=…)` is one scan of the records per row once
    their ids outgrow `work_mem`: over 165,000 public rows of a million statements it was
    planned at 12 billion cost units (127,000 as an anti-join), and stopped after 90 s."""
    return rows.filter(
        ~models.Exists(kind.model._default_manager.filter(pk=models.OuterRef(field)))
    )


def _rebuild_chunk(_shared, task: tuple[str, list[int]]) -> int:
    kind_name, ids = task
    return rebuild(kind_name, ids)


def drift(*, kinds: Iterable[str] | None = None) -> list[str]:
    """Rows whose stored public content differs from what a rebuild would store now:
    missing, stale, extra, or showing different records. Reads only; changes nothing."""
    redactor = current_redactor()
    problems: list[str] = []
    compared = [
        "slug",
        *DOCUMENT_FIELDS,
        *PAGE_FIELDS,
        "search_key",
        "mentions",
        "facets",
        "has_conflict",
    ]
    for name in kinds or KINDS:
        kind = KINDS[name]
        ids = list(kind.model._default_manager.order_by("pk").values_list("pk", flat=True))
        expected_ids: set[int] = set()
        for chunk in _chunks(ids):
            rows, _dependencies, _held = build_chunk(kind, chunk, redactor)
            stored = {row.pk: row for row in kind.public_model.objects.filter(pk__in=chunk)}
            for row in rows:
                expected_ids.add(row.pk)
                have = stored.get(row.pk)
                if have is None:
                    problems.append(f"{name} {row.pk}: public, but has no public row")
                    continue
                fields = compared + [
                    f.attname
                    for f in kind.public_model._meta.concrete_fields
                    if f.attname not in {"id", "updated_at", *compared}
                ]
                differ = [f for f in fields if getattr(have, f) != getattr(row, f)]
                if differ:
                    problems.append(f"{name} {row.pk}: stored {', '.join(differ)} differ")
            for pk in set(stored) - {row.pk for row in rows}:
                problems.append(f"{name} {pk}: not public, but has a public row")
        extra = without_record(kind, kind.public_model.objects.all())
        problems.extend(
            f"{name} {pk}: record gone, public row kept"
            for pk in extra.values_list("pk", flat=True)
        )
    problems.extend(lexicon.lexicon_drift(redactor.folded_words))
    return problems


# Keys every document has that say nothing an editor reviews.
BOOKKEEPING = {"created_at", "updated_at", "version"}


def waiting_changes(record: models.Model) -> list[tuple[str, str, str]]:
    """What publishing a record's changes would change for the public: each part of its
    public document that differs between its public row and the record as it is now, as
    (where, public now, after publishing). Reads only."""
    kind = KIND_OF_MODEL[type(record)]
    stored = kind.public_model.objects.filter(pk=record.pk).first()
    rows, _dependencies = build_rows(
        kind, list(kind.queryset().filter(pk=record.pk)), current_redactor()
    )
    field = f"document_{settings.LANGUAGE_CODE}"
    before = _flattened(orjson.loads(getattr(stored, field))) if stored else {}
    after = _flattened(orjson.loads(getattr(rows[0], field))) if rows else {}
    return [
        (where, before.get(where, ""), after.get(where, ""))
        for where in sorted(before.keys() | after.keys(), key=_natural)
        if before.get(where) != after.get(where)
    ]


def _flattened(value, where: str = "") -> dict[str, str]:
    if isinstance(value, dict):
        found: dict[str, str] = {}
        for key, item in value.items():
            if key not in BOOKKEEPING:
                found |= _flattened(item, f"{where} › {key}" if where else key)
        return found
    if isinstance(value, list):
        found = {}
        for position, item in enumerate(value, start=1):
            found |= _flattened(item, f"{where} {position}")
        return found
    return {where: "" if value is None else str(value)}


def _natural(where: str) -> list[tuple]:
    """ "quotations 2" before "quotations 10"."""
    return [(0, int(part), "") if part.isdigit() else (1, 0, part) for part in where.split()]
