"""CSV and JSON downloads of what a list page shows, with the same filters."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from advocacy.exports import RowBuilder, to_csv, to_json
from advocacy.redaction import protected_names
from advocacy.views.records import (
    EventListView,
    GroupListView,
    PersonListView,
    SourceListView,
    StatementListView,
)

# A download is for a journalist's spreadsheet, not for mirroring the database (the API).
MAX_EXPORT_ROWS = 5000


class ExportView(View):
    """`/<list>/export.csv` and `/<list>/export.json`: every row the list's filters match
    (all pages, the list's order), citations included; public data only."""

    list_view = None
    row_kind = ""
    filename = ""

    def get(self, request, fmt: str):
        if fmt not in {"csv", "json"}:
            raise Http404(_("Downloads come as CSV or JSON."))
        list_view = self.list_view
        filterset = list_view.filterset_class(
            request.GET or None, queryset=list_view.selector(user=request.user), request=request
        )
        if filterset.is_bound and not filterset.is_valid():
            reasons = "; ".join(
                f"{name}: {' '.join(messages)}" for name, messages in filterset.form.errors.items()
            )
            return HttpResponse(
                _("Cannot download: %(reasons)s") % {"reasons": reasons},
                status=400,
                content_type="text/plain; charset=utf-8",
            )
        builder = RowBuilder(request, protected_names())
        build = getattr(builder, self.row_kind)
        rows = [build(record) for record in filterset.qs[:MAX_EXPORT_ROWS]]
        stamp = timezone.now()
        filename = f"{self.filename}-{stamp:%Y-%m-%d}.{fmt}"
        if fmt == "csv":
            response = HttpResponse(to_csv(rows), content_type="text/csv; charset=utf-8")
        else:
            filters = {key: value for key, value in request.GET.items() if value}
            response = HttpResponse(
                to_json(rows, filters=filters, generated=stamp.isoformat()),
                content_type="application/json; charset=utf-8",
            )
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response["X-Robots-Tag"] = "noindex"
        return response


class GroupExportView(ExportView):
    list_view = GroupListView
    row_kind = "group"
    filename = "groups"


class PersonExportView(ExportView):
    list_view = PersonListView
    row_kind = "person"
    filename = "people"


class EventExportView(ExportView):
    list_view = EventListView
    row_kind = "event"
    filename = "events"


class StatementExportView(ExportView):
    list_view = StatementListView
    row_kind = "statement"
    filename = "statements"


class SourceExportView(ExportView):
    list_view = SourceListView
    row_kind = "source"
    filename = "sources"
