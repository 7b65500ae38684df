"""Workbooks: one writer for every XLSX Sinergi hands out.

Always openpyxl's write-only mode, so a list of 100 000 rows streams to the file instead of being held
as cell objects. Every value goes through `cells.safe_cell`; numbers, rupiah and dates stay typed
values with a number format, so the reader's spreadsheet can add them up.
"""

from collections.abc import Iterable, Sequence
from io import BytesIO
from typing import Any

from openpyxl import Workbook as _Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from sinergi.core.documents import styles
from sinergi.core.documents.cells import Formula, safe_cell
from sinergi.core.documents.columns import Column, labels, number_format

_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=styles.TITLE_SIZE)
_SUBTITLE = Font(bold=True, size=styles.SUBTITLE_SIZE)
_FILL = PatternFill("solid", fgColor=styles.HEADER_FILL)
_SIDE = Side(style="thin", color=styles.GRID)
_BOX = Border(left=_SIDE, right=_SIDE, top=_SIDE, bottom=_SIDE)
_WRAP = Alignment(wrap_text=True, vertical="top")
_HEAD = Alignment(horizontal="center", vertical="center", wrap_text=True)
_CENTRE = Alignment(horizontal="center")
SHEET_TITLE_MAX = 31  # Excel's limit on a sheet name


class Sheet:
    """One worksheet, written top to bottom: its heading and column header at creation, then rows."""

    def __init__(self, book: _Workbook, title: str, columns: Sequence[Column], *, boxed: bool, wrap: bool) -> None:
        self._sheet = book.create_sheet(title[:SHEET_TITLE_MAX] or "-")
        self._formats = [number_format(c.kind) for c in columns]
        self._boxed, self._wrap = boxed, wrap
        self.row_number = 0  # the last row written
        for index, column in enumerate(columns, start=1):
            self._sheet.column_dimensions[get_column_letter(index)].width = column.width

    def _start(self, heading: Sequence[str], columns: Sequence[Column], freeze_columns: int) -> None:
        header_row = len(heading) + (1 if heading else 0) + 1
        if columns:
            self._sheet.freeze_panes = f"{get_column_letter(freeze_columns + 1)}{header_row + 1}"
        for index, line in enumerate(heading):
            self.line(line, font=_TITLE if index == 0 else _SUBTITLE)
        if heading:
            self.blank()
        if columns:
            head = dict(font=_BOLD, fill=_FILL, alignment=_HEAD, border=self._border)
            self._append([self._cell(text, **head) for text in labels(columns)])

    @property
    def _border(self) -> Border | None:
        return _BOX if self._boxed else None

    def _cell(self, value: Any, **style: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(self._sheet, value=safe_cell(value))
        for name, setting in style.items():
            if setting is not None:
                setattr(cell, name, setting)
        return cell

    def _append(self, values: list[Any]) -> None:
        self._sheet.append(values)
        self.row_number += 1

    def row(self, values: Iterable[Any], *, bold: bool = False) -> int:
        """One data row, each value held as its column's kind says; returns the row's number."""
        styled = bold or self._boxed or self._wrap
        cells = []
        for index, value in enumerate(values):
            fmt = self._formats[index] if index < len(self._formats) else None
            typed = value is not None and (isinstance(value, Formula) or not isinstance(value, str))
            if styled or (fmt and typed):
                cells.append(
                    self._cell(
                        value,
                        number_format=fmt if typed else None,
                        font=_BOLD if bold else None,
                        border=self._border,
                        alignment=_WRAP if self._wrap else None,
                    )
                )
            else:
                cells.append(safe_cell(value))
        self._append(cells)
        return self.row_number

    def rows(self, rows: Iterable[Iterable[Any]]) -> None:
        for values in rows:
            self.row(values)

    def line(self, text: str, *, column: int = 1, font: Font | None = None, centred: bool = False) -> None:
        """A single text cell in its own row (a title, a note, a line of a signature block)."""
        cell = self._cell(text, font=font, alignment=_CENTRE if centred else None)
        self._append([None] * (column - 1) + [cell])

    def blank(self) -> None:
        self._append([])

    def signature(self, lines: Sequence[str], *, column: int) -> None:
        """The block an official signs, centred on `column`: role, room for the signature, name."""
        self.blank()
        self.blank()
        for text in lines:
            self.line(text, column=column, centred=True)


class Workbook:
    def __init__(self) -> None:
        self._book = _Workbook(write_only=True)

    def sheet(
        self,
        title: str,
        columns: Sequence[Column] = (),
        *,
        heading: Sequence[str] = (),
        freeze_columns: int = 0,
        boxed: bool = False,
        wrap: bool = False,
    ) -> Sheet:
        """A new sheet with its title lines (the first larger), a blank row, and the column labels in
        the active language, frozen below the header (and right of `freeze_columns`)."""
        sheet = Sheet(self._book, title, columns, boxed=boxed, wrap=wrap)
        sheet._start(heading, columns, freeze_columns)
        return sheet

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        self._book.save(buffer)
        return buffer.getvalue()


def single_sheet(title: str, columns: Sequence[Column], rows: Iterable[Iterable[Any]], **options: Any) -> bytes:
    """The common case: one sheet, a header and the rows (streamed)."""
    book = Workbook()
    book.sheet(title, columns, **options).rows(rows)
    return book.to_bytes()
