"""Why a record's page has nothing public to show, from the public tables: retracted (410,
with its note), renamed or merged (301 to the public record it now is), or nothing public
here (404). Both were written, redacted, when the record's public row was rebuilt."""

from django.conf import settings
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.models.public import PublicRedirect, PublicRetraction
from advocacy.publication.reading import public_rows

RECORD_TYPES = {
    "group": gettext_lazy("group"),
    "person": gettext_lazy("person"),
    "event": gettext_lazy("event"),
    "statement": gettext_lazy("statement"),
    "source": gettext_lazy("source"),
}


def missing(request, kind: str, slug: str, section: str = ""):
    record_type = RECORD_TYPES[kind]
    retraction = PublicRetraction.objects.filter(kind=kind, slug=slug).first()
    if retraction is not None:
        return retracted_response(request, record_type, retraction.note, section)
    target = None
    redirect = PublicRedirect.objects.filter(kind=kind, old_slug=slug).first()
    if redirect is not None:
        target = public_rows(kind, documents=False).filter(pk=redirect.record_id).first()
    elif kind == "statement" and slug.isdigit() and len(slug) <= 18:
        # /statements/<id>/ answers with the canonical slug URL.
        target = public_rows(kind, documents=False).filter(pk=int(slug)).first()
    if target is not None and target.slug:
        url = request.path.replace(f"/{slug}/", f"/{target.slug}/", 1)
        if request.META.get("QUERY_STRING"):
            url = f"{url}?{request.META['QUERY_STRING']}"
        return HttpResponsePermanentRedirect(url)
    raise Http404(_("No %(type)s here.") % {"type": record_type})


def retracted_response(request, record_type, note: str, section: str):
    context = {
        "record_type": record_type,
        "retraction_note": note,
        "meta": {
            "title": _("Retracted"),
            "description": _("This record was retracted."),
            "type": "website",
            "jsonld": None,
        },
        "site_name": settings.SITE_NAME,
        "section": section,
        "noindex": True,
    }
    return TemplateResponse(request, "advocacy/retracted.html", context, status=410)
