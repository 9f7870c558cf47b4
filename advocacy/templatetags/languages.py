"""The current page in each interface language: hreflang alternates and the switcher."""

from django import template
from django.conf import settings

from advocacy.i18n import language_links as links_for

register = template.Library()


@register.simple_tag(takes_context=True)
def language_links(context):
    request = context.get("request")
    if request is None:
        return []
    return links_for(request)


@register.simple_tag(takes_context=True)
def default_language_url(context, links):
    """The x-default alternate: the page in the default language (English)."""
    for link in links:
        if link.code == settings.LANGUAGE_CODE:
            return link.url
    return ""
