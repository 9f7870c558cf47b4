"""Public reads from a PostgreSQL streaming replica (DATABASE_REPLICA_URL).

Public reads dominate: journalists on the public pages, scripts on the anonymous API. When
a replica is configured, `PublicReadMiddleware` marks an anonymous, safe request (GET,
HEAD, OPTIONS; no session user, no Authorization header; not the admin) in a context
variable — one per thread and per task — and `PrimaryReplicaRouter` sends that request's
reads to the replica. Everything else stays on the primary: researchers and the admin
(they must see their own edits at once), API clients with a token, every write.

Protection stays immediate because the primary's sessions commit with
`synchronous_commit = remote_apply` (config/settings.py) and the primary names the replica
in `synchronous_standby_names`: a write returns only once the replica has applied it, so a
person protected by a request is hidden on the replica before that request returns
(tests/production/test_replica.py runs this against a real standby).
"""

from contextvars import ContextVar

from django.conf import settings

PRIMARY, REPLICA = "default", "replica"
PUBLIC_READ: ContextVar[bool] = ContextVar("public_read", default=False)
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}


def replica_configured() -> bool:
    return REPLICA in settings.DATABASES


def reading_alias() -> str:
    """The database this request's reads go to."""
    return REPLICA if PUBLIC_READ.get() and replica_configured() else PRIMARY


class PrimaryReplicaRouter:
    """Reads of a request marked public go to the replica; all else to the primary."""

    def db_for_read(self, model, **hints):
        if reading_alias() == REPLICA:
            return REPLICA
        return None  # the primary, or the database the related instance came from

    def db_for_write(self, model, **hints):
        return PRIMARY

    def allow_relation(self, obj1, obj2, **hints):
        # The same data, whichever copy each was read from.
        return {obj1._state.db, obj2._state.db} <= {PRIMARY, REPLICA} or None

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        # A standby is read-only: it gets the schema by replication.
        return db != REPLICA


def is_public_read(request) -> bool:
    return (
        request.method in SAFE_METHODS
        and not request.path.startswith(f"/{settings.ADMIN_URL}")
        and "HTTP_AUTHORIZATION" not in request.META  # an API token, checked later by DRF
        and not request.user.is_authenticated  # read from the primary, before marking
    )


class PublicReadMiddleware:
    """Marks an anonymous safe request, for the router. After AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not replica_configured() or not is_public_read(request):
            return self.get_response(request)
        marked = PUBLIC_READ.set(True)
        try:
            return self.get_response(request)
        finally:
            PUBLIC_READ.reset(marked)
