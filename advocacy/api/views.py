"""API viewsets: every read goes through a selector (the visibility rule and fixed
prefetching) and the FilterSet the public pages use; every write is atomic.
"""

import xxhash
from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError, IntegrityError
from django.db.models import ProtectedError, RestrictedError
from django.http import FileResponse, JsonResponse
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date, parse_etags, quote_etag
from django.utils.translation import gettext_lazy as _
from django_filters import BooleanFilter
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.permissions import AllowAny, DjangoModelPermissionsOrAnonReadOnly
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.serializers import as_serializer_error
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView, exception_handler

from advocacy import filters, selectors
from advocacy.api import conformance, popolo_files, serializers
from advocacy.api.audience import Audience
from advocacy.api.fields import lookup_record
from advocacy.api.pagination import HybridPagination
from advocacy.api.prefetch import prefetched_lists, with_prefetched_lists
from advocacy.api.renderers import (
    CSVRenderer,
    StoredDocument,
    StoredDocuments,
    StoredJSONRenderer,
)
from advocacy.api.schema import ApiAutoSchema
from advocacy.parsers import ApiJSONParser
from advocacy.publication.filters import PUBLIC_FILTERSETS
from advocacy.publication.reading import (
    public_rows,
    reads_public_rows,
    stored_values,
    with_origin,
)
from advocacy.publication.triggers import batch

PAGINATION_PARAMS = {"page", "page_size", "cursor", "pagination", "format"}
# How a list is read, not what it holds: no filter.
READING_PARAMS = PAGINATION_PARAMS | {"lang"}
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]
LANGUAGE_PARAMETER = OpenApiParameter(
    "lang",
    OpenApiTypes.STR,
    enum=LANGUAGE_CODES,
    description="The documents' language (dates as shown, labels, `display_name`, "
    "`role_translation`); before the Accept-Language header.",
)
BOOLEAN_VALUES = {"true", "false", "True", "False"}


class PreconditionFailed(APIException):
    status_code = status.HTTP_412_PRECONDITION_FAILED
    default_detail = _(
        "This record has changed since you read it (If-Match does not match its ETag): "
        "read it again and apply your change to what it says now."
    )
    default_code = "precondition_failed"


def content_etag(content: bytes) -> str:
    """The ETag of a rendered answer: a hash of its exact bytes. XXH3, not a cryptographic
    hash: an ETag only tells versions apart, and SHA-256 of a page of 500 documents (1 MB)
    took 0.5-0.9 ms of the 6-7 ms the server spent on it (XXH3: 0.02 ms)."""
    return quote_etag(xxhash.xxh3_128_hexdigest(content))


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("Other records depend on this one.")
    default_code = "conflict"


def api_exception_handler(exc, context):
    """DRF's handler, plus: Django validation and database errors are a 400, a record
    others depend on is a 409 — never a 500 for bad input."""
    if isinstance(exc, DjangoValidationError):
        exc = ValidationError(as_serializer_error(exc))
    elif isinstance(exc, ProtectedError | RestrictedError):
        blocking = getattr(exc, "protected_objects", None) or exc.restricted_objects
        names = sorted({str(obj._meta.verbose_name_plural) for obj in blocking})
        exc = Conflict(
            _("Other records rest on this one (%(names)s); remove them first.")
            % {"names": ", ".join(names)}
        )
    elif isinstance(exc, IntegrityError):
        exc = ValidationError({"non_field_errors": [_("This conflicts with a stored record.")]})
    elif isinstance(exc, DataError):
        exc = ValidationError({"non_field_errors": [_("A value is out of range.")]})
    return exception_handler(exc, context)


