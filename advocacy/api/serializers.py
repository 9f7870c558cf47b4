"""Serializers: explicit fields, small summaries for related records, provenance on every
cited record, and writes that validate everything before anything is saved.

Every serializer expects `audience` (advocacy.api.audience.Audience) in its context: it
decides which related records may be shown, and how (a protected person by a label). The
texts of what the public reads are redacted once, by the publication's final pass.
"""

import datetime
import hashlib

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.fields import SkipField
from rest_framework.relations import PKOnlyObject

from advocacy.api.fields import (
    AgentSummarySerializer,
    RecordField,
    agent_summary,
    group_summary,
    person_summary,
    source_summary,
)
from advocacy.api.names import DisplayNameSerializer, display_name
from advocacy.api.prefetch import related
from advocacy.choices import Status
from advocacy.models import (
    Citation,
    ConflictingVersion,
    Event,
    Group,
    GroupRelation,
    Membership,
    Participation,
    Person,
    Quotation,
    Source,
    Statement,
    Topic,
)
from advocacy.models.provenance import cited_models
from advocacy.publication.triggers import changed as public_changed
from advocacy.services import protection
from advocacy.text import content_hash

DATE_PRECISION_HELP = _("How much of the date is known: day, month or year.")


def _audience(serializer):
    return serializer.context["audience"]


# Statuses the public sees (a record, or its retraction note): changing to or from them is
# publishing.
SHOWN_STATUSES = {Status.PUBLISHED, Status.RETRACTED}


def require_perm(serializer, model: type[models.Model], action: str) -> None:
    request = serializer.context.get("request")
    opts = model._meta
    if request is None or not request.user.has_perm(f"{opts.app_label}.{action}_{opts.model_name}"):
        raise PermissionDenied(
            _("You may not %(action)s %(model)s records.")
            % {"action": action, "model": opts.verbose_name}
        )


class PrefetchedListSerializer(serializers.ListSerializer):
    """Reads a nested relation from the selector's prefetched list (advocacy.api.prefetch)."""

    def get_attribute(self, instance):
        return related(instance, self.source)


def _datetime(value) -> str:
    text = value.isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


# Plain model values DRF would return unchanged (or as ISO 8601 text), read directly.
FAST_FIELDS = {
    serializers.CharField: None,
    serializers.SlugField: None,
    serializers.URLField: None,
    serializers.ChoiceField: None,
    serializers.IntegerField: None,
    serializers.BooleanField: None,
    serializers.DateField: datetime.date.isoformat,
    serializers.DateTimeField: _datetime,
}


def fast_representation(serializer, instance) -> dict:
    """`Serializer.to_representation`, reading plain model fields without DRF's per-field
    machinery (a third of a list's time); any other field goes through DRF as usual."""
    plan = serializer.__dict__.get("_fast_plan")
    if plan is None:
        plan = []
        for field in serializer._readable_fields:
            kind = type(field)
            simple = kind in FAST_FIELDS and len(field.source_attrs) == 1
            if kind in (serializers.DateField, serializers.DateTimeField) and (
                getattr(field, "format", None) or getattr(field, "timezone", None)
            ):
                simple = False
            plan.append((field, field.source_attrs[0] if simple else None, FAST_FIELDS.get(kind)))
        serializer._fast_plan = plan
    data = {}
    for field, attr, convert in plan:
        if attr is not None:
            value = getattr(instance, attr)
            data[field.field_name] = value if value is None or convert is None else convert(value)
            continue
        try:
            attribute = field.get_attribute(instance)
        except SkipField:
            continue
        check = attribute.pk if isinstance(attribute, PKOnlyObject) else attribute
        data[field.field_name] = None if check is None else field.to_representation(attribute)
    return data


class AudienceListSerializer(serializers.ListSerializer):
    """Asks once, for the whole page, which related records may be shown."""

    def to_representation(self, data):
        items = list(data.all() if hasattr(data, "all") else data)
        prime = getattr(self.child, "prime", None)
        if prime is not None and items:
            prime(items)
        return [self.child.to_representation(item) for item in items]


# Provenance ----------------------------------------------------------------------------------


