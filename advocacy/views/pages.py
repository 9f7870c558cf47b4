"""Small pages for machines: robots.txt, /favicon.ico."""

from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.views import View


class RobotsView(View):
    def get(self, request):
        lines = [
            "User-agent: *",
            f"Disallow: /{settings.ADMIN_URL}",
            "Disallow: /i18n/",
            "Disallow: /*/export.csv",
            "Disallow: /*/export.json",
            f"Sitemap: {request.build_absolute_uri(reverse('sitemap'))}",
            "",
        ]
        return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


class FaviconView(View):
    """Browsers and feed readers ask for /favicon.ico whatever the page says: send them to
    the icon among the static files (hashed in production, so resolved per request)."""

    def get(self, request):
        return HttpResponsePermanentRedirect(static("advocacy/favicon.ico"))