class StrictFilterBackend(DjangoFilterBackend):
    """django-filter's backend, refusing unknown parameters and non-boolean booleans, so a
    typo is a 400 naming it rather than a silently unfiltered list."""

    def get_filterset_class(self, view, queryset=None):
        if getattr(view, "serving_public_rows", False):
            return PUBLIC_FILTERSETS[view.basename]
        return super().get_filterset_class(view, queryset)

    def filter_queryset(self, request, queryset, view):
        if getattr(view, "serving_public_rows", False) and (
            set(request.query_params) <= READING_PARAMS
        ):
            # Nothing to filter (a script walking the list): no FilterSet to build.
            return queryset
        filterset_class = self.get_filterset_class(view, queryset)
        if filterset_class is not None:
            known = set(filterset_class.base_filters) | READING_PARAMS
            errors = {}
            for name in request.query_params:
                if name not in known:
                    errors[name] = [
                        _("Unknown parameter. Known: %(known)s.")
                        % {"known": ", ".join(sorted(known))}
                    ]
                    continue
                field = filterset_class.base_filters.get(name)
                if isinstance(field, BooleanFilter):
                    value = request.query_params[name]
                    if value not in BOOLEAN_VALUES and value != "":
                        errors[name] = [_("Give true or false.")]
            if errors:
                raise ValidationError(errors)
        return super().filter_queryset(request, queryset, view)


class SignedInRateThrottle(UserRateThrottle):
    """The signed-in users' rate. DRF's UserRateThrottle also counts anonymous readers, by
    address, which AnonRateThrottle already does at a lower rate: a second cache read and
    write on every public request, for a limit that is never the one reached."""

    def get_cache_key(self, request, view):
        if not (request.user and request.user.is_authenticated):
            return None
        return super().get_cache_key(request, view)


def latest_update(objects) -> object | None:
    """The latest `updated_at` of the records shown and the related ones shown with them."""
    latest = None
    stack = [(obj, 0) for obj in objects]
    while stack:
        obj, depth = stack.pop()
        stamp = getattr(obj, "updated_at", None)
        if stamp is not None and (latest is None or stamp > latest):
            latest = stamp
        if depth >= 2:
            continue
        for related in getattr(obj, "_prefetched_objects_cache", {}).values():
            stack.extend((item, depth + 1) for item in related)
        for related in prefetched_lists(obj):
            stack.extend((item, depth + 1) for item in related)
        for related in obj._state.fields_cache.values() if hasattr(obj, "_state") else ():
            if related is not None:
                stack.append((related, depth + 1))
    return latest


class ModelPermissions(DjangoModelPermissionsOrAnonReadOnly):
    """Django model permissions for writes; reads are open (visibility is the selectors').

    Finds the model from the serializer rather than by building the selector's queryset,
    which is costly (prefetches with visibility subqueries) and not needed for a check."""

    def _queryset(self, view):
        return view.get_serializer_class().Meta.model._default_manager.none()


class ApiViewMixin:
    """Auth, throttling, formats, JSON errors and conditional GET for every API view."""

    # Token first, so an anonymous write is answered 401 with `WWW-Authenticate: Token`.
    authentication_classes = [TokenAuthentication, SessionAuthentication]
    throttle_classes = [AnonRateThrottle, SignedInRateThrottle]
    renderer_classes = [StoredJSONRenderer, CSVRenderer]
    parser_classes = [ApiJSONParser]
    schema = ApiAutoSchema()
    last_modified = None

    def get_exception_handler(self):
        return api_exception_handler

    def initial(self, request, *args, **kwargs):
        # `?lang=` chose the language already (advocacy.i18n); a value not ours is a 400.
        language = request.query_params.get("lang")
        if language is not None and language not in LANGUAGE_CODES:
            raise ValidationError(
                {"lang": [_("Give one of %(choices)s.") % {"choices": ", ".join(LANGUAGE_CODES)}]}
            )
        super().initial(request, *args, **kwargs)

    def get_audience(self) -> Audience:
        if getattr(self, "_audience", None) is None:
            self._audience = Audience(self.request)
        return self._audience

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        if not isinstance(response, Response):
            return response
        if response.status_code >= 400:
            # Errors are JSON whatever format was asked for.
            response.accepted_renderer = JSONRenderer()
            response.accepted_media_type = "application/json"
            return response
        if request.method in ("PUT", "PATCH") and response.status_code == 200:
            # The changed record's ETag, for the next If-Match.
            response.render()
            response["ETag"] = content_etag(response.content)
            return response
        if request.method not in ("GET", "HEAD") or response.status_code != 200:
            return response
        patch_vary_headers(response, ["Accept", "Authorization", "Cookie"])
        if request.user and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_cache=True)
        else:
            patch_cache_control(response, no_cache=True)
        if getattr(response.accepted_renderer, "format", "") == "csv":
            name = getattr(self, "basename", None) or "export"
            response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        response.render()
        if getattr(self, "serving_public_rows", False):
            response.content = with_origin(response.content, request.build_absolute_uri("/")[:-1])
        etag = content_etag(response.content)
        response["ETag"] = etag
        last_modified = None
        if self.last_modified is not None:
            last_modified = int(self.last_modified.timestamp())
            response["Last-Modified"] = http_date(last_modified)
        return get_conditional_response(
            request, etag=etag, last_modified=last_modified, response=response
        )


