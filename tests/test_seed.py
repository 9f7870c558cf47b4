"""The seed command and the seed data: complete, verbatim, idempotent and atomic."""

import io
import json
import re
import shutil
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from django.forms.models import model_to_dict

from advocacy.models import ConflictingVersion, Event, Person, Quotation, Source, Statement
from advocacy.services.seeding import FIXTURE_DIR

# The articles as first received (see tests/data/seed-articles/README.md).
SEED_ARTICLES = Path(__file__).parent / "data" / "seed-articles"

pytestmark = pytest.mark.django_db


def fixture(name: str) -> list[dict]:
    return json.loads((FIXTURE_DIR / f"{name}.json").read_text(encoding="utf-8"))


def snapshot() -> dict[str, list[dict]]:
    """Every row of every table of the app, history included."""
    return {
        model._meta.label: [
            model_to_dict(obj, fields=[f.name for f in model._meta.concrete_fields])
            for obj in model._default_manager.order_by("pk")
        ]
        for model in apps.get_app_config("advocacy").get_models()
    }


def seed(**options) -> str:
    out = io.StringIO()
    call_command("seed", stdout=out, **options)
    return out.getvalue()


def test_seed_loads_every_record_of_the_fixtures(seeded):
    assert Source.objects.count() == len(fixture("sources"))
    assert Statement.objects.count() == len(fixture("statements"))
    assert Quotation.objects.count() == sum(len(s["quotations"]) for s in fixture("statements"))
    assert Person.objects.count() == len(fixture("people"))
    assert Event.objects.count() == len(fixture("events"))
    assert Statement.objects.public().count() == Statement.objects.count()


def test_seed_twice_changes_nothing(seeded):
    before = snapshot()
    output = seed()
    assert "nothing changed" in output
    assert snapshot() == before


def test_broken_fixture_leaves_an_empty_database_empty(tmp_path):
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURE_DIR, broken)
    statements = json.loads((broken / "statements.json").read_text(encoding="utf-8"))
    statements[-1]["medium"] = "carrier pigeon"
    (broken / "statements.json").write_text(json.dumps(statements), encoding="utf-8")

    with pytest.raises(CommandError) as error:
        seed(fixtures=str(broken))

    message = str(error.value)
    assert "statements.json" in message
    assert repr(statements[-1]["slug"]) in message
    assert "'medium'" in message
    assert all(rows == [] for rows in snapshot().values())


def test_broken_fixture_leaves_a_seeded_database_as_it_was(seeded, tmp_path):
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURE_DIR, broken)
    groups = json.loads((broken / "groups.json").read_text(encoding="utf-8"))
    groups[0]["description"] = "A change that must not survive the error below."
    (broken / "groups.json").write_text(json.dumps(groups), encoding="utf-8")
    statements = json.loads((broken / "statements.json").read_text(encoding="utf-8"))
    statements[0]["quotations"][0]["text"] = "Words the source never printed"
    (broken / "statements.json").write_text(json.dumps(statements), encoding="utf-8")
    before = snapshot()

    with pytest.raises(CommandError, match=r"quotations\[0\]\.text.*not found verbatim"):
        seed(fixtures=str(broken), update=True)

    assert snapshot() == before


def test_invalid_json_names_the_file_and_line(tmp_path):
    broken = tmp_path / "fixtures"
    shutil.copytree(FIXTURE_DIR, broken)
    (broken / "topics.json").write_text('[{"slug": "x",}]', encoding="utf-8")
    with pytest.raises(CommandError, match=r"topics\.json: invalid JSON at line 1"):
        seed(fixtures=str(broken))
    assert Source.objects.count() == 0


def test_every_quotation_is_printed_character_for_character_in_its_source(seeded):
    for quotation in Quotation.objects.select_related("source"):
        printed = quotation.source.archived_text[quotation.start_offset : quotation.end_offset]
        assert quotation.is_verbatim and printed == quotation.text, quotation.text


def test_every_citation_excerpt_occurs_in_its_source(seeded):
    from advocacy.models import Citation
    from advocacy.text import locate_quotation

    for citation in Citation.objects.select_related("source").exclude(excerpt=""):
        assert locate_quotation(citation.excerpt, citation.source.archived_text), citation.excerpt


