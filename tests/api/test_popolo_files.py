"""The Popolo export is a file built outside requests (advocacy/api/popolo_files.py) and
served as it is: ETag and Content-Length from the file, no query per request, rebuilt
atomically, withdrawn the moment a record in it leaves the public."""

import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from advocacy.api import popolo_files
from advocacy.choices import Status
from advocacy.formats import popolo
from advocacy.models import Statement
from advocacy.publication.builders import rebuild_all
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/export/popolo.json"


def build() -> popolo_files.ExportFile:
    call_command("export_popolo", stderr=io.StringIO())
    return popolo_files.current()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def test_the_command_writes_the_served_file_with_its_etag_and_length(api_client, exports_dir):
    factories.StatementFactory(summary="Mothers ask for their sons back.")
    export = build()
    content = export.path.read_bytes()
    assert export.path.parent == exports_dir
    assert export.size == len(content)
    assert export.etag == f'"{hashlib.sha256(content).hexdigest()[:32]}"'
    response = api_client.get(URL)
    assert response.status_code == 200
    assert body(response) == content
    assert response["ETag"] == export.etag
    assert response["Content-Length"] == str(len(content))
    assert response["Content-Type"] == "application/json"
    assert "Mothers ask for their sons back." in content.decode()


def test_if_none_match_answers_304(api_client):
    factories.StatementFactory()
    export = build()
    response = api_client.get(URL, HTTP_IF_NONE_MATCH=export.etag)
    assert response.status_code == 304
    assert response["ETag"] == export.etag
    assert api_client.get(URL, HTTP_IF_NONE_MATCH='"other"').status_code == 200


@pytest.mark.django_db(transaction=True)
def test_a_request_runs_no_query_at_all(api_client):
    """Committed for real, so that on PostgreSQL even the data version (asked by kept
    answers outside a transaction) would show."""
    factories.StatementFactory.create_batch(3)
    build()
    for headers in ({}, {"HTTP_IF_NONE_MATCH": popolo_files.current().etag}):
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get(URL, **headers)
        assert response.status_code in (200, 304)
        assert [q["sql"] for q in queries] == []


def test_a_failed_rebuild_leaves_the_served_file_whole(api_client, exports_dir, monkeypatch):
    factories.StatementFactory()
    before = build()
    served = body(api_client.get(URL))

    def broken(audience):
        yield b'{"meta":{}'
        raise OSError("disk full")

    monkeypatch.setattr(popolo_files, "popolo_chunks", broken)
    with pytest.raises(OSError):
        popolo_files.build()
    assert popolo_files.current() == before
    assert body(api_client.get(URL)) == served
    # No half-written file left behind, visible or temporary.
    assert sorted(p.name for p in exports_dir.iterdir()) == [before.name, popolo_files.POINTER]


def test_a_rebuild_replaces_the_file_and_a_reader_of_the_old_one_reads_it_whole(api_client):
    factories.StatementFactory(summary="First words.")
    first = build()
    reading = first.path.open("rb")  # a download in progress
    factories.StatementFactory(summary="Second words.")
    second = build()
    assert second.etag != first.etag
    assert json.loads(reading.read())["speeches"][0]["title"] == "First words."
    reading.close()
    assert "Second words." in body(api_client.get(URL)).decode()


def test_old_files_are_removed_but_the_one_just_replaced(exports_dir):
    for n in range(4):
        factories.StatementFactory(summary=f"Statement {n}.")
        build()
    assert len(list(exports_dir.glob("popolo-*.json"))) == 2


def test_protecting_a_person_withdraws_the_file_at_once(api_client, exports_dir):
    soldier = factories.PersonFactory(name="Ivan Soldatov")
    factories.StatementFactory(speaker_person=soldier, summary="Soldatov asks for help.")
    build()
    assert "Soldatov" in body(api_client.get(URL)).decode()
    soldier.is_protected = True
    soldier.save()
    assert popolo_files.current() is None
    text = body(api_client.get(URL)).decode()  # rebuilt: the export is small
    assert "Soldatov" not in text
    assert "a protected person" in text


