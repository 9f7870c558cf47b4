"""The researchers' admin: one ModelAdmin per record type."""

from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from simple_history.admin import SimpleHistoryAdmin

from advocacy.admin.base import (
    AttachmentAdmin,
    CitedAdmin,
    FoldedSearchMixin,
    IdentifierInline,
    PreviewOnSiteMixin,
    admin_url,
)
from advocacy.admin.protection import ProtectionAdminMixin
from advocacy.admin.workflow import MergeAdminMixin, SourceListFilter, SourceWorkflowMixin
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
    SlugRedirect,
    Source,
    Statement,
    Topic,
)
from advocacy.text import paragraph_around

# A statement's summary in the changelist, cut at a word (the whole one is on its form).
SUMMARY_LENGTH = 100


class GroupAliasInline(admin.TabularInline):
    model = GroupAlias
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["name", "language", "script", "kind", "source"]


class PersonAliasInline(GroupAliasInline):
    model = PersonAlias


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["person", "group"]
    fields = ["person", "group", "role", "start_date", "end_date", "status", "has_conflict"]
    show_change_link = True


class GroupRelationInline(admin.TabularInline):
    model = GroupRelation
    fk_name = "subject"
    extra = 0
    autocomplete_fields = ["object"]
    fields = ["kind", "object", "status"]
    show_change_link = True


class ParticipationInline(admin.TabularInline):
    model = Participation
    extra = 0
    autocomplete_fields = ["person", "group"]
    fields = ["person", "group", "part", "note", "status"]
    show_change_link = True


class QuotationInline(admin.StackedInline):
    model = Quotation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["position", "source", "language", "text", "prefix", "verbatim_status"]
    readonly_fields = ["verbatim_status"]

    @admin.display(description=_("Verbatim check"))
    def verbatim_status(self, obj):
        if obj is None or obj.pk is None:
            return _("Checked against the source's archived text on save.")
        if obj.is_verbatim:
            return format_html(
                "✔ {} (characters {}–{})", _("found verbatim"), obj.start_offset, obj.end_offset
            )
        return format_html("<strong class='errornote'>✘ {}</strong>", _("NOT found in source"))