def strip_markup(text: str) -> str:
    text = re.sub(r"\*\*(.+?)\*\*", r"\1", text)
    text = re.sub(r"\[([^\]]+)\]\(#\)", r"\1", text)
    return " ".join(text.replace("# ", " ").split())


@pytest.mark.parametrize("source", fixture("sources"), ids=lambda s: s["original_filename"])
def test_archived_text_was_cleaned_from_its_seed_article(source):
    article = SEED_ARTICLES / source["original_filename"]
    assert article.exists(), f"seed article missing: {article}"
    original = strip_markup(article.read_text(encoding="utf-8"))
    archived = (FIXTURE_DIR / source["archive"]).read_text(encoding="utf-8")
    for paragraph in archived.split("\n\n"):
        assert " ".join(paragraph.split()) in original, paragraph[:80]


# Quoted words that are names or terms, not anyone's utterance.
NOT_UTTERANCES = {
    "partial",
    "Direct Line",
    "special military operation",
    "Putin meets mothers",
    "patriotic movement of...",
}


def quoted_passages(text: str) -> list[str]:
    passages = re.findall(r"“([^”]+)”", text)
    passages += re.findall(r'"([^"\n]+)"', text)
    return [p.strip().rstrip(",.") for p in passages]


@pytest.mark.parametrize("source", fixture("sources"), ids=lambda s: s["original_filename"])
def test_every_direct_quotation_of_the_articles_is_recorded(source):
    archived = (FIXTURE_DIR / source["archive"]).read_text(encoding="utf-8")
    recorded = [
        quotation["text"].rstrip(",.")
        for statement in fixture("statements")
        for quotation in statement["quotations"]
        if quotation["source"] == source["slug"]
    ]
    passages = quoted_passages(archived)
    assert passages, "the article has quotations to check"
    missing = [
        passage
        for passage in passages
        if passage not in NOT_UTTERANCES and not any(passage in text for text in recorded)
    ]
    assert missing == []


def test_conflicts_keep_every_version_with_its_source(seeded):
    meeting = Event.objects.get(slug="putin-meeting-with-soldiers-mothers-2022")
    versions = {(v.value, v.source.publisher) for v in meeting.conflicting_versions.all()}
    assert meeting.has_conflict
    assert ("Friday", "The Moscow Times") in versions
    assert ("Sunday, November 27", "Newsweek") in versions
    melnikova = Person.objects.get(slug="valentina-melnikova")
    roles = {v.value for v in melnikova.conflicting_versions.all()}
    assert melnikova.has_conflict and len(roles) == 2
    assert ConflictingVersion.objects.filter(source__isnull=True).count() == 0


def test_the_same_words_in_two_translations_are_one_statement(seeded):
    statement = Statement.objects.get(slug="tsukanova-we-are-here-in-moscow")
    publishers = set(statement.quotations.values_list("source__publisher", flat=True))
    assert publishers == {"The Moscow Times", "Newsweek"}


def test_names_are_searchable_in_both_scripts(seeded):
    for query in ["Путь домой", "Put Domoy", "Way Home", "Put' Domoï"]:
        assert [g.slug for g in apps.get_model("advocacy", "Group").objects.search(query)] == [
            "put-domoi"
        ], query
    assert [p.slug for p in Person.objects.search("Мельникова")] == ["valentina-melnikova"]


def test_a_researchers_edit_is_kept_unless_update_is_asked_for(seeded):
    from advocacy.models import Group

    group = Group.objects.get(slug="put-domoi")
    group.description = "Edited by a researcher after seeding."
    group.save()
    statement = Statement.objects.get(slug="putin-soldiers-are-heroes")
    statement.quotations.update(text="heroes (edited)")

    output = seed()
    group.refresh_from_db()
    assert group.description == "Edited by a researcher after seeding."
    assert "kept as edited" in output

    seed(update=True)
    group.refresh_from_db()
    assert group.description == fixture("groups")[4]["description"]
    assert statement.quotations.get().text == "heroes"


def test_if_empty_never_brings_back_a_deleted_record(seeded):
    Statement.objects.filter(slug="putin-soldiers-are-heroes").delete()
    output = seed(if_empty=True)
    assert "not loaded" in output
    assert not Statement.objects.filter(slug="putin-soldiers-are-heroes").exists()


def test_if_empty_loads_an_empty_database(db):
    seed(if_empty=True)
    assert Statement.objects.count() == len(fixture("statements"))
