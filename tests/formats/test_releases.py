"""Versioned data releases: every file described by a valid Frictionless data package and a
SHA-256 manifest, changes by id, /data/ with citations, and never a person a later
protection hides."""

import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from frictionless import validate

from advocacy.choices import Status
from advocacy.formats import releases
from advocacy.models import Person, Statement
from advocacy.models.public import DataRelease
from advocacy.publication.triggers import flush
from advocacy.text import fold
from tests import factories

pytestmark = pytest.mark.django_db


def make() -> DataRelease:
    call_command("make_release", "--base-url", "https://t.example", stderr=io.StringIO())
    return DataRelease.objects.order_by("-created_at").first()


def folder(release: DataRelease) -> Path:
    return releases.path_of(release)


def release_text(release: DataRelease) -> str:
    return fold(
        " ".join(
            p.read_text(encoding="utf-8-sig") for p in folder(release).rglob("*") if p.is_file()
        )
    )


def test_a_release_holds_every_format_described_and_checksummed(seeded):
    release = make()
    root = folder(release)
    names = {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}
    assert {
        "popolo.json",
        "ftm.jsonl",
        "changes.json",
        "datapackage.json",
        "manifest.json",
        "csv/groups.csv",
        "csv/people.csv",
        "csv/events.csv",
        "csv/statements.csv",
        "csv/sources.csv",
    } <= names
    manifest = json.loads((root / "manifest.json").read_text())
    listed = {f["path"] for f in manifest["files"]}
    assert listed == names - {"manifest.json", releases.RECORDS}
    for entry in manifest["files"]:
        data = (root / entry["path"]).read_bytes()
        assert hashlib.sha256(data).hexdigest() == entry["sha256"]
        assert len(data) == entry["bytes"]
    package = json.loads((root / "datapackage.json").read_text())
    described = {r["path"] for r in package["resources"]}
    assert described == listed - {"datapackage.json"}
    report = validate(root / "datapackage.json")
    assert report.valid, report.flatten(["rowNumber", "fieldName", "message"])
    popolo = json.loads((root / "popolo.json").read_text())
    assert popolo["persons"] and popolo["speeches"]
    people_csv = (root / "csv" / "people.csv").read_text(encoding="utf-8-sig")
    assert "Olga Tsukanova" in people_csv


def test_frictionless_rejects_a_file_changed_after_the_release(seeded):
    release = make()
    root = folder(release)
    path = root / "csv" / "sources.csv"
    path.write_bytes(path.read_bytes().replace(b"The Moscow Times", b"The Moscow Tymes", 1))
    report = validate(root / "datapackage.json")
    assert not report.valid


def test_the_change_summary_lists_ids_added_changed_and_withdrawn(seeded):
    first = make()
    changes = json.loads((folder(first) / "changes.json").read_text())
    assert changes["previous_release"] is None
    assert changes["records"]["statement"]["added"]
    edited = Statement.objects.get(slug="tsukanova-are-you-a-man-or-what")
    edited.summary = "An edited summary."
    edited.save()
    gone = Statement.objects.exclude(pk=edited.pk).first()
    gone.status = Status.DRAFT
    gone.save()
    new = factories.StatementFactory()
    flush()
    second = make()
    assert second.name == f"{first.name}.2"
    changes = json.loads((folder(second) / "changes.json").read_text())
    assert changes["previous_release"] == first.name
    statements = changes["records"]["statement"]
    assert statements["added"] == [new.pk]
    assert edited.pk in statements["changed"]
    assert statements["withdrawn"] == [gone.pk]
    # Withdrawn by id only: the file says nothing else about it.
    assert gone.summary not in (folder(second) / "changes.json").read_text()


