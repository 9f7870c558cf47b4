"""The researcher workflow in the admin (issue 6).

- Add article (paste text or upload a saved .html page) and a review screen listing the
  candidate statements, each quotation highlighted in its paragraph: accept, edit or
  reject, all saved in one transaction (advocacy.services.review).
- Submit for review / publish / return to draft / retract through
  advocacy.services.publishing, which explains what is missing.
- Merge two people or two groups (editors), with a confirmation page.
- Optimistic locking: a stale save is refused with who changed what.
- A duplicate warning when a new person or group folds to an existing name.
- History with a field-by-field diff (django-simple-history); only editors may revert.

The ModelAdmins in records.py take these as mixins; nothing here registers a model.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from advocacy.choices import DatePrecision, Language, Medium
from advocacy.models import Event, Group, Person, Source, Statement
from advocacy.publication import builders
from advocacy.services import importing, merging, publishing, review
from advocacy.text import fold


def _change_url(obj) -> str:
    opts = obj._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])


# Optimistic locking


def _stale_diff(model, pk, expected_version: int) -> tuple[list[tuple[str, str, str]], object]:
    """What changed since the version the user started from: (field, then, now), and who."""
    current = model._default_manager.get(pk=pk)
    history = model.history.filter(id=pk)
    started = history.filter(version=expected_version).order_by("-history_date").first()
    latest = history.order_by("-history_date").first()
    rows = []
    for field in model._meta.concrete_fields:
        if field.name in ("version", "updated_at", "created_at", "search_key", "latest_date"):
            continue
        now = field.value_from_object(current)
        then = field.value_from_object(started) if started is not None else None
        if started is None or then != now:
            rows.append((str(field.verbose_name), "" if then is None else str(then), str(now)))
    return rows, latest


class VersionLockForm(forms.ModelForm):
    """Carries the version the user loaded; a save over a newer version is refused."""

    expected_version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def clean(self):
        cleaned = super().clean()
        instance = self.instance
        expected = cleaned.get("expected_version")
        if instance.pk is None or expected is None:
            return cleaned
        model = type(instance)
        # Locks the row until the admin's transaction ends, so no save slips in between.
        current = (
            model._default_manager.select_for_update()
            .filter(pk=instance.pk)
            .values_list("version", flat=True)
            .first()
        )
        if current is not None and current != expected:
            rows, latest = _stale_diff(model, instance.pk, expected)
            who = getattr(latest, "history_user", None) or _("someone")
            when = getattr(latest, "history_date", None)
            table = format_html_join(
                "", "<tr><th>{}</th><td>{}</td><td>{}</td></tr>", rows
            ) or format_html("<tr><td colspan='3'>{}</td></tr>", _("(related records only)"))
            raise ValidationError(
                format_html(
                    "{} <table class='stale-diff'><tr><th>{}</th><th>{}</th><th>{}</th></tr>{}"
                    "</table>",
                    _(
                        "This record was changed by %(who)s at %(when)s while you were "
                        "editing it (version %(theirs)s; you started from %(yours)s). Your "
                        "changes were NOT saved. Reload the page to see theirs, then make "
                        "your changes again."
                    )
                    % {"who": who, "when": when, "theirs": current, "yours": expected},
                    _("field"),
                    _("when you opened it"),
                    _("saved since"),
                    table,
                ),
                code="stale",
            )
        return cleaned


class VersionLockMixin:
    """ModelAdmin part: the hidden version field, and versions that only ever go up."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        base = kwargs.get("form") or self.form
        if not issubclass(base, VersionLockForm):
            kwargs["form"] = type(f"Locked{base.__name__}", (VersionLockForm, base), {})
        form = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None and obj.pk is not None:
            version = obj.version
            match = getattr(request, "resolver_match", None)
            if match and (match.url_name or "").endswith("simple_history"):
                # Reverting: the check is against the record as it is now.
                version = (
                    type(obj)
                    ._default_manager.filter(pk=obj.pk)
                    .values_list("version", flat=True)
                    .first()
                )
            form.base_fields["expected_version"].initial = version
        return form

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        names = {name for _, options in fieldsets for name in _flatten(options["fields"])}
        if "expected_version" not in names:
            fieldsets = [*fieldsets]
            fieldsets[0] = (
                fieldsets[0][0],
                {**fieldsets[0][1], "fields": [*fieldsets[0][1]["fields"], "expected_version"]},
            )
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change and obj.pk is not None:
            current = (
                type(obj)
                ._default_manager.filter(pk=obj.pk)
                .values_list("version", flat=True)
                .first()
            )
            if current is not None and obj.version < current:
                obj.version = current  # a reverted old version still saves as the newest
        super().save_model(request, obj, form, change)