class WholeNestedSerializer(serializers.ModelSerializer):
    """A nested record written with its parent replaces the old ones, so it is complete even
    in a PATCH (where DRF would skip its missing required fields: a 500 further on)."""

    def validate(self, attrs):
        missing = {
            name: [_("This field is required.")]
            for name, field in self.fields.items()
            if field.required and not field.read_only and name not in attrs
        }
        if missing:
            raise serializers.ValidationError(missing)
        return super().validate(attrs)


class CitationNestedSerializer(WholeNestedSerializer):
    """A source supporting the record, with the words that support it."""

    source = RecordField(Source, help_text=_("The source's id or slug."))

    class Meta:
        model = Citation
        list_serializer_class = PrefetchedListSerializer
        fields = ["id", "source", "excerpt", "note"]
        read_only_fields = ["id"]

    def to_representation(self, instance):
        audience = _audience(self)
        return {
            "id": instance.pk,
            "source": source_summary(audience, instance.source),
            "excerpt": instance.excerpt,
            "note": instance.note,
        }


class ConflictingVersionSerializer(serializers.ModelSerializer):
    """What one source says of a contested fact."""

    source = RecordField(Source, read_only=True)

    class Meta:
        model = ConflictingVersion
        list_serializer_class = PrefetchedListSerializer
        fields = ["id", "field", "value", "normalized_value", "source", "excerpt", "note"]
        read_only_fields = fields

    def to_representation(self, instance):
        audience = _audience(self)
        return {
            "id": instance.pk,
            "field": instance.field,
            "value": instance.value,
            "normalized_value": instance.normalized_value,
            "source": source_summary(audience, instance.source),
            "excerpt": instance.excerpt,
            "note": instance.note,
        }


class RecordSerializer(serializers.ModelSerializer):
    """Base for every resource: id, slug, `url`, `html_url`, timestamps."""

    basename: str = ""
    html_url_name: str | None = None

    url = serializers.SerializerMethodField(help_text=_("This record in the API."))
    html_url = serializers.SerializerMethodField(help_text=_("This record's public page."))

    class Meta:
        list_serializer_class = AudienceListSerializer

    def get_url(self, obj) -> str:
        return _audience(self).api_url(self.basename, obj.pk)

    def validate_status(self, value):
        """Publishing, retracting and taking back to draft are an editor's
        (`publish_<model>`), here as in the admin: a researcher's record waits for review."""
        current = self.instance.status if self.instance is not None else Status.DRAFT
        if value != current and {value, current} & SHOWN_STATUSES:
            require_perm(self, self.Meta.model, "publish")
        return value

    def get_html_url(self, obj) -> str | None:
        return _audience(self).html_url(self.html_url_name, getattr(obj, "slug", None))

    def related_records(self, obj):
        """(model, id) pairs of the related records this serializer summarises."""
        return []

    def prime(self, items) -> None:
        audience = _audience(self)
        wanted: dict[type[models.Model], set[int]] = {}
        for item in items:
            for model, pk in self.related_records(item):
                if pk is not None:
                    wanted.setdefault(model, set()).add(pk)
        for model, ids in wanted.items():
            audience.prime(model, ids)

    def to_representation(self, instance):
        if not isinstance(self.parent, serializers.ListSerializer):
            self.prime([instance])
        return fast_representation(self, instance)


class CitedRecordSerializer(RecordSerializer):
    """A record that cites its sources: writable citations, read-only conflicts."""

    citations = CitationNestedSerializer(
        many=True, required=False, help_text=_("The sources behind this record.")
    )
    conflicting_versions = ConflictingVersionSerializer(
        many=True,
        read_only=True,
        help_text=_("Where sources disagree, what each says (see `has_conflict`)."),
    )

    def create(self, validated_data):
        citations = validated_data.pop("citations", None)
        instance = super().create(validated_data)
        self.save_citations(instance, citations)
        return instance

    def update(self, instance, validated_data):
        citations = validated_data.pop("citations", None)
        instance = super().update(instance, validated_data)
        self.save_citations(instance, citations, replace=True)
        return instance

    def save_citations(self, instance, citations, *, replace: bool = False) -> None:
        """Give the record these citations; on update, they replace the old ones."""
        if citations is None:
            return
        require_perm(self, Citation, "add")
        if replace:
            instance.citations.all().delete()
        content_type = ContentType.objects.get_for_model(instance)
        created = Citation.objects.bulk_create(
            [
                Citation(content_type=content_type, object_id=instance.pk, **citation)
                for citation in citations
            ]
        )
        # bulk_create sends no signal: the citations' own public rows are asked for here.
        public_changed(("citation", citation.pk) for citation in created)


