"""The workflow in the admin: add article, review, publish, merge, stale edits, duplicates."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from advocacy.models import Group, Person, Source, Statement
from tests.factories import (
    CitationFactory,
    GroupFactory,
    MembershipFactory,
    PersonFactory,
    StatementFactory,
)

pytestmark = pytest.mark.django_db

ARTICLE = """Mothers picket the ministry

May 14, 2024

“We want answers,” said Olga Tsukanova. “Our sons are still at the front.”

The "special" treatment was noted.
"""


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form_data(response) -> dict:
    """The POST a browser would send for an admin change form, as rendered."""
    data = {}
    form = response.context["adminform"].form
    for name, field in form.fields.items():
        value = form[name].value()
        if value is None:
            continue
        if isinstance(value, list | tuple):
            data[name] = [str(v) for v in value]
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = (
                field.widget.format_value(value)
                if hasattr(field.widget, "format_value") and not isinstance(value, str)
                else value
            )
    inlines = response.context.get("inline_admin_formsets", [])
    for inline in inlines:
        formset = inline.formset
        for name, value in formset.management_form.initial.items():
            data[f"{formset.prefix}-{name}"] = value
        for subform in formset.forms:
            for name in subform.fields:
                value = subform[name].value()
                if value not in (None, False):
                    data[subform.add_prefix(name)] = "on" if value is True else value
    return {key: ("" if value is None else value) for key, value in data.items()}


def test_add_article_page_then_review_screen(researcher_user, cast):
    client = logged_in(researcher_user)
    add_url = reverse("admin:advocacy_source_add_article")
    assert client.get(reverse("admin:advocacy_source_changelist")).content.count(add_url.encode())
    response = client.post(add_url, {"text": ARTICLE, "language": "en"})
    source = Source.objects.get()
    review_url = reverse("admin:advocacy_source_review", args=[source.pk])
    assert response.status_code == 302 and response["Location"] == review_url
    assert source.status == "draft"

    page = client.get(review_url)
    html = page.content.decode()
    assert "<mark>We want answers</mark>" in html
    assert "<mark>Our sons are still at the front.</mark>" in html
    assert "Olga Tsukanova" in html

    formset = page.context["formset"]
    data = {"form-TOTAL_FORMS": "2", "form-INITIAL_FORMS": "2"}
    for number, form in enumerate(formset.forms):
        for name in form.fields:
            value = form.initial.get(name)
            if value is None:
                continue
            data[f"form-{number}-{name}"] = getattr(value, "pk", value)
    data["form-1-action"] = "reject"  # the scare quote
    data["form-0-date_as_printed"] = "on Tuesday"  # an edit
    response = client.post(review_url, data)
    assert response.status_code == 302, response.context and response.context["formset"].errors
    statement = Statement.objects.get()
    assert statement.speaker_person == cast["tsukanova"] and statement.status == "draft"
    assert statement.date_as_printed == "on Tuesday"
    assert statement.quotations.count() == 2


def test_add_article_refuses_a_duplicate_with_a_link(researcher_user, cast):
    client = logged_in(researcher_user)
    add_url = reverse("admin:advocacy_source_add_article")
    client.post(add_url, {"text": ARTICLE, "language": "en"})
    existing = Source.objects.get()
    response = client.post(add_url, {"text": ARTICLE, "language": "en"})
    html = response.content.decode()
    assert response.status_code == 200 and "already stored" in html
    assert reverse("admin:advocacy_source_change", args=[existing.pk]) in html
    assert Source.objects.count() == 1


def test_add_article_from_an_uploaded_html_page(researcher_user, cast):
    page = (
        "<html><head><title>Mothers picket the ministry</title></head><body><article>"
        "<h1>Mothers picket the ministry</h1><p>Dozens of mothers stood outside the ministry "
        "on Tuesday asking for news of their sons, some of them for the third time.</p>"
        "<p>“We want answers,” said Olga Tsukanova, who came from Samara.</p>"
        "</article></body></html>"
    )
    upload = SimpleUploadedFile("page.html", page.encode(), content_type="text/html")
    client = logged_in(researcher_user)
    response = client.post(
        reverse("admin:advocacy_source_add_article"), {"html_file": upload, "language": "en"}
    )
    assert response.status_code == 302
    assert Source.objects.get().original_filename == "page.html"


def test_second_of_two_concurrent_edits_is_refused_with_a_diff(researcher_user, roles):
    from tests.factories import UserFactory

    other = UserFactory(username="second", is_staff=True)
    other.groups.set(researcher_user.groups.all())
    person = PersonFactory(name="Anna Example", description="Old description")
    url = reverse("admin:advocacy_person_change", args=[person.pk])
    first, second = logged_in(researcher_user), logged_in(other)
    first_data = form_data(first.get(url))
    second_data = form_data(second.get(url))
    assert (
        first_data["expected_version"] == str(person.version)
        or first_data["expected_version"] == person.version
    )

    first_data["description"] = "First researcher's description"
    assert first.post(url, first_data).status_code == 302

    second_data["description"] = "Second researcher's description"
    response = second.post(url, second_data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "was changed by" in html and "were NOT saved" in html
    assert "First researcher&#x27;s description" in html  # the diff shows their change
    person.refresh_from_db()
    assert person.description == "First researcher's description"
    # Reloading and saving again works.
    fresh = form_data(second.get(url))
    fresh["description"] = "Second researcher's description"
    assert second.post(url, fresh).status_code == 302
    person.refresh_from_db()
    assert person.description == "Second researcher's description"


def test_publish_action_explains_what_is_missing(editor):
    speaker = PersonFactory(draft=True, name="Anna Example")
    statement = StatementFactory(speaker_person=speaker, draft=True)
    client = logged_in(editor)
    response = client.post(
        reverse("admin:advocacy_statement_changelist"),
        {"action": "publish", "_selected_action": [statement.pk]},
        follow=True,
    )
    html = response.content.decode()
    assert "is draft: publish them first" in html and "cites no source" in html
    statement.refresh_from_db()
    assert statement.status == "draft"


def test_researcher_submits_but_cannot_publish(researcher_user):
    statement = StatementFactory(draft=True)
    CitationFactory(content_object=statement.speaker)
    client = logged_in(researcher_user)
    changelist = reverse("admin:advocacy_statement_changelist")
    actions = client.get(changelist).context["action_form"].fields["action"].choices
    names = [name for name, _ in actions]
    assert "submit_for_review" in names and "publish" not in names
    client.post(changelist, {"action": "publish", "_selected_action": [statement.pk]})
    statement.refresh_from_db()
    assert statement.status == "draft"
    client.post(changelist, {"action": "submit_for_review", "_selected_action": [statement.pk]})
    statement.refresh_from_db()
    assert statement.status == "in_review"


def test_merge_action_with_confirmation(editor):
    winner = GroupFactory(name="Council of Mothers and Wives")
    loser = GroupFactory(name="Council of Wives and Mothers")
    StatementFactory(speaker_person=None, speaker_group=loser)
    client = logged_in(editor)
    changelist = reverse("admin:advocacy_group_changelist")
    selected = {"action": "merge_records", "_selected_action": [winner.pk, loser.pk]}
    confirm = client.post(changelist, selected)
    assert confirm.status_code == 200
    assert "1 statements" in confirm.content.decode()
    assert Group.objects.count() == 2
    response = client.post(
        changelist, {**selected, "confirm_merge": "yes", "winner": str(winner.pk)}
    )
    assert response.status_code == 302
    assert list(Group.objects.all()) == [winner]
    assert winner.statements.count() == 1
    assert winner.aliases.filter(name="Council of Wives and Mothers").exists()


def test_researchers_have_no_merge_action(researcher_user):
    client = logged_in(researcher_user)
    actions = client.get(reverse("admin:advocacy_person_changelist")).context["action_form"]
    assert "merge_records" not in [name for name, _ in actions.fields["action"].choices]


def test_creating_a_likely_duplicate_warns_with_links(researcher_user):
    existing = PersonFactory(name="Olga Tsukanova")
    client = logged_in(researcher_user)
    add_url = reverse("admin:advocacy_person_add")
    data = form_data(client.get(add_url))
    data.update(name="Ольга Цуканова", status="draft")
    response = client.post(add_url, data)
    html = response.content.decode()
    assert response.status_code == 200 and "matches existing records" in html
    assert reverse("admin:advocacy_person_change", args=[existing.pk]) in html
    assert Person.objects.count() == 1
    data["not_a_duplicate"] = "on"
    assert client.post(add_url, data).status_code == 302
    assert Person.objects.count() == 2


def test_only_editors_revert_from_history(researcher_user, editor):
    person = PersonFactory(name="Anna Example", description="Good")
    person.description = "Vandalised"
    person.save()
    good = person.history.order_by("history_date").first()
    url = reverse("admin:advocacy_person_simple_history", args=[person.pk, good.history_id])
    history = logged_in(editor).get(reverse("admin:advocacy_person_history", args=[person.pk]))
    assert "Vandalised" in history.content.decode()  # the field-by-field diff
    denied = logged_in(researcher_user).post(url, {"name": "Anna Example"})
    assert denied.status_code == 403
    client = logged_in(editor)
    data = form_data(client.get(url))
    assert client.post(url, data).status_code == 302
    person.refresh_from_db()
    assert person.description == "Good"
    assert person.version == 3  # a revert is a new version, not an old number


# Issue 12: the review screen finishes cleanly.


def _review_post(page, reject=()) -> dict:
    formset = page.context["formset"]
    total = len(formset.forms)
    data = {"form-TOTAL_FORMS": str(total), "form-INITIAL_FORMS": str(total)}
    for number, form in enumerate(formset.forms):
        for name in form.fields:
            value = form.initial.get(name)
            if value is not None:
                data[f"form-{number}-{name}"] = getattr(value, "pk", value)
        if number in reject:
            data[f"form-{number}-action"] = "reject"
    return data


def test_add_article_is_on_the_admin_home_page(researcher_user):
    page = logged_in(researcher_user).get(reverse("admin:index"))
    assert reverse("admin:advocacy_source_add_article") in page.content.decode()


def test_pasted_source_details_are_stored_and_the_language_said(researcher_user, cast):
    client = logged_in(researcher_user)
    response = client.post(
        reverse("admin:advocacy_source_add_article"),
        {
            "text": "Пікет біля міністерства\n\n«Ми чекаємо відповіді», — сказала Ольга Цуканова.",
            "publisher": "Суспільне",
            "url": "https://suspilne.media/example",
            "authors": "Анна Самара",
            "published_on": "2024-05-05",
            "language": "",
        },
        follow=True,
    )
    source = Source.objects.get()
    assert (source.publisher, source.url, source.authors) == (
        "Суспільне",
        "https://suspilne.media/example",
        "Анна Самара",
    )
    assert source.published_on.isoformat() == "2024-05-05" and source.language == "uk"
    html = response.content.decode()
    # One candidate: "statement", not "statements"; the language chosen is said.
    assert "with 1 candidate statement, read as Ukrainian (detected" in html
    # The review screen shows the source's details (as found, or as typed) to correct.
    assert "https://suspilne.media/example" in html and "Add the publisher" not in html


def test_save_decisions_lands_on_the_statements_just_created(researcher_user, cast):
    client = logged_in(researcher_user)
    client.post(reverse("admin:advocacy_source_add_article"), {"text": ARTICLE, "language": "en"})
    source = Source.objects.get()
    review_url = reverse("admin:advocacy_source_review", args=[source.pk])
    page = client.get(review_url)
    response = client.post(review_url, _review_post(page, reject=[1]), follow=True)
    assert response.status_code == 200
    statement = Statement.objects.get()
    html = response.content.decode()
    assert reverse("admin:advocacy_statement_change", args=[statement.pk]) in html
    assert response.context["cl"].result_count == 1


def test_an_unknown_date_has_no_precision_on_the_review_screen(researcher_user, cast):
    client = logged_in(researcher_user)
    text = "Mothers picket the ministry\n\n“We want answers,” said Olga Tsukanova."
    client.post(reverse("admin:advocacy_source_add_article"), {"text": text, "language": "en"})
    source = Source.objects.get()
    page = client.get(reverse("admin:advocacy_source_review", args=[source.pk]))
    form = page.context["formset"].forms[0]
    assert form.initial["date"] is None and form.initial["date_precision"] == ""
    html = page.content.decode()
    assert "date: unknown" in html and "(day, unknown)" not in html
    assert "Add the publisher and the URL before publishing" in html
    assert 'class="wide"' in html  # the summary spans the row instead of overlapping
    response = client.post(page.request["PATH_INFO"], _review_post(page))
    assert response.status_code == 302
    assert Statement.objects.get().date is None


def test_publishing_a_source_without_publisher_or_url_asks_for_them(editor):
    from advocacy.services.publishing import publish_problems
    from tests.factories import SourceFactory

    source = SourceFactory(draft=True, publisher="", url="")
    problems = publish_problems(source)
    assert any("no publisher" in p for p in problems)
    assert any("no URL" in p for p in problems)
    source.publisher, source.url = "Meduza", "https://meduza.io/x"
    assert publish_problems(source) == []


def test_review_screen_shows_proposals_and_creates_only_the_ticked_ones(researcher_user, cast):
    client = logged_in(researcher_user)
    text = (
        "Wives rally in Tver\n\nDozens of women held a rally in Tver on Saturday, March 2, 2024."
        '\n\n"We want our husbands home," said Marina Belova, a spokeswoman for the group '
        "Wives of Tver."
    )
    client.post(reverse("admin:advocacy_source_add_article"), {"text": text, "language": "en"})
    source = Source.objects.get()
    review_url = reverse("admin:advocacy_source_review", args=[source.pk])
    page = client.get(review_url)
    proposals = page.context["proposals"]
    assert [p.kind for p in proposals] == ["person", "membership", "event"]
    html = page.content.decode()
    assert "spokeswoman, Wives of Tver (new)" in html and 'name="proposal"' in html
    data = _review_post(page)
    data["proposal"] = [p.key for p in proposals if p.kind != "membership"]  # untick one
    response = client.post(review_url, data, follow=True)
    assert response.status_code == 200 and "Also created as drafts" in response.content.decode()
    assert Person.objects.filter(name="Marina Belova").exists()
    assert not Group.objects.filter(name="Wives of Tver").exists()
    assert Statement.objects.get().event is not None


def test_a_researcher_records_a_roles_translations_on_the_membership_form(researcher_user):
    membership = MembershipFactory(role="president", draft=True)
    client = logged_in(researcher_user)
    url = reverse("admin:advocacy_membership_change", args=[membership.pk])
    page = client.get(url)
    html = page.content.decode()
    for language in ("English", "Russian", "Ukrainian"):
        assert f"Role in {language}" in html
    data = form_data(page)
    data.update(role_ru="председатель", role_uk="голова")
    response = client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    membership.refresh_from_db()
    assert (membership.role, membership.role_ru, membership.role_uk, membership.role_en) == (
        "president",
        "председатель",
        "голова",
        "",
    )
