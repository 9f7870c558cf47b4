"""CSV for every list: one row per record, nested values flattened into columns.

A nested object becomes dotted columns (`speaker.label`); a list of objects (citations,
quotations) becomes one column per key whose cell joins the items' values with " | "
in order (`citations.source.title`, `citations.excerpt`), so a spreadsheet keeps every
citation without a column per citation. Written by advocacy.csvfile, like the public
downloads: a cell that would run as a formula is neutralised.
"""

import json
from itertools import chain

import orjson
from rest_framework.renderers import BaseRenderer, JSONRenderer

from advocacy.csvfile import csv_text

SEPARATOR = " | "


def _cell(value) -> str:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


def flatten(value, prefix: str = "") -> dict[str, str]:
    """One record as a flat {column: text} mapping."""
    flat: dict[str, str] = {}
    if isinstance(value, dict):
        for key, item in value.items():
            flat.update(flatten(item, f"{prefix}.{key}" if prefix else str(key)))
    elif isinstance(value, list):
        columns: dict[str, list[str]] = {}
        for item in value:
            for key, text in flatten(item, prefix).items():
                columns.setdefault(key, []).append(text)
        if not value:
            flat[prefix] = ""
        for key, texts in columns.items():
            flat[key] = SEPARATOR.join(texts)
    else:
        flat[prefix] = _cell(value)
    return flat


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if data is None:
            return b""
        if isinstance(data, StoredDocument):
            data = data.parsed()
        elif isinstance(data, dict) and isinstance(data.get("results"), StoredDocuments):
            data = {**data, "results": data["results"].parsed()}
        if isinstance(data, dict) and "results" in data:
            rows = data["results"]
        elif isinstance(data, list):
            rows = data
        else:
            rows = [data]
        flat_rows = [flatten(row) for row in rows]
        columns: dict[str, None] = {}
        for row in flat_rows:
            columns.update(dict.fromkeys(row))
        # A column with no values in one row and nested values in another (an empty list
        # of citations next to a filled one) keeps only the nested columns.
        header = [c for c in columns if not any(other.startswith(f"{c}.") for other in columns)]
        cells = ([row.get(column, "") for column in header] for row in flat_rows)
        return csv_text(header, cells).encode(self.charset)


class StoredDocuments(list):
    """Public documents as stored (JSON text, as str or UTF-8 bytes): joined into the
    answer, not re-encoded."""

    def array_parts(self):
        """The documents as the parts of one JSON array, for one `bytes.join`."""
        yield b"["
        for index, document in enumerate(self):
            if index:
                yield b","
            yield document if isinstance(document, bytes) else document.encode()
        yield b"]"

    def parsed(self) -> list:
        return [orjson.loads(text) for text in self]


class StoredDocument(str):
    """One public document as stored (JSON text)."""

    def parsed(self) -> dict:
        return orjson.loads(str(self))  # orjson reads str itself, not a subclass


RESULTS_SLOT = "\x00stored-results\x00"


class StoredJSONRenderer(JSONRenderer):
    """DRF's JSON renderer, which writes stored public documents into the answer as they
    are: a page of fifty documents costs a string join instead of fifty parses and a
    re-encoding."""

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, StoredDocument):
            return data.encode()
        if isinstance(data, dict) and isinstance(data.get("results"), StoredDocuments):
            envelope = super().render(
                {**data, "results": RESULTS_SLOT}, accepted_media_type, renderer_context
            )
            before, after = envelope.split(json.dumps(RESULTS_SLOT).encode(), 1)
            return b"".join(chain((before,), data["results"].array_parts(), (after,)))
        return super().render(data, accepted_media_type, renderer_context)
