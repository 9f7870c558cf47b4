"""What drf-spectacular cannot infer: id-or-slug fields, and the error responses."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import build_array_type
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema_field
from rest_framework import serializers

from advocacy.api.fields import SUMMARY_SERIALIZERS
from advocacy.filters import StatementFilterSet

# The statements' `group` filter is a method (statements by the group or its members); its
# value is the group's slug.
extend_schema_field(OpenApiTypes.STR)(StatementFilterSet.filter_group)


class RecordFieldExtension(OpenApiSerializerFieldExtension):
    """A related record: its summary in responses, its id or slug in requests."""

    target_class = "advocacy.api.fields.RecordField"

    def map_serializer_field(self, auto_schema, direction):
        field = self.target
        if direction == "response":
            component = auto_schema.resolve_serializer(SUMMARY_SERIALIZERS[field.model], direction)
            schema = {"allOf": [component.ref]}
            if field.allow_null or field.model.__name__ in {"Person", "Group", "Event"}:
                # A related record the request may not see is null.
                schema["nullable"] = True
            return schema
        schema = {
            "oneOf": [
                {"type": "integer", "minimum": 1},
                {"type": "string", "pattern": "^[-a-zA-Z0-9_]+$", "maxLength": 100},
            ],
            "description": str(
                _("The %(model)s's id or slug.") % {"model": field.model._meta.verbose_name}
            ),
        }
        if field.allow_null:
            schema["nullable"] = True
        return schema


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField(help_text=_("What went wrong."))


VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": str(
        _(
            "Each invalid field (or query parameter) mapped to its messages, e.g. "
            '{"date_after": ["Enter a valid date."]}; nested records nest.'
        )
    ),
    "additionalProperties": {
        "oneOf": [build_array_type({}), {"type": "object"}, {"type": "string"}],
    },
    "example": {"speaker_person": ["Give exactly one speaker: speaker_person or speaker_group."]},
}

ERROR_DESCRIPTIONS = {
    "400": _("Bad input: the body or a query parameter, named in the answer."),
    "401": _("Not authenticated, or a bad token (header `Authorization: Token <key>`)."),
    "403": _("Authenticated but not allowed (model permissions), or a missing CSRF token."),
    "404": _("No such record visible to you, or a page past the end."),
    "405": _("Method not allowed."),
    "406": _("None of the accepted media types can be produced."),
    "409": _("Other records rest on this one: remove them first."),
    "412": _("The record changed since you read it: If-Match does not match its ETag."),
    "413": _("The request body is larger than the server accepts."),
    "415": _("Send JSON: Content-Type: application/json."),
    "429": _("Too many requests: wait the seconds in the Retry-After header."),
    "500": _("A fault of ours, logged; the answer is JSON like every other error."),
    "503": _("The database is unavailable or too slow: try again shortly."),
}
NOT_MODIFIED = {
    "description": str(
        _("Not modified: If-None-Match or If-Modified-Since match what you have. No body.")
    )
}

WRITES_TO_ONE_RECORD = {"PUT", "PATCH", "DELETE"}
BODY_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
IF_MATCH_PARAMETER = OpenApiParameter(
    "If-Match",
    OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    description=str(
        _(
            "The ETag you read the record with: the write is refused (412) if the record "
            "has changed since. Optional."
        )
    ),
)


class ApiAutoSchema(AutoSchema):
    """Documents the JSON error responses every operation can give."""

    def _error_codes(self) -> list[str]:
        """Every error status the operation can answer (the middleware's included)."""
        codes = ["401", "404", "406", "429", "500", "503"]
        asks_language = any(
            getattr(parameter, "name", None) == "lang"
            for parameter in self.get_override_parameters()
        )
        if self._is_list_view() or self.method in BODY_METHODS or asks_language:
            codes.append("400")
        if self.method in BODY_METHODS:
            codes += ["403", "413", "415"]
        if self.method in WRITES_TO_ONE_RECORD:
            codes.append("412")
        if self.method == "DELETE":
            codes.append("409")
        return sorted(codes)

    def get_auth(self):
        """Token or session; reads need neither (anonymous readers see published records)."""
        auths = super().get_auth()
        if self.method in SAFE_METHODS and {} not in auths:
            auths.append({})
        return auths

    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method in WRITES_TO_ONE_RECORD:
            parameters.append(IF_MATCH_PARAMETER)
        return parameters

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        error = self.resolve_serializer(ErrorSerializer, direction).ref
        for code in self._error_codes():
            if code in responses:
                continue
            schema = VALIDATION_ERROR_SCHEMA if code == "400" else error
            response = {
                "description": str(ERROR_DESCRIPTIONS[code]),
                "content": {"application/json": {"schema": schema}},
            }
            if code == "429":
                response["headers"] = {
                    "Retry-After": {
                        "schema": {"type": "integer"},
                        "description": str(_("Seconds to wait.")),
                    }
                }
            responses[code] = response
        if self.method == "GET" and "200" in responses:
            responses.setdefault("304", NOT_MODIFIED)
        return responses


# No text the API stores or filters by may hold a NUL character (PostgreSQL refuses it; the
# serializers and filters answer 400): the schema says so for every free-text string.
NO_NUL_PATTERN = "^[^\\u0000]*$"
# A required text is trimmed and then must not be empty: it holds something besides spaces.
NOT_BLANK_PATTERN = "^[^\\u0000]*[^\\s\\u0000][^\\u0000]*$"
# Read as null when hidden, but never written as null or blank.
REQUIRED_TEXTS = {"SourceRequest": ["archived_text"], "PatchedSourceRequest": ["archived_text"]}


def _no_nul(schema) -> None:
    if isinstance(schema, list):
        for item in schema:
            _no_nul(item)
        return
    if not isinstance(schema, dict):
        return
    free_text = schema.get("type") == "string" and not ({"enum", "pattern", "format"} & set(schema))
    if free_text:
        schema["pattern"] = NOT_BLANK_PATTERN if schema.get("minLength") else NO_NUL_PATTERN
    for key, value in schema.items():
        if key not in {"enum", "example", "default"}:
            _no_nul(value)


def strings_without_nul_hook(result, generator, request, public):
    """drf-spectacular postprocessing: free-text request strings and query parameters
    match NO_NUL_PATTERN, required ones NOT_BLANK_PATTERN."""
    for name, component in result.get("components", {}).get("schemas", {}).items():
        for field in REQUIRED_TEXTS.get(name, []):
            component["properties"][field].pop("nullable", None)
            component["properties"][field]["minLength"] = 1
        if name.endswith("Request"):
            _no_nul(component)
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            for parameter in operation.get("parameters", []):
                if parameter.get("in") == "query":
                    _no_nul(parameter.get("schema"))
    return result
