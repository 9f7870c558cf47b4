"""Template tags of the public pages: footnotes, links, labels and highlights over public
documents (dicts, already redacted when they were published)."""

import datetime
import functools
import json
from collections import Counter

from django import template
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.template import Context
from django.urls import get_script_prefix, get_urlconf
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, gettext_lazy, ngettext
from django.utils.translation import gettext as _

from advocacy.choices import (
    AliasKind,
    Country,
    DatePrecision,
    EventKind,
    GroupKind,
    IdentifierScheme,
    Language,
    Medium,
    ParticipantRole,
    Script,
    SourceKind,
)
from advocacy.dates import format_partial_date
from advocacy.markup import format_html, format_html_join
from advocacy.publication.reading import document_title, transliteration_note
from advocacy.text import matched_spans
from advocacy.views import filter_form
from advocacy.views.presentation import (
    other_names_listed,
    record_label,
    source_date,
    source_reference,
    unquoted,
)

register = template.Library()

CHOICES = {
    "alias_kind": AliasKind,
    "country": Country,
    "precision": DatePrecision,
    "scheme": IdentifierScheme,
    "script": Script,
    "event_kind": EventKind,
    "group_kind": GroupKind,
    "language": Language,
    "medium": Medium,
    "part": ParticipantRole,
    "source_kind": SourceKind,
}


@register.filter
def display(value, choices: str) -> str:
    """`{{ statement.medium|display:"medium" }}`: a stored choice's label, translated."""
    if value in (None, ""):
        return ""
    return str(choice_labels(choices, get_language()).get(value, value))


@functools.cache
def choice_labels(choices: str, language: str | None) -> dict[str, str]:
    """A choice set's labels in a language, translated once (not at every row)."""
    return {value: str(label) for value, label in CHOICES[choices].choices}


@register.simple_tag(takes_context=True)
def cite(context, thing):
    """Numbered footnote references to the sources of a record, a quotation, a conflicting
    version or an alias (see presentation.Footnotes), each to the passage it rests on."""
    footnotes = context.get("footnotes")
    if footnotes is None or not thing:
        return ""
    cited = footnotes.cite(thing)
    if not cited:
        return ""
    targets = {}
    for note, passage in cited:
        targets.setdefault(
            note.passage_id(passage) if passage else f"fn-{note.number}", (note, passage)
        )
    # Two passages of one source in a marker are told apart ("[1.1, 1.2]", not "[1, 1]"), as
    # the footnotes number them.
    per_note = Counter(note.number for note, _passage in targets.values())
    links = []
    for target, (note, passage) in targets.items():
        if passage and per_note[note.number] > 1:
            number = f"{note.number}.{passage.number}"
            label = _("Source %(number)s, passage %(passage)s") % {
                "number": note.number,
                "passage": passage.number,
            }
        else:
            number, label = note.number, _("Source %(number)s") % {"number": note.number}
        links.append((target, number, label))
    return format_html(
        '<sup class="fn">[{}]</sup>',
        format_html_join(
            mark_safe('<span class="fn-sep">,</span>'),
            '<a href="#{0}" aria-label="{2}">{1}</a>',
            links,
        ),
    )


@register.inclusion_tag("advocacy/includes/conflicts.html", takes_context=True)
def conflicts(context, record, label=""):
    """Where sources disagree on a record: every version with its source, marked."""
    return {
        "record": record,
        "versions": (record or {}).get("conflicting_versions") or [],
        "label": label,
        "footnotes": context.get("footnotes"),
    }


@register.simple_tag
def label(record):
    return record_label(record)


@register.simple_tag
def record_link(record, css_class=""):
    """A link to a record's page, or only its label where it has none to show (a protected
    person, an unpublished record)."""
    if not record:
        return ""
    text = name_html(record) if "display_name" in record else record_label(record)
    url = record.get("html_url")
    if not url:
        return format_html('<span class="neutral-label">{}</span>', text)
    if css_class:
        return format_html('<a class="{}" href="{}">{}</a>', css_class, url, text)
    return format_html('<a href="{}">{}</a>', url, text)


