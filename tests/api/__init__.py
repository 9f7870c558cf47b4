# The API's resources, in the order of its root.
RESOURCES = (
    "groups",
    "people",
    "memberships",
    "events",
    "statements",
    "quotations",
    "sources",
    "citations",
)
