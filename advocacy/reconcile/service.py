"""Reconciliation (the Reconciliation Service API 0.2, what OpenRefine speaks) over the
public rows: matching names of people and groups across scripts and spellings, suggest,
and data extension.

Only public rows are read (people and groups as an anonymous reader sees them): a protected
person has no public row, and their name is redacted from every other one and absent from
the lexicon, so no spelling of it matches; an unpublished record has no row either.

Matching: candidates are the rows whose folded names hold any word of the query or one of
its near spellings (`advocacy.publication.lexicon`); each is scored 0–100 by how well the
query's words match the words of its best name or alias (word by word with `rapidfuzz`,
case endings set aside), then by the properties given (`country`, `group`, `role`).
"""

from dataclasses import dataclass, field

import orjson
from django.db.models import Q
from rapidfuzz import fuzz

from advocacy.publication import lexicon
from advocacy.publication.reading import public_rows
from advocacy.text import fold

TYPES = {
    "person": {"id": "person", "name": "Person", "description": "A person, by name or alias"},
    "group": {"id": "group", "name": "Group", "description": "A group or organisation"},
}
PROPERTIES = {
    "country": {
        "id": "country",
        "name": "Country",
        "description": "ISO 3166-1 alpha-2 code (RU, UA) or the country's English name",
        "types": ("person", "group"),
    },
    "group": {
        "id": "group",
        "name": "Group",
        "description": "A group the person is a member of (its name, or a reconciled group id)",
        "types": ("person",),
    },
    "role": {
        "id": "role",
        "name": "Role",
        "description": "The person's role in a group (e.g. president)",
        "types": ("person",),
    },
}
# Data extension: what can be fetched for a matched entity.
EXTEND_PROPERTIES = {
    "aliases": {"id": "aliases", "name": "Aliases", "types": ("person", "group")},
    "wikidata": {"id": "wikidata", "name": "Wikidata id", "types": ("person", "group")},
    "groups": {"id": "groups", "name": "Groups", "types": ("person",)},
    "country": {"id": "country", "name": "Country", "types": ("person", "group")},
    "role": {"id": "role", "name": "Roles", "types": ("person",)},
}
COUNTRY_NAMES = {"ru": "russia", "ua": "ukraine", "us": "united states", "by": "belarus"}

DEFAULT_LIMIT = 5
MAX_LIMIT = 25
# Rows read to score, at most, for one query.
MAX_CANDIDATES = 100
# A candidate is a sure match from this score on, when no other comes within MATCH_MARGIN.
MATCH_SCORE = 88
MATCH_MARGIN = 8
# Scored at all from this on (a shared first name is not a candidate).
MIN_SCORE = 50
PROPERTY_BONUS = 4
PROPERTY_PENALTY = 15


class ReconcileError(ValueError):
    """A request the service cannot answer: the message says what is wrong."""


def entity_id(kind: str, pk: int) -> str:
    return f"{kind}-{pk}"


def parse_entity_id(value: str) -> tuple[str, int] | None:
    kind, _, pk = str(value).partition("-")
    if kind not in TYPES or not pk.isdigit():
        return None
    return kind, int(pk)


@dataclass
class Candidate:
    kind: str
    row: object
    document: dict
    score: float = 0.0
    features: list = field(default_factory=list)
    mismatched: bool = False

    @property
    def names(self) -> list[str]:
        return [line for line in self.row.search_key.splitlines() if line]

    def as_result(self, match: bool) -> dict:
        result = {
            "id": entity_id(self.kind, self.row.pk),
            "name": self.document.get("name") or self.row.name,
            "score": round(self.score, 1),
            "match": match,
            "type": [{"id": self.kind, "name": TYPES[self.kind]["name"]}],
            "features": self.features,
        }
        description = describe(self.kind, self.document)
        if description:
            result["description"] = description
        return result


