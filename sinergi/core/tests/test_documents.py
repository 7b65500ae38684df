"""The document toolkit: user text never becomes a formula, headers follow the reader's language,
numbers stay numbers with formats, PDFs carry the shared footer, and no module outside the toolkit
writes a workbook or a PDF by hand."""

import ast
import csv
import datetime as dt
import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import gettext_lazy
from openpyxl import load_workbook
from pypdf import PdfReader

from sinergi.core.documents import (
    Card,
    Column,
    Document,
    Kind,
    Workbook,
    csv_lines,
    formula,
    local_moment,
    safe_cell,
    single_sheet,
)
from sinergi.core.documents.columns import text

HOSTILE = ["=cmd|' /C calc'!A0", "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]
COLUMNS = [
    Column("name", gettext_lazy("Nama"), Kind.TEXT, 20),
    Column("amount", gettext_lazy("Jumlah (Rp)"), Kind.RUPIAH, 18),
    Column("share", gettext_lazy("Persentase"), Kind.FRACTION, 10),
    Column("due_on", gettext_lazy("Batas Waktu"), Kind.DATE, 12),
    Column("count", gettext_lazy("Jumlah TPS"), Kind.INTEGER, 10),
]
ROW = ["Polres Kukar", Decimal("1447000.50"), Decimal("0.25"), dt.date(2024, 11, 27), 1447]
PACKAGE = Path(__file__).resolve().parents[2]  # sinergi/
TOOLKIT = PACKAGE / "core" / "documents"


def _book(content: bytes):
    return load_workbook(io.BytesIO(content))


def _pdf_text(content: bytes) -> str:
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_text_that_starts_a_formula_is_made_inert_and_other_values_pass():
    assert [safe_cell(v) for v in HOSTILE] == ["'" + v for v in HOSTILE]
    assert safe_cell("Tenggarong") == "Tenggarong"
    assert safe_cell(-5) == -5 and safe_cell(Decimal("-1.50")) == Decimal("-1.50") and safe_cell(None) is None


def test_xlsx_holds_no_formula_cell_from_user_text():
    book = Workbook()
    sheet = book.sheet("=cmd", [Column("x", "=HYPERLINK(1)")], heading=["@judul"], boxed=True)
    sheet.row(HOSTILE[:1])
    sheet.rows([[v] for v in HOSTILE[1:]])
    sheet.line('=HYPERLINK("http://x")')
    cells = [c for row in _book(book.to_bytes()).active.iter_rows() for c in row if c.value is not None]
    assert len(cells) == len(HOSTILE) + 3  # title, header, rows, line
    assert all(c.data_type == "s" and str(c.value).startswith("'") for c in cells)


def test_only_an_exports_own_formula_is_a_formula():
    grammar = re.compile(r"=SUM\([A-J][0-9]+:[A-J][0-9]+\)")
    book = Workbook()
    book.sheet("s", COLUMNS[1:2]).rows([[Decimal(1)], [Decimal(2)], [formula("=SUM(A2:A3)", grammar)]])
    cells = list(_book(book.to_bytes()).active.iter_rows(min_row=2, values_only=True))
    assert cells == [(1,), (2,), ("=SUM(A2:A3)",)]
    with pytest.raises(ValueError):
        formula("=SUM(A2:A3)+cmd|' /C calc'!A0", grammar)


def test_csv_cells_start_with_an_apostrophe_and_the_file_starts_with_a_bom():
    text_ = "".join(csv_lines([["nama", "kontak"], ["Budi", HOSTILE[0]]]))
    assert text_.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text_.lstrip("\ufeff"))))
    assert rows == [["nama", "kontak"], ["Budi", "'" + HOSTILE[0]]]


@pytest.mark.parametrize(("language", "header"), [("id", ["Nama", "Wilayah", "Status"]), ("en", ["Name", "Area", "Status"])])
def test_xlsx_headers_follow_the_language(language, header):
    columns = [Column(key, gettext_lazy(label)) for key, label in [("name", "Nama"), ("area", "Wilayah"), ("s", "Status")]]
    with translation.override(language):
        content = single_sheet("s", columns, [["Polres Kukar", "Kukar", "Terbuka"]])
    assert [c.value for c in _book(content).active[1]] == header


