"""A small world for the public site's tests: published records, drafts, and a protected
person who has a statement, a membership, a participation and an alias, and whose name
appears in a source's text and in a statement's summary."""

from dataclasses import dataclass
from urllib.parse import quote, quote_plus

import pytest
from django.utils.text import slugify

from advocacy.choices import ParticipantRole
from tests.factories import (
    CitationFactory,
    EventFactory,
    GroupAliasFactory,
    GroupFactory,
    MembershipFactory,
    ParticipationFactory,
    PersonAliasFactory,
    PersonFactory,
    QuotationFactory,
    SourceFactory,
    StatementFactory,
)

PROTECTED_NAME = "Zinaida Protectova"
PROTECTED_ALIAS = "Зинаида Протектова"
PROTECTED_SLUG = "zinaida-protectova-hidden"


def protected_markers() -> list[str]:
    """Everything that would identify the protected person on a page, lower-cased."""
    markers = {PROTECTED_NAME, PROTECTED_ALIAS, PROTECTED_SLUG, slugify(PROTECTED_NAME)}
    markers.update(PROTECTED_NAME.split())
    markers.update(PROTECTED_ALIAS.split())
    return sorted(marker.lower() for marker in markers)


@dataclass
class World:
    source: object
    group: object
    person: object
    protected: object
    event: object
    statement: object
    protected_statement: object


@pytest.fixture
def world(db) -> World:
    source = SourceFactory(
        title="Volga mothers speak out",
        publisher="The Example Courier",
        archived_text=(
            "The Volga council met on Friday.\n\n"
            '"We will not be silent," said Zinaida Protectova, a member of the council. '
            '"Bring our sons home," added Larisa Publicova, its chair.\n\n'
            "The ministry did not reply."
        ),
        full_text_public=True,
    )
    group = GroupFactory(name="Volga Mothers Council")
    GroupAliasFactory(group=group, name="Совет матерей Волги", source=source)
    CitationFactory(content_object=group, source=source, excerpt="The Volga council met on Friday.")
    person = PersonFactory(name="Larisa Publicova")
    PersonAliasFactory(person=person, name="Лариса Публикова")
    CitationFactory(
        content_object=person, source=source, excerpt="added Larisa Publicova, its chair"
    )
    membership = MembershipFactory(person=person, group=group, role="chair")
    CitationFactory(content_object=membership, source=source, excerpt="Larisa Publicova, its chair")

    protected = PersonFactory(name=PROTECTED_NAME, slug=PROTECTED_SLUG, protected=True)
    PersonAliasFactory(person=protected, name=PROTECTED_ALIAS)
    CitationFactory(content_object=protected, source=source, excerpt="said Zinaida Protectova")
    MembershipFactory(person=protected, group=group, role="member")

    event = EventFactory(name="Volga roundtable", place="Samara")
    CitationFactory(content_object=event, source=source, excerpt="The Volga council met")
    ParticipationFactory(event=event, group=group, part=ParticipantRole.ORGANISER)
    ParticipationFactory(event=event, group=None, person=protected, part=ParticipantRole.ATTENDEE)

    protected_statement = StatementFactory(
        speaker_person=protected,
        event=event,
        summary="Zinaida Protectova says the mothers will not be silent.",
        quotation=False,
    )
    QuotationFactory(statement=protected_statement, source=source, text="We will not be silent")
    CitationFactory(
        content_object=protected_statement, source=source, excerpt="said Zinaida Protectova"
    )
    statement = StatementFactory(
        speaker_person=person,
        event=event,
        summary="Publicova asks for the sons to be brought home.",
        quotation=False,
    )
    QuotationFactory(statement=statement, source=source, text="Bring our sons home")
    CitationFactory(content_object=statement, source=source, excerpt="added Larisa Publicova")
    return World(source, group, person, protected, event, statement, protected_statement)


@pytest.fixture
def drafts(world) -> dict:
    """One draft of each type, each with a name found nowhere else."""
    source = SourceFactory(
        draft=True,
        title="Draftsource Unpublished Article",
        archived_text='Draftsource text.\n\n"Hidden words," said Larisa Publicova.',
    )
    group = GroupFactory(draft=True, name="Draftgroup Unpublished")
    person = PersonFactory(draft=True, name="Draftperson Unpublished")
    MembershipFactory(person=person, group=world.group, role="draft role")
    event = EventFactory(draft=True, name="Draftevent Unpublished")
    statement = StatementFactory(
        draft=True,
        speaker_person=world.person,
        summary="Draftstatement unpublished words.",
        quotation=False,
    )
    QuotationFactory(statement=statement, source=world.source, text="The ministry did not reply")
    return {
        "source": source,
        "group": group,
        "person": person,
        "event": event,
        "statement": statement,
    }


def assert_not_named(html: str, where: str, *, echo: str = "") -> None:
    """`echo`: the reader's own query, which the page may repeat back to them."""
    text = html.lower()
    if echo:
        for form in (echo, quote_plus(echo), quote(echo)):
            text = text.replace(form.lower(), "")
    for marker in protected_markers():
        assert marker not in text, f"{marker!r} appears on {where}"
