"""The XLSX a regency finance office (BPKAD) recognises: a recap per recipient with the NPHD,
budget years, disbursed, realised, returned and balance, a total row with SUM formulas, the
disbursement schedule and the reconciliation, and a signature block.

Every cell goes through `core.spreadsheet.write_cell`, so text typed by a user (a recipient's name,
an NPHD number, a figure's source) can never become a formula. The only formulas are the ones this
module builds from cell coordinates (`_formula`), checked against a closed grammar.
"""

import datetime as dt
import re
from decimal import Decimal
from io import BytesIO
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sinergi.core.spreadsheet import write_cell
from sinergi.grants.models import Tranche

MONEY = "#,##0;[Red]-#,##0"
PCT = "0.00%"
THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="DDE6EE")
STATUS = {"upcoming": "Belum jatuh tempo", "due": "Segera jatuh tempo", "paid": "Lunas", "late": "Terlambat"}
RECAP_HEADERS = [
    ("No", 5),
    ("Penerima Hibah", 34),
    ("Nomor NPHD", 26),
    ("Tanggal NPHD", 13),
    ("Pemilihan", 28),
    ("Nilai NPHD (Rp)", 20),
    ("Disalurkan (Rp)", 20),
    ("Realisasi Belanja (Rp)", 20),
    ("Dikembalikan ke Kas Daerah (Rp)", 20),
    ("Sisa Dana (Rp)", 20),
    ("% Penyaluran", 11),
    ("% Penyerapan", 11),
    ("Tahap Berikutnya", 30),
]
# Formulas this module writes itself: cell references, SUM, IF, arithmetic and comparisons; nothing else.
OWN_FORMULA = re.compile(r"=(?:[A-J][0-9]{1,7}(?::[A-J][0-9]{1,7})?|SUM|IF|[0-9()+\-*/=,])+")


class Formula(str):
    """A formula built by this module from cell coordinates (never from stored text)."""


def _formula(text: str) -> Formula:
    if not OWN_FORMULA.fullmatch(text):
        raise ValueError(f"not one of the export's own formulas: {text!r}")
    return Formula(text)


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    """The one cell writer of this export: our own formulas as formulas, everything else through
    `write_cell` (which makes text that looks like a formula inert)."""
    if isinstance(value, Formula):
        return sheet.cell(row=row, column=column, value=str(value))
    return write_cell(sheet, row, column, value)


def workbook_bytes(data: Any, *, today: dt.date, reconciliation: list) -> bytes:
    book = Workbook()
    recap = book.active
    assert recap is not None
    recap.title = "Rekapitulasi"
    _recap(recap, data, today)
    _schedule(book.create_sheet("Jadwal Pencairan"), data)
    _reconciliation(book.create_sheet("Rekonsiliasi"), reconciliation)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _title(sheet: Worksheet, lines: list[str], width: int) -> int:
    for row, text in enumerate(lines, start=1):
        _put(sheet, row, 1, text).font = Font(bold=True, size=12 if row == 1 else 11)
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
        sheet.cell(row=row, column=1).alignment = Alignment(horizontal="center")
    return len(lines) + 2


def _header(sheet: Worksheet, row: int, headers: list[tuple[str, int]]) -> None:
    for col, (text, width) in enumerate(headers, start=1):
        cell = _put(sheet, row, col, text)
        cell.font, cell.fill, cell.border = Font(bold=True), HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        sheet.column_dimensions[get_column_letter(col)].width = width
    sheet.row_dimensions[row].height = 32
    sheet.freeze_panes = sheet.cell(row=row + 1, column=3)


