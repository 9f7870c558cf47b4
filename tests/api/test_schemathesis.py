"""A bounded property-based run of schemathesis against the API's own schema.

What `schemathesis run --checks all` does, inside the suite: every operation is called with
generated requests, valid ones (positive) and ones the schema forbids (negative), as an
editor with a token and anonymously. Every check schemathesis has must pass: no server
error; status codes, content types, headers and bodies as documented; data the schema allows
is accepted and data it forbids is refused; authentication as declared.

On a throw-away database: the test's own, rolled back afterwards; and each request (with the
checks' own probes) runs in a savepoint rolled back after it, so a database error in one (on
PostgreSQL, an aborted transaction) leaves the next unharmed, as separate requests are in
production.
Bounded: EXAMPLES_PER_OPERATION cases per operation and mode, each sent twice (editor and
anonymous): a few hundred requests per kind of operation (list, detail, create, replace,
change, delete) in all.
"""

import re

import pytest
import schemathesis
import yaml
from django.contrib.auth.models import Group as AuthGroup
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from rest_framework.authtoken.models import Token
from schemathesis import checks
from schemathesis.checks import CHECKS, load_all_checks
from schemathesis.generation import GenerationMode
from schemathesis.openapi.checks import RejectedPositiveData

from advocacy.services.roles import EDITOR, roles_setup
from tests import factories

pytestmark = pytest.mark.django_db(transaction=False)

EXAMPLES_PER_OPERATION = 6


# What a schema cannot say: which records exist, that a quotation is printed in its source,
# that a statement has exactly one speaker. A schema-valid request refused for one of these
# (and only these) is still right to be refused with a 400.
NOT_IN_A_SCHEMA = re.compile(
    "|".join(
        [
            r"^No \w+ with id or slug",
            r"^Object with slug=.* does not exist\.$",
            r"^Select a valid choice\. That choice is not one of the available choices\.$",
            r"^Give exactly one speaker",
            r"^Give at most one addressee",
            r"^Give a date when giving end_date\.$",
            r"^The end date is before the (start )?date\.$",
            r"^This person already has this role in this group\.$",
            r"^This document is already a source\.$",
            r"^Two quotations from one source share position",
            r"^The statement already has a quotation from this source here\.$",
            r"^No \w+ with this id\.$",
        ]
    )
)


def messages(body) -> list[str]:
    if isinstance(body, dict):
        return [text for value in body.values() for text in messages(value)]
    if isinstance(body, list):
        return [text for value in body for text in messages(value)]
    return [str(body)]


def in_english(case, response):
    """The answer to the same request asked in English (`?lang=en`): NOT_IN_A_SCHEMA is
    written in English, and `?lang=ru` answers in Russian."""
    if (case.query or {}).get("lang") in (None, "en"):
        return response
    headers = {
        name: value for name, value in response.request.headers.items() if name == "Authorization"
    }
    asked = case.query
    case.query = {**asked, "lang": "en"}
    try:
        return case.call(headers=headers)
    finally:
        case.query = asked


def positive_data_acceptance(ctx, response, case):
    """schemathesis' check, letting through a 400 whose every message is one of the
    NOT_IN_A_SCHEMA refusals."""
    try:
        return checks.positive_data_acceptance(ctx, response, case)
    except RejectedPositiveData:
        if response.status_code == 400:
            found = messages(in_english(case, response).json())
            if found and all(NOT_IN_A_SCHEMA.search(text) for text in found):
                return None
        raise


def all_checks():
    """Every check `--checks all` runs (max_response_time is not one: it needs a limit)."""
    load_all_checks()
    return [
        positive_data_acceptance if check is checks.positive_data_acceptance else check
        for check in CHECKS.get_all()
    ]


@pytest.fixture
def keep_connection():
    """A WSGI call ends with `request_finished`, which would close the test's database
    connection (and its transaction) on PostgreSQL; the test client avoids it the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def api_schema(api_client, seeded):
    text = api_client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi").content
    schema = schemathesis.openapi.from_dict(yaml.safe_load(text))
    schema.app = WSGIHandler()
    return schema


@pytest.fixture
def editor_token(db):
    roles_setup()
    editor = factories.UserFactory(is_staff=True)
    editor.groups.add(AuthGroup.objects.get(name=EDITOR))
    return Token.objects.create(user=editor).key


def fuzz(operation, mode, token: str, to_run, calls: dict, failures: dict) -> None:
    """EXAMPLES_PER_OPERATION generated cases of one operation, each sent as the editor and
    anonymously; failures are collected, so one run reports them all."""

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(HealthCheck),
    )
    def run(case):
        for headers in ({"Authorization": f"Token {token}"}, {}):
            savepoint = transaction.savepoint()
            response = case.call(headers=headers)
            calls["count"] += 1
            try:
                case.validate_response(response, checks=to_run, headers=headers)
            except (AssertionError, BaseExceptionGroup) as group:
                who = "editor" if headers else "anonymous"
                for failure in getattr(group, "exceptions", [group]):
                    title = getattr(failure, "title", type(failure).__name__)
                    key = f"{operation.label} [{mode.value}, {who}]: {title}"
                    failures.setdefault(
                        key,
                        f"{str(failure).strip()[:600]}\n{case.as_curl_command()}\n"
                        f"-> {response.status_code} {response.text[:300]}",
                    )
            finally:
                transaction.savepoint_rollback(savepoint)

    try:
        run()
    except Unsatisfiable:
        # Nothing the schema forbids can be sent to this operation (e.g. a negative case
        # for a path whose only parameter accepts any string).
        assert mode is GenerationMode.NEGATIVE


def test_every_check_passes_for_every_operation(api_schema, editor_token, keep_connection):
    all_of_them = all_checks()
    assert len(all_of_them) >= 12
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 40
    calls = {"count": 0}
    failures = {}
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            fuzz(operation, mode, editor_token, all_of_them, calls, failures)
    report = "\n\n".join(f"{key}\n{example}" for key, example in sorted(failures.items()))
    assert not failures, f"{len(failures)} distinct failures:\n\n{report}"
    assert calls["count"] >= 500
