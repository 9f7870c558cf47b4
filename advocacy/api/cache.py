"""Anonymous API reads, kept whole until the database changes.

A page of fifty statements with their quotations, sources and citations takes tens of
milliseconds to read and render; the same page is asked for again and again by scripts
walking the archive and by newsroom tools polling it. Anonymous answers are therefore kept
(body and headers) under a key made of the request and the data version
(`advocacy.caching`): any committed change gives a new key, so nothing stale is served.
On SQLite, or inside a transaction, nothing is kept.

Only anonymous GETs are kept: a researcher sees drafts and must see their edits at once.
"""

from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

from advocacy.caching import data_version, versioned_key

CACHE_ALIAS = "api"
# Headers a cached answer carries; the rest (Date, Server, security headers) are fresh.
KEPT_HEADERS = (
    "Content-Type",
    "Content-Disposition",
    "ETag",
    "Last-Modified",
    "Link",
    "Vary",
    "Cache-Control",
)


def cache_key(request, version: str) -> str:
    """Everything an anonymous answer depends on: the full URL (scheme and host appear in
    its links), the negotiated format, the language, and the data version."""
    renderer = getattr(request, "accepted_renderer", None)
    parts = (
        request.method,
        request.build_absolute_uri(),
        getattr(renderer, "format", ""),
        get_language() or "",
    )
    return versioned_key("api-response", *parts, version=version)


class ResponseCache:
    """Looks up and stores one request's answer, if the request may be cached."""

    def __init__(self, request):
        self.request = request
        self.key = None
        user = getattr(request, "user", None)
        if request.method in ("GET", "HEAD") and not (user and user.is_authenticated):
            version = data_version()
            if version is not None:
                self.key = cache_key(request, version)

    def lookup(self) -> HttpResponse | None:
        """The kept answer (or a 304 for it), or None."""
        if self.key is None:
            return None
        entry = caches[CACHE_ALIAS].get(self.key)
        if entry is None:
            return None
        content, headers = entry
        response = HttpResponse(content)
        for name, value in headers.items():
            response[name] = value
        return get_conditional_response(
            self.request,
            etag=headers.get("ETag"),
            last_modified=parse_http_date_safe(headers.get("Last-Modified", "")),
            response=response,
        )

    def store(self, response) -> None:
        if self.key is None or response.status_code != 200:
            return
        headers = {name: response[name] for name in KEPT_HEADERS if response.has_header(name)}
        caches[CACHE_ALIAS].set(self.key, (response.content, headers))