LIST_FORMAT_PARAMETER = OpenApiParameter(
    "format",
    OpenApiTypes.STR,
    enum=["json", "csv"],
    description=str(_("json (default) or csv: one row per record, citations flattened.")),
)


class RecordViewSet(ApiViewMixin, viewsets.ModelViewSet):
    """List, detail (by id or slug), create, update and delete one kind of record."""

    selector = None
    has_slug = True
    lookup_url_kwarg = "id_or_slug"
    lookup_value_regex = "[^/]+"
    permission_classes = [ModelPermissions]
    pagination_class = HybridPagination
    filter_backends = [StrictFilterBackend]
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def get_queryset(self):
        if self.serves_public_rows():
            return public_rows(self.basename)
        return with_prefetched_lists(type(self).selector(user=self.request.user))

    def serves_public_rows(self) -> bool:
        """Readers who may not see drafts read the public rows, built at publication;
        writes and researchers use the working records."""
        request = getattr(self, "request", None)
        if request is None or getattr(self, "swagger_fake_view", False):
            return False
        if request.method not in ("GET", "HEAD") or getattr(self, "writing", False):
            return False
        self.serving_public_rows = reads_public_rows(request.user, self.basename)
        return self.serving_public_rows

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "audience": self.get_audience()}

    def get_object(self):
        ref = self.kwargs[self.lookup_url_kwarg]
        queryset = self.get_queryset()
        try:
            obj = lookup_record(queryset, ref, has_slug=self.has_slug)
        except (queryset.model.DoesNotExist, ValueError) as error:
            raise NotFound(_("No such record.")) from error
        self.check_object_permissions(self.request, obj)
        return obj

    def list(self, request, *args, **kwargs):
        conformance.check_query(request.path, "get", request.query_params)
        return self.build_list()

    def build_list(self):
        queryset = self.filter_queryset(self.get_queryset())
        if self.serves_public_rows():
            # Plain values: a page of 500 stored documents built 500 model instances, a
            # third of its time. The documents as the database's bytes, not decoded.
            page = self.paginate_queryset(
                stored_values(queryset, "id", "updated_at", "document_text")
            )
            self.last_modified = max((row["updated_at"] for row in page), default=None)
            return self.get_paginated_response(
                StoredDocuments(row["document_text"] for row in page)
            )
        page = self.paginate_queryset(queryset)
        data = self.get_serializer(page, many=True).data
        self.last_modified = latest_update(page)
        return self.get_paginated_response(data)

    def retrieve(self, request, *args, **kwargs):
        return self.build_detail()

    def build_detail(self):
        instance = self.get_object()
        if self.serves_public_rows():
            self.last_modified = instance.updated_at
            return Response(StoredDocument(instance.document_text))
        self.last_modified = latest_update([instance])
        return Response(self.get_serializer(instance).data)

    def represent(self, instance):
        """The saved record as a reader sees it, read back through the selector — inside
        the write's transaction, so a database lost in between fails the write as a whole
        rather than answering 503 for a change that was in fact saved."""
        fresh = self.get_queryset().filter(pk=instance.pk).first() or instance
        self._audience = None
        return self.get_serializer(fresh).data

    def create(self, request, *args, **kwargs):
        conformance.check_query(request.path, "post", request.query_params)
        conformance.check_body(self.get_serializer_class(), partial=False, data=request.data)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        with batch():
            data = self.represent(serializer.save())
        return Response(data, status=status.HTTP_201_CREATED, headers={"Location": data["url"]})

    def get_object_to_write(self):
        """The record, locked until the write commits, if it is still what the client last
        read: with `If-Match: <its ETag>`, a change made meanwhile by someone else is a 412
        rather than silently overwritten. Call inside the write's transaction."""
        found = self.get_object()
        type(found)._default_manager.select_for_update().filter(pk=found.pk).first()
        # Read again under the lock: a PATCH then changes only its fields of the record as
        # last committed, not of the copy read before someone else's change.
        instance = self.get_object()
        expected = self.request.headers.get("If-Match")
        if expected and expected.strip() != "*":
            current = content_etag(JSONRenderer().render(self.get_serializer(instance).data))
            if current not in {tag.removeprefix("W/") for tag in parse_etags(expected)}:
                raise PreconditionFailed()
        return instance

    def update(self, request, *args, **kwargs):
        partial = kwargs.pop("partial", False)
        conformance.check_body(self.get_serializer_class(), partial=partial, data=request.data)
        with batch():
            instance = self.get_object_to_write()
            serializer = self.get_serializer(instance, data=request.data, partial=partial)
            serializer.is_valid(raise_exception=True)
            data = self.represent(serializer.save())
        return Response(data)

    def destroy(self, request, *args, **kwargs):
        with batch():
            self.get_object_to_write().delete()
        return Response(status=status.HTTP_204_NO_CONTENT)


