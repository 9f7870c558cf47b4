"""/reconcile: the Reconciliation Service API 0.2 (OpenRefine) over the public rows. Every
answer is validated against the specification's JSON schemas (tests/data/reconciliation)."""

import csv
import json
from pathlib import Path

import pytest
from django.conf import settings
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from advocacy.models import Person, PublicGroup, PublicPerson
from advocacy.publication.triggers import batch, flush
from tests import factories

pytestmark = pytest.mark.django_db

DATA = Path(settings.BASE_DIR) / "tests" / "data" / "reconciliation"
SCHEMAS = {path.stem: json.loads(path.read_text()) for path in (DATA / "schemas").glob("*.json")}


def _registry() -> Registry:
    resources = []
    for schema in SCHEMAS.values():
        resource = Resource(contents=schema, specification=DRAFT7)
        uri = schema["$id"]
        resources += [(uri, resource), (uri.rstrip("#"), resource)]
    return Registry().with_resources(resources)


REGISTRY = _registry()


def valid(name: str, data) -> None:
    """Fails naming every way `data` breaks the named schema."""
    validator = Draft7Validator(SCHEMAS[name], registry=REGISTRY)
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.path))
    assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]


def reconcile(client, queries: dict) -> dict:
    valid("reconciliation-query-batch", queries)
    answer = client.post("/reconcile", {"queries": json.dumps(queries)})
    assert answer.status_code == 200, answer.content
    assert answer["Content-Type"] == "application/json"
    data = answer.json()
    valid("reconciliation-result-batch", data)
    assert set(data) == set(queries)
    return data


def slug_of(entity_id: str) -> str:
    kind, _, pk = entity_id.partition("-")
    model = PublicPerson if kind == "person" else PublicGroup
    return model.objects.get(pk=int(pk)).slug


def test_the_manifest(client, seeded):
    answer = client.get("/reconcile")
    assert answer.status_code == 200
    manifest = answer.json()
    valid("manifest", manifest)
    assert "0.2" in manifest["versions"]
    assert {t["id"] for t in manifest["defaultTypes"]} == {"person", "group"}
    assert manifest["preview"]["url"] == "http://testserver/reconcile/preview?id={{id}}"