class PartialDateSerializerMixin:
    """Dates known to the day, month or year: the end follows the start."""

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = getattr(self, "instance", None)

        def current(name):
            return attrs[name] if name in attrs else getattr(instance, name, None)

        date, end_date = current("date"), current("end_date")
        if end_date and not date:
            raise serializers.ValidationError({"date": [_("Give a date when giving end_date.")]})
        if date and end_date and end_date < date:
            raise serializers.ValidationError({"end_date": [_("The end date is before the date.")]})
        return attrs


# Groups and people --------------------------------------------------------------------------


class AliasSerializer(serializers.Serializer):
    name = serializers.CharField()
    language = serializers.CharField()
    script = serializers.CharField()
    kind = serializers.CharField()


class IdentifierSerializer(serializers.Serializer):
    scheme = serializers.CharField()
    identifier = serializers.CharField()
    url = serializers.CharField()


def _aliases(obj) -> list[dict]:
    return [
        {"name": a.name, "language": a.language, "script": a.script, "kind": a.kind}
        for a in related(obj, "aliases")
    ]


def _identifiers(obj) -> list[dict]:
    return [
        {"scheme": i.scheme, "identifier": i.identifier, "url": i.url}
        for i in related(obj, "identifiers")
    ]


class NamedRecordSerializer(CitedRecordSerializer):
    """A person or group: a cited record with other names and external identifiers."""

    aliases = serializers.SerializerMethodField(help_text=_("Other names, with script."))
    identifiers = serializers.SerializerMethodField()
    display_name = serializers.SerializerMethodField(
        help_text=_(
            "The name to show in the reader's language (Accept-Language or ?lang=), and "
            "whether it is recorded or only transliterated for display."
        )
    )

    @extend_schema_field(DisplayNameSerializer)
    def get_display_name(self, obj):
        return display_name(obj, get_language())

    @extend_schema_field(AliasSerializer(many=True))
    def get_aliases(self, obj):
        return _aliases(obj)

    @extend_schema_field(IdentifierSerializer(many=True))
    def get_identifiers(self, obj):
        return _identifiers(obj)


class GroupSerializer(NamedRecordSerializer):
    basename = "group"
    html_url_name = "group-detail"

    class Meta(RecordSerializer.Meta):
        model = Group
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "name",
            "display_name",
            "aliases",
            "kind",
            "country",
            "description",
            "founded_on",
            "founded_precision",
            "website",
            "telegram",
            "identifiers",
            "status",
            "has_conflict",
            "citations",
            "conflicting_versions",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "version"]
        extra_kwargs = {"slug": {"required": False}}


ROLE_TRANSLATION_HELP = _(
    "The role in the reader's language (Accept-Language or ?lang=) where a translation is "
    "recorded, to show beside the printed `role` (never instead of it); null where none is."
)


def role_translation(membership: Membership) -> str | None:
    return membership.role_in(get_language()) or None


class MembershipInPersonSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    group = AgentSummarySerializer(allow_null=True)
    role = serializers.CharField()
    role_translation = serializers.CharField(allow_null=True, help_text=ROLE_TRANSLATION_HELP)
    start_date = serializers.DateField(allow_null=True)
    start_precision = serializers.CharField()
    end_date = serializers.DateField(allow_null=True)
    end_precision = serializers.CharField()


