"""The one cell writer for every CSV and XLSX Sinergi hands out.

Text that a user typed (a public reporter's contact, an action item, an officer's name) must never
become a formula in a file an official opens: a cell that starts with `=`, `+`, `-`, `@`, a tab or a
carriage return is stored with a leading apostrophe, as OWASP recommends for CSV injection. Numbers,
dates and booleans pass through as typed values; only text is neutralised.
"""

import csv
from collections.abc import Iterable, Iterator
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """The value as a spreadsheet should hold it: text that could start a formula is made inert."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(v) for v in values]


def append_row(sheet: Any, values: Iterable[Any]) -> None:
    """`sheet.append` for an openpyxl worksheet (normal or write-only), through `safe_cell`."""
    sheet.append(safe_row(values))


def write_cell(sheet: Any, row: int, column: int, value: Any) -> Any:
    """`sheet.cell(row, column, value)` through `safe_cell`; returns the cell for styling."""
    return sheet.cell(row=row, column=column, value=safe_cell(value))


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
