"""The one cell writer for every CSV and XLSX Sinergi hands out.

Text that a user typed (a public reporter's contact, an action item, an officer's name) must never
become a formula in a file an official opens: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return is stored with a leading apostrophe, as OWASP recommends for CSV injection. Numbers,
dates and booleans pass through as typed values; only text is neutralised. The only formulas a file
holds are `Formula` values an export built itself from cell coordinates, checked against its grammar.
"""

import csv
import re
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class Formula(str):
    """A formula an export built from cell coordinates (never from stored text); see `formula`."""


def formula(text: str, grammar: re.Pattern[str]) -> Formula:
    """`text` as a formula cell, refused unless the export's own closed grammar matches all of it."""
    if not grammar.fullmatch(text):
        raise ValueError(f"not one of the export's own formulas: {text!r}")
    return Formula(text)


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should hold it: text that could start a formula is made inert."""
    if isinstance(value, Formula):
        return str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(rows: Iterable[Iterable[Any]], *, bom: bool = True) -> Iterator[str]:
    """CSV text line by line (for a streaming response), every cell through `safe_cell`.
    The byte-order mark lets Excel open UTF-8 with the right characters."""
    writer = csv.writer(_Echo())
    for count, values in enumerate(rows):
        line = writer.writerow(safe_row(values))
        yield ("\ufeff" + line) if bom and count == 0 else line


def csv_stream(rows: Iterable[Iterable[Any]]) -> Iterator[bytes]:
    """`csv_lines` as UTF-8 bytes, for a `StreamingHttpResponse`."""
    for line in csv_lines(rows):
        yield line.encode("utf-8")


def csv_bytes(rows: Iterable[Iterable[Any]]) -> bytes:
    return "".join(csv_lines(rows)).encode("utf-8")
