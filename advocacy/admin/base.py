"""Building blocks shared by every ModelAdmin: provenance inlines, conflict actions,
cross-script search and a read-only citation panel."""

from django.contrib import admin, messages
from django.contrib.contenttypes.admin import GenericTabularInline
from django.db.models import Count
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from advocacy.admin.workflow import WorkflowAdminMixin
from advocacy.models import Citation, ConflictingVersion, ExternalIdentifier
from advocacy.search import query_terms


class CitationInline(GenericTabularInline):
    model = Citation
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["source", "excerpt", "note"]
    verbose_name = _("citation")


class ConflictingVersionInline(GenericTabularInline):
    model = ConflictingVersion
    extra = 0
    autocomplete_fields = ["source"]
    fields = ["field", "value", "normalized_value", "source", "excerpt", "note"]
    verbose_name = _("conflicting version")


class IdentifierInline(GenericTabularInline):
    model = ExternalIdentifier
    extra = 0
    fields = ["scheme", "identifier"]


def admin_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


class FoldedSearchMixin:
    """Admin search that also matches the folded search key: across scripts, spellings
    and (through the key) every alias."""

    def get_search_results(self, request, queryset, search_term):
        results, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        terms = query_terms(search_term)
        if terms and hasattr(self.model, "search_key"):
            folded = queryset
            for term in terms:
                folded = folded.filter(search_key__contains=term)
            results = results | folded
        return results, may_have_duplicates


class PreviewOnSiteMixin:
    """ "View on site" opens the researcher's preview of the working record (the public
    page shows what was last published, and nothing of a draft)."""

    previewed = ("group", "person", "event", "statement", "source")

    def view_on_site(self, obj):
        kind = obj._meta.model_name
        if kind in self.previewed:
            return reverse("preview", args=[kind, obj.pk])
        return obj.get_absolute_url()


class CitedAdmin(PreviewOnSiteMixin, WorkflowAdminMixin, FoldedSearchMixin, SimpleHistoryAdmin):
    """Admin for a record that cites sources and has a publication status."""

    provenance_inlines = [CitationInline, ConflictingVersionInline]
    # Status actions (submit, publish, retract...) come from WorkflowAdminMixin.
    actions = ["mark_conflicting", "mark_resolved"]
    readonly_fields = ["citations_panel", "created_at", "updated_at", "version"]
    list_per_page = 50

    def get_inlines(self, request, obj):
        return [*self.inlines, *self.provenance_inlines]

    def get_queryset(self, request):
        return (
            super().get_queryset(request).annotate(citation_count=Count("citations", distinct=True))
        )

    @admin.display(description=_("when"), ordering="date")
    def when(self, obj) -> str:
        """The date at its real precision: "November 2022", not a false first of the month."""
        return obj.date_display or "—"

    @admin.display(description=_("sources"), ordering="citation_count")
    def citation_count(self, obj) -> int:
        return obj.citation_count

    @admin.display(description=_("Citations"))
    def citations_panel(self, obj):
        if obj is None or obj.pk is None:
            return "—"
        citations = obj.citations.select_related("source")
        if not citations:
            return _("No citations yet: add at least one below.")
        return format_html(
            "<ol class='citations-panel'>{}</ol>",
            format_html_join(
                "",
                "<li><a href='{}'>{}</a> ({}, {})<br><q>{}</q></li>",
                (
                    (
                        admin_url(c.source),
                        c.source.title,
                        c.source.publisher or _("publisher unknown"),
                        c.source.published_display or _("date unknown"),
                        c.excerpt or "—",
                    )
                    for c in citations
                ),
            ),
        )

    def _set(self, request, queryset, message, **values):
        changed = 0
        for obj in queryset:
            for name, value in values.items():
                setattr(obj, name, value)
            # Saved one by one so every change lands in the history with its author.
            obj.save(update_fields=list(values))
            changed += 1
        self.message_user(request, message % {"count": changed}, messages.SUCCESS)

    @admin.action(description=_("Mark as conflicting"), permissions=["change"])
    def mark_conflicting(self, request, queryset):
        self._set(
            request, queryset, _("%(count)d record(s) marked as conflicting."), has_conflict=True
        )

    @admin.action(description=_("Mark conflict as resolved"), permissions=["change"])
    def mark_resolved(self, request, queryset):
        self._set(
            request, queryset, _("%(count)d conflict(s) marked resolved."), has_conflict=False
        )


class AttachmentAdmin(SimpleHistoryAdmin):
    """Admin for what hangs off any record (citations, versions, identifiers)."""

    @admin.display(description=_("record"))
    def cited_record(self, obj):
        # Linked by type and id so the changelist never loads the records themselves.
        url = reverse(
            f"admin:{obj.content_type.app_label}_{obj.content_type.model}_change",
            args=[obj.object_id],
        )
        return format_html("<a href='{}'>{} #{}</a>", url, obj.content_type.name, obj.object_id)