def _flatten(fields):
    for field in fields:
        if isinstance(field, list | tuple):
            yield from field
        else:
            yield field


# Status workflow


class WorkflowAdminMixin(VersionLockMixin):
    """Status changes through the publishing service; revert for editors only. A published
    record a researcher changed says so, with what would change, and an editor publishes
    the changes from there or from the list."""

    change_form_template = "admin/advocacy/workflow/change_form.html"

    def get_list_filter(self, request):
        return [*super().get_list_filter(request), "changed_since_published"]

    def get_list_display(self, request):
        return [
            "publication_status" if name == "status" else name
            for name in super().get_list_display(request)
        ]

    @admin.display(description=_("status"), ordering="status")
    def publication_status(self, obj):
        if obj.changed_since_published:
            return format_html(
                "{}<br><strong>{}</strong>", obj.get_status_display(), _("changes waiting")
            )
        return obj.get_status_display()

    def render_change_form(self, request, context, add=False, change=False, form_url="", obj=None):
        if obj is not None and obj.changed_since_published:
            context["waiting_changes"] = builders.waiting_changes(obj)
            context["may_publish_changes"] = self.has_publish_permission(request, obj)
        return super().render_change_form(request, context, add, change, form_url, obj)

    def response_change(self, request, obj):
        if obj.changed_since_published and not self.has_publish_permission(request, obj):
            self.message_user(
                request,
                _(
                    "The public still sees the version last published: an editor publishes "
                    "these changes."
                ),
                messages.INFO,
            )
        return super().response_change(request, obj)

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/publish-changes/",
                self.admin_site.admin_view(self.publish_changes_view),
                name=f"{opts.app_label}_{opts.model_name}_publish_changes",
            ),
            *super().get_urls(),
        ]

    def publish_changes_view(self, request, object_id):
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        record = get_object_or_404(self.model._default_manager, pk=object_id)
        if not self.has_publish_permission(request, record):
            raise PermissionDenied
        self._run(
            request,
            [record],
            publishing.record_publish_changes,
            _("Changes published (%(count)d record)."),
        )
        return HttpResponseRedirect(_change_url(record))

    def has_publish_permission(self, request, obj=None) -> bool:
        return publishing.user_can_publish(request.user, self.model)

    def has_change_history_permission(self, request, obj=None) -> bool:
        # Reverting to an old version is an editor's decision.
        return self.has_publish_permission(request, obj) and super().has_change_permission(
            request, obj
        )

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        if request.method == "POST" and not self.has_change_history_permission(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if not self.has_publish_permission(request, obj):
            fields += [name for name in ("status", "retraction_note") if name not in fields]
        return fields

    def get_actions(self, request):
        actions = super().get_actions(request)
        for name in ("submit_for_review", "publish", "publish_changes", "unpublish", "retract"):
            if name not in actions and hasattr(self, name):
                func = getattr(type(self), name)
                permissions = getattr(func, "allowed_permissions", ())
                if all(getattr(self, f"has_{p}_permission")(request) for p in permissions):
                    actions[name] = (
                        func,
                        name,
                        getattr(func, "short_description", name),
                    )
        return actions

    def _run(self, request, queryset, service, done: str, **kwargs) -> None:
        succeeded = 0
        for record in queryset:
            try:
                service(record=record, user=request.user, **kwargs)
            except publishing.PublishingError as exc:
                self.message_user(
                    request,
                    format_html(
                        "<a href='{}'>{}</a>: {}",
                        _change_url(record),
                        record,
                        " ".join(exc.problems),
                    ),
                    messages.WARNING,
                )
            except PermissionDenied as exc:
                self.message_user(request, str(exc), messages.ERROR)
                return
            else:
                succeeded += 1
        if succeeded:
            self.message_user(request, done % {"count": succeeded}, messages.SUCCESS)

    @admin.action(description=_("Submit selected records for review"), permissions=["change"])
    def submit_for_review(self, request, queryset):
        self._run(request, queryset, publishing.record_submit, _("%(count)d sent for review."))

    @admin.action(
        description=_("Publish selected records (explains what is missing)"),
        permissions=["publish"],
    )
    def publish(self, request, queryset):
        self._run(request, queryset, publishing.record_publish, _("%(count)d published."))

    @admin.action(
        description=_("Publish the changes of selected published records"),
        permissions=["publish"],
    )
    def publish_changes(self, request, queryset):
        self._run(
            request,
            queryset,
            publishing.record_publish_changes,
            _("Changes of %(count)d published."),
        )

    @admin.action(
        description=_("Return selected records to draft (from review or retracted)"),
        permissions=["publish"],
    )
    def unpublish(self, request, queryset):
        self._run(
            request, queryset, publishing.record_return_to_draft, _("%(count)d back to draft.")
        )

    @admin.action(
        description=_("Retract selected records (uses each record's retraction note)"),
        permissions=["publish"],
    )
    def retract(self, request, queryset):
        for record in queryset:
            try:
                publishing.record_retract(
                    record=record, user=request.user, note=record.retraction_note
                )
            except publishing.PublishingError as exc:
                self.message_user(request, f"{record}: {' '.join(exc.problems)}", messages.WARNING)
            else:
                self.message_user(request, _("Retracted: %s") % record, messages.SUCCESS)


# Duplicates and merge


def likely_duplicates(model, name: str, *, exclude_pk=None, limit: int = 5):
    """Records whose folded names match `name` (trigram similarity on PostgreSQL)."""
    key = fold(name)
    if not key:
        return []
    queryset = (
        model._default_manager.exclude(pk=exclude_pk)
        if exclude_pk
        else (model._default_manager.all())
    )
    exact = [
        record
        for record in queryset.filter(search_key__contains=key)
        if key in record.search_key.split("\n")
    ]
    found = {record.pk: record for record in exact}
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramWordSimilarity

        similar = (
            queryset.annotate(similarity=TrigramWordSimilarity(key, "search_key"))
            .filter(similarity__gte=0.6)
            .order_by("-similarity")[:limit]
        )
        for record in similar:
            found.setdefault(record.pk, record)
    else:
        words = [word for word in key.split() if len(word) > 3]
        if words:
            candidates = queryset
            for word in words:
                candidates = candidates.filter(search_key__contains=word)
            for record in candidates[:limit]:
                found.setdefault(record.pk, record)
    return list(found.values())[:limit]


class DuplicateWarningForm(forms.ModelForm):
    not_a_duplicate = forms.BooleanField(
        required=False,
        label=_("This is not a duplicate"),
        help_text=_("Tick to create it anyway after checking the records listed above."),
    )

    def clean(self):
        cleaned = super().clean()
        name = cleaned.get("name")
        if self.instance.pk is None and name and not cleaned.get("not_a_duplicate"):
            duplicates = likely_duplicates(type(self.instance), name)
            if duplicates:
                raise ValidationError(
                    format_html(
                        "{} <ul class='likely-duplicates'>{}</ul>",
                        _("This name matches existing records across spellings or scripts:"),
                        format_html_join(
                            "",
                            "<li><a href='{}' target='_blank'>{}</a> ({})</li>",
                            (
                                (_change_url(d), d, d.get_status_display().lower())
                                for d in duplicates
                            ),
                        ),
                    ),
                    code="duplicate",
                )
        return cleaned


class MergeForm(forms.Form):
    winner = forms.TypedChoiceField(coerce=int, widget=forms.RadioSelect, label=_("Keep"))


class MergeAdminMixin:
    """Person and Group: the duplicate warning on add, and the merge action."""

    def get_form(self, request, obj=None, change=False, **kwargs):
        if obj is None:
            base = kwargs.get("form") or self.form
            if not issubclass(base, DuplicateWarningForm):
                kwargs["form"] = type(f"Dedup{base.__name__}", (DuplicateWarningForm, base), {})
        return super().get_form(request, obj, change=change, **kwargs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None:
            fieldsets = [*fieldsets]
            fieldsets[0] = (
                fieldsets[0][0],
                {**fieldsets[0][1], "fields": [*fieldsets[0][1]["fields"], "not_a_duplicate"]},
            )
        return fieldsets

    def has_merge_permission(self, request, obj=None) -> bool:
        return merging.user_can_merge(request.user, self.model)

    def get_actions(self, request):
        actions = super().get_actions(request)
        if self.has_merge_permission(request):
            actions["merge_records"] = (
                type(self).merge_records,
                "merge_records",
                _("Merge the two selected records (editors)"),
            )
        return actions

    def merge_records(self, request, queryset):
        if not self.has_merge_permission(request):
            raise PermissionDenied
        records = list(queryset[:3])
        if len(records) != 2:
            self.message_user(request, _("Select exactly two records to merge."), messages.WARNING)
            return None
        form = MergeForm(request.POST if "confirm_merge" in request.POST else None)
        form.fields["winner"].choices = [(r.pk, f"{r} ({r.slug})") for r in records]
        if "confirm_merge" in request.POST and form.is_valid():
            winner = next(r for r in records if r.pk == form.cleaned_data["winner"])
            loser = next(r for r in records if r.pk != winner.pk)
            service = merging.person_merge if self.model is Person else merging.group_merge
            try:
                report = service(winner=winner, loser=loser, user=request.user)
            except merging.MergeError as exc:
                self.message_user(request, f"Nothing was merged. {exc}", messages.ERROR)
                return None
            self.message_user(request, report.summary(), messages.SUCCESS)
            return HttpResponseRedirect(_change_url(report.winner))
        context = {
            **self.admin_site.each_context(request),
            "title": _("Merge %s") % self.model._meta.verbose_name_plural,
            "opts": self.model._meta,
            "records": [(r, _relation_counts(r)) for r in records],
            "form": form,
            "queryset": queryset,
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/advocacy/workflow/merge_confirm.html", context)


def _relation_counts(record) -> list[tuple[str, int]]:
    counts = [
        (_("memberships"), record.memberships.count()),
        (_("statements"), record.statements.count()),
        (_("participations"), record.participations.count()),
        (_("citations"), record.citations.count()),
        (_("aliases"), record.aliases.count()),
    ]
    if isinstance(record, Group):
        counts.append(
            (_("group relations"), record.relations.count() + record.inverse_relations.count())
        )
    return counts


# Add article and review


class SourceListFilter(admin.SimpleListFilter):
    """Statements quoting one source: where the review screen lands after saving."""

    title = _("source")
    parameter_name = "source"

    def lookups(self, request, model_admin):
        value = self.value()
        if not value or not value.isdigit():
            return []
        source = Source.objects.filter(pk=value).only("pk", "title").first()
        return [(str(source.pk), str(source))] if source else []

    def queryset(self, request, queryset):
        value = self.value()
        if value and value.isdigit():
            return queryset.filter(quotations__source_id=int(value)).distinct()
        return queryset


class AddArticleForm(forms.Form):
    text = forms.CharField(
        label=_("Article text"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 16, "cols": 100}),
        help_text=_("Paste the article: its title on the first line, then the text."),
    )
    html_file = forms.FileField(
        label=_("…or a saved web page (.html)"),
        required=False,
        help_text=_("The main text, title, date and author are taken from the page."),
    )
    publisher = forms.CharField(
        label=_("Publisher"),
        required=False,
        max_length=200,
        help_text=_("Left empty: as found in the page; asked for again before publishing."),
    )
    url = forms.URLField(label=_("URL"), required=False, max_length=500, assume_scheme="https")
    authors = forms.CharField(label=_("Author(s)"), required=False, max_length=300)
    published_on = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Left empty: the date printed near the top of the article, if any."),
    )
    language = forms.ChoiceField(
        choices=[("", _("Detect from the text")), *Language.choices],
        required=False,
        initial="",
        help_text=_("Leave it to detection, or choose the language to override it."),
    )

    def clean(self):
        cleaned = super().clean()
        if bool(cleaned.get("text", "").strip()) == bool(cleaned.get("html_file")):
            raise ValidationError(_("Paste the article's text or upload an .html file (one)."))
        return cleaned


class CandidateForm(forms.Form):
    key = forms.CharField(widget=forms.HiddenInput)
    action = forms.ChoiceField(
        choices=[(review.ACCEPT, _("Accept")), (review.REJECT, _("Reject"))],
        widget=forms.RadioSelect,
        initial=review.ACCEPT,
    )
    speaker_person = forms.ModelChoiceField(
        Person.objects.all(),
        required=False,
        widget=AutocompleteSelect(Statement._meta.get_field("speaker_person"), admin.site),
    )
    speaker_group = forms.ModelChoiceField(
        Group.objects.all(),
        required=False,
        widget=AutocompleteSelect(Statement._meta.get_field("speaker_group"), admin.site),
    )
    new_speaker_name = forms.CharField(required=False, label=_("or a new speaker"))
    new_speaker_kind = forms.ChoiceField(
        choices=[("", "—"), ("person", _("person")), ("group", _("group"))], required=False
    )
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    date_precision = forms.ChoiceField(
        choices=[("", _("— (no date)")), *DatePrecision.choices], required=False
    )
    date_as_printed = forms.CharField(required=False, max_length=200)
    medium = forms.ChoiceField(choices=Medium.choices)
    event = forms.ModelChoiceField(
        Event.objects.all(),
        required=False,
        widget=AutocompleteSelect(Statement._meta.get_field("event"), admin.site),
    )
    summary = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2, "class": "wide"})
    )
    statement = forms.ModelChoiceField(
        Statement.objects.all(),
        required=False,
        label=_("or add to statement"),
        widget=forms.NumberInput(attrs={"placeholder": _("statement id")}),
        help_text=_("The same words printed elsewhere: add this quotation to that statement."),
    )

    def decision(self) -> review.Decision:
        data = self.cleaned_data
        return review.Decision(
            key=data["key"],
            action=data["action"],
            speaker_person=data["speaker_person"],
            speaker_group=data["speaker_group"],
            new_speaker_name=data["new_speaker_name"],
            new_speaker_kind=data["new_speaker_kind"],
            date=data["date"],
            date_precision=data["date_precision"],
            date_as_printed=data["date_as_printed"],
            event=data["event"],
            medium=data["medium"],
            summary=data["summary"],
            statement=data["statement"],
        )