class PersonSerializer(NamedRecordSerializer):
    basename = "person"
    html_url_name = "person-detail"

    memberships = serializers.SerializerMethodField(help_text=_("Published memberships."))
    protection_reason = serializers.CharField(
        write_only=True,
        required=False,
        max_length=500,
        help_text=_(
            "Why the protection is lifted: required with `is_protected: false` on a protected "
            "person. Changing `is_protected` needs the `protect_person` permission (editors)."
        ),
    )

    class Meta(RecordSerializer.Meta):
        model = Person
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "name",
            "display_name",
            "aliases",
            "country",
            "description",
            "is_protected",
            "protection_reason",
            "memberships",
            "identifiers",
            "status",
            "has_conflict",
            "citations",
            "conflicting_versions",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "version"]
        extra_kwargs = {"slug": {"required": False}}

    def validate(self, attrs):
        """Protection is an editor's decision, either way; lifting it needs a reason."""
        attrs = super().validate(attrs)
        reason = attrs.pop("protection_reason", "")
        if self.instance is not None and "is_protected" in attrs:
            request = self.context.get("request")
            self.protection_change_reason = protection.check_protection_change(
                person=self.instance,
                user=getattr(request, "user", None),
                protected=attrs["is_protected"],
                reason=reason,
            )
        return attrs

    def update(self, instance, validated_data):
        reason = getattr(self, "protection_change_reason", "")
        if reason:
            instance._change_reason = reason
        instance = super().update(instance, validated_data)
        if reason:
            protection.log_protection_change(
                person=instance,
                user=self.context["request"].user,
                protected=instance.is_protected,
                reason=reason,
            )
        return instance

    @extend_schema_field(MembershipInPersonSerializer(many=True))
    def get_memberships(self, obj):
        audience = _audience(self)
        # A membership a researcher changed shows as an editor last published it.
        shown = (
            audience.published(
                m,
                {
                    "id": m.pk,
                    "url": audience.api_url("membership", m.pk),
                    "group": group_summary(audience, m.group),
                    "role": m.role,
                    "role_translation": role_translation(m),
                    "start_date": m.start_date.isoformat() if m.start_date else None,
                    "start_precision": m.start_precision,
                    "end_date": m.end_date.isoformat() if m.end_date else None,
                    "end_precision": m.end_precision,
                },
            )
            for m in related(obj, "memberships")
        )
        return [membership for membership in shown if membership is not None]

    def related_records(self, obj):
        return [(Group, m.group_id) for m in related(obj, "memberships")]


class MembershipSerializer(CitedRecordSerializer):
    basename = "membership"

    person = RecordField(Person, help_text=_("The person's id or slug."))
    group = RecordField(Group, help_text=_("The group's id or slug."))
    role_translation = serializers.SerializerMethodField(help_text=ROLE_TRANSLATION_HELP)

    class Meta(RecordSerializer.Meta):
        model = Membership
        fields = [
            "id",
            "url",
            "html_url",
            "person",
            "group",
            "role",
            "role_en",
            "role_ru",
            "role_uk",
            "role_translation",
            "start_date",
            "start_precision",
            "end_date",
            "end_precision",
            "status",
            "has_conflict",
            "citations",
            "conflicting_versions",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "version"]
        # The (person, group, role) uniqueness is checked in validate(), naming the field.
        validators = []

    def get_html_url(self, obj) -> str | None:
        audience = _audience(self)
        if audience.level(obj.person) != "full":
            return None
        return audience.html_url("person-detail", obj.person.slug)

    def get_role_translation(self, obj) -> str | None:
        return role_translation(obj)

    def related_records(self, obj):
        return [(Person, obj.person_id), (Group, obj.group_id)]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance

        def current(name):
            return attrs[name] if name in attrs else getattr(instance, name, None)

        start, end = current("start_date"), current("end_date")
        if start and end and end < start:
            raise serializers.ValidationError(
                {"end_date": [_("The end date is before the start date.")]}
            )
        person, group, role = current("person"), current("group"), current("role")
        clash = Membership.objects.filter(person=person, group=group, role=role)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if person and group and clash.exists():
            raise serializers.ValidationError(
                {"role": [_("This person already has this role in this group.")]}
            )
        return attrs


# Events ---------------------------------------------------------------------------------------


class ParticipationSerializer(serializers.Serializer):
    participant = AgentSummarySerializer(allow_null=True)
    part = serializers.CharField()
    note = serializers.CharField()
    citations = CitationNestedSerializer(many=True)


