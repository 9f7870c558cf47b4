"""The researchers' admin. ModelAdmins live in records.py; shared pieces in base.py."""

from django.contrib import admin

from advocacy.admin import records  # noqa: F401  (registers the ModelAdmins)

admin.site.site_header = "Advocacy Tracker — researchers"
admin.site.site_title = "Advocacy Tracker admin"
admin.site.index_title = "Records and their sources"


def _publishing(admin_view):
    """Every admin POST (save, delete, actions) is one transaction whose changes reach the
    public rows before it commits: a protection or unpublication is public at once."""
    from functools import update_wrapper

    from advocacy.publication.triggers import batch

    def wrap(view, cacheable=False):
        wrapped = admin_view(view, cacheable)

        def view_in_batch(request, *args, **kwargs):
            if request.method != "POST":
                return wrapped(request, *args, **kwargs)
            with batch():
                return wrapped(request, *args, **kwargs)

        return update_wrapper(view_in_batch, wrapped)

    return wrap


admin.site.admin_view = _publishing(admin.site.admin_view)
