from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from advocacy.health import healthz

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path(settings.ADMIN_URL, admin.site.urls),
    path("api/", include("advocacy.api.urls")),
    # The Reconciliation Service API (OpenRefine), outside any language prefix.
    path("", include("advocacy.reconcile.urls")),
    path("", include("advocacy.urls")),
]

# JSON under /api/, Django's pages elsewhere.
handler400 = "advocacy.errors.bad_request"
handler403 = "advocacy.errors.permission_denied"
handler404 = "advocacy.errors.page_not_found"
handler500 = "advocacy.errors.server_error"
