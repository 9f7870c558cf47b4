from advocacy.models.events import Event, Participation
from advocacy.models.people import (
    Group,
    GroupAlias,
    GroupRelation,
    Membership,
    Person,
    PersonAlias,
)
from advocacy.models.provenance import Citation, ConflictingVersion, ExternalIdentifier, Topic
from advocacy.models.public import (
    HeldVersion,
    PublicCitation,
    PublicDependency,
    PublicEvent,
    PublicGroup,
    PublicMembership,
    PublicPerson,
    PublicQuotation,
    PublicRedirect,
    PublicRetraction,
    PublicSource,
    PublicStatement,
    PublicTopic,
    PublicWord,
)
from advocacy.models.redirects import SlugRedirect
from advocacy.models.sources import Source
from advocacy.models.statements import Quotation, Statement

__all__ = [
    "Citation",
    "ConflictingVersion",
    "Event",
    "ExternalIdentifier",
    "Group",
    "GroupAlias",
    "GroupRelation",
    "HeldVersion",
    "Membership",
    "Participation",
    "Person",
    "PersonAlias",
    "PublicCitation",
    "PublicDependency",
    "PublicEvent",
    "PublicGroup",
    "PublicMembership",
    "PublicPerson",
    "PublicQuotation",
    "PublicRedirect",
    "PublicRetraction",
    "PublicSource",
    "PublicStatement",
    "PublicTopic",
    "PublicWord",
    "Quotation",
    "SlugRedirect",
    "Source",
    "Statement",
    "Topic",
]
