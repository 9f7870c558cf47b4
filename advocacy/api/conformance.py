"""The API holds requests to its own OpenAPI schema, so the schema says what it accepts.

Before a serializer or a FilterSet sees them, a write's JSON body is validated against the
operation's request component (`GroupRequest`, `PatchedGroupRequest`…) and a list's query
parameters against their documented schemas: types are strict (`"name": 0` is not a name,
`"true"` is not a boolean), enums hold no empty value, formats (dates, URIs) and patterns
are checked, a parameter is given once. A mismatch is a 400 naming the field, as any other.

Serializers still check what a schema cannot say (that a named record exists, that a
statement has exactly one speaker). The schema is generated once per process, at the first
request that needs it (about a second).
"""

import functools
import re

from django.utils.translation import gettext as _
from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30WriteValidator, oas30_format_checker
from rest_framework.exceptions import ValidationError

INTEGER_RE = re.compile(r"-?[0-9]{1,19}", re.ASCII)
NUMBER_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?", re.ASCII)
# As the filters have always read them (advocacy.api.views.BOOLEAN_VALUES).
BOOLEANS = {"true": True, "false": False, "True": True, "False": False}
# Parameters whose refusal has a message of its own.
MESSAGES = {"cursor": "Invalid cursor."}


@functools.cache
def api_schema() -> dict:
    """The OpenAPI document, generated once per process (as /api/schema/ serves it)."""
    return SchemaGenerator().get_schema(request=None, public=True)


def _null_alternatives(schema):
    """The schema as a validator reads it as meant: OpenAPI 3.0's `nullable` next to a
    `oneOf`/`allOf`/`$ref` does not let `null` through the composition, so it becomes an
    alternative; and a `oneOf` becomes an `anyOf` (see below)."""
    if isinstance(schema, list):
        return [_null_alternatives(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    schema = {key: _null_alternatives(value) for key, value in schema.items()}
    if "oneOf" in schema:
        # Alternatives such as "a URI, or empty" both admit "" to a validator that does not
        # check URIs: what matters here is that one of them does.
        schema["anyOf"] = schema.pop("oneOf")
    if schema.get("nullable") and {"oneOf", "anyOf", "allOf", "$ref"} & set(schema):
        rest = {key: value for key, value in schema.items() if key != "nullable"}
        return {"anyOf": [rest, {"enum": [None]}]}
    return schema


@functools.cache
def _validation_schema() -> dict:
    return _null_alternatives(api_schema())


@functools.cache
def _validator(schema_key: str, component: str | None = None):
    document = _validation_schema()
    if component is not None:
        schema = {"$ref": f"#/components/schemas/{component}"}
    else:
        path, method, name = schema_key.split(" ", 2)
        parameters = document["paths"][path][method].get("parameters", [])
        (schema,) = [p["schema"] for p in parameters if p["in"] == "query" and p["name"] == name]
    return OAS30WriteValidator(
        {**schema, "components": document.get("components", {})},
        format_checker=oas30_format_checker,
    )


def _where(error) -> str:
    parts = []
    for part in error.absolute_path:
        if isinstance(part, int):
            parts.append(f"[{part}]")
        else:
            parts.append(f".{part}" if parts else str(part))
    return "".join(parts) or "non_field_errors"


def _message(error) -> str:
    if error.validator == "type":
        return _("Expected %(type)s.") % {"type": error.validator_value}
    if error.validator == "enum":
        choices = ", ".join(f'"{value}"' for value in error.validator_value)
        return _("Give one of %(choices)s.") % {"choices": choices}
    if error.validator == "required":
        return _("This field is required.")
    message = error.message
    return message if len(message) <= 200 else message[:200] + "…"


def _errors(validator, instance) -> dict[str, list[str]]:
    """{field path: messages}; a missing required field is named by its own path."""
    errors: dict[str, list[str]] = {}
    for error in validator.iter_errors(instance):
        where = _where(error)
        keys = [where]
        if error.validator == "required" and isinstance(error.instance, dict):
            keys = [
                name if where == "non_field_errors" else f"{where}.{name}"
                for name in error.validator_value
                if name not in error.instance
            ]
        for key in keys:
            errors.setdefault(key, []).append(_message(error))
    return errors


def check_body(serializer_class: type, *, partial: bool, data) -> None:
    """Refuses a write body its request component does not describe."""
    name = serializer_class.__name__.removesuffix("Serializer")
    component = f"Patched{name}Request" if partial else f"{name}Request"
    if component not in api_schema().get("components", {}).get("schemas", {}):
        return
    errors = _errors(_validator(component, component), data)
    if errors:
        raise ValidationError(errors)


def _query_value(schema: dict, values: list[str]):
    """A query string's value as the type its schema documents, or ValueError."""
    kind = schema.get("type")
    if kind == "array":
        if values == [""]:
            return []
        items = values if schema.get("explode", True) and len(values) > 1 else values[0].split(",")
        return [_query_value(schema.get("items", {}), [item]) for item in items]
    if len(values) > 1:
        raise ValueError(_("Give this parameter once."))
    (value,) = values
    if kind == "integer":
        if not INTEGER_RE.fullmatch(value):
            raise ValueError(_("Expected an integer."))
        return int(value)
    if kind == "number":
        if not NUMBER_RE.fullmatch(value):
            raise ValueError(_("Expected a number."))
        return float(value)
    if kind == "boolean":
        if value not in BOOLEANS:
            raise ValueError(_("Give true or false."))
        return BOOLEANS[value]
    return value


def check_query(path: str, method: str, query_params) -> None:
    """Refuses query parameters their documented schemas do not describe."""
    operation = api_schema()["paths"].get(path, {}).get(method.lower())
    if operation is None:
        return
    documented = {p["name"]: p for p in operation.get("parameters", []) if p["in"] == "query"}
    errors: dict[str, list[str]] = {}
    for name in query_params:
        parameter = documented.get(name)
        if parameter is None:
            continue  # unknown parameters: the filter backend names them
        schema = {**parameter["schema"], "explode": parameter.get("explode", True)}
        try:
            value = _query_value(schema, query_params.getlist(name))
        except ValueError as error:
            errors[name] = [str(error)]
            continue
        found = _errors(_validator(f"{path} {method.lower()} {name}"), value)
        if found:
            errors[name] = (
                [MESSAGES.get(name)]
                if name in MESSAGES
                else [message for messages in found.values() for message in messages]
            )
    if errors:
        raise ValidationError(errors)