@admin.register(Source)
class SourceAdmin(PreviewOnSiteMixin, SourceWorkflowMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    list_display = [
        "title",
        "publisher",
        "published_on",
        "language",
        "kind",
        "status",
        "full_text_public",
        "quotation_count",
    ]
    list_filter = ["status", "kind", "language", "full_text_public", "publisher"]
    search_fields = ["title", "publisher", "authors", "url"]
    date_hierarchy = "published_on"
    readonly_fields = [
        "content_hash",
        "archived_text_display",
        "quotations_panel",
        "created_at",
        "updated_at",
        "version",
    ]
    fieldsets = [
        (None, {"fields": ["title", "slug", "status", "kind", "language"]}),
        (
            _("Publication"),
            {"fields": ["publisher", "authors", "url", "published_on", "published_precision"]},
        ),
        (
            _("Archive"),
            {
                "fields": [
                    "retrieved_on",
                    "full_text_public",
                    "original_filename",
                    "content_hash",
                    "archived_text",
                    "archived_text_display",
                ]
            },
        ),
        (_("Quotations taken from it"), {"fields": ["quotations_panel"]}),
        (
            _("Notes"),
            {"fields": ["notes", "retraction_note", "created_at", "updated_at", "version"]},
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(quotation_total=Count("quotations"))

    @admin.display(description=_("quotations"), ordering="quotation_total")
    def quotation_count(self, obj) -> int:
        return obj.quotation_total

    @admin.display(description=_("Archived text as stored"))
    def archived_text_display(self, obj):
        if obj is None or not obj.archived_text:
            return "—"
        return format_html("<pre class='archived-text'>{}</pre>", obj.archived_text)

    @admin.display(description=_("Quotations in context"))
    def quotations_panel(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        rows = []
        for quotation in obj.quotations.select_related("statement").order_by("start_offset"):
            if quotation.is_verbatim:
                start, end = paragraph_around(
                    obj.archived_text, quotation.start_offset, quotation.end_offset
                )
                context = format_html(
                    "{}<mark>{}</mark>{}",
                    obj.archived_text[start : quotation.start_offset],
                    obj.archived_text[quotation.start_offset : quotation.end_offset],
                    obj.archived_text[quotation.end_offset : end],
                )
            else:
                context = format_html("<strong>{}</strong> {}", _("Not found:"), quotation.text)
            rows.append((admin_url(quotation.statement), quotation.statement.slug, context))
        if not rows:
            return _("No quotations from this source yet.")
        return format_html(
            "<ol>{}</ol>", format_html_join("", "<li><a href='{}'>{}</a><p>{}</p></li>", rows)
        )


@admin.register(Group)
class GroupAdmin(MergeAdminMixin, CitedAdmin):
    list_display = [
        "name",
        "kind",
        "country",
        "status",
        "has_conflict",
        "citation_count",
        "member_count",
    ]
    list_filter = ["status", "kind", "country", "has_conflict"]
    search_fields = ["name", "aliases__name", "description"]
    prepopulated_fields = {}
    inlines = [GroupAliasInline, MembershipInline, GroupRelationInline]
    provenance_inlines = [*CitedAdmin.provenance_inlines, IdentifierInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "country", "status", "has_conflict"]}),
        (
            _("About"),
            {"fields": ["description", "founded_on", "founded_precision", "website", "telegram"]},
        ),
        (_("Sources"), {"fields": ["citations_panel"]}),
        (_("Record"), {"fields": ["retraction_note", "created_at", "updated_at", "version"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(members=Count("memberships", distinct=True))

    @admin.display(description=_("members"), ordering="members")
    def member_count(self, obj) -> int:
        return obj.members


@admin.register(Person)
class PersonAdmin(ProtectionAdminMixin, MergeAdminMixin, CitedAdmin):
    actions = [*CitedAdmin.actions, "request_protection"]
    list_display = [
        "name",
        "country",
        "is_protected",
        "status",
        "has_conflict",
        "citation_count",
        "statement_count",
    ]
    list_filter = ["status", "is_protected", "country", "has_conflict", "memberships__group"]
    search_fields = ["name", "aliases__name", "description"]
    inlines = [PersonAliasInline, MembershipInline]
    provenance_inlines = [*CitedAdmin.provenance_inlines, IdentifierInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "country", "status", "is_protected", "has_conflict"]}),
        (_("About"), {"fields": ["description"]}),
        (_("Sources"), {"fields": ["citations_panel"]}),
        (_("Record"), {"fields": ["retraction_note", "created_at", "updated_at", "version"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(statements_made=Count("statements", distinct=True))
        )

    @admin.display(description=_("statements"), ordering="statements_made")
    def statement_count(self, obj) -> int:
        return obj.statements_made


@admin.register(Membership)
class MembershipAdmin(CitedAdmin):
    list_display = [
        "person",
        "role",
        "group",
        "start_date",
        "status",
        "has_conflict",
        "citation_count",
    ]
    list_filter = ["status", "has_conflict", "group"]
    list_select_related = ["person", "group"]
    # The role's translations (role_en, role_ru, role_uk) follow the printed role on the
    # form: each is shown beside it to readers of that language, never instead of it.
    search_fields = ["role", "role_en", "role_ru", "role_uk", "person__name", "group__name"]
    autocomplete_fields = ["person", "group"]


@admin.register(GroupRelation)
class GroupRelationAdmin(CitedAdmin):
    list_display = ["subject", "kind", "object", "status", "citation_count"]
    list_filter = ["status", "kind"]
    list_select_related = ["subject", "object"]
    search_fields = ["subject__name", "object__name"]
    autocomplete_fields = ["subject", "object"]


@admin.register(Event)
class EventAdmin(CitedAdmin):
    list_display = [
        "name",
        "kind",
        "when",
        "place",
        "status",
        "has_conflict",
        "citation_count",
    ]
    list_filter = ["status", "kind", "has_conflict", "date_precision", "topics"]
    search_fields = ["name", "place", "description"]
    date_hierarchy = "date"
    filter_horizontal = ["topics"]
    inlines = [ParticipationInline]
    fieldsets = [
        (None, {"fields": ["name", "slug", "kind", "status", "has_conflict"]}),
        (
            _("When and where"),
            {"fields": ["date", "date_precision", "end_date", "date_as_printed", "place"]},
        ),
        (_("About"), {"fields": ["description", "topics"]}),
        (_("Sources"), {"fields": ["citations_panel"]}),
        (_("Record"), {"fields": ["retraction_note", "created_at", "updated_at", "version"]}),
    ]


@admin.register(Participation)
class ParticipationAdmin(CitedAdmin):
    list_display = ["event", "person", "group", "part", "status", "citation_count"]
    list_filter = ["status", "part"]
    list_select_related = ["event", "person", "group"]
    search_fields = ["event__name", "person__name", "group__name"]
    autocomplete_fields = ["event", "person", "group"]


@admin.register(Statement)
class StatementAdmin(CitedAdmin):
    def formfield_for_dbfield(self, db_field, request, **kwargs):
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if db_field.name == "title":
            # A whole title in view while it is written (the default box shows 20 letters).
            field.widget.attrs["class"] = "vLargeTextField"
        return field

    # Fits 1280 px with the navigation sidebar open: the medium is a filter, and the
    # quotation and source counts share one column.
    list_display = [
        "short_summary",
        "speaker",
        "when",
        "status",
        "has_conflict",
        "evidence",
    ]
    list_filter = [
        "status",
        "medium",
        "has_conflict",
        "speaker_group",
        "topics",
        "date_precision",
        SourceListFilter,
    ]
    list_select_related = ["speaker_person", "speaker_group"]
    search_fields = ["summary", "quotations__text", "speaker_person__name", "speaker_group__name"]
    date_hierarchy = "date"
    autocomplete_fields = [
        "speaker_person",
        "speaker_group",
        "addressee_person",
        "addressee_group",
        "event",
    ]
    filter_horizontal = ["topics"]
    inlines = [QuotationInline]
    fieldsets = [
        (None, {"fields": ["title", "summary", "slug", "status", "has_conflict"]}),
        (
            _("Who and to whom"),
            {"fields": ["speaker_person", "speaker_group", "addressee_person", "addressee_group"]},
        ),
        (
            _("When, how, where"),
            {
                "fields": [
                    "date",
                    "date_precision",
                    "end_date",
                    "date_as_printed",
                    "medium",
                    "event",
                ]
            },
        ),
        (_("Topics"), {"fields": ["topics"]}),
        (_("Sources"), {"fields": ["citations_panel"]}),
        (_("Record"), {"fields": ["retraction_note", "created_at", "updated_at", "version"]}),
    ]

    def get_queryset(self, request):
        from django.db.models import Q

        return (
            super()
            .get_queryset(request)
            .annotate(
                quotation_total=Count("quotations", distinct=True),
                unverified=Count(
                    "quotations", filter=Q(quotations__is_verbatim=False), distinct=True
                ),
            )
        )

    @admin.display(description=_("statement"), ordering="title")
    def short_summary(self, obj) -> str:
        """At most 100 characters, cut at a word: the list fits 1280 px, sidebar open."""
        text = obj.title or obj.summary or obj.slug
        if len(text) <= SUMMARY_LENGTH:
            return text
        return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"

    @admin.display(description=_("quotations, sources"), ordering="quotation_total")
    def evidence(self, obj):
        """ "2 quotations (1 unverified) · 3 sources", the unverified ones flagged."""
        quotations = ngettext("%(count)d quotation", "%(count)d quotations", obj.quotation_total)
        sources = ngettext("%(count)d source", "%(count)d sources", obj.citation_count)
        unverified = ""
        if obj.unverified:
            unverified = format_html(
                " <strong class='errornote'>({})</strong>",
                ngettext("%(count)d unverified", "%(count)d unverified", obj.unverified)
                % {"count": obj.unverified},
            )
        return format_html(
            "{}{}<br>{}",
            quotations % {"count": obj.quotation_total},
            unverified,
            sources % {"count": obj.citation_count},
        )


@admin.register(Quotation)
class QuotationAdmin(SimpleHistoryAdmin):
    list_display = ["short_text", "statement", "source", "language", "is_verbatim", "start_offset"]
    list_filter = ["is_verbatim", "language", "source"]
    list_select_related = [
        "statement",
        "statement__speaker_person",
        "statement__speaker_group",
        "source",
    ]
    search_fields = ["text", "statement__summary"]
    autocomplete_fields = ["statement", "source"]
    readonly_fields = [
        "is_verbatim",
        "start_offset",
        "end_offset",
        "suffix",
        "created_at",
        "updated_at",
    ]

    @admin.display(description=_("text"))
    def short_text(self, obj) -> str:
        return obj.text if len(obj.text) <= 90 else obj.text[:89] + "…"


@admin.register(Citation)
class CitationAdmin(AttachmentAdmin):
    list_display = ["cited_record", "source", "short_excerpt"]
    list_filter = ["content_type", "source"]
    list_select_related = ["source", "content_type"]
    search_fields = ["excerpt", "source__title"]
    autocomplete_fields = ["source"]

    @admin.display(description=_("excerpt"))
    def short_excerpt(self, obj) -> str:
        return obj.excerpt[:90]


@admin.register(ConflictingVersion)
class ConflictingVersionAdmin(AttachmentAdmin):
    list_display = ["field", "value", "normalized_value", "source", "cited_record"]
    list_filter = ["field", "content_type"]
    list_select_related = ["source", "content_type"]
    search_fields = ["value", "excerpt"]
    autocomplete_fields = ["source"]


@admin.register(GroupAlias)
class GroupAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "group", "language", "script", "kind", "source"]
    list_filter = ["script", "language", "kind"]
    list_select_related = ["group", "source"]
    search_fields = ["name", "group__name"]
    autocomplete_fields = ["group", "source"]


@admin.register(PersonAlias)
class PersonAliasAdmin(SimpleHistoryAdmin):
    list_display = ["name", "person", "language", "script", "kind", "source"]
    list_filter = ["script", "language", "kind"]
    list_select_related = ["person", "source"]
    search_fields = ["name", "person__name"]
    autocomplete_fields = ["person", "source"]


@admin.register(Topic)
class TopicAdmin(SimpleHistoryAdmin):
    list_display = ["name", "name_ru", "name_uk", "slug", "statement_count", "event_count"]
    search_fields = ["name", "name_ru", "name_uk", "description"]
    prepopulated_fields = {"slug": ["name"]}

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                statements_tagged=Count("statements", distinct=True),
                events_tagged=Count("events", distinct=True),
            )
        )

    @admin.display(description=_("statements"), ordering="statements_tagged")
    def statement_count(self, obj) -> int:
        return obj.statements_tagged

    @admin.display(description=_("events"), ordering="events_tagged")
    def event_count(self, obj) -> int:
        return obj.events_tagged


@admin.register(ExternalIdentifier)
class ExternalIdentifierAdmin(AttachmentAdmin):
    list_display = ["scheme", "identifier", "cited_record"]
    list_filter = ["scheme", "content_type"]
    list_select_related = ["content_type"]
    search_fields = ["identifier"]


@admin.register(SlugRedirect)
class SlugRedirectAdmin(admin.ModelAdmin):
    list_display = ["old_slug", "content_type", "object_id", "created_at"]
    list_select_related = ["content_type"]
    list_filter = ["content_type"]
    search_fields = ["old_slug"]
