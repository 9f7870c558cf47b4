import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

application = get_wsgi_application()


def load_what_lives_as_long_as_the_process():
    """Import every view (through the URLconf) and read every language's translations,
    then freeze all of it: the garbage collector's full passes, every few requests, no
    longer walk the whole application each time (a millisecond or two of a page)."""
    from django.conf import settings
    from django.urls import get_resolver
    from django.utils import translation

    get_resolver().url_patterns  # noqa: B018 (imports the views)
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            translation.gettext("Search")
    gc.freeze()


load_what_lives_as_long_as_the_process()
