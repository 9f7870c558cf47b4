"""Turn reviewed candidates into draft statements, with quotations and citations.

    candidates = source_candidates(source=source)
    decisions = [decision_from_candidate(c) for c in candidates]   # then edit or reject
    result = candidates_review(source=source, decisions=decisions, user=request.user)

All or nothing: every decision is checked first and any problem is reported with the
others, nothing written; the writes then happen in one transaction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db.models import Max

from advocacy.choices import DatePrecision, GroupKind, Medium, Status
from advocacy.models import (
    Citation,
    Event,
    Group,
    Membership,
    Person,
    Quotation,
    Source,
    Statement,
)
from advocacy.publication.triggers import batch
from advocacy.services.extraction import Candidate, Proposal, extract_candidates, propose_records
from advocacy.services.extraction.structure import EVENT, MEMBERSHIP, PERSON
from advocacy.text import fold, propose_title

ACCEPT = "accept"
REJECT = "reject"


class ReviewError(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("Nothing was saved. " + " ".join(problems))


@dataclass
class Decision:
    """What the researcher decided for one candidate; an edit is an accept with changes."""

    key: str
    action: str = ACCEPT
    speaker_person: Person | None = None
    speaker_group: Group | None = None
    new_speaker_name: str = ""
    new_speaker_kind: str = ""  # "person" or "group"
    date: datetime.date | None = None
    date_precision: str = DatePrecision.DAY
    date_as_printed: str = ""
    event: Event | None = None
    medium: str = Medium.OTHER
    summary: str = ""
    statement: Statement | None = None  # add the quotation to this statement instead


@dataclass
class ReviewResult:
    statements: list[Statement] = field(default_factory=list)
    quotations: list[Quotation] = field(default_factory=list)
    new_speakers: list[Person | Group] = field(default_factory=list)
    rejected: int = 0
    people: list[Person] = field(default_factory=list)
    groups: list[Group] = field(default_factory=list)
    memberships: list[Membership] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)


def source_candidates(*, source: Source) -> list[Candidate]:
    return extract_candidates(
        source.archived_text, article_date=source.published_on, language=source.language
    )


def source_proposals(*, source: Source, candidates: list[Candidate]) -> list[Proposal]:
    """New people, their memberships and the event the article reports, for review."""
    return propose_records(
        source.archived_text,
        candidates,
        article_date=source.published_on,
        language=source.language,
        groups=list(Group.objects.only("pk", "name", "slug", "search_key")),
    )


def decision_from_candidate(candidate: Candidate, action: str = ACCEPT) -> Decision:
    """The extractor's guesses as a decision, for the researcher to change."""
    speaker = candidate.speaker
    return Decision(
        key=candidate.key,
        action=action,
        speaker_person=speaker.person,
        speaker_group=speaker.group,
        new_speaker_name="" if speaker.record else speaker.new_name,
        new_speaker_kind="" if speaker.record else speaker.new_kind,
        date=candidate.date,
        date_precision=candidate.date_precision,
        date_as_printed=candidate.date_as_printed,
        medium=candidate.medium,
    )


def parse_key(key: str, text_length: int) -> list[tuple[int, int]]:
    """ "12-40,55-80" → [(12, 40), (55, 80)], checked against the text's length."""
    spans = []
    for chunk in key.split(","):
        start, _, end = chunk.partition("-")
        start_offset, end_offset = int(start), int(end)
        if not 0 <= start_offset < end_offset <= text_length:
            raise ValueError(chunk)
        spans.append((start_offset, end_offset))
    if not spans:
        raise ValueError(key)
    return spans


