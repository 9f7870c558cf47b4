"""Lists that stay usable and quick when a table holds a million rows: a bounded count,
a short run of page links, and slug boxes where a <select> would list 100,000 options."""

import datetime
import re

import pytest
from django import forms
from django.db import connection

from advocacy.views import base
from tests.factories import StatementFactory


@pytest.fixture
def small_limits(monkeypatch):
    monkeypatch.setattr(base.CappedPaginator, "limit", 30)
    monkeypatch.setattr(base, "CHOICE_LIMIT", 5)


def test_count_stops_at_the_limit_and_says_there_are_more(client, seeded, small_limits):
    StatementFactory.create_batch(20)  # 17 seeded + 20 > 30
    html = client.get("/statements/").content.decode()
    if connection.vendor == "postgresql":  # past the limit, the planner's estimate
        assert re.search(r"about [\d,]+ records", html)
    else:
        assert "More than 30 records" in html
    # 30 counted at 25 a page: a second page, and no link past what was counted.
    assert 'href="?page=2"' in html
    assert 'href="?page=3"' not in html


def test_exact_count_below_the_limit(client, seeded, small_limits):
    html = client.get("/statements/").content.decode()
    assert "17 records" in html
    assert "More than" not in html


def test_page_links_are_elided_around_the_current_page(client, seeded, monkeypatch):
    monkeypatch.setattr(base.FilteredListView, "paginate_by", 1)
    html = client.get("/statements/", {"page": 9}).content.decode()
    nav = html[html.index('class="pagination"') :]
    nav = nav[: nav.index("</nav>")]
    shown = [int(n) for n in re.findall(r">(\d+)</(?:a|span)>", nav)]
    assert shown == [1, 7, 8, 9, 10, 11, 17]
    assert nav.count('class="ellipsis"') == 2


def test_a_long_choice_list_becomes_a_slug_box_that_still_filters(client, seeded, small_limits):
    html = client.get("/statements/").content.decode()
    # Nine public people and twelve groups are over the limit of five; six topics too.
    assert not re.search(r'<select name="speaker"', html)
    # The box, its help said under it and tied to it, in the field's own block.
    assert re.search(
        r'<div class="field"><label for="id_speaker">Speaker</label>'
        r'<input type="text" name="speaker" [^>]*aria-describedby="id_speaker_helptext"[^>]*>'
        r'<p class="help" id="id_speaker_helptext">Too many to list: type the slug from its '
        r"page address.</p></div>",
        html,
    )

    filtered = client.get("/statements/", {"speaker": "olga-tsukanova"})
    assert filtered.status_code == 200
    page = filtered.content.decode()
    assert "tsukanova-are-you-a-man-or-what" in page
    assert 'value="olga-tsukanova"' in page

    unknown = client.get("/statements/", {"speaker": "nobody-by-this-name"})
    assert unknown.status_code == 400
    page = unknown.content.decode()
    assert "nobody-by-this-name" in page
    # The reason is also under the field it is about.
    field = page[page.index('<label for="id_speaker">') :]
    field = field[: field.index("</div>")]
    assert re.search(r'<ul class="errorlist"><li>Select a valid choice\.[^<]*</li></ul>$', field)


def test_whether_filters_list_their_options_is_one_query(
    seeded, monkeypatch, django_assert_num_queries
):
    """Whether each record filter lists its options or takes a slug is one query for all of
    them, however many filters a list has."""
    from advocacy.models import PublicEvent, PublicGroup, PublicPerson, PublicSource

    fields = [
        forms.ModelChoiceField(queryset=model.objects.all(), to_field_name="slug")
        for model in (PublicPerson, PublicGroup, PublicEvent, PublicSource)
    ]
    monkeypatch.setattr(base, "CHOICE_LIMIT", 1)  # every seeded kind has more public rows
    with django_assert_num_queries(1):
        base.bounded_choices(fields)
    assert all(isinstance(field.widget, forms.TextInput) for field in fields)