def describe(kind: str, document: dict) -> str:
    """A line telling namesakes apart: country, roles and groups, or the description."""
    parts = []
    if document.get("country"):
        parts.append(document["country"])
    if kind == "person":
        for membership in document.get("memberships") or []:
            group = (membership.get("group") or {}).get("name", "")
            parts.append(", ".join(p for p in (membership.get("role", ""), group) if p))
    text = "; ".join(p for p in parts if p)
    return text or (document.get("description") or "")[:200]


def _word_score(query_word: str, name_word: str) -> float:
    return max(
        fuzz.ratio(query_word, name_word),
        fuzz.ratio(lexicon.stem(query_word), lexicon.stem(name_word)),
    )


def name_score(query: str, name: str) -> float:
    """How well a folded query matches a folded name, 0–100: mostly whether each query word
    is in the name, a little whether each name word was asked for."""
    query_words, name_words = query.split(), name.split()
    if not query_words or not name_words:
        return 0.0

    def coverage(words: list[str], others: list[str]) -> float:
        total = sum(len(word) for word in words)
        return (
            sum(len(word) * max(_word_score(word, other) for other in others) for word in words)
            / total
        )

    return 0.8 * coverage(query_words, name_words) + 0.2 * coverage(name_words, query_words)


def _kinds(value) -> list[str]:
    if value in (None, "", []):
        return list(TYPES)
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise ReconcileError("type: give a type id (person or group) or a list of them")
    kinds = [v.rsplit("/", 1)[-1].lower() for v in values]
    unknown = [v for v, k in zip(values, kinds, strict=True) if k not in TYPES]
    if unknown:
        raise ReconcileError(f"type: unknown {', '.join(unknown)} (known: person, group)")
    return kinds


def candidates(kind: str, query: str, limit: int = MAX_CANDIDATES) -> list[Candidate]:
    """Rows holding any query word, or a near spelling of one, in their names."""
    alternatives = {word for term in lexicon.expand_query(query) for word in term}
    if not alternatives:
        return []
    condition = Q()
    for word in alternatives:
        condition |= Q(search_key__contains=word)
    columns = ["id", "slug", "name", "search_key", "country"]
    rows = public_rows(kind).only(*columns).filter(condition).order_by("id")[:limit]
    return [Candidate(kind, row, orjson.loads(row.document_text)) for row in rows]


def _values(value) -> list:
    return value if isinstance(value, list) else [value]


def _property_matches(candidate: Candidate, pid: str, values: list) -> bool | None:
    """Whether the candidate has this property value; None if it does not apply."""
    document = candidate.document
    if candidate.kind not in PROPERTIES[pid]["types"]:
        return None
    wanted = []
    for value in values:
        if isinstance(value, dict):
            wanted.append(value.get("id") or value.get("name") or "")
        else:
            wanted.append(str(value))
    wanted = [w for w in wanted if w]
    if not wanted:
        return None
    if pid == "country":
        country = (document.get("country") or "").lower()
        names = {country, COUNTRY_NAMES.get(country, "")} - {""}
        return any(fold(w) in names for w in wanted)
    memberships = document.get("memberships") or []
    if pid == "group":
        groups = [m.get("group") or {} for m in memberships]
        for want in wanted:
            parsed = parse_entity_id(want)
            if parsed and parsed[0] == "group":
                if any(g.get("id") == parsed[1] for g in groups):
                    return True
                continue
            folded = fold(want)
            if any(
                folded and name_score(folded, fold(g.get("name", ""))) >= MATCH_SCORE
                for g in groups
            ):
                return True
        return False
    roles = [fold(m.get("role", "")) for m in memberships]
    return any(fold(w) and any(fold(w) in role for role in roles) for w in wanted)