@pytest.mark.parametrize(("language", "date_format"), [("id", "DD-MM-YYYY"), ("en", "MM/DD/YYYY")])
def test_xlsx_values_stay_typed_with_number_formats(language, date_format):
    with translation.override(language):
        content = single_sheet("s", COLUMNS, [ROW])
    sheet = _book(content).active
    _name, amount, share, due, count = sheet[2]
    assert (amount.value, amount.number_format) == (Decimal("1447000.5"), "#,##0;[Red]-#,##0")
    assert (share.value, share.number_format) == (0.25, "0.00%")
    assert (due.value, due.number_format) == (dt.datetime(2024, 11, 27), date_format)
    assert (count.value, count.number_format) == (1447, "#,##0")
    assert sheet.freeze_panes == "A2"


def test_pdf_text_uses_the_languages_notation():
    with translation.override("id"):
        shown = [text(v, c.kind) for c, v in zip(COLUMNS, ROW, strict=True)]
        assert shown == ["Polres Kukar", "Rp 1.447.000,50", "25,00 %", "27-11-2024", "1.447"]
    with translation.override("en"):
        shown = [text(v, c.kind) for c, v in zip(COLUMNS, ROW, strict=True)]
        assert shown == ["Polres Kukar", "Rp 1,447,000.50", "25.00 %", "11/27/2024", "1,447"]
        assert text(None, Kind.RUPIAH) == "–" and text(87.5, Kind.NUMBER) == "87.5"


def test_a_moment_is_the_wall_clock_of_the_areas_zone():
    moment = dt.datetime(2024, 11, 27, 5, 0, tzinfo=dt.UTC)
    assert local_moment(moment, "64.02") == dt.datetime(2024, 11, 27, 13, 0)  # WITA
    assert local_moment(moment, "91.01") == dt.datetime(2024, 11, 27, 14, 0)  # WIT
    assert local_moment(None, "64.02") is None


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("id", ["Dibuat 27-11-2024 13.00 WITA · Halaman 1", "Jumlah (Rp)", "Rp 1.447.000,50", "25,00 %"]),
        ("en", ["Generated 11/27/2024 13:00 WITA · Page 1", "Rp 1,447,000.50", "25.00 %"]),
    ],
)
def test_pdf_has_the_footer_in_the_areas_zone_and_the_table_in_the_language(language, expected):
    with translation.override(language):
        doc = Document("Uji", area_code="64.02", footer="uji", now=dt.datetime(2024, 11, 27, 5, 0, tzinfo=dt.UTC))
        doc.heading("Judul <b>&</b>")
        doc.table(COLUMNS, [ROW])
        content = doc.to_bytes()
    shown = _pdf_text(content)
    for fragment in ["Judul <b>&</b>", "Sinergi · uji", *expected]:
        assert fragment in shown, fragment
    metadata = PdfReader(io.BytesIO(content)).metadata
    assert metadata is not None and metadata.title == "Uji"


def test_a_qr_card_carries_its_link_as_a_clickable_area():
    doc = Document("Kartu")
    doc.cards([Card("https://sinergi.example/aktivasi/abc/", ["Siti", "KPPS"]), Card("https://x.example/2/", ["Budi"])])
    page = PdfReader(io.BytesIO(doc.to_bytes())).pages[0]
    links = [a.get_object()["/A"]["/URI"] for a in page.get("/Annots", [])]  # type: ignore[union-attr]
    assert links == ["https://sinergi.example/aktivasi/abc/", "https://x.example/2/"]
    assert "Siti" in page.extract_text()


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_outside_the_toolkit_writes_a_workbook_or_a_pdf():
    """Tests may read files (load_workbook, pypdf); code writes them only through `core.documents`."""
    offenders = [
        str(path.relative_to(PACKAGE))
        for path in PACKAGE.rglob("*.py")
        if TOOLKIT not in path.parents
        and "tests" not in path.relative_to(PACKAGE).parts
        and _imports(path) & {"openpyxl", "reportlab"}
    ]
    assert offenders == []
    assert {"openpyxl", "reportlab"} <= set().union(*(_imports(p) for p in TOOLKIT.glob("*.py")))
