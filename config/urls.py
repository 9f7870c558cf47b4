from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps import views as sitemaps
from django.urls import include, path

from advocacy.health import healthz
from advocacy.sitemaps import SITEMAPS
from advocacy.views import FaviconView, RobotsView

# Addresses in no language: machines' files, the API (Accept-Language or ?lang= choose its
# documents' language), the admin (the editor's cookie or browser), the language switch.
# advocacy.i18n.LanguageMiddleware negotiates the language here as before.
unlocalized_patterns = [
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("advocacy.api.urls")),
    # An index of the sections' pages: one document of every record was 18 MB and 25 s
    # at 10,000 statements, past the 50,000 addresses a search engine reads of a sitemap.
    path(
        "sitemap.xml",
        sitemaps.index,
        {"sitemaps": SITEMAPS, "sitemap_url_name": "sitemap-section"},
        name="sitemap",
    ),
    path(
        "sitemap-<section>.xml",
        sitemaps.sitemap,
        {"sitemaps": SITEMAPS},
        name="sitemap-section",
    ),
    path("robots.txt", RobotsView.as_view(), name="robots"),
    path("favicon.ico", FaviconView.as_view(), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    # The Reconciliation Service API (OpenRefine), outside any language prefix.
    path("", include("advocacy.reconcile.urls")),
]

# The public pages: English at /…, Russian at /ru/…, Ukrainian at /uk/…; the language is
# the address's, so a page can be shared in the language it was read in.
urlpatterns = unlocalized_patterns + i18n_patterns(
    path("", include("advocacy.urls")),
    prefix_default_language=False,
)

# JSON under /api/, Django's pages elsewhere.
handler400 = "advocacy.errors.bad_request"
handler403 = "advocacy.errors.permission_denied"
handler404 = "advocacy.errors.page_not_found"
handler500 = "advocacy.errors.server_error"