def test_a_csv_of_twenty_names_in_mixed_scripts_and_spellings(client, seeded):
    with (DATA / "names.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    assert len(rows) == 20
    queries = {}
    for index, row in enumerate(rows):
        query = {"query": row["name"]}
        if row["type"]:
            query["type"] = row["type"]
        queries[f"q{index}"] = query
    answers = reconcile(client, queries)
    wrong = []
    for index, row in enumerate(rows):
        result = answers[f"q{index}"]["result"]
        if not row["expected"]:
            # The protected soldier: no candidate at all.
            if result:
                wrong.append((row["name"], "found", result[0]["name"]))
            continue
        top = result[0] if result else None
        if top is None or slug_of(top["id"]) != row["expected"]:
            wrong.append((row["name"], "top candidate", top and top["name"]))
        elif top["match"] != (row["match"] == "yes"):
            wrong.append((row["name"], "match flag", top["match"], top["score"]))
        elif top["match"] and len(result) > 1:
            assert result[1]["match"] is False
    assert wrong == []


def test_queries_as_a_json_body_answer_the_same(client, seeded):
    queries = {"a": {"query": "Tsukanva", "type": "person"}, "b": {"query": "Путь домой"}}
    form = reconcile(client, queries)
    for body in (queries, {"queries": queries}):
        answer = client.post("/reconcile", body, content_type="application/json")
        assert answer.status_code == 200
        assert answer.json() == form


def test_properties_refine_the_score(client, seeded):
    def top(properties):
        query = {"query": "Melnikova", "type": "person", "properties": properties}
        return reconcile(client, {"q": query})["q"]["result"][0]

    plain = top([])
    right = top(
        [
            {"pid": "country", "v": "RU"},
            {"pid": "group", "v": "Union of Soldiers' Mothers"},
            {"pid": "role", "v": "director"},
        ]
    )
    assert right["name"] == "Valentina Melnikova" and right["match"]
    assert right["score"] > plain["score"]
    assert [f["value"] for f in right["features"][1:]] == [True, True, True]
    wrong = top([{"pid": "country", "v": "Ukraine"}])
    assert wrong["score"] < plain["score"] and wrong["match"] is False
    group_id = reconcile(client, {"g": {"query": "Комитет солдатских матерей России"}})["g"]
    committee = group_id["result"][0]["id"]
    by_id = top([{"pid": "group", "v": {"id": committee, "name": "whatever"}}])
    assert by_id["features"][1] == {"id": "group", "value": True}


def test_a_protected_person_never_matches(client, seeded):
    person = Person.objects.get(name="Olga Tsukanova")
    before = reconcile(client, {"q": {"query": "Olga Tsukanova", "type": "person"}})
    her_id = before["q"]["result"][0]["id"]
    with batch():
        person.is_protected = True
        person.save()
    names = ["Olga Tsukanova", "Ольга Цуканова", "Tsukanva", "Цукановой", "Tsukanowa", "Olga"]
    answers = reconcile(client, {str(i): {"query": name} for i, name in enumerate(names)})
    for answer in answers.values():
        assert not any("tsukanov" in r["name"].lower() for r in answer["result"])
        assert her_id not in {r["id"] for r in answer["result"]}
    suggested = client.get("/reconcile/suggest/entity", {"prefix": "Tsuk"}).json()
    valid("suggest-entities-response", suggested)
    assert suggested["result"] == []
    extended = client.post(
        "/reconcile",
        {"extend": json.dumps({"ids": [her_id], "properties": [{"id": "aliases"}]})},
    ).json()
    valid("data-extension-response", extended)
    assert extended["rows"][her_id] == {"aliases": []}
    assert client.get("/reconcile/preview", {"id": her_id}).status_code == 404
    assert client.get(f"/reconcile/view/{her_id}").status_code == 404


def test_an_unpublished_record_never_matches(client):
    factories.PersonFactory(name="Zinaida Kovrigina", draft=True)
    factories.GroupFactory(name="Quiet Mothers of Example", draft=True)
    flush()
    answers = reconcile(
        client, {"p": {"query": "Zinaida Kovrigina"}, "g": {"query": "Quiet Mothers of Example"}}
    )
    assert answers == {"p": {"result": []}, "g": {"result": []}}


def test_suggest_preview_and_view(client, seeded):
    entities = client.get("/reconcile/suggest/entity", {"prefix": "Мельн", "type": "person"})
    valid("suggest-entities-response", entities.json())
    assert entities.json()["result"][0]["name"] == "Valentina Melnikova"
    types = client.get("/reconcile/suggest/type", {"prefix": "gr"}).json()
    valid("suggest-types-response", types)
    assert [t["id"] for t in types["result"]] == ["group"]
    properties = client.get("/reconcile/suggest/property", {"prefix": "co"}).json()
    valid("suggest-properties-response", properties)
    assert [p["id"] for p in properties["result"]] == ["country"]
    entity = entities.json()["result"][0]["id"]
    preview = client.get("/reconcile/preview", {"id": entity})
    assert preview.status_code == 200
    assert "Valentina Melnikova" in preview.content.decode()
    assert "X-Frame-Options" not in preview
    view = client.get(f"/reconcile/view/{entity}")
    assert view.status_code == 302
    assert view["Location"] == "http://testserver/people/valentina-melnikova/"


def test_data_extension(client, seeded):
    proposal = client.get("/reconcile/properties", {"type": "person"}).json()
    valid("data-extension-property-proposal", proposal)
    assert {p["id"] for p in proposal["properties"]} >= {"aliases", "wikidata", "groups"}
    group_proposal = client.get("/reconcile/properties", {"type": "group"}).json()
    valid("data-extension-property-proposal", group_proposal)
    assert "groups" not in {p["id"] for p in group_proposal["properties"]}
    found = reconcile(client, {"p": {"query": "Путин"}, "m": {"query": "Melnikova"}})
    putin, melnikova = found["p"]["result"][0]["id"], found["m"]["result"][0]["id"]
    query = {
        "ids": [putin, melnikova, "person-999999"],
        "properties": [{"id": "aliases"}, {"id": "wikidata"}, {"id": "groups"}],
    }
    valid("data-extension-query", query)
    answer = client.post("/reconcile", {"extend": json.dumps(query)})
    assert answer.status_code == 200
    data = answer.json()
    valid("data-extension-response", data)
    assert data["rows"][putin]["wikidata"] == [{"str": "Q7747"}]
    assert {"str": "Владимир Путин"} in data["rows"][putin]["aliases"]
    groups = {g["name"] for g in data["rows"][melnikova]["groups"]}
    assert "Union of Soldiers' Mothers" in groups
    assert all(g["id"].startswith("group-") for g in data["rows"][melnikova]["groups"])
    assert data["rows"]["person-999999"] == {"aliases": [], "wikidata": [], "groups": []}


@pytest.mark.parametrize(
    ("data", "named"),
    [
        ({"queries": "{not json"}, "queries"),
        ({"queries": json.dumps({"q": {"query": 3}})}, "query"),
        ({"queries": json.dumps({"q": {"query": "x", "type": "planet"}})}, "type"),
        (
            {"queries": json.dumps({"q": {"query": "x", "properties": [{"pid": "age", "v": 1}]}})},
            "age",
        ),
        ({"extend": json.dumps({"ids": ["person-1"], "properties": [{"id": "shoe"}]})}, "shoe"),
    ],
)
def test_a_bad_request_is_a_400_naming_what_is_wrong(client, data, named):
    answer = client.post("/reconcile", data)
    assert answer.status_code == 400
    assert named in answer.json()["error"]


def test_reconciling_costs_a_few_queries_per_name(client, seeded, django_assert_max_num_queries):
    queries = {str(i): {"query": name} for i, name in enumerate(["Tsukanva", "Putin", "Кремль"])}
    # Per name and type: the lexicon (known words, near spellings) and the candidates.
    with django_assert_max_num_queries(3 * 2 * 3 + 2):
        reconcile(client, queries)
