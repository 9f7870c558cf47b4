"""Script injection: every text field of every advocacy record holds a script payload, and
no page, admin screen, feed or API response anywhere serves it as markup.

Generic on purpose, so it keeps covering what is added later: the records are every concrete
model of the advocacy app (a new model without a builder below fails the test), their text
fields are found by type, and the URLs are every named route of the site (public, admin,
API), filled in with the records' slugs and ids.
"""

import itertools
import json
import re

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern

from advocacy import models as advocacy
from advocacy.choices import Status
from tests import factories

PAYLOAD = "\"'><script>xss{n}</script>"
RAW = re.compile(r"<script>xss\d+</script>")
ESCAPED = re.compile(r"&lt;script&gt;xss\d+&lt;/script&gt;")
QUERY_PAYLOAD = "\"'><script>xss0</script>"
MARKUP_TYPES = ("text/html", "application/xhtml+xml", "xml", "text/plain")
SKIPPED_ROUTES = {"admin:logout", "admin:view_on_site", "healthz"}


def cited_source():
    return factories.SourceFactory(archived_text="placeholder", status=Status.PUBLISHED)


def build_records() -> list[models.Model]:
    """One published record of every advocacy model, all sharing one source."""
    source = cited_source()
    group = factories.GroupFactory()
    other_group = factories.GroupFactory()
    person = factories.PersonFactory()
    event = factories.EventFactory()
    statement = factories.StatementFactory(speaker_person=person, event=event, quotation=False)
    topic = factories.TopicFactory()
    statement.topics.add(topic)
    event.topics.add(topic)
    records = [
        source,
        group,
        person,
        event,
        statement,
        topic,
        factories.GroupAliasFactory(group=group, source=source),
        factories.PersonAliasFactory(person=person, source=source),
        factories.MembershipFactory(person=person, group=group),
        factories.ParticipationFactory(event=event, group=group),
        factories.QuotationFactory(statement=statement, source=source, text="placeholder"),
        advocacy.GroupRelation.objects.create(
            subject=group, object=other_group, kind="part_of", status=Status.PUBLISHED
        ),
        advocacy.ExternalIdentifier.objects.create(
            content_object=group, scheme="other", identifier="x"
        ),
        advocacy.SlugRedirect.objects.create(
            content_type=ContentType.objects.get_for_model(group),
            old_slug="old-slug",
            object_id=group.pk,
        ),
    ]
    for target in (group, person, event, statement):
        records.append(factories.CitationFactory(content_object=target, source=source, excerpt="x"))
        records.append(
            advocacy.ConflictingVersion.objects.create(
                content_object=target, field="date", value="x", source=source
            )
        )
    return records


def text_fields(model) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, models.CharField | models.TextField)
        and not isinstance(field, models.SlugField | models.URLField | models.EmailField)
        and not field.choices
        and field.editable
    ]


def advocacy_models() -> list[type[models.Model]]:
    return [
        model
        for model in apps.get_app_config("advocacy").get_models()
        # Public rows, kept published versions and data releases are built from the
        # others, never entered.
        if not model.__name__.startswith(("Historical", "Public", "DataRelease", "HeldVersion"))
    ]


@pytest.fixture
def poisoned(db):
    """Every record built, then every text field set to a numbered script payload."""
    records = build_records()
    built = {type(record) for record in records}
    missing = [model.__name__ for model in advocacy_models() if model not in built]
    assert not missing, f"add these models to build_records(): {missing}"
    counter = itertools.count(1)
    quotations, sources = [], []
    for record in records:
        for field in text_fields(type(record)):
            payload = PAYLOAD.format(n=next(counter))
            assert not field.max_length or len(payload) <= field.max_length, field
            setattr(record, field.attname, payload)
        if isinstance(record, advocacy.Quotation):
            quotations.append(record)
        elif isinstance(record, advocacy.Source):
            sources.append(record)
        else:
            record.save()
    # The quoted words are in the source, so the quotation is verbatim and shown publicly.
    (source,) = sources
    source.archived_text += "\n\n" + "".join(q.prefix + q.text for q in quotations) + "\n"
    source.full_text_public = True
    source.save()
    for quotation in quotations:
        quotation.save()
        assert quotation.is_verbatim
    for model in advocacy_models():
        for record in model._default_manager.all():
            if hasattr(record, "refresh_search_key"):
                record.refresh_search_key()
    return records


def routes():
    """(qualified name, parameter names) of every named route."""

    def walk(patterns, namespace, params):
        for pattern in patterns:
            if isinstance(pattern.pattern, RoutePattern):
                names = tuple(pattern.pattern.converters)
            else:
                names = tuple(pattern.pattern.regex.groupindex)
            if isinstance(pattern, URLResolver):
                inner = ":".join(part for part in (namespace, pattern.namespace) if part)
                yield from walk(pattern.url_patterns, inner, params + names)
            elif isinstance(pattern, URLPattern) and pattern.name:
                qualified = f"{namespace}:{pattern.name}" if namespace else pattern.name
                yield qualified, params + names

    return sorted(set(walk(get_resolver().url_patterns, "", ())))


