"""The interface language: the address's on the public pages, negotiated elsewhere.

Public pages live at one address per language: English unprefixed (`/groups/`), Russian
and Ukrainian under `/ru/` and `/uk/` (`i18n_patterns` in config/urls.py). A link shared in
Russian opens in Russian, whatever the reader's cookie or browser says. Outside those pages
(the API, the admin, robots.txt, a path that names nothing) the language is negotiated as
before: the language cookie, then Accept-Language; the API also takes `?lang=ru`, which
comes first (a script's one address for a document in one language).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.conf import settings
from django.middleware.locale import LocaleMiddleware
from django.urls import LocalePrefixPattern, Resolver404, URLResolver, get_resolver
from django.urls.resolvers import RegexPattern
from django.utils import translation
from django.utils.cache import patch_vary_headers

# The API is never under a language prefix (config/urls.py): `?lang=` chooses there.
API_PREFIX = "/api/"


# Built once per URLconf's resolver (Django's own, which `clear_url_caches` renews): built
# per request, it resolved every address again from nothing.
@functools.lru_cache(maxsize=8)
def _localized_resolver(resolver: URLResolver) -> URLResolver:
    """The URLconf's language-prefixed part alone."""
    patterns = [
        pattern
        for pattern in resolver.url_patterns
        if isinstance(getattr(pattern, "pattern", None), LocalePrefixPattern)
    ]
    return URLResolver(RegexPattern(r"^/"), patterns)


def is_localized_path(path_info: str, urlconf=None) -> bool:
    """Whether the path is a public page with one address per language."""
    if translation.get_language_from_path(path_info):
        return True
    if path_info.startswith(API_PREFIX):
        return False
    with translation.override(settings.LANGUAGE_CODE):
        try:
            _localized_resolver(get_resolver(urlconf or settings.ROOT_URLCONF)).resolve(path_info)
        except Resolver404:
            return False
    return True


def asked_language(request) -> str | None:
    """The language an API address asks for (`?lang=ru`), if it is one of ours."""
    if not request.path_info.startswith(API_PREFIX):
        return None
    language = request.GET.get("lang")
    return language if language in dict(settings.LANGUAGES) else None


class LanguageMiddleware(LocaleMiddleware):
    """Django's LocaleMiddleware for the public pages (the language is the address's;
    unprefixed is English), and plain negotiation (cookie, Accept-Language) everywhere
    else, where no address carries a language."""

    def process_request(self, request):
        urlconf = getattr(request, "urlconf", settings.ROOT_URLCONF)
        request.language_from_address = is_localized_path(request.path_info, urlconf)
        if request.language_from_address:
            super().process_request(request)
            return
        translation.activate(
            asked_language(request)
            or translation.get_language_from_request(request, check_path=False)
        )
        request.LANGUAGE_CODE = translation.get_language()

    def process_response(self, request, response):
        if getattr(request, "language_from_address", False):
            # The address alone chooses the language: no Vary on Accept-Language.
            response.headers.setdefault("Content-Language", translation.get_language())
            return response
        patch_vary_headers(response, ("Accept-Language",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


def unprefixed_path(path_info: str) -> str:
    """The path without its language prefix: `/ru/groups/` -> `/groups/`."""
    language = translation.get_language_from_path(path_info)
    if language and language != settings.LANGUAGE_CODE:
        return path_info[len(language) + 1 :] or "/"
    return path_info


def path_in(path_info: str, language: str) -> str:
    """The same page's path in another language."""
    bare = unprefixed_path(path_info)
    if language == settings.LANGUAGE_CODE:
        return bare
    return f"/{language}{bare}"


@dataclass(frozen=True)
class LanguageLink:
    code: str
    name: str  # in its own language
    url: str  # absolute, for hreflang
    href: str  # the same page with its query string, for the switcher
    is_current: bool


def language_links(request) -> list[LanguageLink]:
    """The current page in each interface language."""
    current = translation.get_language()
    query = request.META.get("QUERY_STRING", "")
    links = []
    for code, name in settings.LANGUAGES:
        path = request.META.get("SCRIPT_NAME", "").rstrip("/") + path_in(request.path_info, code)
        links.append(
            LanguageLink(
                code=code,
                name=name,
                url=request.build_absolute_uri(path),
                href=f"{path}?{query}" if query else path,
                is_current=code == current,
            )
        )
    return links