def _check(source: Source, decisions: list[Decision], known: dict[str, Candidate]) -> list[str]:
    problems = []
    seen = set()
    for number, decision in enumerate(decisions, start=1):
        where = f"Candidate {number}"
        if decision.action not in (ACCEPT, REJECT):
            problems.append(f"{where}: unknown action {decision.action!r}.")
            continue
        try:
            parse_key(decision.key, len(source.archived_text))
        except (TypeError, ValueError):
            problems.append(f"{where}: {decision.key!r} does not point into the source's text.")
            continue
        if decision.key not in known:
            problems.append(
                f"{where}: no quotation at {decision.key} in the source's current text "
                "(was the text edited since?)."
            )
            continue
        if decision.key in seen:
            problems.append(f"{where}: decided twice.")
        seen.add(decision.key)
        if decision.action == REJECT:
            continue
        if decision.statement is not None:
            if decision.statement.pk is None:
                problems.append(f"{where}: the statement to add to does not exist.")
            continue
        speakers = [
            decision.speaker_person is not None,
            decision.speaker_group is not None,
            bool(decision.new_speaker_name.strip()),
        ]
        if sum(speakers) != 1:
            problems.append(
                f"{where} (“{known[decision.key].text[:60]}”): choose exactly one speaker, "
                "a person, a group or a new name."
            )
        if decision.new_speaker_name.strip() and decision.new_speaker_kind not in (
            "person",
            "group",
        ):
            problems.append(
                f"{where}: say whether {decision.new_speaker_name!r} is a person or a group."
            )
        if decision.medium not in Medium.values:
            problems.append(f"{where}: unknown medium {decision.medium!r}.")
        if decision.date is not None and decision.date_precision not in DatePrecision.values:
            problems.append(f"{where}: unknown date precision {decision.date_precision!r}.")
    return problems


@batch()
def candidates_review(
    *,
    source: Source,
    decisions: list[Decision],
    accepted_proposals: list[str] = (),
    user=None,
) -> ReviewResult:
    """Accepted candidates become draft statements quoting and citing `source`.

    `accepted_proposals` are the keys of the proposed people, memberships and event the
    researcher accepted; the others are not created. All of it is one transaction.
    """
    found = source_candidates(source=source)
    candidates = {candidate.key: candidate for candidate in found}
    problems = _check(source, decisions, candidates)
    proposals = {}
    if accepted_proposals:
        proposals = {p.key: p for p in source_proposals(source=source, candidates=found)}
        problems += [
            f"Proposal {key!r} is not among this source's proposals (was the text edited?)."
            for key in accepted_proposals
            if key not in proposals
        ]
    if problems:
        raise ReviewError(problems)
    result = ReviewResult()
    new_speakers: dict[tuple[str, str], Person | Group] = {}
    text = source.archived_text
    for decision in decisions:
        if decision.action == REJECT:
            result.rejected += 1
            continue
        candidate = candidates[decision.key]
        excerpt = text[candidate.context_start : candidate.context_end].strip()
        statement = decision.statement
        if statement is None:
            person, group = decision.speaker_person, decision.speaker_group
            if decision.new_speaker_name.strip():
                key = (decision.new_speaker_kind, fold(decision.new_speaker_name))
                if key not in new_speakers:
                    new_speakers[key] = _new_speaker(decision, source, excerpt, user)
                    result.new_speakers.append(new_speakers[key])
                speaker = new_speakers[key]
                person = speaker if isinstance(speaker, Person) else None
                group = speaker if isinstance(speaker, Group) else None
            statement = Statement(
                speaker_person=person,
                speaker_group=group,
                medium=decision.medium,
                event=decision.event,
                # Proposed from the summary: the researcher shortens it before publishing.
                title=propose_title(decision.summary),
                summary=decision.summary,
                date=decision.date,
                # No date, no precision to speak of: the field's default is stored.
                date_precision=decision.date_precision or DatePrecision.DAY,
                date_as_printed=decision.date_as_printed[:200],
                status=Status.DRAFT,
            )
            _save(statement, user, f"Accepted from source #{source.pk}")
            result.statements.append(statement)
        position = (statement.quotations.aggregate(last=Max("position"))["last"] or 0) + 1
        for start, end in parse_key(decision.key, len(text)):
            quotation = Quotation(
                statement=statement,
                source=source,
                text=text[start:end],
                language=source.language,
                position=position,
                prefix=text[max(0, start - 32) : start],
            )
            _save(quotation, user, f"Accepted from source #{source.pk}")
            if not quotation.is_verbatim or quotation.start_offset != start:
                raise ReviewError(
                    [f"The quotation at {start}-{end} could not be located in the source."]
                )
            result.quotations.append(quotation)
            position += 1
        _cite(statement, source, excerpt, user)
    accepted = [proposals[key] for key in accepted_proposals]
    _create_proposed(accepted, source, new_speakers, result, user)
    return result


