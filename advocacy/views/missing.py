"""Why a record's page has nothing public to show: retracted (410, with the note), renamed
or merged (301 to the public record it now is), or nothing public here (404).

This reads the working tables for the few facts a missing page may state (a retraction
note, an old slug), each redacted with the publication's own pass; nothing else of the
record is shown.
"""

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.http import Http404, HttpResponsePermanentRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from advocacy.models import Event, Group, Person, SlugRedirect, Source, Statement
from advocacy.publication.builders import current_redactor
from advocacy.publication.reading import public_rows

MODELS = {
    "group": Group,
    "person": Person,
    "event": Event,
    "statement": Statement,
    "source": Source,
}


def missing(request, kind: str, slug: str, section: str = ""):
    model = MODELS[kind]
    redactor = current_redactor()
    if redactor.text(slug) != slug:
        # The slug itself names a protected person: say nothing about it.
        raise Http404(_("No %(type)s here.") % {"type": model._meta.verbose_name})
    retracted = model.objects.retracted().filter(slug=slug).first()
    if retracted is not None:
        return retracted_response(request, model, redactor.text(retracted.retraction_note), section)
    redirect = SlugRedirect.objects.filter(
        content_type=ContentType.objects.get_for_model(model), old_slug=slug
    ).first()
    if redirect is not None:
        target = public_rows(kind, documents=False).filter(pk=redirect.object_id).first()
        if target is not None and target.slug:
            url = request.path.replace(f"/{slug}/", f"/{target.slug}/", 1)
            if request.META.get("QUERY_STRING"):
                url = f"{url}?{request.META['QUERY_STRING']}"
            return HttpResponsePermanentRedirect(url)
    if kind == "statement" and slug.isdigit() and len(slug) <= 18:
        # /statements/<id>/ answers with the canonical slug URL.
        target = public_rows(kind, documents=False).filter(pk=int(slug)).first()
        if target is not None:
            return HttpResponsePermanentRedirect(
                request.path.replace(f"/{slug}/", f"/{target.slug}/", 1)
            )
    raise Http404(_("No %(type)s here.") % {"type": model._meta.verbose_name})


def retracted_response(request, model, note: str, section: str):
    context = {
        "record_type": model._meta.verbose_name,
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