def test_data_lists_releases_with_dates_sizes_checksums_and_a_citation(client, seeded):
    release = make()
    page = client.get("/data/")
    assert page.status_code == 200
    html = page.content.decode()
    assert f"Advocacy Tracker data, release {release.name}" in html
    assert f"http://testserver/data/{release.name}/" in html
    for entry in releases.files_of(release):
        assert entry["sha256"] in html
    detail = client.get(f"/data/{release.name}/")
    assert detail.status_code == 200
    assert f"Advocacy Tracker data, release {release.name}" in detail.content.decode()
    served = client.get(f"/data/{release.name}/ftm.jsonl")
    assert served.status_code == 200
    body = b"".join(served.streaming_content)
    assert hashlib.sha256(body).hexdigest() == served["Digest"].split("=", 1)[1]
    assert client.get(f"/data/{release.name}/.records.json").status_code == 404
    assert client.get(f"/data/{release.name}/../../settings.py").status_code == 404
    assert client.get("/data/1999-01-01/").status_code == 404


@pytest.fixture
def at_risk():
    person = factories.PersonFactory(name="Tamara Hiddenova")
    factories.PersonAliasFactory(person=person, name="Тамара Хидденова")
    factories.MembershipFactory(person=person)
    factories.StatementFactory(speaker_person=person, summary="Hiddenova asks for her son.")
    flush()
    return person


def test_a_protection_withdraws_the_releases_that_held_her(client, at_risk):
    older = make()
    assert "hiddenov" in release_text(older)
    at_risk.is_protected = True
    at_risk.save()
    flush()
    older.refresh_from_db()
    assert older.withdrawn_at is not None
    newer = make()
    assert "hiddenov" not in release_text(newer) and "tamara" not in release_text(newer)
    assert at_risk.pk not in releases.ids_of(newer.person_ids)
    html = client.get("/data/").content.decode()
    assert "withdrawn" in html and "hiddenov" not in fold(html)
    assert client.get(f"/data/{older.name}/").status_code == 410
    for entry in releases.files_of(older):
        answer = client.get(f"/data/{older.name}/{entry['path']}")
        assert answer.status_code == 410, entry["path"]
        assert b"Hiddenova" not in answer.content
    assert client.get(f"/data/{newer.name}/popolo.json").status_code == 200


def test_a_name_only_mentioned_withdraws_the_release_when_protected(client):
    # She is no record of the release, only words in another record's text.
    factories.PersonFactory(name="Raisa Unlisted", draft=True)
    factories.StatementFactory(summary="The council thanks Raisa Unlisted.")
    flush()
    release = make()
    person = Person.objects.get(name="Raisa Unlisted")
    assert "unlisted" in release_text(release)
    assert person.pk not in releases.ids_of(release.person_ids)
    person.is_protected = True
    person.save()
    flush()
    release.refresh_from_db()
    assert release.withdrawn_at is not None


def test_a_person_leaving_the_public_without_a_signal_stops_the_release(client, at_risk):
    release = make()
    # A bulk update sends no signal; the next rebuild of the public rows removes her row.
    Person.objects.filter(pk=at_risk.pk).update(status=Status.DRAFT)
    call_command("rebuild_public", stdout=io.StringIO(), stderr=io.StringIO())
    release.refresh_from_db()
    assert release.withdrawn_at is None
    assert not releases.is_served(release)
    assert client.get(f"/data/{release.name}/popolo.json").status_code == 410


def test_a_protection_while_building_keeps_nothing(monkeypatch, at_risk):
    write = releases._write_contents

    def protected_meanwhile(folder, base):
        contents = write(folder, base)
        at_risk.is_protected = True
        at_risk.save()
        flush()
        return contents

    monkeypatch.setattr(releases, "_write_contents", protected_meanwhile)
    with pytest.raises(CommandError, match="protected while the release was written"):
        make()
    assert not DataRelease.objects.exists()
    assert not [p for p in releases.releases_dir().iterdir() if not p.name.startswith(".")]


def test_paths_outside_the_release_are_refused(seeded):
    release = make()
    with pytest.raises(ValueError):
        releases.path_of(release, "../../etc/passwd")
    shutil.rmtree(folder(release))