def _create_proposed(proposals, source, new_speakers, result: ReviewResult, user) -> None:
    """The accepted proposals as draft records, each citing its excerpt."""
    people: dict[str, Person] = {
        fold(record.name): record for record in new_speakers.values() if isinstance(record, Person)
    }
    groups: dict[str, Group] = {}

    def person_named(name: str, proposal: Proposal) -> Person:
        key = fold(name)
        if key not in people:
            person = Person(name=" ".join(name.split())[:200], status=Status.DRAFT)
            _checked(person, f"New person {name!r}", exclude=["slug", "search_key"])
            _save(person, user, f"Proposed from source #{source.pk}")
            _cite_proposal(person, source, proposal, user)
            people[key] = person
            result.people.append(person)
        return people[key]

    for proposal in sorted(proposals, key=lambda p: [PERSON, MEMBERSHIP, EVENT].index(p.kind)):
        if proposal.kind == PERSON:
            person_named(proposal.name, proposal)
        elif proposal.kind == MEMBERSHIP:
            person = person_named(proposal.name, proposal)
            group = proposal.group
            if group is None:
                key = fold(proposal.group_name)
                if key not in groups:
                    group = Group(
                        name=proposal.group_name[:300],
                        kind=GroupKind.ADVOCACY_GROUP,
                        status=Status.DRAFT,
                    )
                    _checked(group, f"New group {proposal.group_name!r}", ["slug", "search_key"])
                    _save(group, user, f"Proposed from source #{source.pk}")
                    _cite_proposal(group, source, proposal, user)
                    groups[key] = group
                    result.groups.append(group)
                group = groups[key]
            membership, _ = Membership.objects.get_or_create(
                person=person,
                group=group,
                role=proposal.role[:300],
                defaults={"status": Status.DRAFT},
            )
            _cite_proposal(membership, source, proposal, user)
            result.memberships.append(membership)
        elif proposal.kind == EVENT:
            event = Event(
                name=proposal.name[:300],
                kind=proposal.event_kind,
                place=proposal.place[:200],
                date=proposal.date,
                date_precision=proposal.date_precision or DatePrecision.DAY,
                date_as_printed=proposal.date_as_printed[:200],
                status=Status.DRAFT,
            )
            _checked(event, f"New event {proposal.name!r}", exclude=["slug", "search_key"])
            _save(event, user, f"Proposed from source #{source.pk}")
            _cite_proposal(event, source, proposal, user)
            result.events.append(event)
            # The statements accepted with no event were said at this one.
            for statement in result.statements:
                if statement.event_id is None:
                    statement.event = event
                    _save(statement, user, "Said at the event the article reports")


def _checked(record, what: str, exclude: list[str]) -> None:
    try:
        record.full_clean(exclude=exclude)
    except ValidationError as exc:
        raise ReviewError([f"{what}: {exc.messages[0]}"]) from None


def _cite_proposal(record, source: Source, proposal: Proposal, user) -> None:
    """Cite the exact passage the proposal came from, with its offsets."""
    if source.archived_text[proposal.start : proposal.end] != proposal.excerpt:
        raise ReviewError([f"The passage for {proposal.label!r} is no longer in the source."])
    content_type = ContentType.objects.get_for_model(record)
    if Citation.objects.filter(
        content_type=content_type, object_id=record.pk, source=source
    ).exists():
        return
    citation = Citation(
        content_type=content_type,
        object_id=record.pk,
        source=source,
        excerpt=proposal.excerpt,
        note=f"characters {proposal.start}–{proposal.end} of the source's text",
    )
    _save(citation, user, "Cited by review")


def _new_speaker(decision: Decision, source: Source, excerpt: str, user) -> Person | Group:
    name = " ".join(decision.new_speaker_name.split())
    if decision.new_speaker_kind == "person":
        speaker = Person(name=name[:200], status=Status.DRAFT)
    else:
        speaker = Group(name=name[:300], kind=GroupKind.ADVOCACY_GROUP, status=Status.DRAFT)
    try:
        speaker.full_clean(exclude=["slug", "search_key"])
    except ValidationError as exc:
        raise ReviewError([f"New speaker {name!r}: {exc.messages[0]}"]) from None
    _save(speaker, user, f"Named as a speaker in source #{source.pk}")
    _cite(speaker, source, excerpt, user)
    return speaker


def _cite(record, source: Source, excerpt: str, user) -> None:
    content_type = ContentType.objects.get_for_model(record)
    exists = Citation.objects.filter(
        content_type=content_type, object_id=record.pk, source=source
    ).exists()
    if not exists:
        citation = Citation(
            content_type=content_type, object_id=record.pk, source=source, excerpt=excerpt
        )
        _save(citation, user, "Cited by review")


def _save(obj, user, reason: str) -> None:
    obj._history_user = user
    obj._change_reason = reason
    obj.save()
