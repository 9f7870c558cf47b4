"""The app's URLs plus the benchmark's baseline: a bare Django view returning 50 rows of
the statements table with `.values()` and `JsonResponse`. Never part of the app."""

from django.http import JsonResponse
from django.urls import path

from advocacy.models import Statement
from config import urls as app_urls

BASELINE_FIELDS = ["id", "slug", "date", "date_precision", "medium", "summary", "updated_at"]


def baseline(request):
    rows = list(Statement.objects.values(*BASELINE_FIELDS)[:50])
    return JsonResponse({"results": rows})


# The app's own list, not an include(): its language-prefixed pages (i18n_patterns) may
# only sit in the root URLconf.
urlpatterns = [path("bench/baseline/", baseline), *app_urls.urlpatterns]
handler400 = app_urls.handler400
handler403 = app_urls.handler403
handler404 = app_urls.handler404
handler500 = app_urls.handler500
