"""A researcher's preview of a record's page as it stands in the working tables: a draft,
or a published record with changes, with its full names (researchers may see them).

Not a public page: it is for readers of the working records (`reads_public_rows`), never
indexed or cached, and renders the public page's template from a researcher's API document.
"""

import json

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache

from advocacy import selectors
from advocacy.api import serializers
from advocacy.api.audience import Audience
from advocacy.api.prefetch import with_prefetched_lists
from advocacy.publication import pages
from advocacy.publication.reading import reads_public_rows
from advocacy.publication.redaction import Redactor
from advocacy.views import records

KINDS = {
    "group": (selectors.group_list, serializers.GroupSerializer, records.GroupDetailView),
    "person": (selectors.person_list, serializers.PersonSerializer, records.PersonDetailView),
    "event": (selectors.event_list, serializers.EventSerializer, records.EventDetailView),
    "statement": (
        selectors.statement_list,
        serializers.StatementSerializer,
        records.StatementDetailView,
    ),
    "source": (selectors.source_list, serializers.SourceSerializer, records.SourceDetailView),
}
PAGES = {"group": pages.group_page, "person": pages.person_page, "source": pages.source_page}


@method_decorator(never_cache, name="dispatch")
class PreviewView(LoginRequiredMixin, View):
    def get(self, request, kind, pk):
        # The one rule of who reads the working records (everyone else, the public rows).
        if kind not in KINDS or reads_public_rows(request.user):
            raise Http404(_("No record here."))
        selector, serializer, view_class = KINDS[kind]
        record = with_prefetched_lists(selector(user=request.user)).filter(pk=pk).first()
        if record is None:
            raise Http404(_("No record here."))
        audience = Audience(request)
        context = {"audience": audience, "request": request}
        origin = request.build_absolute_uri("/")[:-1]
        # Links relative to the site, as public documents are read.
        document = json.loads(
            json.dumps(serializer(record, context=context).data).replace(origin, "")
        )
        extras = PAGES[kind](record, audience, Redactor.for_names([])) if kind in PAGES else {}
        page = json.loads(json.dumps(extras).replace(origin, ""))
        # The public page's view, given the working document instead of the public row.
        view = view_class()
        view.setup(request, slug=record.slug)
        view.object, view.page = document, page
        return view.render_to_response(
            {**view.get_context_data(), "preview_of": record, "noindex": True}
        )
