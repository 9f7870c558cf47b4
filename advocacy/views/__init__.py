"""Public pages, by concern: records (home, lists, details), search, timeline, exports."""

from advocacy.views.base import FilteredListView, RecordDetailView
from advocacy.views.exports import (
    EventExportView,
    ExportView,
    GroupExportView,
    PersonExportView,
    SourceExportView,
    StatementExportView,
)
from advocacy.views.pages import FaviconView, RobotsView
from advocacy.views.records import (
    EventDetailView,
    EventListView,
    GroupDetailView,
    GroupListView,
    HomeView,
    PersonDetailView,
    PersonListView,
    SourceDetailView,
    SourceListView,
    StatementDetailView,
    StatementListView,
)
from advocacy.views.search import SearchView
from advocacy.views.timeline import TimelineView

__all__ = [
    "EventDetailView",
    "EventExportView",
    "EventListView",
    "ExportView",
    "FaviconView",
    "FilteredListView",
    "GroupDetailView",
    "GroupExportView",
    "GroupListView",
    "HomeView",
    "PersonDetailView",
    "PersonExportView",
    "PersonListView",
    "RecordDetailView",
    "RobotsView",
    "SearchView",
    "SourceDetailView",
    "SourceExportView",
    "SourceListView",
    "StatementDetailView",
    "StatementExportView",
    "StatementListView",
    "TimelineView",
]
