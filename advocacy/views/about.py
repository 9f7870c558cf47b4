"""/about/: what the records are, how they are sourced and checked, how to cite them and
report an error, and when the public data last changed (read from the public rows only)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from advocacy.models.public import PUBLIC_MODELS
from advocacy.publication.reading import public_rows


def last_public_update() -> datetime.datetime | None:
    """When anything the public can see last changed: the newest public row of any kind
    (one indexed aggregate per kind)."""
    latest = [
        public_rows(kind, documents=False).aggregate(latest=Max("updated_at"))["latest"]
        for kind in PUBLIC_MODELS
    ]
    latest = [value for value in latest if value is not None]
    return max(latest) if latest else None


class AboutView(TemplateView):
    template_name = "advocacy/about.html"
    page_title = gettext_lazy("About the records")
    section = "about"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            meta={
                "title": str(self.page_title),
                "description": _(
                    "How the records are sourced and checked, how conflicts and protected "
                    "people are shown, how to cite the data and report an error."
                ),
                "type": "website",
                "jsonld": None,
            },
            site_name=settings.SITE_NAME,
            section=self.section,
            canonical_url=self.request.build_absolute_uri(self.request.path),
            last_update=last_public_update(),
            contact_email=settings.CONTACT_EMAIL,
            data_license=settings.DATA_LICENSE,
            data_license_url=settings.DATA_LICENSE_URL,
            # The format of every page's "Cite this page" box (views/presentation.py).
            example_citation=_("%(site)s, “%(title)s”, %(url)s (retrieved %(date)s).")
            % {
                "site": settings.SITE_NAME,
                "title": self.page_title,
                "url": self.request.build_absolute_uri(self.request.path),
                "date": formats.date_format(datetime.date.today(), "DATE_FORMAT"),
            },
        )
        return context