def test_a_short_choice_list_stays_a_select_of_public_records(client, seeded):
    html = client.get("/statements/").content.decode()
    select = re.search(r'<select name="speaker".*?</select>', html, re.S)
    assert select, "the speaker filter should be a <select> at seed scale"
    assert 'value="olga-tsukanova"' in select.group()
    assert "Alexander" not in select.group()  # protected: never an option


def test_search_counts_stop_at_the_limit(client, seeded, monkeypatch):
    from advocacy.views import search

    monkeypatch.setattr(search, "SECTION_COUNT_LIMIT", 3)
    html = client.get("/search/", {"q": "mothers"}).content.decode()
    assert "More than 3 results" in html
    assert re.search(r"Statements \(3\+\)", html)


def test_the_filter_form_renderer_writes_what_djangos_templates_write():
    """The filters' widgets are written directly, for speed: byte for byte what Django's
    template-rendered widgets write, escaping, selection, groups and values included."""
    choices = [
        ("", "Any"),
        ("olga-tsukanova", "Olga Tsukanova"),
        ("a&b", 'Tom & "Jerry" <b>'),
        ("Groups", [("put-domoi", "Put' Domoi"), ("council", "Совет матерей")]),
    ]
    attrs = {"class": "filter", "data-x": 'a"b', "disabled": False, "required": True}
    widgets = [
        forms.Select(attrs=attrs, choices=choices),
        forms.NullBooleanSelect(attrs=attrs),
        forms.TextInput(attrs={**attrs, "placeholder": "slug, <as> in its address"}),
        forms.SearchInput(),
        forms.DateInput(attrs={"type": "date"}),
        forms.NumberInput(),
        forms.SelectMultiple(choices=choices),  # left to its template
    ]
    values = ["", "olga-tsukanova", "put-domoi", "a&b", 'x"<y>', None, "true", 3]
    for widget in widgets:
        for value in values:
            if isinstance(widget, forms.SelectMultiple):
                value = [value]
            expected = widget.render("speaker", value, attrs={"id": "id_speaker"})
            written = widget.render(
                "speaker", value, attrs={"id": "id_speaker"}, renderer=base.FILTER_FORM_RENDERER
            )
            assert written == expected, (widget, value)


def test_a_filters_select_is_written_as_django_writes_it():
    """`widget_html` writes a single <select> from its choices, as `str(bound_field)` does
    through Django's templates: selection (the first match only), groups, escaping,
    required, errors and help (`aria-invalid`, `aria-describedby`)."""
    from advocacy.views.filter_form import widget_html

    choices = [
        ("", "Any"),
        ("olga-tsukanova", "Olga Tsukanova"),
        ("a&b", 'Tom & "Jerry" <b>'),
        ("Groups", [("put-domoi", "Put' Domoi"), ("olga-tsukanova", "again")]),
        (None, "None as a value"),
    ]

    class Filters(forms.Form):
        speaker = forms.ChoiceField(choices=choices, required=False, help_text="Who <spoke>")
        group = forms.ChoiceField(
            choices=choices, widget=forms.Select(attrs={"class": "x", "data-y": 'a"b'})
        )
        has_conflict = forms.NullBooleanField(required=False)
        date = forms.DateField(required=False)  # not a select: rendered by Django
        many = forms.MultipleChoiceField(choices=choices[1:3], required=False)

    datas = [
        None,
        {},
        {"speaker": "olga-tsukanova", "group": "a&b", "has_conflict": "true"},
        {"speaker": "put-domoi", "group": "nope", "has_conflict": "false", "date": "x"},
        {"speaker": "", "has_conflict": "maybe", "many": ["a&b"]},
    ]
    for data in datas:
        form = Filters(data, auto_id="id_%s")
        if data is not None:
            form.is_valid()  # errors: aria-invalid
        for field in form:
            assert widget_html(field) == field.as_widget(), (field.name, data)


