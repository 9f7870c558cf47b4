"""Every admin changelist, add form and change form opens for a logged-in researcher,
with a number of queries that does not grow with the records."""

import pytest
from django.contrib import admin
from django.urls import reverse

from advocacy.models import Group, Person, Statement

ADVOCACY_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "advocacy"]


def admin_page(model, page, *args):
    return reverse(f"admin:advocacy_{model._meta.model_name}_{page}", args=args)


def test_every_advocacy_model_is_registered():
    from django.apps import apps

    unregistered = [
        model.__name__
        for model in apps.get_app_config("advocacy").get_models()
        if model not in admin.site._registry
        # History is shown on each record; public rows, kept published versions (shown as
        # a waiting record's changes) and data releases are built, never edited (releases
        # are listed at /data/).
        and not model.__name__.startswith(("Historical", "Public", "DataRelease", "HeldVersion"))
    ]
    assert unregistered == []


@pytest.mark.django_db
@pytest.mark.parametrize("model", ADVOCACY_ADMINS, ids=lambda m: m.__name__)
def test_changelist_add_and_change_forms_open(
    admin_client, seeded, model, django_assert_max_num_queries
):
    with django_assert_max_num_queries(30):
        response = admin_client.get(admin_page(model, "changelist"))
    assert response.status_code == 200

    response = admin_client.get(admin_page(model, "add"))
    assert response.status_code == 200

    obj = model._default_manager.first()
    if obj is not None:
        with django_assert_max_num_queries(60):
            response = admin_client.get(admin_page(model, "change", obj.pk))
        assert response.status_code == 200


@pytest.mark.django_db
def test_changelist_search_matches_across_scripts(admin_client, seeded):
    for query in ["Цуканова", "tsukanova", "Tsukanova"]:
        response = admin_client.get(admin_page(Person, "changelist"), {"q": query})
        assert "Olga Tsukanova" in response.content.decode(), query
    for query in ["Путь домой", "Put Domoy", "Way Home"]:
        response = admin_client.get(admin_page(Group, "changelist"), {"q": query})
        assert "Put&#x27; Domoi" in response.content.decode(), query


@pytest.mark.django_db
def test_change_form_shows_citations_with_excerpts(admin_client, seeded):
    person = Person.objects.get(slug="valentina-melnikova")
    page = admin_client.get(admin_page(Person, "change", person.pk)).content.decode()
    assert "Russian Soldiers&#x27; Mothers Accuse Putin of Avoiding Them" in page
    assert "director of the Union of Soldiers Mothers" in page


@pytest.mark.django_db
def test_source_change_form_shows_archived_text_and_quotes_in_context(admin_client, seeded):
    from advocacy.models import Source

    source = Source.objects.get(slug="mt-2023-12-18-families-call-on-putin-to-end-war")
    page = admin_client.get(admin_page(Source, "change", source.pk)).content.decode()
    assert "archived-text" in page
    assert (
        "<mark>Let us live in peace! Or go to the frontline yourself and die there</mark>" in page
    )


@pytest.mark.django_db
def test_publish_and_conflict_actions_record_history(admin_client, seeded):
    statement = Statement.objects.get(slug="putin-soldiers-are-heroes")
    statement.status = "draft"
    statement.save()
    history_before = statement.history.count()
    changelist = admin_page(Statement, "changelist")

    admin_client.post(changelist, {"action": "publish", "_selected_action": [statement.pk]})
    admin_client.post(
        changelist, {"action": "mark_conflicting", "_selected_action": [statement.pk]}
    )

    statement.refresh_from_db()
    assert statement.status == "published"
    assert statement.has_conflict is True
    assert statement.history.count() == history_before + 2
    assert statement.history.first().history_user.username == "admin"


@pytest.mark.django_db
def test_researcher_without_publish_permission_cannot_reach_admin_of_other_apps(client, researcher):
    client.force_login(researcher)
    assert client.get(reverse("admin:auth_user_changelist")).status_code == 403
    assert client.get(admin_page(Statement, "changelist")).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize(
    "factory_name",
    ["StatementFactory", "MembershipFactory", "ParticipationFactory", "CitationFactory"],
)
def test_changelist_queries_do_not_grow_with_rows(admin_client, factory_name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from tests import factories

    factory = getattr(factories, factory_name)
    model = factory._meta.model
    admin_client.get(admin_page(model, "changelist"))  # warm the per-process caches
    counts = []
    for total in (3, 30):
        factory.create_batch(total - model._default_manager.count())
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(admin_page(model, "changelist")).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