def _document(resource: str, plural: str, *, slug: bool = True):
    by = _("id or slug") if slug else _("id")
    return extend_schema_view(
        list=extend_schema(
            summary=f"List {plural}",
            description=str(
                _(
                    "Published %(plural)s (and drafts for researchers), filtered by the same "
                    "FilterSet as the public pages. Numbered pages by default; "
                    "`?pagination=cursor` for cursor pages. `?format=csv` for CSV."
                )
                % {"plural": plural}
            ),
            parameters=[LIST_FORMAT_PARAMETER, LANGUAGE_PARAMETER],
        ),
        retrieve=extend_schema(summary=f"One {resource} by {by}", parameters=[LANGUAGE_PARAMETER]),
        create=extend_schema(summary=f"Create a {resource}"),
        update=extend_schema(summary=f"Replace a {resource}"),
        partial_update=extend_schema(summary=f"Change a {resource}"),
        destroy=extend_schema(summary=f"Delete a {resource}"),
    )


@_document("group", "groups")
class GroupViewSet(RecordViewSet):
    basename = "group"
    selector = staticmethod(selectors.group_list)
    serializer_class = serializers.GroupSerializer
    filterset_class = filters.GroupFilterSet


@_document("person", "people")
class PersonViewSet(RecordViewSet):
    basename = "person"
    selector = staticmethod(selectors.person_list)
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonFilterSet


@_document("membership", "memberships", slug=False)
class MembershipViewSet(RecordViewSet):
    basename = "membership"
    has_slug = False
    lookup_url_kwarg = "id"
    lookup_value_regex = "[^/]+"
    selector = staticmethod(selectors.membership_list)
    serializer_class = serializers.MembershipSerializer
    filterset_class = filters.MembershipFilterSet


@_document("event", "events")
class EventViewSet(RecordViewSet):
    basename = "event"
    selector = staticmethod(selectors.event_list)
    serializer_class = serializers.EventSerializer
    filterset_class = filters.EventFilterSet


