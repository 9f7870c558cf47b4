"""CSV and JSON downloads of what a list page shows, with the same filters."""

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from advocacy.exports import RowBuilder, to_csv, to_json
from advocacy.publication.filters import PUBLIC_FILTERSETS
from advocacy.publication.reading import public_rows

# A download is for a journalist's spreadsheet, not for mirroring the database (the API).
MAX_EXPORT_ROWS = 5000


class ExportView(View):
    """`/<list>/export.csv` and `/<list>/export.json`: every row the list's filters match
    (all pages, the list's order), citations included; the public rows only, whoever
    asks (a download is shared: it never holds a draft)."""

    row_kind = ""
    filename = ""

    def get(self, request, fmt: str):
        if fmt not in {"csv", "json"}:
            raise Http404(_("Downloads come as CSV or JSON."))
        filterset = PUBLIC_FILTERSETS[self.row_kind](
            request.GET or None, queryset=public_rows(self.row_kind), request=request
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
        found = list(filterset.qs[:MAX_EXPORT_ROWS])
        builder = RowBuilder(request, memberships=self.memberships(found))
        build = getattr(builder, self.row_kind)
        rows = [build(row) for row in found]
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

    def memberships(self, rows) -> dict[int, dict]:
        """The public memberships of these people, for their roles' citations."""
        if self.row_kind != "person":
            return {}
        wanted = [m["id"] for row in rows for m in row.document["memberships"]]
        return {row.pk: row.document for row in public_rows("membership").filter(pk__in=wanted)}


class GroupExportView(ExportView):
    row_kind = "group"
    filename = "groups"


class PersonExportView(ExportView):
    row_kind = "person"
    filename = "people"


class EventExportView(ExportView):
    row_kind = "event"
    filename = "events"


class StatementExportView(ExportView):
    row_kind = "statement"
    filename = "statements"


class SourceExportView(ExportView):
    row_kind = "source"
    filename = "sources"
