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
    "Quotation",
    "SlugRedirect",
    "Source",
    "Statement",
    "Topic",
]
