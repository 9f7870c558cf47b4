"""ReDoc's bundle, served from our own origin so /api/redoc/ works under the strict CSP.

Two changes to the copy we serve: the bundle hard-codes an <img> of Redocly's logo on their
CDN, which the CSP (no third-party origins) blocks, so it points at a local file instead; and
the <style> elements its style-loader inserts while the bundle loads get the page's nonce
(from #redoc-container, see templates/drf_spectacular/redoc.html), as Redoc.init's own do.
"""

import functools
from pathlib import Path

from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.templatetags.static import static
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

REDOC_BUNDLE = "drf_spectacular_sidecar/redoc/bundles/redoc.standalone.js"
REDOCLY_LOGO = "https://cdn.redoc.ly/redoc/logo-mini.svg"
STYLE_LOADER_NONCE = 'var t=n.nc;t&&e.setAttribute("nonce",t)'
PAGE_NONCE = (
    'var t=n.nc||((document.getElementById("redoc-container")||{}).dataset||{}).nonce;'
    't&&e.setAttribute("nonce",t)'
)


@functools.cache
def redoc_bundle_source() -> str:
    text = Path(finders.find(REDOC_BUNDLE)).read_text(encoding="utf-8")
    for original in (REDOCLY_LOGO, STYLE_LOADER_NONCE):
        # A new ReDoc release must be looked at again, not served half-patched.
        if original not in text:
            raise RuntimeError(f"ReDoc bundle changed: {original!r} not found")
    text = text.replace(REDOCLY_LOGO, static("advocacy/docs/redocly-logo.svg"))
    return text.replace(STYLE_LOADER_NONCE, PAGE_NONCE)


@require_GET
@cache_control(public=True, max_age=86400)
def redoc_bundle(request):
    return HttpResponse(redoc_bundle_source(), content_type="application/javascript")