def score(candidate: Candidate, query: str, properties: list[dict]) -> None:
    folded = fold(query)
    best = max((name_score(folded, name) for name in candidate.names), default=0.0)
    candidate.features = [{"id": "name", "value": round(best, 1)}]
    total = best
    for prop in properties:
        matched = _property_matches(candidate, prop["pid"], _values(prop["v"]))
        if matched is None:
            continue
        candidate.features.append({"id": prop["pid"], "value": matched})
        if matched:
            total += PROPERTY_BONUS
        else:
            total -= PROPERTY_PENALTY
            candidate.mismatched = True
    candidate.score = max(0.0, min(100.0, total))


def _properties(query: dict) -> list[dict]:
    properties = query.get("properties") or []
    if not isinstance(properties, list):
        raise ReconcileError("properties: give a list of {pid, v}")
    checked = []
    for prop in properties:
        if not isinstance(prop, dict) or "pid" not in prop or "v" not in prop:
            raise ReconcileError("properties: each needs a pid and a v")
        if prop["pid"] not in PROPERTIES:
            raise ReconcileError(
                f"properties: unknown pid {prop['pid']!r} (known: {', '.join(PROPERTIES)})"
            )
        checked.append(prop)
    return checked


def reconcile_one(query: dict) -> dict:
    if not isinstance(query, dict):
        raise ReconcileError("each query must be an object with a query string")
    text = query.get("query")
    if not isinstance(text, str):
        raise ReconcileError("query: give the name to match, as a string")
    limit = query.get("limit", DEFAULT_LIMIT)
    if not isinstance(limit, int | float) or limit < 1:
        raise ReconcileError("limit: give a positive number")
    limit = min(int(limit), MAX_LIMIT)
    properties = _properties(query)
    found: list[Candidate] = []
    for kind in _kinds(query.get("type")):
        for candidate in candidates(kind, text):
            score(candidate, text, properties)
            if candidate.features[0]["value"] >= MIN_SCORE:
                found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.kind, c.row.pk))
    results = []
    for index, candidate in enumerate(found[:limit]):
        runner_up = found[index + 1].score if index + 1 < len(found) else 0.0
        match = (
            index == 0
            and candidate.score >= MATCH_SCORE
            and candidate.score - runner_up >= MATCH_MARGIN
            and not candidate.mismatched
        )
        results.append(candidate.as_result(match))
    return {"result": results}


MAX_QUERIES = 100


def reconcile(queries: dict) -> dict:
    """A batch of queries, keyed as given: each key's candidates, best first."""
    if not isinstance(queries, dict):
        raise ReconcileError("queries: give an object of queries keyed by your own ids")
    if len(queries) > MAX_QUERIES:
        raise ReconcileError(f"queries: at most {MAX_QUERIES} in one batch")
    answers = {}
    for key, query in queries.items():
        try:
            answers[key] = reconcile_one(query)
        except ReconcileError as error:
            raise ReconcileError(f"{key}: {error}") from error
    return answers


# Reading matched entities back.


def fetch(ids: list[str]) -> dict[str, tuple[str, dict]]:
    """The public documents of these entity ids (unknown or not public: left out)."""
    by_kind: dict[str, list[int]] = {}
    for value in ids:
        parsed = parse_entity_id(value)
        if parsed:
            by_kind.setdefault(parsed[0], []).append(parsed[1])
    found = {}
    for kind, pks in by_kind.items():
        for row in public_rows(kind).filter(pk__in=pks):
            found[entity_id(kind, row.pk)] = (kind, orjson.loads(row.document_text))
    return found


def property_values(kind: str, document: dict, pid: str) -> list[dict]:
    if kind not in EXTEND_PROPERTIES[pid]["types"]:
        return []
    if pid == "aliases":
        return [{"str": alias["name"]} for alias in document.get("aliases") or []]
    if pid == "wikidata":
        return [
            {"str": i["identifier"]}
            for i in document.get("identifiers") or []
            if i.get("scheme") == "wikidata"
        ]
    if pid == "country":
        return [{"str": document["country"]}] if document.get("country") else []
    memberships = document.get("memberships") or []
    if pid == "groups":
        seen, values = set(), []
        for membership in memberships:
            group = membership.get("group") or {}
            if group.get("id") is not None and group["id"] not in seen:
                seen.add(group["id"])
                values.append({"id": entity_id("group", group["id"]), "name": group["name"]})
        return values
    roles = dict.fromkeys(m["role"] for m in memberships if m.get("role"))
    return [{"str": role} for role in roles]


