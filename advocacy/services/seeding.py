"""Load the records built from the five seed articles (fixtures/) into the database.

Idempotent: records are matched on natural keys and only missing ones are created, so a
second run writes nothing. A record a researcher has since edited is kept as it is (and
counted as "kept") unless `update=True` asks to restore the fixture's values. Atomic: any
error rolls everything back and names the file, record and field at fault.
"""

import datetime
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models

from advocacy.choices import Status
from advocacy.models import (
    Citation,
    ConflictingVersion,
    Event,
    ExternalIdentifier,
    Group,
    GroupAlias,
    GroupRelation,
    Membership,
    Participation,
    Person,
    PersonAlias,
    Quotation,
    Source,
    Statement,
    Topic,
)
from advocacy.models.people import ROLE_LANGUAGES
from advocacy.publication.triggers import batch
from advocacy.text import content_hash, locate_quotation

FIXTURE_DIR = Path(settings.BASE_DIR) / "fixtures"
FIXTURE_FILES = ["sources", "topics", "groups", "people", "events", "statements"]


class SeedError(Exception):
    def __init__(self, file: str, record: str, field: str, message: str):
        self.file, self.record, self.field, self.message = file, record, field, message
        where = f"{file}: record {record}" if record else file
        if field:
            where += f": field {field!r}"
        super().__init__(f"{where}: {message}")


@dataclass
class SeedReport:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    kept: Counter = field(default_factory=Counter)
    skipped: bool = False

    @property
    def changed(self) -> bool:
        return bool(sum(self.created.values()) or sum(self.updated.values()))

    def lines(self) -> list[str]:
        names = sorted(set(self.created) | set(self.updated) | set(self.unchanged) | set(self.kept))
        return [
            f"{name}: {self.created[name]} created, {self.updated[name]} updated, "
            f"{self.unchanged[name]} unchanged"
            + (f", {self.kept[name]} kept as edited" if self.kept[name] else "")
            for name in names
        ]


def database_has_records() -> bool:
    return any(
        model._default_manager.exists() for model in (Source, Group, Person, Event, Statement)
    )


def seed_database(
    *, fixture_dir: Path = FIXTURE_DIR, update: bool = False, if_empty: bool = False
) -> SeedReport:
    """Load the fixtures. `update` restores fixture values over edits; `if_empty` loads
    nothing into a database that already holds records (for container starts, so a
    restart never brings back a record researchers merged or deleted)."""
    if if_empty and database_has_records():
        return SeedReport(skipped=True)
    loader = SeedLoader(Path(fixture_dir), update=update)
    with batch():
        for name in FIXTURE_FILES:
            getattr(loader, f"load_{name}")(loader.read(name))
    return loader.report


