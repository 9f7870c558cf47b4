"""What every public page shares: filtered and paginated lists of public rows that answer
bad input with a clear page, and detail pages read from a record's public row.

Public pages read the public read model only (`advocacy.publication.reading`): what they
show was redacted once, when it was published. A record without a public row is not
shown; `advocacy.views.missing` says why (retracted, renamed, or nothing public).
"""

from __future__ import annotations

import orjson
from django.conf import settings
from django.core.paginator import Paginator
from django.forms import ModelChoiceField, NullBooleanSelect, TextInput
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from advocacy.publication.counting import EXACT_LIMIT, PublicCount, count_public, counts_up_to
from advocacy.publication.filters import PUBLIC_FILTERSETS
from advocacy.publication.reading import (
    document_of,
    documents_of,
    page_of,
    public_rows,
    reader_language,
    row_with_slug,
    values_of_tables,
)
from advocacy.views.filter_form import FILTER_FORM_RENDERER
from advocacy.views.missing import missing

# A choice filter with more options than this is a text box taking the record's slug: a
# <select> of 100,000 events is neither usable nor quick to render.
CHOICE_LIMIT = 200


class PublicPageMixin:
    """Context every public page needs."""

    page_title = ""
    meta_description = ""
    section = ""  # the main navigation entry marked as current

    def get_canonical_path(self) -> str:
        return self.request.path

    def get_meta(self) -> dict:
        return {
            "title": self.page_title,
            "description": self.meta_description
            or _("Who said what, when and where it was printed: soldiers' families' groups."),
            "type": "website",
            "jsonld": None,
        }

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            meta=self.get_meta(),
            site_name=settings.SITE_NAME,
            section=self.section,
            canonical_url=self.request.build_absolute_uri(self.get_canonical_path()),
        )
        return context


class CappedPaginator(Paginator):
    """A paginator over at most EXACT_LIMIT rows: nobody pages past the ten-thousandth
    record, they filter. `total` is the list's count, exact or estimated past the limit
    (`count_public`, counted once); `is_capped` says there are more than the pages."""

    limit = EXACT_LIMIT

    @cached_property
    def total(self) -> PublicCount:
        return count_public(self.object_list, self.limit)

    @cached_property
    def count(self) -> int:
        return min(self.total.value, self.limit)

    @property
    def is_capped(self) -> bool:
        return not self.total.exact


def bounded_choices(fields: list[ModelChoiceField]) -> None:
    """Give record filters their options, read once, or, where there are too many to list,
    a text box for the slug (validated as before, by one lookup). Whether there are too
    many is one query for all of them."""
    # Unordered ids: ordering 100,000 events to show none of them costs more.
    counts = counts_up_to([field.queryset for field in fields], CHOICE_LIMIT)
    # Only what an option shows: each row also holds three documents and three pages. The
    # options of every filter short enough to list are one query (per key column).
    listed: dict[str, list[ModelChoiceField]] = {}
    for field, count in zip(fields, counts, strict=True):
        if count > CHOICE_LIMIT:
            field.widget = TextInput(attrs={"placeholder": _("slug, as in its page address")})
            field.help_text = _("Too many to list: type the slug from its page address.")
        else:
            listed.setdefault(field.to_field_name or "pk", []).append(field)
    for key, group in listed.items():
        options = values_of_tables(
            [field.queryset for field in group], key, f"document_{reader_language()}"
        )
        for field, rows in zip(group, options, strict=True):
            field.widget.choices = [
                ("", _("Any")),
                *((value, option_label(value, orjson.loads(text))) for value, text in rows),
            ]


def option_label(value, document: dict) -> str:
    """A public row as a filter option, by its document in the reader's language: a
    person's or group's name as its page shows it, a topic's name in this language."""
    shown = document.get("display_name") or {}
    return shown.get("name") or document.get("name") or str(value)