def extend(request_data: dict) -> dict:
    """Data extension: the values of these properties for these entities."""
    if not isinstance(request_data, dict):
        raise ReconcileError("extend: give an object with ids and properties")
    ids, properties = request_data.get("ids"), request_data.get("properties")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise ReconcileError("extend.ids: give a list of entity ids")
    if not isinstance(properties, list) or not all(
        isinstance(p, dict) and isinstance(p.get("id"), str) for p in properties
    ):
        raise ReconcileError("extend.properties: give a list of {id}")
    if len(ids) > MAX_QUERIES:
        raise ReconcileError(f"extend.ids: at most {MAX_QUERIES} at once")
    pids = [p["id"] for p in properties]
    unknown = [p for p in pids if p not in EXTEND_PROPERTIES]
    if unknown:
        raise ReconcileError(
            f"extend.properties: unknown {', '.join(unknown)} "
            f"(known: {', '.join(EXTEND_PROPERTIES)})"
        )
    documents = fetch(ids)
    rows = {}
    for value in ids:
        kind, document = documents.get(value, (None, None))
        rows[value] = {
            pid: property_values(kind, document, pid) if document else [] for pid in pids
        }
    meta = []
    for pid in pids:
        entry = {"id": pid, "name": EXTEND_PROPERTIES[pid]["name"]}
        if pid == "groups":
            entry["type"] = {"id": "group", "name": "Group"}
        meta.append(entry)
    return {"meta": meta, "rows": rows}


def propose_properties(kind: str, limit: int | None = None) -> dict:
    if kind not in TYPES:
        raise ReconcileError(f"type: unknown {kind!r} (known: person, group)")
    proposed = [
        {"id": p["id"], "name": p["name"]} for p in EXTEND_PROPERTIES.values() if kind in p["types"]
    ]
    answer = {"type": kind, "properties": proposed[:limit] if limit else proposed}
    if limit:
        answer["limit"] = limit
    return answer


# Suggest.

SUGGEST_LIMIT = 10


def suggest_entities(prefix: str, kind: str | None = None) -> list[dict]:
    folded = fold(prefix)
    if not folded:
        return []
    found: list[Candidate] = []
    for each in _kinds(kind):
        for candidate in candidates(each, prefix, limit=MAX_CANDIDATES):
            names = candidate.names
            # A prefix of a name word counts in full ("tsuk" → tsukanova).
            prefixed = any(word.startswith(folded.split()[-1]) for n in names for word in n.split())
            candidate.score = max(
                [100.0 if prefixed else 0.0, *(name_score(folded, name) for name in names)]
            )
            if candidate.score >= MIN_SCORE:
                found.append(candidate)
    found.sort(key=lambda c: (-c.score, c.document.get("name", ""), c.row.pk))
    return [
        {
            "id": entity_id(c.kind, c.row.pk),
            "name": c.document.get("name", ""),
            "description": describe(c.kind, c.document),
            "notable": [{"id": c.kind, "name": TYPES[c.kind]["name"]}],
        }
        for c in found[:SUGGEST_LIMIT]
    ]


def suggest_types(prefix: str) -> list[dict]:
    folded = fold(prefix)
    return [
        {"id": t["id"], "name": t["name"], "description": t["description"]}
        for t in TYPES.values()
        if fold(t["name"]).startswith(folded) or t["id"].startswith(folded)
    ]


def suggest_properties(prefix: str) -> list[dict]:
    folded = fold(prefix)
    return [
        {"id": p["id"], "name": p["name"], "description": p["description"]}
        for p in PROPERTIES.values()
        if fold(p["name"]).startswith(folded) or p["id"].startswith(folded)
    ]
