from django.urls import path, re_path

from advocacy.reconcile import views

urlpatterns = [
    path("reconcile", views.reconcile, name="reconcile"),
    re_path(
        r"^reconcile/suggest/(?P<what>entity|type|property)$",
        views.suggest,
        name="reconcile-suggest",
    ),
    path("reconcile/properties", views.properties, name="reconcile-properties"),
    path("reconcile/preview", views.preview, name="reconcile-preview"),
    path("reconcile/view/<str:entity>", views.view, name="reconcile-view"),
]
