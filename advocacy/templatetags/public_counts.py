"""`{{ rows|public_count }}`: how many public rows, exact up to 10,000, then "about 1.2
million" (advocacy.publication.counting)."""

from django import template

from advocacy.publication.counting import PublicCount, count_public

register = template.Library()


@register.filter
def public_count(value) -> str:
    """A queryset of public rows (counted), a `PublicCount`, or a number (exact)."""
    if isinstance(value, PublicCount):
        return str(value)
    if isinstance(value, int):
        return str(PublicCount(value, True))
    return str(count_public(value))