@register.simple_tag
def passage_url(note, passage) -> str:
    return note.passage_url(passage)


@register.simple_tag
def passage_id(note, passage) -> str:
    return note.passage_id(passage)


@register.filter(name="unquoted")
def unquoted_filter(text) -> str:
    """An excerpt without the quotation marks it was copied with."""
    return unquoted(str(text or ""))


def name_html(record: dict | None, *, marked: bool = True):
    """A person's or group's name in the page's language where one is recorded (or, for a
    person, transliterated for display), marked with its language; a transliteration says
    so (`marked`: unless the page says it beside). Else the record's label."""
    record = record or {}
    shown = record.get("display_name") or {}
    if shown.get("how") not in ("recorded", "transliterated"):
        return record_label(record)
    name = format_html('<span lang="{}">{}</span>', shown["language"], shown["name"])
    if marked:
        return format_html("{}{}", name, transliteration_mark(record))
    return name


@register.simple_tag
def transliteration_mark(record: dict | None):
    """ " (translit.)" after a name written in the page's alphabet for display only, its
    original and what that means in the mark's title; nothing after any other name."""
    record = record or {}
    if (record.get("display_name") or {}).get("how") != "transliterated":
        return ""
    return format_html(
        ' <abbr class="transliterated" title="{}">({})</abbr>',
        transliteration_note(record),
        _("translit."),
    )


@register.filter
def heading_name(record: dict | None) -> str:
    """The name a person's or group's heading shows in the page's language (plain text,
    for highlighting search words in it)."""
    record = record or {}
    shown = record.get("display_name") or {}
    if shown.get("how") in ("recorded", "transliterated"):
        return shown["name"]
    return record_label(record)


@register.filter
def also_names(record: dict) -> list[dict]:
    """Its other names for a list entry, less the one its heading shows."""
    return other_names_listed(record or {})


@register.simple_tag
def local_name(record: dict, marked: bool = True):
    """A person's or group's own name in the page's language (see `name_html`)."""
    return name_html(record, marked=marked)


@register.simple_tag
def role(membership: dict):
    """A role as the source printed it, with its translation in the page's language beside
    it where one is recorded (never instead of it)."""
    printed = (membership or {}).get("role") or ""
    translation = (membership or {}).get("role_translation")
    if not translation:
        return printed
    return format_html(
        '{} <span class="role-translation">(<span class="visually-hidden">{} </span>{})</span>',
        printed,
        _("translation:"),
        translation,
    )


@register.simple_tag
def statement_heading(statement):
    return document_title(statement)


# Parts of every page that show no record: rendered once per process for each language,
# address prefix, URLconf and set of parameters, not at every request (about a millisecond
# of every page). They are given only their parameters, so they cannot come to depend on
# the request or on data.
FIXED_PARTS: dict[tuple, str] = {}


@receiver(setting_changed)
def forget_fixed_parts(**kwargs):
    FIXED_PARTS.clear()  # in tests: another URLconf, other languages, another site name


@register.simple_tag(takes_context=True)
def fixed_include(context, template_name: str, **params):
    """`{% fixed_include "advocacy/includes/site_footer.html" %}`: an include that depends
    only on the language and on `params` (the navigation, the search box, the footer)."""
    key = (
        template_name,
        get_language(),
        get_script_prefix(),
        get_urlconf(),
        tuple(sorted(params.items())),
    )
    html = FIXED_PARTS.get(key)
    if html is None:
        template = context.template.engine.get_template(template_name)
        html = template.render(Context(params, autoescape=context.autoescape))
        if not settings.DEBUG:  # templates are read again at each request while developing
            FIXED_PARTS[key] = html
    return mark_safe(html)  # rendered as an include would be


@register.simple_tag
def filter_fields(form):
    """A list's filters, each with its label, help and errors (`views.filter_form`)."""
    return filter_form.filter_fields(form)


# A list page shows 25 statements and the home page six. Through the template engine their
# rows were a quarter of `/statements/` (a dozen nodes, tags and filters each, resolved one
# by one), so they are written here. Every value is escaped by format_html.