def test_unpublishing_or_deleting_a_record_withdraws_the_file(exports_dir):
    statement = factories.StatementFactory()
    build()
    statement.status = Status.DRAFT
    statement.save()
    assert popolo_files.current() is None
    other = factories.StatementFactory()
    build()
    other.delete()
    assert popolo_files.current() is None


def test_editing_a_draft_or_a_public_record_keeps_the_file(exports_dir):
    draft = factories.StatementFactory(status=Status.DRAFT)
    public = factories.StatementFactory()
    export = build()
    draft.summary = "Still a draft."
    draft.save()
    public.summary = "Still public."
    public.save()
    assert popolo_files.current() == export


def test_without_a_file_a_large_export_answers_503_with_retry_after(api_client, settings):
    settings.EXPORT_BUILD_IN_REQUEST_MAX = 2
    factories.StatementFactory.create_batch(3)
    response = api_client.get(URL)
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    assert response.json()["code"] == "export_not_ready"
    assert "export_popolo" in response.json()["detail"]
    assert popolo_files.current() is None
    build()
    assert api_client.get(URL).status_code == 200


def test_without_a_file_a_small_export_is_built_on_the_first_request(api_client):
    factories.StatementFactory.create_batch(2)
    assert popolo_files.current() is None
    response = api_client.get(URL)
    assert response.status_code == 200
    assert popolo_files.current() is not None
    assert len(json.loads(body(response))["speeches"]) == 2


def test_if_changed_rebuilds_only_when_the_public_records_changed(exports_dir):
    factories.StatementFactory()
    first = build()
    call_command("export_popolo", "--if-changed", stderr=io.StringIO())
    assert popolo_files.current() == first
    Statement.objects.update(status=Status.DRAFT)  # no signal: a bulk update…
    rebuild_all()  # …made public as documented (`rebuild_public`)
    call_command("export_popolo", "--if-changed", stderr=io.StringIO())
    assert popolo_files.current() != first
    assert json.loads(popolo_files.current().path.read_bytes())["speeches"] == []


def test_the_file_holds_what_the_anonymous_reader_sees(api_client, researcher):
    factories.StatementFactory(status=Status.DRAFT, summary="A draft statement.")
    factories.StatementFactory(summary="A public statement.")
    export = build()
    text = export.path.read_text()
    assert "A public statement." in text and "A draft statement." not in text
    # The same chunks the endpoint streamed to an anonymous reader.
    audience = popolo_files.Audience(None)
    assert json.loads(text) == json.loads(b"".join(popolo.popolo_chunks(audience)))
    # A researcher downloads the same public file.
    api_client.force_authenticate(researcher)
    assert body(api_client.get(URL)) == export.path.read_bytes()


def test_a_withdrawal_during_a_build_discards_what_it_wrote(exports_dir, monkeypatch):
    """Chunks read before a person was protected may name them: the build serves nothing,
    and the next one (after the change) does."""
    soldier = factories.PersonFactory(name="Pavel Buildov")
    factories.StatementFactory(speaker_person=soldier)
    real_chunks = popolo_files.popolo_chunks

    def protected_midway(audience):
        for number, chunk in enumerate(real_chunks(audience)):
            if number == 3:
                soldier.is_protected = True
                soldier.save()  # a build is running: the save withdraws
            yield chunk

    monkeypatch.setattr(popolo_files, "popolo_chunks", protected_midway)
    with pytest.raises(popolo_files.WithdrawnWhileBuilding):
        popolo_files.build()
    assert popolo_files.current() is None
    assert not list(exports_dir.glob("popolo-*.json"))
    monkeypatch.setattr(popolo_files, "popolo_chunks", real_chunks)
    assert "Buildov" not in build().path.read_text()


def test_the_command_says_so_when_a_withdrawal_interrupted_it(monkeypatch):
    factories.StatementFactory()

    def interrupted(**kwargs):
        raise popolo_files.WithdrawnWhileBuilding

    monkeypatch.setattr(popolo_files, "build", interrupted)
    with pytest.raises(CommandError, match="left the public while the export was written"):
        call_command("export_popolo", stderr=io.StringIO())
