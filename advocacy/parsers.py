"""JSON nesting limits: a cheap scan that refuses over-nested JSON before anything parses it.

`advocacy.middleware.RequestLimitsMiddleware` applies `json_depth_exceeds()` to every JSON
request body. `LimitedJSONParser` does the same inside DRF (and turns a RecursionError into a
400 rather than a 500), for an API that wants the check at the parser as well.
"""

import io
import re
from itertools import accumulate

from django.conf import settings
from rest_framework.exceptions import ParseError
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
