"""Small pages for machines: robots.txt."""

from django.conf import settings
from django.http import HttpResponse
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