def model_hint(name: str) -> str:
    """The model a route is about: admin:advocacy_group_change, api:group-list, group-detail."""
    short = name.split(":")[-1]
    if name.startswith("admin:"):
        parts = short.split("_")
        return parts[1] if len(parts) > 2 else ""
    return short.split("-")[0].replace("_", "")


def candidates(param: str, hint: str, records) -> list[str]:
    matching = [r for r in records if r._meta.model_name == hint] or records
    if "slug" in param:
        values = [getattr(r, "slug", None) or str(r.pk) for r in matching]
        return [v for v in values if v] + [str(r.pk) for r in matching if "id" in param]
    if param.endswith("id") or param == "pk":
        return [str(r.pk) for r in matching]
    if param == "fmt":
        return ["csv", "json"]
    if param == "group":
        return [r.slug for r in records if isinstance(r, advocacy.Group)]
    if param == "app_label":
        return ["advocacy", "auth"]
    return []


def urls_to_visit(records) -> tuple[list[str], list[str]]:
    urls, uncovered = set(), []
    for name, params in routes():
        if name in SKIPPED_ROUTES:
            continue
        hint = model_hint(name)
        choices = [candidates(param, hint, records) for param in params]
        if params and not all(choices):
            uncovered.append(name)
            continue
        for values in itertools.product(*choices):
            try:
                url = reverse(name, kwargs=dict(zip(params, values, strict=True)))
            except NoReverseMatch:
                continue
            urls.add(url)
            if name.endswith(("list", "changelist")) or name in ("search", "home"):
                urls.add(f"{url}?q={QUERY_PAYLOAD}")
    for record in records:
        if hasattr(record, "get_absolute_url"):
            urls.add(record.get_absolute_url().split("#")[0])
    return sorted(urls), uncovered


def check(response, url: str, seen: dict) -> None:
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", "replace") if not response.streaming else ""
    if RAW.search(body):
        assert not any(kind in content_type for kind in MARKUP_TYPES), (
            f"{url} serves a script payload unescaped as {content_type}: {RAW.search(body).group()}"
        )
        # Data formats (JSON, CSV) carry the text as it is, never sniffed as HTML.
        assert response["X-Content-Type-Options"] == "nosniff", url
        seen["data"].add(url)
    if ESCAPED.search(body):
        seen["escaped"].add(url)


def visit(client, urls, seen, **headers):
    statuses = {}
    for url in urls:
        response = client.get(url, secure=True, **headers)
        statuses[url] = response.status_code
        assert response.status_code < 500, (url, response.status_code)
        check(response, url, seen)
    return statuses


def test_no_page_admin_screen_or_api_response_runs_injected_script(poisoned, client, admin_user):
    urls, uncovered = urls_to_visit(poisoned)
    public = [url for url in urls if not url.startswith(("/admin/", "/api/"))]
    admin = [url for url in urls if url.startswith("/admin/")]
    api = [url for url in urls if url.startswith("/api/")]
    seen = {"escaped": set(), "data": set()}

    # Browsers get the public pages and the admin; the API as its clients ask for it (as
    # HTML too, where a browsable renderer exists), anonymously and as an administrator.
    visit(client, public, seen, HTTP_ACCEPT="text/html")
    visit(client, api, seen, HTTP_ACCEPT="application/json")
    visit(client, api, seen, HTTP_ACCEPT="text/html")
    client.force_login(admin_user)
    statuses = visit(client, admin, seen, HTTP_ACCEPT="text/html")
    visit(client, api, seen, HTTP_ACCEPT="application/json")

    # Not vacuous: the payloads did reach the pages, escaped, and the API as data.
    for record in poisoned:
        if hasattr(record, "get_absolute_url") and getattr(record, "is_published", True):
            url = record.get_absolute_url().split("#")[0]
            if not url.startswith("/admin/"):
                assert url in seen["escaped"], f"no payload shown on {url}"
    changelists = [url for url in admin if url.endswith("/") and statuses[url] == 200]
    assert sum(url in seen["escaped"] for url in changelists) >= len(advocacy_models()) - 2
    assert any(url.startswith("/api/v1/") for url in seen["data"])
    assert "search" not in uncovered and "group-detail" not in uncovered


def test_api_returns_the_text_exactly_as_entered(poisoned, api_client):
    response = api_client.get(reverse("api:group-list"), HTTP_ACCEPT="application/json")
    names = json.dumps(response.json())
    group = next(r for r in poisoned if isinstance(r, advocacy.Group))
    assert json.dumps(group.name)[1:-1] in names
