"""advocacy.markup writes what Django's format_html and format_html_join write, for every
kind of value a public page hands them."""

import pytest
from django.utils import html as django_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy, override

from advocacy import markup


class Tagged(str):
    """A str subclass: not escaped by the plain-string path."""


class HasHtml:
    def __html__(self):
        return "<b>as HTML</b>"

    def __str__(self):
        return "<b>as text</b>"


VALUES = [
    "plain",
    "<script>alert('x') & \"y\"</script>",
    "Цуканова & Co > «Путь домой»",
    "",
    mark_safe("<em>safe</em>"),
    SafeString("<i>also safe</i>"),
    Tagged("<tagged> & 'quoted'"),
    HasHtml(),
    gettext_lazy("Sources conflict"),
    42,
    3.5,
    None,
]


@pytest.mark.parametrize("value", VALUES, ids=repr)
def test_format_html_writes_what_djangos_writes(value):
    with override("ru"):
        expected = django_html.format_html("<p title='{}'>{}</p>", value, value)
        written = markup.format_html("<p title='{}'>{}</p>", value, value)
        assert written == expected
        assert isinstance(written, SafeString)
        assert markup.format_html("<a>{name}</a>", name=value) == django_html.format_html(
            "<a>{name}</a>", name=value
        )


def test_format_html_join_writes_what_djangos_writes():
    rows = [(value, index) for index, value in enumerate(VALUES)]
    for separator in ("", "<br>", mark_safe("<br>")):
        assert markup.format_html_join(
            separator, "<li>{}:{}</li>", rows
        ) == django_html.format_html_join(separator, "<li>{}:{}</li>", rows)
    named = [{"value": value} for value in VALUES]
    assert markup.format_html_join(" ", "<i>{value}</i>", named) == (
        django_html.format_html_join(" ", "<i>{value}</i>", named)
    )


def test_a_plain_string_is_escaped_and_a_safe_one_is_not():
    assert markup.format_html("{}{}", "<b>", mark_safe("<b>")) == "&lt;b&gt;<b>"