class SeedLoader:
    def __init__(self, fixture_dir: Path, *, update: bool = False):
        self.fixture_dir = fixture_dir
        self.update = update
        self.written = False  # whether the last upsert() saved its record
        self.report = SeedReport()
        self.file = ""
        self.record = ""

    # Reading and reporting

    def read(self, name: str) -> list[dict]:
        self.file, self.record = f"{name}.json", ""
        path = self.fixture_dir / self.file
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise self.error("", f"file not found: {path}") from None
        except json.JSONDecodeError as exc:
            raise self.error("", f"invalid JSON at line {exc.lineno}: {exc.msg}") from None
        if not isinstance(data, list):
            raise self.error("", "expected a list of records")
        return data

    def error(self, field_name: str, message: str) -> SeedError:
        return SeedError(self.file, self.record, field_name, message)

    def start(self, index: int, item: dict) -> None:
        if not isinstance(item, dict):
            self.record = f"#{index + 1}"
            raise self.error("", "expected an object")
        self.record = repr(item.get("slug")) if item.get("slug") else f"#{index + 1}"

    def require(self, item: dict, key: str):
        if key not in item or item[key] in (None, ""):
            raise self.error(key, "is required")
        return item[key]

    def ref(self, model: type[models.Model], slug: str | None, field_name: str):
        if slug is None:
            return None
        try:
            return model._default_manager.get(slug=slug)
        except model.DoesNotExist:
            raise self.error(field_name, f"unknown {model._meta.verbose_name} {slug!r}") from None

    def date(self, item: dict, key: str) -> datetime.date | None:
        value = item.get(key)
        if value in (None, ""):
            return None
        try:
            return datetime.date.fromisoformat(value)
        except (TypeError, ValueError):
            raise self.error(key, f"{value!r} is not a date (YYYY-MM-DD)") from None

    # Writing

    def upsert(
        self,
        model: type[models.Model],
        lookup: dict,
        values: dict,
        *,
        prefix: str = "",
        create_only: dict | None = None,
    ):
        """Create one record, or update it (only with `update`) where a value differs."""
        label = model._meta.verbose_name_plural
        obj = model._default_manager.filter(**lookup).first()
        self.written = False
        if obj is not None:
            if all(getattr(obj, key) == value for key, value in values.items()):
                self.report.unchanged[label] += 1
                return obj
            if not self.update:
                # A researcher's edit wins over the fixture.
                self.report.kept[label] += 1
                return obj
            counter = self.report.updated
        else:
            obj = model(**lookup, **(create_only or {}))
            counter = self.report.created
        for key, value in values.items():
            setattr(obj, key, value)
        if isinstance(obj, Source):
            obj.content_hash = content_hash(obj.archived_text)
        try:
            obj.full_clean()
        except ValidationError as exc:
            field_name, messages = next(iter(exc.message_dict.items()))
            raise self.error(f"{prefix}{field_name}", " ".join(messages)) from None
        obj.save()
        self.written = True
        counter[label] += 1
        return obj

    def set_topics(self, obj, slugs: list[str]) -> None:
        topics = [self.ref(Topic, slug, "topics") for slug in slugs]
        if {t.pk for t in topics} != set(obj.topics.values_list("pk", flat=True)):
            obj.topics.set(topics)

    def check_excerpt(self, source: Source, excerpt: str, field_name: str) -> None:
        if excerpt and locate_quotation(excerpt, source.archived_text) is None:
            raise self.error(field_name, f"excerpt not found in source {source.slug!r}")

    def attach_provenance(self, obj, item: dict, prefix: str = "") -> None:
        """Citations, conflicting versions and identifiers, the same way on every model."""
        target = {
            "content_type": ContentType.objects.get_for_model(obj),
            "object_id": obj.pk,
        }
        for index, citation in enumerate(item.get("citations", [])):
            where = f"{prefix}citations[{index}]."
            source = self.ref(Source, citation.get("source"), where + "source")
            excerpt = citation.get("excerpt", "")
            self.upsert(
                Citation,
                {**target, "source": source, "excerpt": excerpt},
                {"note": citation.get("note", "")},
                prefix=where,
            )
            if self.written:
                self.check_excerpt(source, excerpt, where + "excerpt")
        for index, version in enumerate(item.get("conflicting_versions", [])):
            where = f"{prefix}conflicting_versions[{index}]."
            source = self.ref(Source, version.get("source"), where + "source")
            self.upsert(
                ConflictingVersion,
                {
                    **target,
                    "field": version.get("field", ""),
                    "source": source,
                    "value": version.get("value", ""),
                },
                {
                    "normalized_value": version.get("normalized_value", ""),
                    "excerpt": version.get("excerpt", ""),
                    "note": version.get("note", ""),
                },
                prefix=where,
            )
            if self.written:
                self.check_excerpt(source, version.get("excerpt", ""), where + "excerpt")
        for scheme, identifier in item.get("identifiers", {}).items():
            self.upsert(
                ExternalIdentifier,
                {**target, "scheme": scheme},
                {"identifier": identifier},
                prefix=f"{prefix}identifiers.",
            )

    def cited_values(self, item: dict) -> dict:
        return {
            "status": item.get("status", Status.PUBLISHED),
            "has_conflict": bool(item.get("has_conflict", False)),
        }

    def attach_aliases(self, alias_model, owner_field: str, owner, item: dict) -> None:
        for index, alias in enumerate(item.get("aliases", [])):
            where = f"aliases[{index}]."
            self.upsert(
                alias_model,
                {owner_field: owner, "name": alias.get("name", "")},
                {
                    "language": alias.get("language", ""),
                    "script": alias.get("script", "latn"),
                    "kind": alias.get("kind", "spelling"),
                    "source": self.ref(Source, alias.get("source"), where + "source"),
                },
                prefix=where,
            )

    # One loader per fixture file

    def load_sources(self, items: list[dict]) -> None:
        for index, item in enumerate(items):
            self.start(index, item)
            archive = self.require(item, "archive")
            try:
                text = (self.fixture_dir / archive).read_text(encoding="utf-8")
            except FileNotFoundError:
                raise self.error("archive", f"file not found: {archive}") from None
            self.upsert(
                Source,
                {"slug": self.require(item, "slug")},
                {
                    "title": self.require(item, "title"),
                    "publisher": item.get("publisher", ""),
                    "authors": item.get("authors", ""),
                    "url": item.get("url", ""),
                    "kind": item.get("kind", "news_article"),
                    "language": item.get("language", "en"),
                    "published_on": self.date(item, "published_on"),
                    "published_precision": item.get("published_precision", "day"),
                    "retrieved_on": self.date(item, "retrieved_on"),
                    "archived_text": text,
                    "full_text_public": bool(item.get("full_text_public", False)),
                    "original_filename": item.get("original_filename", ""),
                    "notes": item.get("notes", ""),
                    "status": item.get("status", Status.PUBLISHED),
                },
            )

    def load_topics(self, items: list[dict]) -> None:
        for index, item in enumerate(items):
            self.start(index, item)
            self.upsert(
                Topic,
                {"slug": self.require(item, "slug")},
                {
                    "name": self.require(item, "name"),
                    "name_ru": item.get("name_ru", ""),
                    "name_uk": item.get("name_uk", ""),
                    "description": item.get("description", ""),
                },
            )

    def load_groups(self, items: list[dict]) -> None:
        for index, item in enumerate(items):
            self.start(index, item)
            group = self.upsert(
                Group,
                {"slug": self.require(item, "slug")},
                {
                    "name": self.require(item, "name"),
                    "kind": self.require(item, "kind"),
                    "country": item.get("country", ""),
                    "description": item.get("description", ""),
                    "founded_on": self.date(item, "founded_on"),
                    "founded_precision": item.get("founded_precision", "year"),
                    "website": item.get("website", ""),
                    "telegram": item.get("telegram", ""),
                    **self.cited_values(item),
                },
            )
            self.attach_aliases(GroupAlias, "group", group, item)
            self.attach_provenance(group, item)
        # Relations point at groups that may come later in the file.
        for index, item in enumerate(items):
            self.start(index, item)
            subject = Group.objects.get(slug=item["slug"])
            for position, relation in enumerate(item.get("relations", [])):
                where = f"relations[{position}]."
                link = self.upsert(
                    GroupRelation,
                    {
                        "subject": subject,
                        "kind": relation.get("kind", ""),
                        "object": self.ref(Group, relation.get("object"), where + "object"),
                    },
                    self.cited_values(relation),
                    prefix=where,
                )
                self.attach_provenance(link, relation, where)

    def load_people(self, items: list[dict]) -> None:
        for index, item in enumerate(items):
            self.start(index, item)
            person = self.upsert(
                Person,
                {"slug": self.require(item, "slug")},
                {
                    "name": self.require(item, "name"),
                    "description": item.get("description", ""),
                    "country": item.get("country", ""),
                    "is_protected": bool(item.get("is_protected", False)),
                    **self.cited_values(item),
                },
            )
            self.attach_aliases(PersonAlias, "person", person, item)
            self.attach_provenance(person, item)
            for position, membership in enumerate(item.get("memberships", [])):
                where = f"memberships[{position}]."
                group = self.ref(Group, membership.get("group"), where + "group")
                link = self.upsert(
                    Membership,
                    {"person": person, "group": group, "role": membership.get("role", "")},
                    {
                        **{
                            f"role_{language}": membership.get(f"role_{language}", "")
                            for language in ROLE_LANGUAGES
                        },
                        "start_date": self.date(membership, "start_date"),
                        "start_precision": membership.get("start_precision", "day"),
                        "end_date": self.date(membership, "end_date"),
                        "end_precision": membership.get("end_precision", "day"),
                        **self.cited_values(membership),
                    },
                    prefix=where,
                )
                self.attach_provenance(link, membership, where)

    def partial_date_values(self, item: dict) -> dict:
        return {
            "date": self.date(item, "date"),
            "date_precision": item.get("date_precision", "day"),
            "end_date": self.date(item, "end_date"),
            "date_as_printed": item.get("date_as_printed", ""),
        }

    def load_events(self, items: list[dict]) -> None:
        for index, item in enumerate(items):
            self.start(index, item)
            event = self.upsert(
                Event,
                {"slug": self.require(item, "slug")},
                {
                    "name": self.require(item, "name"),
                    "kind": self.require(item, "kind"),
                    "place": item.get("place", ""),
                    "description": item.get("description", ""),
                    **self.partial_date_values(item),
                    **self.cited_values(item),
                },
            )
            self.set_topics(event, item.get("topics", []))
            self.attach_provenance(event, item)
            for position, participant in enumerate(item.get("participants", [])):
                where = f"participants[{position}]."
                person = self.ref(Person, participant.get("person"), where + "person")
                group = self.ref(Group, participant.get("group"), where + "group")
                link = self.upsert(
                    Participation,
                    {
                        "event": event,
                        "person": person,
                        "group": group,
                        "part": participant.get("part", ""),
                    },
                    {"note": participant.get("note", ""), **self.cited_values(participant)},
                    prefix=where,
                )
                self.attach_provenance(link, participant, where)

    def load_statements(self, items: list[dict]) -> None:
        for index, item in enumerate(items):
            self.start(index, item)
            statement = self.upsert(
                Statement,
                {"slug": self.require(item, "slug")},
                {
                    "speaker_person": self.ref(
                        Person, item.get("speaker_person"), "speaker_person"
                    ),
                    "speaker_group": self.ref(Group, item.get("speaker_group"), "speaker_group"),
                    "addressee_person": self.ref(
                        Person, item.get("addressee_person"), "addressee_person"
                    ),
                    "addressee_group": self.ref(
                        Group, item.get("addressee_group"), "addressee_group"
                    ),
                    "event": self.ref(Event, item.get("event"), "event"),
                    "medium": self.require(item, "medium"),
                    "title": item.get("title", ""),
                    "summary": item.get("summary", ""),
                    **self.partial_date_values(item),
                    **self.cited_values(item),
                },
            )
            self.set_topics(statement, item.get("topics", []))
            self.attach_provenance(statement, item)
            quotations = item.get("quotations") or []
            if not quotations:
                raise self.error("quotations", "a statement needs at least one quotation")
            for position, quotation in enumerate(quotations, start=1):
                where = f"quotations[{position - 1}]."
                source = self.ref(Source, quotation.get("source"), where + "source")
                saved = self.upsert(
                    Quotation,
                    {"statement": statement, "source": source, "position": position},
                    {
                        "text": quotation.get("text", ""),
                        "language": quotation.get("language", "en"),
                    },
                    prefix=where,
                    create_only={"prefix": quotation.get("prefix", "")},
                )
                printed = source.archived_text[saved.start_offset : saved.end_offset]
                if self.written and (not saved.is_verbatim or printed != saved.text):
                    raise self.error(
                        where + "text", f"not found verbatim in source {source.slug!r}"
                    )
