"""Template tags of the public pages: footnotes, neutral labels, redaction, highlights."""

import json

from django import template
from django.utils.html import escape, format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from advocacy.dates import format_partial_date
from advocacy.redaction import redact as redact_text
from advocacy.search import matched_spans
from advocacy.views.presentation import record_label, record_url, statement_title

register = template.Library()


@register.filter
def redact(text, names):
    """`{{ text|redact:protected_names }}`: protected names replaced by a neutral marker."""
    if not text:
        return ""
    return redact_text(str(text), list(names or []))


@register.simple_tag(takes_context=True)
def cite(context, thing):
    """Numbered footnote references to a record's sources (see presentation.Footnotes)."""
    footnotes = context.get("footnotes")
    if footnotes is None or thing is None:
        return ""
    notes = footnotes.cite(thing)
    if not notes:
        return ""
    links = format_html_join(
        mark_safe('<span class="fn-sep">,</span>'),
        '<a href="#fn-{0}" aria-label="{1}">{0}</a>',
        ((note.number, _("Source %(number)s") % {"number": note.number}) for note in notes),
    )
    return format_html('<sup class="fn">[{}]</sup>', links)


@register.inclusion_tag("advocacy/includes/conflicts.html", takes_context=True)
def conflicts(context, record, label=""):
    """Where sources disagree on a record: every version with its source, marked."""
    versions = list(record.conflicting_versions.all()) if record is not None else []
    return {
        "record": record,
        "versions": versions,
        "label": label,
        "footnotes": context.get("footnotes"),
        "protected_names": context.get("protected_names", []),
    }


@register.simple_tag(takes_context=True)
def label(context, record):
    """A record's public label (a protected person: the neutral label)."""
    return record_label(record, context.get("protected_names", []))


@register.simple_tag(takes_context=True)
def record_link(context, record, css_class=""):
    """A link to a record's page, or only its neutral label where it has none to show."""
    if record is None:
        return ""
    text = record_label(record, context.get("protected_names", []))
    url = record_url(record)
    if not url:
        return format_html('<span class="neutral-label">{}</span>', text)
    if css_class:
        return format_html('<a class="{}" href="{}">{}</a>', css_class, url, text)
    return format_html('<a href="{}">{}</a>', url, text)


@register.simple_tag(takes_context=True)
def statement_heading(context, statement):
    return statement_title(statement, context.get("protected_names", []))


@register.simple_tag(takes_context=True)
def highlight(context, text, query=None):
    """Redacted text with the words a search query matched in <mark>."""
    text = redact_text(str(text or ""), context.get("protected_names", []))
    query = context.get("query", "") if query is None else query
    spans = matched_spans(text, query)
    if not spans:
        return escape(text)
    out, cursor = [], 0
    for start, end in spans:
        out.append(escape(text[cursor:start]))
        out.append(format_html('<mark class="hit">{}</mark>', text[start:end]))
        cursor = end
    out.append(escape(text[cursor:]))
    return mark_safe("".join(str(part) for part in out))


CONTESTED_FIELDS = {
    "date": gettext_lazy("Date"),
    "role": gettext_lazy("Role"),
    "organisation": gettext_lazy("Organisation"),
    "name": gettext_lazy("Name"),
    "place": gettext_lazy("Place"),
    "speaker": gettext_lazy("Speaker"),
}


@register.filter
def field_label(field: str) -> str:
    """The contested fact's name, translated where we know it."""
    return str(CONTESTED_FIELDS.get(field, field.replace("_", " ").capitalize()))


@register.filter
def publishers(statement) -> str:
    """The outlets a statement's quotations come from, each once."""
    names = []
    for quotation in statement.quotations.all():
        name = quotation.source.publisher or quotation.source.title
        if name not in names:
            names.append(name)
    return ", ".join(names)


@register.simple_tag
def partial_date(date, precision="day", end_date=None):
    return format_partial_date(date, precision, end_date)


@register.filter
def jsonld(data):
    """A schema.org JSON-LD block; <, > and & escaped so the data cannot end the script."""
    text = json.dumps(data, ensure_ascii=False, indent=1)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return mark_safe(f'<script type="application/ld+json">{text}</script>')


@register.simple_tag(takes_context=True)
def page_url(context, page_number):
    """The current URL with another page number, other parameters kept."""
    request = context["request"]
    params = request.GET.copy()
    params["page"] = page_number
    return "?" + params.urlencode()


@register.simple_tag(takes_context=True)
def with_params(context, url, **changes):
    """`url` with the current query string (and `changes`), minus the page number."""
    request = context["request"]
    params = request.GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        params[key] = value
    query = params.urlencode()
    return f"{url}?{query}" if query else url
