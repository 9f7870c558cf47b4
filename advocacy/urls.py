from django.urls import path

from advocacy import views
from advocacy.feeds import StatementFeed
from advocacy.views.about import AboutView
from advocacy.views.data import (
    DataReleaseDetailView,
    DataReleaseFileView,
    DataReleaseListView,
)
from advocacy.views.preview import PreviewView

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("search/", views.SearchView.as_view(), name="search"),
    path("timeline/", views.TimelineView.as_view(), name="timeline"),
    path("about/", AboutView.as_view(), name="about"),
    path("groups/", views.GroupListView.as_view(), name="group-list"),
    path("groups/export.<str:fmt>", views.GroupExportView.as_view(), name="group-export"),
    path("groups/<slug:slug>/", views.GroupDetailView.as_view(), name="group-detail"),
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/export.<str:fmt>", views.PersonExportView.as_view(), name="person-export"),
    path("people/<slug:slug>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/export.<str:fmt>", views.EventExportView.as_view(), name="event-export"),
    path("events/<slug:slug>/", views.EventDetailView.as_view(), name="event-detail"),
    path("statements/", views.StatementListView.as_view(), name="statement-list"),
    path(
        "statements/export.<str:fmt>",
        views.StatementExportView.as_view(),
        name="statement-export",
    ),
    path("statements/<slug:slug>/", views.StatementDetailView.as_view(), name="statement-detail"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/export.<str:fmt>", views.SourceExportView.as_view(), name="source-export"),
    path("sources/<slug:slug>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("data/", DataReleaseListView.as_view(), name="data-release-list"),
    path("data/<str:name>/", DataReleaseDetailView.as_view(), name="data-release-detail"),
    path("data/<str:name>/<path:path>", DataReleaseFileView.as_view(), name="data-release-file"),
    path("feeds/statements/", StatementFeed(), name="statement-feed"),
    path("feeds/statements/<slug:group>/", StatementFeed(), name="group-statement-feed"),
    path("preview/<str:kind>/<int:pk>/", PreviewView.as_view(), name="preview"),
]
