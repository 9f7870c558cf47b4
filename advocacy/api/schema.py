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
    "412": _("The record changed since you read it: If-Match does not match its ETag."),
    "415": _("Send JSON: Content-Type: application/json."),
    "429": _("Too many requests: wait the seconds in the Retry-After header."),
}


WRITES_TO_ONE_RECORD = {"PUT", "PATCH", "DELETE"}
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
        codes = ["401", "404", "406", "429"]
        if self._is_list_view() or self.method in {"POST", "PUT", "PATCH"}:
            codes.append("400")
        if self.method in {"POST", "PUT", "PATCH", "DELETE"}:
            codes += ["403", "415"]
        if self.method in WRITES_TO_ONE_RECORD:
            codes.append("412")
        return sorted(codes)

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
        return responses
