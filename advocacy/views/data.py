"""/data/: the versioned data releases, their files and how to cite them.

Served from the release rows and files (advocacy/formats/releases.py), never the working
tables. A withdrawn release stays listed, marked so, and its files are no longer served
(410 Gone): it held someone who is no longer public.
"""

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import View

from advocacy.formats import releases
from advocacy.models.public import DataRelease


def _entry(release: DataRelease, served: bool, request) -> dict:
    files = releases.files_of(release)
    page = request.build_absolute_uri(f"/data/{release.name}/")
    return {
        "release": release,
        "served": served,
        "files": files,
        "size": sum(f["bytes"] for f in files),
        "url": page,
        "citation": f"{releases.citation(release)}. {page}",
    }


class DataReleaseListView(View):
    def get(self, request):
        entries = [_entry(r, served, request) for r, served in releases.listing()]
        return render(
            request,
            "advocacy/data_list.html",
            {"entries": entries, "meta": {"title": _("Data releases")}},
        )


class DataReleaseDetailView(View):
    """A release's permanent page: its files, sizes, checksums and citation."""

    def get(self, request, name: str):
        release = DataRelease.objects.defer("words").filter(name=name).first()
        if release is None:
            raise Http404(_("No data release has this name."))
        entry = _entry(release, releases.is_served(release), request)
        return render(
            request,
            "advocacy/data_release.html",
            {"entry": entry, "meta": {"title": releases.citation(release)}},
            status=200 if entry["served"] else 410,
        )


class DataReleaseFileView(View):
    def get(self, request, name: str, path: str):
        release = DataRelease.objects.defer("words").filter(name=name).first()
        listed = {f["path"]: f for f in releases.files_of(release)} if release else {}
        if path not in listed:
            raise Http404(_("This release has no such file."))
        if not releases.is_served(release):
            return render(
                request,
                "advocacy/data_release.html",
                {
                    "entry": _entry(release, False, request),
                    "meta": {"title": releases.citation(release)},
                },
                status=410,
            )
        response = FileResponse(
            releases.path_of(release, path).open("rb"),
            content_type=listed[path]["mediatype"],
            as_attachment=path.endswith(".csv"),
            filename=f"advocacy-tracker-{release.name}-{path.replace('/', '-')}",
        )
        response["Digest"] = f"sha-256={listed[path]['sha256']}"
        response["X-Robots-Tag"] = "noindex"
        return response
