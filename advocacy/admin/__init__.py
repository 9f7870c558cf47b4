"""The researchers' admin. ModelAdmins live in records.py; shared pieces in base.py."""

from django.contrib import admin

from advocacy.admin import records  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = "Advocacy Tracker — researchers"
admin.site.site_title = "Advocacy Tracker admin"
admin.site.index_title = "Records and their sources"
