"""The one CSV writer: the public downloads (`/groups/export.csv`…) and the API's
`?format=csv` both write through it, so both open safely in a spreadsheet.

A cell starting with `=`, `+`, `-`, `@`, a tab or a carriage return would run as a formula
(`=HYPERLINK(…)`): it is written with a leading apostrophe, which spreadsheets show as text
(OWASP's advice on CSV injection).
"""

import csv
import io
from collections.abc import Iterable

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(text: str) -> str:
    return f"'{text}" if text.startswith(FORMULA_PREFIXES) else text


def csv_text(header: list[str], rows: Iterable[Iterable[str]], *, bom: bool = False) -> str:
    """CSV with CRLF line ends, every cell neutralised; `bom` starts it with a byte-order
    mark, for spreadsheets to read Cyrillic as UTF-8."""
    out = io.StringIO()
    if bom:
        out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([safe_cell(str(name)) for name in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
