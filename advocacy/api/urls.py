"""The REST API under /api/: /api/v1/ (one router), the OpenAPI schema and its docs."""

from django.urls import include, path, re_path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from advocacy.api import docs, formats, views
from advocacy.api import schema as _schema_extensions  # noqa: F401  (registers extensions)

app_name = "api"


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
router.register("groups", views.GroupViewSet, basename="group")
router.register("people", views.PersonViewSet, basename="person")
router.register("memberships", views.MembershipViewSet, basename="membership")
router.register("events", views.EventViewSet, basename="event")
router.register("statements", views.StatementViewSet, basename="statement")
router.register("quotations", views.QuotationViewSet, basename="quotation")
router.register("sources", views.SourceViewSet, basename="source")
router.register("citations", views.CitationViewSet, basename="citation")

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="api:api-root", permanent=False)),
    path("v1/export/popolo.json", views.PopoloExportView.as_view(), name="export-popolo"),
    path("v1/export/ftm.jsonl", formats.ftm_export, name="export-ftm"),
    path(
        "v1/quotations/<int:pk>/annotation",
        formats.quotation_annotation,
        name="quotation-annotation",
    ),
    path("v1/sources/<int:pk>/annotations", formats.source_annotations, name="source-annotations"),
    path("v1/", include(router.urls)),
    path(
        "schema/",
        SpectacularAPIView.as_view(),
        name="schema",
    ),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="swagger-ui"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("redoc/redoc.standalone.js", docs.redoc_bundle, name="redoc-bundle"),
    # Anything else under /api/ is a JSON 404, like every other API error.
    re_path(r"^.*$", views.api_not_found),
]