class EventSerializer(PartialDateSerializerMixin, CitedRecordSerializer):
    basename = "event"
    html_url_name = "event-detail"

    date_display = serializers.CharField(read_only=True, help_text=_("The date as shown."))
    topics = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Topic.objects.all(), required=False
    )
    participations = serializers.SerializerMethodField(
        help_text=_("Who organised, attended, was invited or not.")
    )

    class Meta(RecordSerializer.Meta):
        model = Event
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "name",
            "kind",
            "date",
            "date_precision",
            "end_date",
            "date_as_printed",
            "date_display",
            "place",
            "description",
            "topics",
            "participations",
            "status",
            "has_conflict",
            "citations",
            "conflicting_versions",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "version"]
        extra_kwargs = {
            "slug": {"required": False},
            "date_precision": {"help_text": DATE_PRECISION_HELP},
        }

    @extend_schema_field(ParticipationSerializer(many=True))
    def get_participations(self, obj):
        audience = _audience(self)
        citation = CitationNestedSerializer(context=self.context)
        rows = []
        for participation in related(obj, "participations"):
            participant = agent_summary(audience, participation.participant)
            if participant is None:
                continue
            rows.append(
                {
                    "participant": participant,
                    "part": participation.part,
                    "note": participation.note,
                    "citations": [
                        citation.to_representation(c) for c in related(participation, "citations")
                    ],
                }
            )
        return rows

    def related_records(self, obj):
        records = []
        for participation in related(obj, "participations"):
            if participation.person_id:
                records.append((Person, participation.person_id))
            else:
                records.append((Group, participation.group_id))
        return records


# Sources ---------------------------------------------------------------------------------------


class SourceSerializer(RecordSerializer):
    basename = "source"
    html_url_name = "source-detail"

    source_url = serializers.URLField(
        source="url",
        max_length=500,
        required=False,
        allow_blank=True,
        help_text=_("Where the document was published."),
    )
    archived_text = serializers.CharField(
        allow_null=True,
        style={"base_template": "textarea.html"},
        help_text=_(
            "The document's text. Null for the public when its full text may not be shown "
            "(copyright): its quoted paragraphs are in the quotations."
        ),
    )
    notes = serializers.CharField(
        allow_null=True,
        allow_blank=True,
        required=False,
        help_text=_("Researchers' notes; null for the public."),
    )
    content_sha1 = serializers.SerializerMethodField(
        help_text=_(
            "SHA-1 of the archived text (UTF-8): the checksum FollowTheMoney and Aleph key "
            "documents by (`content_hash` is its SHA-256)."
        )
    )

    class Meta(RecordSerializer.Meta):
        model = Source
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "title",
            "publisher",
            "authors",
            "source_url",
            "kind",
            "language",
            "published_on",
            "published_precision",
            "retrieved_on",
            "full_text_public",
            "archived_text",
            "content_hash",
            "content_sha1",
            "notes",
            "status",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "content_hash", "created_at", "updated_at", "version"]
        extra_kwargs = {"slug": {"required": False}}

    def to_representation(self, instance):
        data = super().to_representation(instance)
        audience = _audience(self)
        if not audience.sees_all(Source):
            data["notes"] = None
            data["archived_text"] = instance.archived_text if instance.full_text_public else None
        return data

    def get_content_sha1(self, obj) -> str:
        return hashlib.sha1(obj.archived_text.encode()).hexdigest()

    def validate_archived_text(self, value):
        if value is None or not value.strip():
            raise serializers.ValidationError(_("Give the document's text."))
        clash = Source.objects.filter(content_hash=content_hash(value))
        if self.instance is not None:
            clash = clash.exclude(pk=self.instance.pk)
        if clash.exists():
            raise serializers.ValidationError(_("This document is already a source."))
        return value

    def validate_notes(self, value):
        return value or ""


# Statements and quotations --------------------------------------------------------------------