@register.simple_tag
def statement_item(statement: dict):
    """A statement in a short list (the home page; a person's, group's or event's page):
    its heading, date, speaker and medium, and its first quotation."""
    return format_html(
        "<li>{}{}</li>",
        statement_facts(statement, with_event=False),
        first_quotation(statement),
    )


@register.simple_tag
def statement_row(statement: dict):
    """A statement in `/statements/`: as `statement_item`, with its event, and how many
    quotations it has and from which outlets."""
    count = len(statement.get("quotations") or [])
    return format_html(
        '<li>{}{}<div class="meta-line"><span>{}</span><span>{}</span></div></li>',
        statement_facts(statement, with_event=True),
        first_quotation(statement),
        ngettext("%(counter)s quotation", "%(counter)s quotations", count) % {"counter": count},
        publishers(statement),
    )


@register.simple_tag
def statement_rows(statements: list[dict]):
    """`statement_row` of each: one tag for the page, not a block and a tag for each row."""
    return mark_safe("".join(map(statement_row, statements)))  # each row escaped


@register.simple_tag
def event_item(event: dict):
    """An event in a short list (the home page): its name, date and kind, and whether its
    sources conflict."""
    facts = [
        event.get("date_display") or _("date unknown"),
        display(event.get("kind"), "event_kind"),
    ]
    if event.get("has_conflict"):
        facts.append(format_html('<span class="badge conflict">{}</span>', _("Sources conflict")))
    return format_html(
        '<li><a class="record-title" href="{}">{}</a><div class="meta-line">{}</div></li>',
        event.get("html_url") or "",
        event.get("name") or "",
        format_html_join("", "<span>{}</span>", ((fact,) for fact in facts)),
    )


@register.simple_tag
def name_links(records: list[dict]):
    """People or groups as a list of links, each by its own name (`name_html`)."""
    return format_html_join(
        "",
        '<li><a href="{}">{}</a></li>',
        ((record.get("html_url") or "", name_html(record)) for record in records),
    )


def statement_facts(statement: dict, *, with_event: bool):
    facts = [
        statement.get("date_display") or _("date unknown"),
        record_link(statement.get("speaker")),
        display(statement.get("medium"), "medium"),
    ]
    if with_event and statement.get("event"):
        facts.append(record_link(statement["event"]))
    if statement.get("has_conflict"):
        facts.append(format_html('<span class="badge conflict">{}</span>', _("Sources conflict")))
    return format_html(
        '<div class="record-title"><a href="{}">{}</a></div><div class="meta-line">{}</div>',
        statement.get("html_url") or "",
        document_title(statement),
        format_html_join("", "<span>{}</span>", ((fact,) for fact in facts)),
    )


def first_quotation(statement: dict):
    for quotation in statement.get("quotations") or []:
        return format_html(
            '<blockquote lang="{}"><p>“{}”</p></blockquote>',
            quotation.get("language") or "",
            quotation.get("text") or "",
        )
    return ""


@register.simple_tag(takes_context=True)
def highlight(context, text, query=None):
    """Text with the words a search query matched in <mark>."""
    text = str(text or "")
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
def publishers(statement: dict) -> str:
    """The outlets a statement's quotations come from, each once."""
    names = []
    for quotation in statement.get("quotations") or []:
        source = quotation.get("source") or {}
        name = source.get("publisher") or source.get("title")
        if name and name not in names:
            names.append(name)
    return ", ".join(names)


@register.filter
def published(source: dict) -> str:
    """A source's publication date, at the precision it is known."""
    return source_date(source or {})


@register.simple_tag
def reference(source: dict) -> str:
    """A conventional reference to an original document."""
    return source_reference(source or {})


@register.simple_tag
def partial_date(date, precision="day", end_date=None):
    """A partial date (ISO text, as documents hold it) at its precision."""
    if isinstance(date, str):
        date = datetime.date.fromisoformat(date) if date else None
    if isinstance(end_date, str):
        end_date = datetime.date.fromisoformat(end_date) if end_date else None
    return format_partial_date(date, precision or "day", end_date)


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