def _recap(sheet: Worksheet, data: Any, today: dt.date) -> None:
    top = _title(
        sheet,
        [
            f"PEMERINTAH {data.area.name.upper()}",
            "REKAPITULASI PENYALURAN DAN REALISASI BELANJA HIBAH PILKADA",
            f"Keadaan per {today:%d-%m-%Y}",
        ],
        len(RECAP_HEADERS),
    )
    _header(sheet, top, RECAP_HEADERS)
    first = top + 1
    for index, row in enumerate(data.rows, start=1):
        a = row.agreement
        r = top + index
        nxt = row.next_tranche
        values = [
            index,
            a.recipient.name,
            a.number,
            a.signed_on,
            a.election.name,
            a.amount,
            a.disbursed,
            a.spent,
            a.refunded,
            _formula(f"=G{r}-H{r}-I{r}"),
            _formula(f"=IF(F{r}=0,0,G{r}/F{r})"),
            _formula(f"=IF(G{r}=0,0,H{r}/G{r})"),
            f"{nxt.label}, {nxt.due_on:%d-%m-%Y} ({STATUS[nxt.status]})" if nxt else "Seluruh tahap lunas",
        ]
        _write_row(sheet, r, values)
    last = top + len(data.rows)
    total = last + 1
    _write_row(
        sheet,
        total,
        [
            "",
            "JUMLAH",
            "",
            None,
            "",
            *[_formula(f"=SUM({c}{first}:{c}{last})") for c in "FGHIJ"],
            _formula(f"=IF(F{total}=0,0,G{total}/F{total})"),
            _formula(f"=IF(G{total}=0,0,H{total}/G{total})"),
            "",
        ],
    )
    for col in range(1, len(RECAP_HEADERS) + 1):
        sheet.cell(row=total, column=col).font = Font(bold=True)
    _signature(sheet, total + 3)


def _write_row(sheet: Worksheet, r: int, values: list) -> None:
    for col, value in enumerate(values, start=1):
        cell = _put(sheet, r, col, value)
        cell.border = BOX
        if col in (6, 7, 8, 9, 10):
            cell.number_format = MONEY
        elif col in (11, 12):
            cell.number_format = PCT
        elif isinstance(value, dt.date):
            cell.number_format = "DD-MM-YYYY"


def _signature(sheet: Worksheet, row: int) -> None:
    lines = [
        "Mengetahui,",
        "Kepala BPKAD",
        "",
        "",
        "",
        "(................................)",
        "NIP. ...................",
    ]
    for offset, text in enumerate(lines):
        _put(sheet, row + offset, 10, text).alignment = Alignment(horizontal="center")
        sheet.merge_cells(start_row=row + offset, start_column=10, end_row=row + offset, end_column=12)


def _schedule(sheet: Worksheet, data: Any) -> None:
    headers = [
        ("Penerima Hibah", 34),
        ("Nomor NPHD", 26),
        ("Tahap", 18),
        ("Persentase", 11),
        ("Jumlah (Rp)", 20),
        ("Batas Waktu", 13),
        ("Dasar", 46),
        ("Status", 20),
    ]
    top = _title(sheet, ["JADWAL PENCAIRAN HIBAH PILKADA", data.area.name], len(headers))
    _header(sheet, top, headers)
    ids = [row.agreement.pk for row in data.rows]
    by_id = {row.agreement.pk: row.agreement for row in data.rows}
    r = top
    for t in Tranche.objects.filter(agreement_id__in=ids).order_by("agreement_id", "seq"):
        a = by_id[t.agreement_id]
        r += 1
        status = "Lunas" if t.cumulative <= a.disbursed else "Belum lunas"
        values = [a.recipient.name, a.number, t.label, t.share_pct / Decimal(100), t.amount, t.due_on, t.rule, status]
        for col, value in enumerate(values, start=1):
            cell = _put(sheet, r, col, value)
            cell.border = BOX
            cell.number_format = {4: PCT, 5: MONEY, 6: "DD-MM-YYYY"}.get(col, "General")


def _reconciliation(sheet: Worksheet, lines: list) -> None:
    headers = [
        ("Angka", 46),
        ("Jenis", 24),
        ("Jumlah (Rp)", 20),
        ("Menurut NPHD di sistem (Rp)", 22),
        ("Selisih (Rp)", 20),
        ("Sumber", 10),
        ("Keterangan", 60),
    ]
    top = _title(sheet, ["REKONSILIASI ANGGARAN HIBAH PILKADA"], len(headers))
    _header(sheet, top, headers)
    for offset, line in enumerate(lines, start=1):
        f = line.figure
        values = [
            f.label,
            f.get_kind_display(),
            f.amount,
            line.system_amount,
            line.gap,
            f.source_key,
            f"{f.source} {f.note}".strip(),
        ]
        for col, value in enumerate(values, start=1):
            cell = _put(sheet, top + offset, col, value)
            cell.border = BOX
            if col in (3, 4, 5):
                cell.number_format = MONEY
