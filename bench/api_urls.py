"""The app's URLs plus the benchmark's baseline: a bare Django view returning 50 rows of
the statements table with `.values()` and `JsonResponse`. Never part of the app."""

from django.http import JsonResponse
from django.urls import include, path

from advocacy.models import Statement

BASELINE_FIELDS = ["id", "slug", "date", "date_precision", "medium", "summary", "updated_at"]


def baseline(request):
    rows = list(Statement.objects.values(*BASELINE_FIELDS)[:50])
    return JsonResponse({"results": rows})


urlpatterns = [
    path("bench/baseline/", baseline),
    path("", include("config.urls")),
]
