"""The public sees records as an editor last published them (advocacy.publication.holding).

A record changed since it was published is not rebuilt from the working tables: its public
row keeps the published version. When something that row shows changes meanwhile (a person
protected, a related record unpublished or republished under a new name, a part deleted),
the stored row is refreshed instead: every related record it names is named again as the
public may see it now, parts no longer public are dropped, and the final redaction pass runs
again. And a record built afresh names a related record that waits for an editor as it was
published, from that record's public row, so an unreviewed change never shows through
another record either.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils import translation

from advocacy.api.audience import Audience
from advocacy.api.fields import SUMMARIES
from advocacy.models import (
    Citation,
    Event,
    Group,
    HeldVersion,
    Membership,
    Person,
    Quotation,
    Source,
    Statement,
)
from advocacy.models.public import DOCUMENT_LANGUAGES, PLACEHOLDER_ORIGIN, PUBLIC_MODELS

# Related records named in a document by their summary, and parts shown inside it, by the
# API resource their `url` names.
NAMED = {"people": Person, "groups": Group, "events": Event, "sources": Source}
NAMED["statements"] = Statement
PARTS = {"memberships": Membership, "quotations": Quotation, "citations": Citation}
API_URL = re.compile(rf"^{re.escape(PLACEHOLDER_ORIGIN)}/api/v1/(?P<resource>[a-z]+)/(?P<pk>\d+)/$")
DROP = object()


def is_held(obj: models.Model) -> bool:
    """Whether the record, or the record it is a part of, waits for an editor."""
    if getattr(obj, "changed_since_published", False):
        return True
    name = obj._meta.model_name
    owner = obj.statement if name == "quotation" else None
    if name == "citation":
        owner = obj.content_object
    return bool(getattr(owner, "changed_since_published", False))


class PublishedAudience(Audience):
    """The public's builder: a related record that waits for an editor is summarised from
    its public row, as it was published."""

    def __init__(self, request):
        super().__init__(request)
        self._documents: dict[tuple[type, int], dict | None] = {}

    def published(self, obj: models.Model, summary: dict) -> dict | None:
        if not getattr(obj, "changed_since_published", False):
            return summary
        if obj._meta.model_name not in PUBLIC_MODELS:
            return summary
        key = (type(obj), obj.pk)
        if key not in self._documents:
            rows = kept_rows(obj._meta.model_name, [obj.pk])
            self._documents[key] = (
                {language: rows[0].document_in(language) for language in DOCUMENT_LANGUAGES}
                if rows
                else None
            )
        documents = self._documents[key]
        if documents is None:
            # Never published as it is now: not shown through another record either.
            return None
        stored = documents[translation.get_language() or DOCUMENT_LANGUAGES[0]]
        return {key: _published_value(key, value, stored) for key, value in summary.items()}


def _published_value(key: str, value, stored: dict):
    if key == "type":
        return value
    if key == "label":
        return stored.get("name") or stored.get("title") or value
    return stored.get(key, value)


def reference(value: dict, within: str | None = None) -> tuple[str, int] | None:
    """The record a nested dict shows, as (API resource, id): a related record's summary
    names its `url`; a part listed under "citations", "quotations" or "memberships" is
    known by its `id`."""
    url = value.get("url")
    match = API_URL.match(url) if isinstance(url, str) else None
    if match:
        return match["resource"], int(match["pk"])
    if within in PARTS and isinstance(value.get("id"), int):
        return within, value["id"]
    return None


def references(values: Iterable) -> dict[str, set[int]]:
    """The related records and parts the documents show, by API resource."""
    found: dict[str, set[int]] = {}

    def walk(value, within=None):
        if isinstance(value, dict):
            ref = reference(value, within)
            if ref is not None:
                found.setdefault(ref[0], set()).add(ref[1])
            for key, item in value.items():
                walk(item, key)
        elif isinstance(value, list):
            for item in value:
                walk(item, within)

    for value in values:
        walk(value)
    return found


class Recomposer:
    """Names again, in stored documents, the related records as the public may see them
    now, and drops the parts no longer public: a few queries for a whole batch."""

    def __init__(self, audience: PublishedAudience, documents: Iterable[dict]):
        self.audience = audience
        found = references(documents)
        self.named: dict[tuple[str, int], models.Model] = {}
        for resource, model in NAMED.items():
            queryset = model._default_manager.filter(pk__in=found.get(resource, ()))
            if model is Statement:
                queryset = queryset.select_related("speaker_person", "speaker_group")
            named = list(queryset)
            audience.prime(model, [obj.pk for obj in named])
            if model is Statement:
                audience.prime(Person, [obj.speaker_person_id for obj in named])
                audience.prime(Group, [obj.speaker_group_id for obj in named])
            self.named.update(((resource, obj.pk), obj) for obj in named)
        self.shown_parts = {
            (resource, pk)
            for resource, model in PARTS.items()
            for pk in model._default_manager.public()
            .filter(pk__in=found.get(resource, ()))
            .values_list("pk", flat=True)
        }
        self._summaries: dict[tuple[str, str, int], dict | None] = {}

    def summary(self, ref: tuple[str, int]) -> dict | None:
        language = translation.get_language()
        key = (language, *ref)
        if key not in self._summaries:
            obj = self.named.get(ref)
            self._summaries[key] = obj and SUMMARIES[type(obj)](self.audience, obj)
        return self._summaries[key]

    def compose(self, value, *, top: bool = False, within: str | None = None):
        """The value with its related records named as now; DROP for a part not public."""
        if isinstance(value, list):
            items = [self.compose(item, within=within) for item in value]
            return [
                item
                for item, was in zip(items, value, strict=True)
                if item is not DROP and not (item is None and isinstance(was, dict))
            ]
        if not isinstance(value, dict):
            return value
        ref = None if top else reference(value, within)
        if ref is not None and ref[0] in NAMED:
            return self.summary(ref)
        if ref is not None and ref[0] in PARTS and ref not in self.shown_parts:
            return DROP
        composed = {key: self.compose(item, within=key) for key, item in value.items()}
        return {key: None if item is DROP else item for key, item in composed.items()}


# Versions kept -----------------------------------------------------------------------------


def parts_of(model_name: str, record_id: int) -> dict[str, list[int]]:
    """The parts of a record that have public rows of their own: its citations, and a
    statement's quotations."""
    model = apps.get_model("advocacy", model_name)
    parts = {
        "citation": list(
            Citation.objects.filter(
                content_type=ContentType.objects.get_for_model(model), object_id=record_id
            ).values_list("pk", flat=True)
        )
    }
    if model is Statement:
        parts["quotation"] = list(
            Quotation.objects.filter(statement_id=record_id).values_list("pk", flat=True)
        )
    return parts