def test_each_request_has_its_own_filters_and_fields(client, seeded, monkeypatch):
    """FilterSets copy their declared filters one level deep (`request_copy`), and public
    ones make their form class once: what one request does to its filters and form fields
    (a slug box, the request's queryset, the search method's FilterSet) is never seen by
    the next."""
    from advocacy.publication.filters import PublicStatementFilterSet
    from advocacy.publication.reading import public_rows

    monkeypatch.setattr(base, "CHOICE_LIMIT", 1)
    assert not re.search(r'<select name="speaker"', client.get("/statements/").content.decode())
    monkeypatch.setattr(base, "CHOICE_LIMIT", 200)
    assert re.search(r'<select name="speaker"', client.get("/statements/").content.decode())

    first, second = (
        PublicStatementFilterSet({"q": "mothers"}, queryset=public_rows("statement"))
        for _ in range(2)
    )
    first.form  # noqa: B018 (builds the fields, setting the filter's queryset)
    declared = PublicStatementFilterSet.base_filters["speaker"]
    assert callable(declared.extra["queryset"])
    assert not hasattr(declared, "_field")
    assert first.filters["speaker"].field is not second.filters["speaker"].field
    # Public fields are the same for every reader: one form class, each form its own fields.
    assert type(first.form) is type(second.form)
    assert first.form.fields["speaker"] is not second.form.fields["speaker"]
    assert first.form.fields["speaker"].widget is not second.form.fields["speaker"].widget
    assert first.filters["q"].filter.method.__self__ is first
    assert second.filters["q"].filter.method.__self__ is second
    assert first.qs.count() == second.qs.count() > 0


def test_a_public_filter_forms_labels_are_in_each_readers_language(seeded):
    """A public FilterSet's form class is kept, once per language: a label django-filter
    makes up ("Role contains") is written in the language active when it is made."""
    from django.utils import translation

    from advocacy.publication.filters import PublicMembershipFilterSet
    from advocacy.publication.reading import public_rows

    def role_label(language):
        with translation.override(language):
            filterset = PublicMembershipFilterSet(None, queryset=public_rows("membership"))
            return str(filterset.form.fields["role"].label)

    assert role_label("en") == "Role contains"
    assert role_label("ru") == "Role содержит"
    assert role_label("en") == "Role contains"


def test_filter_options_are_read_together_in_each_models_order(seeded, django_assert_num_queries):
    """`values_of_tables` reads whole tables (a list's record filters) in one query, each in
    its model's order, as `values_list` would; any other queryset by itself."""
    from django.db.models.functions import Lower

    from advocacy.publication.reading import public_rows, values_of_tables

    querysets = [
        public_rows("person"),
        public_rows("source"),  # ordered by -published_on, title
        public_rows("topic"),
        public_rows("group").filter(kind="advocacy_group"),
        public_rows("event").order_by("-slug"),
        public_rows("topic").order_by(Lower("name").desc()),  # an expression: by itself
    ]
    expected = [list(rows.values_list("slug", "document_ru")) for rows in querysets]
    assert all(expected) and len(expected[1]) > 1
    with django_assert_num_queries(3):  # the whole tables, then the other two
        assert values_of_tables(querysets, "slug", "document_ru") == expected


def test_the_home_pages_lists_are_read_together_each_in_its_order(
    seeded, django_assert_num_queries
):
    """`fixed_documents` reads its lists' documents as `documents_of` each would, in each
    list's order: in one query on PostgreSQL (an `ARRAY(…)` each), one each elsewhere."""
    from advocacy.publication.reading import documents_of, fixed_documents, public_rows

    def slugs(documents):
        return [document["slug"] for document in documents]

    def statements_by_slug(descending):
        return public_rows("statement").order_by("-slug" if descending else "slug")[:4]

    def events_from(day):
        return public_rows("event").filter(date__gte=day).order_by("date", "name")

    lists = [
        (statements_by_slug, (True,)),
        (statements_by_slug, (False,)),
        (events_from, (datetime.date(2023, 1, 1),)),
    ]
    expected = [slugs(documents_of(build(*args))) for build, args in lists]
    assert all(expected) and expected[0] != expected[1]
    with django_assert_num_queries(1 if connection.vendor == "postgresql" else len(lists)):
        assert [slugs(documents) for documents in fixed_documents(*lists)] == expected