class QuotationNestedSerializer(WholeNestedSerializer):
    """A statement's words exactly as one source prints them, with where they stand."""

    source = RecordField(Source, help_text=_("The source's id or slug."))
    text = serializers.CharField(help_text=_("Verbatim, as printed in the source."))
    # Explicit bounds, the same on every database (a small integer column).
    position = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Order among the statement's quotations."),
    )

    class Meta:
        model = Quotation
        list_serializer_class = PrefetchedListSerializer
        fields = [
            "id",
            "source",
            "text",
            "language",
            "position",
            "is_verbatim",
            "start_offset",
            "end_offset",
            "prefix",
            "suffix",
        ]
        read_only_fields = ["id", "is_verbatim", "start_offset", "end_offset", "suffix"]

    def validate_text(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("The quotation's text is empty."))
        return value

    def to_representation(self, instance):
        audience = _audience(self)
        return {
            "id": instance.pk,
            "source": source_summary(audience, instance.source),
            "text": instance.text,
            "language": instance.language,
            "position": instance.position,
            "is_verbatim": instance.is_verbatim,
            "start_offset": instance.start_offset,
            "end_offset": instance.end_offset,
            "prefix": instance.prefix,
            "suffix": instance.suffix,
        }


class StatementSerializer(PartialDateSerializerMixin, CitedRecordSerializer):
    basename = "statement"
    html_url_name = "statement-detail"

    speaker = serializers.SerializerMethodField(
        help_text=_("Who said it: a person (a neutral label if protected) or a group.")
    )
    addressee = serializers.SerializerMethodField(help_text=_("To whom, if anyone."))
    speaker_person = RecordField(
        Person, write_only=True, required=False, allow_null=True, help_text=_("id or slug")
    )
    speaker_group = RecordField(
        Group, write_only=True, required=False, allow_null=True, help_text=_("id or slug")
    )
    addressee_person = RecordField(
        Person, write_only=True, required=False, allow_null=True, help_text=_("id or slug")
    )
    addressee_group = RecordField(
        Group, write_only=True, required=False, allow_null=True, help_text=_("id or slug")
    )
    event = RecordField(
        Event, required=False, allow_null=True, help_text=_("The event's id or slug.")
    )
    date_display = serializers.CharField(read_only=True)
    topics = serializers.SlugRelatedField(
        many=True, slug_field="slug", queryset=Topic.objects.all(), required=False
    )
    quotations = QuotationNestedSerializer(
        many=True, required=False, help_text=_("Its words, as each source prints them.")
    )

    class Meta(RecordSerializer.Meta):
        model = Statement
        fields = [
            "id",
            "slug",
            "url",
            "html_url",
            "speaker",
            "speaker_person",
            "speaker_group",
            "addressee",
            "addressee_person",
            "addressee_group",
            "event",
            "medium",
            "date",
            "date_precision",
            "end_date",
            "date_as_printed",
            "date_display",
            "title",
            "summary",
            "topics",
            "quotations",
            "status",
            "has_conflict",
            "citations",
            "conflicting_versions",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "version"]
        extra_kwargs = {
            "slug": {"required": False},
            "date_precision": {"help_text": DATE_PRECISION_HELP},
        }

    @extend_schema_field(AgentSummarySerializer(allow_null=True))
    def get_speaker(self, obj):
        return agent_summary(_audience(self), obj.speaker)

    @extend_schema_field(AgentSummarySerializer(allow_null=True))
    def get_addressee(self, obj):
        return agent_summary(_audience(self), obj.addressee)

    def related_records(self, obj):
        return [
            (Person, obj.speaker_person_id),
            (Group, obj.speaker_group_id),
            (Person, obj.addressee_person_id),
            (Group, obj.addressee_group_id),
            (Event, obj.event_id),
        ]

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance

        def current(name):
            return attrs[name] if name in attrs else getattr(instance, name, None)

        if bool(current("speaker_person")) == bool(current("speaker_group")):
            raise serializers.ValidationError(
                {
                    "speaker_person": [
                        _("Give exactly one speaker: speaker_person or speaker_group.")
                    ]
                }
            )
        if current("addressee_person") and current("addressee_group"):
            raise serializers.ValidationError(
                {
                    "addressee_person": [
                        _("Give at most one addressee: addressee_person or addressee_group.")
                    ]
                }
            )
        quotations = attrs.get("quotations")
        if quotations:
            seen = set()
            for index, quotation in enumerate(quotations):
                quotation.setdefault("position", index + 1)
                key = (quotation["source"].pk, quotation["position"])
                if key in seen:
                    raise serializers.ValidationError(
                        {
                            "quotations": [
                                _("Two quotations from one source share position %(position)s.")
                                % {"position": quotation["position"]}
                            ]
                        }
                    )
                seen.add(key)
        return attrs

    def create(self, validated_data):
        quotations = validated_data.pop("quotations", None)
        instance = super().create(validated_data)
        self.save_quotations(instance, quotations)
        return instance

    def update(self, instance, validated_data):
        quotations = validated_data.pop("quotations", None)
        instance = super().update(instance, validated_data)
        self.save_quotations(instance, quotations, replace=True)
        return instance

    def save_quotations(self, instance, quotations, *, replace: bool = False) -> None:
        if quotations is None:
            return
        require_perm(self, Quotation, "add")
        if replace:
            instance.quotations.all().delete()
        for quotation in quotations:
            # save() checks the words against the source and records their offsets.
            Quotation(statement=instance, **quotation).save()
        instance.refresh_search_key()


