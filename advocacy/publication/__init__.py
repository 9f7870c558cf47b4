"""The public read model: building, storing and reading what the public may see.

- `builders`: one builder per kind, the only code that reads working tables for the public;
- `redaction`: the last pass over every string of a built document;
- `triggers`: changes to working records rebuild the rows that show them, in the same
  transaction (`batch()` for writes of many records);
- `reading`: what public surfaces call to read the rows.
"""