def hold(model_name: str, record_id: int) -> None:
    """Keep the published version of a record and of its parts, as it is public now: in
    the transaction whose change makes it wait for an editor, before the change is public."""
    keep(model_name, [record_id])
    for kind, ids in parts_of(model_name, record_id).items():
        keep(kind, ids)


def release(model_name: str, record_id: int) -> None:
    """Forget the kept version: an editor published the record's changes."""
    condition = Q(kind=model_name, record_id=record_id)
    for kind, ids in parts_of(model_name, record_id).items():
        condition |= Q(kind=kind, record_id__in=ids)
    HeldVersion.objects.filter(condition).delete()


def keep(kind: str, ids: Iterable[int]) -> None:
    """Keep these records' public rows as their published versions, where none is kept.
    (A participation or a group relation has no row of its own: it is shown inside its
    event's and groups' documents.)"""
    if kind not in PUBLIC_MODELS:
        return
    ids = set(ids)
    kept = HeldVersion.objects.filter(kind=kind, record_id__in=ids).values_list(
        "record_id", flat=True
    )
    rows = PUBLIC_MODELS[kind].objects.filter(pk__in=ids - set(kept))
    HeldVersion.objects.bulk_create(
        HeldVersion(kind=kind, record_id=row.pk, row=_row_json(row)) for row in rows
    )


def kept_rows(kind: str, ids: Iterable[int]) -> list:
    """Unsaved public rows of these records as their published versions were kept (where
    none was, as their public rows are now)."""
    ids = set(ids)
    table = PUBLIC_MODELS[kind]
    fields = {field.attname: field for field in table._meta.concrete_fields}
    rows = [
        table(**{name: fields[name].to_python(value) for name, value in json.loads(row).items()})
        for row in HeldVersion.objects.filter(kind=kind, record_id__in=ids).values_list(
            "row", flat=True
        )
    ]
    rows += table.objects.filter(pk__in=ids - {row.pk for row in rows})
    return sorted(rows, key=lambda row: row.pk)


def _row_json(row) -> str:
    values = {field.attname: getattr(row, field.attname) for field in row._meta.concrete_fields}
    return json.dumps(values, cls=DjangoJSONEncoder, ensure_ascii=False)
