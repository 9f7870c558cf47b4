"""Writing a list's filters: each field with its label, help and errors, and its widget.

Written here, not by Django's form templates, byte for byte what those write (tests
compare them): a dozen fields and their options through the template engine were a third
of a list page.
"""

from __future__ import annotations

from django.forms import BoundField, NullBooleanSelect, Select
from django.forms.renderers import DjangoTemplates
from django.template.defaultfilters import stringformat
from django.utils.safestring import mark_safe

from advocacy.markup import escaped, format_html, format_html_join

INPUT_TEMPLATES = {
    f"django/forms/widgets/{name}.html" for name in ("input", "text", "search", "date", "number")
}
SELECT_TEMPLATE = "django/forms/widgets/select.html"
SELECTED = {"selected": True}


class FilterFormRenderer(DjangoTemplates):
    """Django's form renderer, writing the widgets a list's filters use (inputs and
    selects) itself. Any other widget is rendered by its template."""

    def render(self, template_name, context, request=None):
        widget = context.get("widget")
        if template_name in INPUT_TEMPLATES:
            value = widget["value"]
            return format_html(
                '<input type="{}" name="{}"{}{}>',
                widget["type"],
                widget["name"],
                "" if value is None else format_html(' value="{}"', stringformat(value, "s")),
                html_attrs(widget["attrs"]),
            )
        if template_name == SELECT_TEMPLATE and not widget["attrs"].get("multiple"):
            groups = (
                (name, [(option["value"], option["attrs"], option["label"]) for option in options])
                for name, options, _index in widget["optgroups"]
            )
            return select_html(widget["name"], widget["attrs"], groups)
        return super().render(template_name, context, request)


FILTER_FORM_RENDERER = FilterFormRenderer()


def filter_fields(form) -> str:
    return mark_safe("".join(filter_field(field) for field in form))


def filter_field(field: BoundField) -> str:
    help_html = errors_html = ""
    if field.help_text:
        help_html = format_html(
            '<p class="help" id="{}_helptext">{}</p>', field.auto_id, field.help_text
        )
    if field.errors:
        errors_html = format_html(
            '<ul class="errorlist">{}</ul>',
            format_html_join("", "<li>{}</li>", ((error,) for error in field.errors)),
        )
    return format_html(
        '<div class="field"><label for="{}">{}</label>{}{}{}</div>',
        field.id_for_label,
        field.label,
        widget_html(field),
        help_html,
        errors_html,
    )


def widget_html(field: BoundField) -> str:
    """What `str(field)` writes. A single <select> is written from its choices: Django first
    makes a dict of each option (`ChoiceWidget.optgroups`), which cost more than writing
    it."""
    widget = field.field.widget
    if type(widget) not in (Select, NullBooleanSelect):
        return field.as_widget()
    # As `BoundField.as_widget` and `Widget.get_context` make them.
    attrs = field.build_widget_attrs({}, widget)
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    return select_html(
        field.html_name, {**widget.attrs, **attrs}, chosen_groups(widget, field.value())
    )


def chosen_groups(widget: Select, value):
    """`ChoiceWidget.optgroups` of a single select, as (group name, [(value, attrs,
    label)]): the first option whose value is among the widget's values is selected."""
    values = widget.format_value(value)
    has_selected = False
    for option_value, option_label in widget.choices:
        if option_value is None:
            option_value = ""
        if isinstance(option_label, (list, tuple)):
            group_name, choices = option_value, option_label
        else:
            group_name, choices = None, ((option_value, option_label),)
        options = []
        for subvalue, sublabel in choices:
            selected = not has_selected and str(subvalue) in values
            has_selected |= selected
            options.append((subvalue, SELECTED if selected else {}, sublabel))
        yield group_name, options


def select_html(name: str, attrs: dict, groups) -> str:
    """Django's select.html and select_option.html: `groups` as (group name or None,
    [(value, attrs, label)])."""
    written = []
    for group_name, options in groups:
        # A list of people is hundreds of options: written by hand, not by format_html.
        part = mark_safe(  # each value and label escaped
            "".join(
                [
                    f'\n  <option value="{escaped(option_value(value))}"'
                    f"{html_attrs(option_attrs) if option_attrs else ''}>"
                    f"{escaped(label)}</option>\n"
                    for value, option_attrs, label in options
                ]
            )
        )
        if group_name:
            part = format_html('\n  <optgroup label="{}">{}\n  </optgroup>', group_name, part)
        written.append(part)
    return format_html(
        '<select name="{}"{}>{}\n</select>',
        name,
        html_attrs(attrs),
        mark_safe("".join(written)),  # each part escaped by format_html above
    )


def option_value(value) -> str:
    """`stringformat(value, "s")`, as select_option.html writes an option's value."""
    return value if type(value) is str else stringformat(value, "s")


def html_attrs(attrs: dict) -> str:
    """As Django's widgets/attrs.html writes them: ` name` for True, nothing for False, in
    their order (`django.forms.utils.flatatt` sorts them and puts the booleans last)."""
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(" {}", name)
                if value is True
                else format_html(' {}="{}"', name, stringformat(value, "s")),
            )
            for name, value in attrs.items()
            if value is not False
        ),
    )
