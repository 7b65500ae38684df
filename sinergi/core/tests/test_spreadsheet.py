"""User text never becomes a formula in a CSV or XLSX file."""

import csv
import io
from decimal import Decimal

from openpyxl import Workbook, load_workbook

from sinergi.core.spreadsheet import append_row, csv_lines, safe_cell, write_cell

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def test_text_that_starts_a_formula_is_made_inert_and_other_values_pass():
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert safe_cell("Tenggarong") == "Tenggarong"
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-1.50")) == Decimal("-1.50") and safe_cell(None) is None


def test_xlsx_holds_no_formula_cell_from_user_text():
    book = Workbook()
    sheet = book.active
    append_row(sheet, HOSTILE)
    write_cell(sheet, 2, 1, "=HYPERLINK(\"http://x\")")
    buffer = io.BytesIO()
    book.save(buffer)
    reopened = load_workbook(io.BytesIO(buffer.getvalue())).active
    cells = [c for row in reopened.iter_rows() for c in row if c.value is not None]
    assert len(cells) == len(HOSTILE) + 1
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in cells)


def test_csv_cells_start_with_an_apostrophe_and_the_file_starts_with_a_bom():
    text = "".join(csv_lines([["nama", "kontak"], ["Budi", HOSTILE[0]]]))
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))
    assert rows == [["nama", "kontak"], ["Budi", "'" + HOSTILE[0]]]