class FilteredListView(PublicPageMixin, TemplateView):
    """public rows → the public FilterSet (the user's filters) → one page of documents.

    Invalid filters answer 400 with the reasons and no rows (never unfiltered rows that
    look filtered); a page number that is not a number answers 400 and shows page 1; a
    page past the end shows the last page with a message.
    """

    kind = ""
    paginate_by = 25
    export_url_name = ""
    date_fields = ("date_after", "date_before")
    # Filters for API clients' incremental sync, not for readers.
    api_only_fields = ("updated_after",)
    empty_message = ""

    def get_filterset(self):
        filterset = PUBLIC_FILTERSETS[self.kind](
            self.request.GET or None,
            queryset=public_rows(self.kind),
            request=self.request,
        )
        form = filterset.form
        form.renderer = FILTER_FORM_RENDERER
        for name in self.api_only_fields:
            form.fields.pop(name, None)
        # The search box first; then the filters in their FilterSet's order.
        if "q" in form.fields:
            form.fields = {"q": form.fields["q"], **form.fields}
        records = [field for field in form.fields.values() if isinstance(field, ModelChoiceField)]
        bounded_choices(records)
        for field in form.fields.values():
            if field in records:
                continue
            if isinstance(field.widget, NullBooleanSelect):
                field.widget.choices = [
                    ("unknown", _("Any")),
                    ("true", _("Yes")),
                    ("false", _("No")),
                ]
            elif hasattr(field, "choices"):
                choices = list(field.choices)
                if choices and choices[0][0] == "":
                    field.choices = [("", _("Any")), *choices[1:]]
        for name in self.date_fields:
            if name in filterset.form.fields:
                filterset.form.fields[name].widget.input_type = "date"
        return filterset

    def get(self, request, *args, **kwargs):
        self.filterset = self.get_filterset()
        self.status = 200
        self.messages: list[str] = []
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context, status=self.status)

    def paginate(self, queryset):
        paginator = CappedPaginator(queryset, self.paginate_by)
        raw = self.request.GET.get("page", "1").strip() or "1"
        try:
            number = int(raw)
            if number < 1:
                raise ValueError
        except ValueError:
            self.status = 400
            self.messages.append(
                _("“%(page)s” is not a page number; showing the first page.") % {"page": raw[:20]}
            )
            number = 1
        if number > paginator.num_pages:
            self.messages.append(
                _("There is no page %(page)s; the last page is %(last)s, shown here.")
                % {"page": number, "last": paginator.num_pages}
            )
            number = paginator.num_pages
        return paginator.page(number)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filterset = self.filterset
        page = None
        rows = []
        if filterset.is_bound and not filterset.is_valid():
            self.status = 400
        else:
            page = self.paginate(filterset.qs)
            rows = documents_of(page.object_list)
            # The page is its documents: `{% if page_obj %}` would read its rows again.
            page.object_list = rows
        context.update(
            filterset=filterset,
            form=filterset.form,
            filter_errors=self.filter_errors(filterset),
            page_obj=page,
            page_range=(
                list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
                if page is not None
                else []
            ),
            object_list=rows,
            is_filtered=bool(
                filterset.is_bound
                and any(value for key, value in self.request.GET.items() if key not in {"page"})
            ),
            list_messages=self.messages,
            export_url_name=self.export_url_name,
            empty_message=self.empty_message,
        )
        return context

    def filter_errors(self, filterset) -> list[str]:
        if not filterset.is_bound or filterset.is_valid():
            return []
        errors = []
        for name, messages in filterset.form.errors.items():
            field = filterset.form.fields.get(name)
            label = field.label if field is not None and field.label else name
            value = self.request.GET.get(name, "")
            for message in messages:
                errors.append(
                    _("%(field)s (“%(value)s”): %(message)s")
                    % {"field": label, "value": value[:40], "message": message}
                )
        return errors


class RecordDetailView(PublicPageMixin, TemplateView):
    """One record's page, from its public row (found by slug).

    No public row: a retracted record shows its retraction note (410); an old slug left
    by a merge or rename redirects (301) to the record it now names; else 404.
    """

    kind = ""
    context_object_name = "object"

    def get_row(self):
        return row_with_slug(public_rows(self.kind, pages=True), self.kwargs["slug"])

    def get(self, request, *args, **kwargs):
        row = self.get_row()
        if row is None:
            return missing(request, self.kind, self.kwargs["slug"], self.section)
        self.row = row
        self.object = document_of(row)
        self.page = page_of(row)
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)

    def get_canonical_path(self) -> str:
        return self.object["html_url"]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.context_object_name] = self.object
        context["object"] = self.object
        context["page"] = self.page
        context["permalink"] = self.request.build_absolute_uri(self.object["html_url"])
        return context