@_document("statement", "statements")
class StatementViewSet(RecordViewSet):
    basename = "statement"
    selector = staticmethod(selectors.statement_list)
    serializer_class = serializers.StatementSerializer
    filterset_class = filters.StatementFilterSet


@_document("quotation", "quotations", slug=False)
class QuotationViewSet(RecordViewSet):
    basename = "quotation"
    has_slug = False
    lookup_url_kwarg = "id"
    selector = staticmethod(selectors.quotation_list)
    serializer_class = serializers.QuotationSerializer
    filterset_class = filters.QuotationFilterSet

    def get_queryset(self):
        return super().get_queryset().order_by("statement_id", "position", "pk")


@_document("source", "sources")
class SourceViewSet(RecordViewSet):
    basename = "source"
    selector = staticmethod(selectors.source_list)
    serializer_class = serializers.SourceSerializer
    filterset_class = filters.SourceFilterSet


@_document("citation", "citations", slug=False)
class CitationViewSet(RecordViewSet):
    basename = "citation"
    has_slug = False
    lookup_url_kwarg = "id"
    selector = staticmethod(selectors.citation_list)
    serializer_class = serializers.CitationSerializer
    filterset_class = filters.CitationFilterSet

    def get_queryset(self):
        if self.serves_public_rows():
            return super().get_queryset()
        return super().get_queryset().prefetch_related("content_object")


class PopoloExportView(ApiViewMixin, APIView):
    """Published data as Popolo JSON: persons, organizations, memberships, events and
    statements as speeches, served from the file the export command last wrote."""

    renderer_classes = [JSONRenderer]
    # Read-only; the file holds what an anonymous reader may see.
    # No kept answer to look up, so not even the data version is asked: the file is the
    # answer, with its own ETag.
    permission_classes = [AllowAny]
    http_method_names = ["get", "head", "options"]

    @extend_schema(
        summary="Popolo export",
        description=str(
            _(
                "The published records, as Popolo JSON (popoloproject.com): `persons`, "
                "`organizations`, `memberships`, `events` and statements as `speeches`, each "
                "with `other_names` (with language and script), `sources` and `links`. "
                "Served from a file rebuilt outside requests, with its ETag and "
                "Content-Length; 503 with Retry-After while the first file is being built."
            )
        ),
        responses={200: OpenApiTypes.OBJECT, 503: OpenApiTypes.OBJECT},
    )
    def get(self, request):
        # The file written by `manage.py export_popolo` (advocacy/api/popolo_files.py): no
        # query and no export work here, whatever the size.
        export = popolo_files.current()
        if export is None:
            if not popolo_files.is_small():
                return export_not_ready()
            # A fresh install: small enough to write now (links from this request's origin
            # unless EXPORTS_BASE_URL names the site's).
            base = settings.EXPORTS_BASE_URL or request.build_absolute_uri("/")
            try:
                export = popolo_files.build(base_url=base)
            except popolo_files.WithdrawnWhileBuilding:
                return export_not_ready()
        last_modified = int(export.built.timestamp())
        response = get_conditional_response(request, etag=export.etag, last_modified=last_modified)
        if response is None:
            try:
                body = export.path.open("rb")
            except FileNotFoundError:  # replaced since the pointer was read
                return export_not_ready()
            response = FileResponse(body, content_type="application/json")
            response["Content-Length"] = str(export.size)
        response["ETag"] = export.etag
        response["Last-Modified"] = http_date(last_modified)
        # One file for every reader: published records only, whoever asks.
        patch_cache_control(response, no_cache=True, public=True)
        return response


def export_not_ready():
    response = JsonResponse(
        {
            "detail": str(
                _(
                    "The export is being built; try again in a minute. It is written "
                    "outside requests (manage.py export_popolo) and served as a file."
                )
            ),
            "code": "export_not_ready",
        },
        status=503,
    )
    response["Retry-After"] = str(settings.EXPORT_RETRY_AFTER)
    add_never_cache_headers(response)
    return response


def api_not_found(request, *args, **kwargs):
    return JsonResponse({"detail": str(_("No such API endpoint."))}, status=404)