CandidateFormSet = forms.formset_factory(CandidateForm, extra=0)


def _initial(candidate) -> dict:
    decision = review.decision_from_candidate(candidate)
    return {
        "key": decision.key,
        "action": review.ACCEPT,
        "speaker_person": decision.speaker_person,
        "speaker_group": decision.speaker_group,
        "new_speaker_name": decision.new_speaker_name,
        "new_speaker_kind": decision.new_speaker_kind,
        "date": decision.date,
        "date_precision": decision.date_precision,
        "date_as_printed": decision.date_as_printed,
        "medium": decision.medium,
    }


def highlighted_paragraph(text: str, candidate) -> str:
    """The candidate's paragraph with each quotation part in <mark>."""
    start, end = candidate.paragraph_start, candidate.paragraph_end
    pieces, cursor = [], start
    for part in candidate.parts:
        if part.start < start or part.end > end:
            continue
        pieces.append(("{}", text[cursor : part.start]))
        pieces.append(("<mark>{}</mark>", text[part.start : part.end]))
        cursor = part.end
    pieces.append(("{}", text[cursor:end]))
    return format_html_join("", "{}", ((format_html(fmt, chunk),) for fmt, chunk in pieces))


class SourceWorkflowMixin(WorkflowAdminMixin):
    """Source: the Add article page and the review screen."""

    change_list_template = "admin/advocacy/workflow/source_change_list.html"
    change_form_template = "admin/advocacy/workflow/source_change_form.html"

    def get_urls(self):
        urls = [
            path(
                "add-article/",
                self.admin_site.admin_view(self.add_article_view),
                name="advocacy_source_add_article",
            ),
            path(
                "<int:source_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name="advocacy_source_review",
            ),
        ]
        return urls + super().get_urls()

    def add_article_view(self, request):
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = AddArticleForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                if data["html_file"]:
                    upload = data["html_file"]
                    article = importing.article_from_bytes(
                        upload.read(), filename=upload.name, language=data["language"]
                    )
                else:
                    article = importing.article_from_text(data["text"], language=data["language"])
                # What the researcher typed wins over what was found in the page.
                for name in ("publisher", "url", "authors", "published_on"):
                    if data[name]:
                        setattr(article, name, data[name])
                result = importing.source_import(article=article, user=request.user)
            except importing.DuplicateSourceError as exc:
                existing = exc.existing
                form.add_error(
                    None,
                    format_html(
                        "{} <a href='{}'>{}</a>",
                        _("This document is already stored:"),
                        _change_url(existing),
                        existing.title,
                    ),
                )
            except importing.ArticleImportError as exc:
                form.add_error(None, str(exc))
            else:
                self.message_user(
                    request,
                    ngettext(
                        "Stored “%(title)s” as a draft source with %(count)d candidate "
                        "statement, read as %(language)s: review it below.",
                        "Stored “%(title)s” as a draft source with %(count)d candidate "
                        "statements, read as %(language)s: review them below.",
                        len(result.candidates),
                    )
                    % {
                        "title": result.source.title,
                        "count": len(result.candidates),
                        "language": article.language_note,
                    },
                    messages.SUCCESS,
                )
                return HttpResponseRedirect(
                    reverse("admin:advocacy_source_review", args=[result.source.pk])
                )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Add article"),
            "opts": self.model._meta,
            "form": form,
        }
        return TemplateResponse(request, "admin/advocacy/workflow/add_article.html", context)

    def review_view(self, request, source_id: int):
        source = get_object_or_404(Source, pk=source_id)
        if not self.has_change_permission(request, source):
            raise PermissionDenied
        candidates = review.source_candidates(source=source)
        proposals = review.source_proposals(source=source, candidates=candidates)
        initial = [_initial(candidate) for candidate in candidates]
        if request.method == "POST":
            formset = CandidateFormSet(request.POST, initial=initial)
            if formset.is_valid():
                decisions = [form.decision() for form in formset]
                try:
                    result = review.candidates_review(
                        source=source,
                        decisions=decisions,
                        accepted_proposals=request.POST.getlist("proposal"),
                        user=request.user,
                    )
                except review.ReviewError as exc:
                    for problem in exc.problems:
                        self.message_user(request, problem, messages.ERROR)
                else:
                    self.message_user(
                        request,
                        _(
                            "%(statements)d draft statements and %(quotations)d quotations "
                            "saved, %(rejected)d rejected. Submit them for review when ready."
                        )
                        % {
                            "statements": len(result.statements),
                            "quotations": len(result.quotations),
                            "rejected": result.rejected,
                        },
                        messages.SUCCESS,
                    )
                    created = [*result.people, *result.groups, *result.memberships]
                    created += result.events
                    if created:
                        self.message_user(
                            request,
                            format_html(
                                "{} {}",
                                _("Also created as drafts:"),
                                format_html_join(
                                    ", ",
                                    "<a href='{}'>{}</a>",
                                    ((_change_url(record), str(record)) for record in created),
                                ),
                            ),
                            messages.SUCCESS,
                        )
                    # The statements just saved: the list filtered by their source.
                    return HttpResponseRedirect(
                        reverse("admin:advocacy_statement_changelist")
                        + f"?{SourceListFilter.parameter_name}={source.pk}"
                    )
        else:
            formset = CandidateFormSet(initial=initial)
        rows = [
            {
                "candidate": candidate,
                "form": form,
                "paragraph": highlighted_paragraph(source.archived_text, candidate),
            }
            for candidate, form in zip(candidates, formset.forms, strict=False)
        ]
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review candidate statements"),
            "opts": self.model._meta,
            "source": source,
            "formset": formset,
            "rows": rows,
            "proposals": proposals,
            "accepted_proposals": (
                set(request.POST.getlist("proposal"))
                if request.method == "POST"
                else {proposal.key for proposal in proposals}
            ),
            "media": self.media + formset.media,
            "already_reviewed": source.quotations.exists(),
        }
        return TemplateResponse(request, "admin/advocacy/workflow/review.html", context)
