"""JSON nesting limits: a cheap scan that refuses over-nested JSON before anything parses it;
and text that cannot be stored.

`advocacy.middleware.RequestLimitsMiddleware` applies `json_depth_exceeds()` to every JSON
request body. `LimitedJSONParser` does the same inside DRF (and turns a RecursionError into a
400 rather than a 500), for an API that wants the check at the parser as well.
`ApiJSONParser`, the API's parser, also refuses strings that are not Unicode text (a lone
surrogate such as `"\\ud800"` is valid JSON but cannot be encoded, let alone stored), with a
400 naming where it is, once for every field of every write.
"""

import io
import re
from itertools import accumulate

from django.conf import settings
from rest_framework.exceptions import ParseError, ValidationError
from rest_framework.parsers import JSONParser

# A JSON string (with escapes), whose brackets do not count. Possessive, so an unterminated
# string runs to the end instead of backtracking (no quadratic time on `"\"\"\"...`).
_STRING = re.compile(rb'"(?:[^"\\]|\\.)*+"?', re.DOTALL)
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_OPEN, _CLOSE = b"\x01", b"\x02"
_TO_STEPS = bytes.maketrans(b"[{]}", _OPEN * 2 + _CLOSE * 2)
_STEP = [0] * 256
_STEP[_OPEN[0]], _STEP[_CLOSE[0]] = 1, -1


def json_depth_exceeds(body: bytes, max_depth: int) -> bool:
    """Whether `body` nests arrays/objects deeper than `max_depth`.

    Runs at C speed (a regex and two byte translations) whatever the nesting, so a
    megabytes-long `[[[[...` costs milliseconds, not a parser's recursion.
    """
    if body.count(b"[") + body.count(b"{") <= max_depth:
        return False
    brackets = _STRING.sub(b"", body).translate(None, _NOT_BRACKET).translate(_TO_STEPS)
    return max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > max_depth


def json_depth_error(max_depth: int) -> str:
    return f"JSON nested too deeply: at most {max_depth} levels of arrays and objects."


class LimitedJSONParser(JSONParser):
    """DRF's JSON parser, refusing over-nested documents with a 400."""

    def parse(self, stream, media_type=None, parser_context=None):
        max_depth = settings.JSON_MAX_DEPTH
        body = stream.read() if stream is not None else b""
        if json_depth_exceeds(body, max_depth):
            raise ParseError(json_depth_error(max_depth))
        try:
            return super().parse(io.BytesIO(body), media_type, parser_context)
        except RecursionError as exc:
            raise ParseError(json_depth_error(max_depth)) from exc


def _unencodable_paths(value, path: str = "") -> list[str]:
    """Where in parsed JSON a string (or key) cannot be encoded as UTF-8, e.g.
    `quotations[0].text`."""
    stack, found = [(value, path)], []
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if not _encodes(item):
                found.append(where)
        elif isinstance(item, dict):
            for key, child in item.items():
                name = key if _encodes(key) else key.encode("utf-8", "backslashreplace").decode()
                child_path = f"{where}.{name}" if where else name
                if name is not key:
                    found.append(child_path)
                stack.append((child, child_path))
        elif isinstance(item, list):
            stack.extend((child, f"{where}[{index}]") for index, child in enumerate(item))
    return sorted(found)


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


class ApiJSONParser(LimitedJSONParser):
    """The API's JSON: depth-limited, and only text that can be stored."""

    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        paths = _unencodable_paths(data)
        if paths:
            message = "Not valid Unicode text (a lone surrogate such as \\ud800)."
            raise ValidationError({path or "non_field_errors": [message] for path in paths})
        return data
