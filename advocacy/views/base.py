"""What every public page shares: the request's protected names, filtered and paginated
lists that answer bad input with a clear page, and detail pages that know retracted and
merged records."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.forms import ModelChoiceField, NullBooleanSelect, TextInput
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from advocacy.models import SlugRedirect
from advocacy.redaction import protected_names, redact
from advocacy.search import count_up_to
from advocacy.selectors import source_list
from advocacy.views.presentation import Footnotes


class PublicPageMixin:
    """Context every public page needs. Protected names are read once per request."""

    page_title = ""
    meta_description = ""
    section = ""  # the main navigation entry marked as current

    @cached_property
    def protected_names(self) -> list[str]:
        return protected_names()

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
        meta = self.get_meta()
        meta["title"] = redact(str(meta["title"]), self.protected_names)
        meta["description"] = redact(str(meta["description"]), self.protected_names)
        context.update(
            protected_names=self.protected_names,
            meta=meta,
            site_name=settings.SITE_NAME,
            section=self.section,
            canonical_url=self.request.build_absolute_uri(self.get_canonical_path()),
        )
        return context


# Counting every visible row of a large table costs seconds (a scan joined to people and
# groups for the visibility rule); nobody pages past the ten-thousandth record, they filter.
COUNT_LIMIT = 10_000
# A choice filter with more options than this is a text box taking the record's slug: a
# <select> of 100,000 events is neither usable nor quick to render.
CHOICE_LIMIT = 200


class CappedPaginator(Paginator):
    """A paginator counting at most COUNT_LIMIT rows; `is_capped` says there are more."""

    limit = COUNT_LIMIT

    @cached_property
    def found(self) -> int:
        return count_up_to(self.object_list, self.limit)

    @cached_property
    def count(self) -> int:
        return min(self.found, self.limit)

    @property
    def is_capped(self) -> bool:
        return self.found > self.limit


def bounded_choices(field: ModelChoiceField) -> None:
    """Give a model choice filter its options, read once, or, when there are too many to
    list, a text box for the slug (validated as before, by one lookup)."""
    # Unordered ids first: ordering 100,000 events to show none of them costs more.
    probe = field.queryset.order_by().values_list("pk", flat=True)[: CHOICE_LIMIT + 1]
    if len(probe) > CHOICE_LIMIT:
        field.widget = TextInput(attrs={"placeholder": _("slug, as in its page address")})
        field.help_text = _("Too many to list: type the slug from its page address.")
        return
    options = list(field.queryset)
    key = field.to_field_name or "pk"
    field.widget.choices = [
        ("", field.empty_label or "---------"),
        *((getattr(option, key), field.label_from_instance(option)) for option in options),
    ]


class FilteredListView(PublicPageMixin, TemplateView):
    """selector (visibility + prefetching) → FilterSet (the user's filters) → one page.

    Invalid filters answer 400 with the reasons and no rows (never unfiltered rows that
    look filtered); a page number that is not a number answers 400 and shows page 1; a
    page past the end shows the last page with a message.
    """

    selector = None
    filterset_class = None
    paginate_by = 25
    export_url_name = ""
    date_fields = ("date_after", "date_before")
    # Filters for API clients' incremental sync, not for readers.
    api_only_fields = ("updated_after",)
    empty_message = ""

    def get_filterset(self):
        filterset = self.filterset_class(
            self.request.GET or None,
            queryset=self.selector(user=self.request.user),
            request=self.request,
        )
        form = filterset.form
        for name in self.api_only_fields:
            form.fields.pop(name, None)
        # The search box first; then the filters in their FilterSet's order.
        if "q" in form.fields:
            form.fields = {"q": form.fields["q"], **form.fields}
        for field in form.fields.values():
            if isinstance(field, ModelChoiceField):
                bounded_choices(field)
            if isinstance(field.widget, NullBooleanSelect):
                field.widget.choices = [
                    ("unknown", _("Any")),
                    ("true", _("Yes")),
                    ("false", _("No")),
                ]
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
            rows = list(page.object_list)
        context.update(
            filterset=filterset,
            form=filterset.form,
            filter_errors=self.filter_errors(filterset),
            page_obj=page,
            page_range=(
                list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1))
                if page
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
    """One record read through its selector.

    Not visible: a retracted record shows its retraction note (410); an old slug left by
    a merge or rename redirects (301) to the record it now names; anything else is 404.
    """

    model = None
    selector = None
    context_object_name = "object"

    def get_object(self):
        slug = self.kwargs["slug"]
        return self.selector(user=self.request.user).filter(slug=slug).first()

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        if self.object is None:
            return self.missing()
        context = self.get_context_data(**kwargs)
        return self.render_to_response(context)

    def missing(self):
        slug = self.kwargs["slug"]
        retracted = self.model.objects.retracted().filter(slug=slug).first()
        if retracted is not None:
            return self.retracted_response(retracted)
        redirect = SlugRedirect.objects.filter(
            content_type=ContentType.objects.get_for_model(self.model), old_slug=slug
        ).first()
        if redirect is not None:
            target = self.selector(user=self.request.user).filter(pk=redirect.object_id).first()
            if target is not None:
                return self.redirect_to(target)
        raise Http404(_("No %(type)s here.") % {"type": self.model._meta.verbose_name})

    def redirect_to(self, record):
        url = record.get_absolute_url()
        if self.request.META.get("QUERY_STRING"):
            url = f"{url}?{self.request.META['QUERY_STRING']}"
        return HttpResponsePermanentRedirect(url)

    def retracted_response(self, record):
        names = self.protected_names
        context = {
            "record_type": self.model._meta.verbose_name,
            "retraction_note": redact(record.retraction_note, names),
            "protected_names": names,
            "meta": {
                "title": _("Retracted"),
                "description": _("This record was retracted."),
                "type": "website",
                "jsonld": None,
            },
            "site_name": settings.SITE_NAME,
            "section": self.section,
            "noindex": True,
        }
        return TemplateResponse(self.request, "advocacy/retracted.html", context, status=410)

    def get_canonical_path(self) -> str:
        return self.object.get_absolute_url()

    def get_footnotes(self) -> Footnotes:
        # Citations, quotations and conflicting versions come from querysets that already
        # apply visibility; an alias's source is a plain foreign key, so it is checked here.
        aliases = getattr(self.object, "aliases", None)
        alias_source_ids = set()
        if aliases is not None:
            ids = {alias.source_id for alias in aliases.all() if alias.source_id}
            alias_source_ids = set(
                source_list(user=self.request.user).filter(pk__in=ids).values_list("pk", flat=True)
            )
        return Footnotes(names=self.protected_names, alias_source_ids=alias_source_ids)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context[self.context_object_name] = self.object
        context["object"] = self.object
        context["footnotes"] = self.get_footnotes()
        context["permalink"] = self.request.build_absolute_uri(self.object.get_absolute_url())
        context["is_draft"] = not getattr(self.object, "is_published", True)
        return context
