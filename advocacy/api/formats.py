"""The API's other formats, served from the public rows whoever asks: FollowTheMoney
(`/api/v1/export/ftm.jsonl`) and W3C Web Annotations (`/api/v1/quotations/<id>/annotation`,
`/api/v1/sources/<id>/annotations`)."""

import json

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from advocacy.formats import annotations, ftm, releases
from advocacy.formats.documents import load
from advocacy.publication.reading import public_rows

FTM_CONTENT_TYPE = "application/x-ndjson; charset=utf-8"


def _origin(request) -> str:
    return request.build_absolute_uri("/")[:-1]


def _document(kind: str, pk: int, base: str) -> dict:
    text = public_rows(kind).filter(pk=pk).values_list("document_text", flat=True).first()
    if text is None:
        raise Http404(_("No published record has this id."))
    return load(text, base)


def _json_ld(document: dict) -> HttpResponse:
    response = HttpResponse(
        json.dumps(document, ensure_ascii=False, indent=1),
        content_type=annotations.CONTENT_TYPE,
    )
    response["Vary"] = "Accept"
    return response


@require_safe
def quotation_annotation(request, pk: int):
    """One published quotation as a W3C Web Annotation (JSON-LD)."""
    base = _origin(request)
    quotation = _document("quotation", pk, base)
    source_id = quotation["source"]["id"]
    text = public_rows("source").filter(pk=source_id).values_list("document_text", flat=True)
    source = load(text[0], base) if text else None
    return _json_ld(annotations.annotation(quotation, source, base=base))


@require_safe
def source_annotations(request, pk: int):
    """A source's quotations as an AnnotationCollection; `?page=N` for one AnnotationPage."""
    base = _origin(request)
    source = _document("source", pk, base)
    raw_page = request.GET.get("page")
    try:
        page = None if raw_page is None else int(raw_page)
        if page is not None and page < 0:
            raise ValueError
    except ValueError:
        return JsonResponse({"detail": _("page: give a whole number from 0.")}, status=400)
    # The quotations whose source is this one (the facet the public filters use).
    rows = public_rows("quotation").filter(facets__has=f"source:{source['slug']}")
    total = rows.count()
    start = (page or 0) * annotations.PAGE_SIZE
    if page is not None and start >= max(total, 1):
        raise Http404(_("This collection has no such page."))
    texts = rows.values_list("document_text", flat=True)[start : start + annotations.PAGE_SIZE]
    quotations = [load(text, base) for text in texts]
    return _json_ld(annotations.collection(source, quotations, base=base, total=total, page=page))


@require_safe
def ftm_export(request):
    """Every public record as FollowTheMoney entities, one JSON object a line.

    Built while you wait when the public data is small (EXPORT_BUILD_IN_REQUEST_MAX
    statements at most); above that, the latest data release's file (`make_release`),
    or 503 with Retry-After until there is one."""
    limit = settings.EXPORT_BUILD_IN_REQUEST_MAX
    small = public_rows("statement", documents=False)[: limit + 1].count() <= limit
    if small:
        base = settings.EXPORTS_BASE_URL or _origin(request)
        response = StreamingHttpResponse(ftm.lines(base=base), content_type=FTM_CONTENT_TYPE)
    else:
        release = releases.latest_served()
        if release is None:
            response = JsonResponse(
                {"detail": _("The export is being built (manage.py make_release); try later.")},
                status=503,
            )
            response["Retry-After"] = "600"
            return response
        response = FileResponse(
            releases.path_of(release, releases.FTM).open("rb"), content_type=FTM_CONTENT_TYPE
        )
        response["X-Data-Release"] = release.name
    response["Content-Disposition"] = 'inline; filename="advocacy-tracker.ftm.jsonl"'
    return response