class QuotationSerializer(RecordSerializer):
    """A quotation as a resource of its own."""

    basename = "quotation"

    exact = serializers.SerializerMethodField(
        help_text=_(
            "The words exactly as the archived text prints them, between start_offset and "
            "end_offset (quote marks and spacing as printed: a W3C TextQuoteSelector's "
            "`exact`); null where they were not found in it."
        )
    )

    statement = RecordField(Statement, help_text=_("The statement's id or slug."))
    source = RecordField(Source, help_text=_("The source's id or slug."))
    text = serializers.CharField(help_text=_("Verbatim, as printed in the source."))
    # Explicit bounds, the same on every database (a small integer column).
    position = serializers.IntegerField(
        min_value=0,
        max_value=32767,
        required=False,
        help_text=_("Order among the statement's quotations."),
    )

    class Meta(RecordSerializer.Meta):
        model = Quotation
        fields = [
            "id",
            "url",
            "html_url",
            "statement",
            "source",
            "text",
            "language",
            "position",
            "is_verbatim",
            "start_offset",
            "end_offset",
            "exact",
            "prefix",
            "suffix",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = [
            "id",
            "is_verbatim",
            "start_offset",
            "end_offset",
            "suffix",
            "created_at",
            "updated_at",
            "version",
        ]
        # The (statement, source, position) uniqueness is checked in validate().
        validators = []

    def get_exact(self, obj) -> str | None:
        if obj.start_offset is None or obj.end_offset is None:
            return None
        return obj.source.archived_text[obj.start_offset : obj.end_offset]

    def get_html_url(self, obj) -> str | None:
        audience = _audience(self)
        page = audience.html_url("statement-detail", obj.statement.slug)
        return f"{page}#quotation-{obj.pk}" if page else None

    def related_records(self, obj):
        statement = obj.statement
        return [
            (Statement, obj.statement_id),
            (Person, statement.speaker_person_id),
            (Group, statement.speaker_group_id),
        ]

    def validate_text(self, value):
        if not value.strip():
            raise serializers.ValidationError(_("The quotation's text is empty."))
        return value

    def validate(self, attrs):
        attrs = super().validate(attrs)
        instance = self.instance

        def current(name, default=None):
            return attrs[name] if name in attrs else getattr(instance, name, default)

        statement, source = current("statement"), current("source")
        position = current("position", 1)
        clash = Quotation.objects.filter(statement=statement, source=source, position=position)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if statement and source and clash.exists():
            raise serializers.ValidationError(
                {"position": [_("The statement already has a quotation from this source here.")]}
            )
        return attrs


class RecordSummarySerializer(serializers.Serializer):
    type = serializers.CharField(help_text=_("The kind of record, e.g. statement."))
    label = serializers.CharField(help_text=_('Its name, or "a protected person".'))
    id = serializers.IntegerField(required=False)
    slug = serializers.CharField(required=False, allow_null=True)
    name = serializers.CharField(required=False)
    display_name = DisplayNameSerializer(
        required=False, help_text=_("A person's or group's name in the reader's language.")
    )
    url = serializers.URLField(required=False, allow_null=True)
    html_url = serializers.URLField(required=False, allow_null=True)


class CitationSerializer(RecordSerializer):
    """A citation as a resource of its own: one source supporting one record."""

    basename = "citation"

    record = serializers.SerializerMethodField(help_text=_("The cited record."))
    record_type = serializers.ChoiceField(
        choices=[],
        write_only=True,
        help_text=_("The kind of record cited, e.g. statement."),
    )
    record_id = serializers.IntegerField(
        write_only=True, min_value=1, max_value=2**63 - 1, help_text=_("The cited record's id.")
    )
    source = RecordField(Source, help_text=_("The source's id or slug."))

    class Meta(RecordSerializer.Meta):
        model = Citation
        fields = [
            "id",
            "url",
            "html_url",
            "record",
            "record_type",
            "record_id",
            "source",
            "excerpt",
            "note",
            "created_at",
            "updated_at",
            "version",
        ]
        read_only_fields = ["id", "created_at", "updated_at", "version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_type"].choices = sorted(m._meta.model_name for m in cited_models())

    def get_html_url(self, obj) -> str | None:
        page = _audience(self).html_url("source-detail", obj.source.slug)
        return f"{page}#citation-{obj.pk}" if page else None

    def related_records(self, obj):
        records = [(obj.content_type.model_class(), obj.object_id)]
        # What a loaded cited record names (a membership's person and group, ...): the
        # public page labels it with their names.
        field = obj._meta.get_field("content_object")
        if field.is_cached(obj):
            records += named_by(field.get_cached_value(obj))
        return records

    @extend_schema_field(RecordSummarySerializer(allow_null=True))
    def get_record(self, obj):
        return record_summary(_audience(self), obj.content_object, obj.content_type.model)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if "record_type" in attrs or "record_id" in attrs:
            model_name = attrs.pop("record_type", None) or self.instance.content_type.model
            pk = attrs.pop("record_id", None) or self.instance.object_id
            model = dict((m._meta.model_name, m) for m in cited_models())[model_name]
            manager = model._default_manager
            request = self.context.get("request")
            if not manager.visible_to(getattr(request, "user", None)).filter(pk=pk).exists():
                raise serializers.ValidationError(
                    {"record_id": [_("No %(model)s with this id.") % {"model": model_name}]}
                )
            attrs["content_type"] = ContentType.objects.get_for_model(model)
            attrs["object_id"] = pk
        return attrs


def named_by(record) -> list[tuple[type[models.Model], int | None]]:
    """The records a membership, participation or group relation names in its label."""
    if isinstance(record, Membership):
        return [(Person, record.person_id), (Group, record.group_id)]
    if isinstance(record, Participation):
        return [(Person, record.person_id), (Group, record.group_id), (Event, record.event_id)]
    if isinstance(record, GroupRelation):
        return [(Group, record.subject_id), (Group, record.object_id)]
    return []


RECORD_PAGES = {
    "group": "group-detail",
    "person": "person-detail",
    "event": "event-detail",
    "statement": "statement-detail",
}
RECORD_RESOURCES = {"group", "person", "event", "statement", "membership"}


def record_summary(audience, record, model_name: str) -> dict | None:
    """Any cited record: its kind, id, label and links (a protected person: the label)."""
    if record is None:
        return None
    if isinstance(record, Person):
        return person_summary(audience, record)
    if isinstance(record, Group):
        return group_summary(audience, record)
    if audience.level(record) != "full":
        return None
    slug = getattr(record, "slug", None)
    label = getattr(record, "name", None) or slug or f"{record._meta.verbose_name} #{record.pk}"
    summary = {
        "type": model_name,
        "id": record.pk,
        "slug": slug,
        "label": label,
        "url": audience.api_url(model_name, record.pk) if model_name in RECORD_RESOURCES else None,
        "html_url": audience.html_url(RECORD_PAGES[model_name], slug)
        if model_name in RECORD_PAGES
        else None,
    }
    return audience.published(record, summary)
