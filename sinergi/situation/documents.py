"""The daily situation report as PDF and XLSX, rendered from a snapshot (plain data, no ORM)."""

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import formats
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sinergi.core.spreadsheet import append_row

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=9.5, leading=12)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8.5, leading=10.5)
_H1 = ParagraphStyle("h1", parent=_STYLES["Title"], fontSize=15, leading=19)
_H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11.5, leading=14, spaceBefore=8)
_STATUS = {"ok": "Baik", "warn": "Perlu perhatian", "bad": "Buruk", "info": ""}
_STATUS_COLOURS = {"ok": "#dcedc8", "warn": "#ffe082", "bad": "#ef9a9a"}


def value_text(value: Any, unit: str = "") -> str:
    """A metric in the active language: 1.447 TPS, 71,5 % (Indonesian); 1,447 TPS, 71.5 % (English)."""
    if value is None:
        return "–"
    if isinstance(value, bool):
        text = str(value)
    elif isinstance(value, float):
        places = 0 if value == int(value) else 1 if round(value, 1) == round(value, 2) else 2
        text = formats.number_format(round(value, places), places, use_l10n=True, force_grouping=True)
    elif isinstance(value, int):
        text = formats.number_format(value, 0, use_l10n=True, force_grouping=True)
    else:
        text = str(value)
    if unit == "Rp":
        return f"Rp {text}"
    return f"{text} {unit}".strip()


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(str(text)), style)


def _grid(rows: list[list[Any]], widths: list[float], extra: list[tuple] | None = None) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    style = [
        ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6edf2")),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
    ]
    table.setStyle(TableStyle(style + (extra or [])))
    return table


def report_title(snapshot: dict[str, Any]) -> str:
    return f"Laporan Situasi Harian {snapshot['area']['name']}"


def report_pdf(snapshot: dict[str, Any]) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.8 * cm,
        rightMargin=1.8 * cm,
        topMargin=1.6 * cm,
        bottomMargin=1.6 * cm,
        title=report_title(snapshot),
        author="Sinergi",
    )
    story: list[Any] = [
        _p("LAPORAN SITUASI HARIAN", _H1),
        _p(f"{snapshot['area']['name']} ({snapshot['area']['code']})", _H1),
    ]
    story += [_p(_heading_line(snapshot)), Spacer(1, 6)]
    if not snapshot["sections"]:
        story.append(_p("Belum ada data dari modul mana pun untuk wilayah ini."))
    for section in snapshot["sections"]:
        story += _section(section)
    story += _attention(snapshot["attention"])
    story += _children(snapshot)
    if snapshot["failed"]:
        story.append(
            _p("Data modul berikut tidak tersedia saat laporan dibuat: " + ", ".join(snapshot["failed"]), _SMALL)
        )
    doc.build(story, onFirstPage=_footer(snapshot), onLaterPages=_footer(snapshot))
    return buffer.getvalue()


def _heading_line(snapshot: dict[str, Any]) -> str:
    line = f"Tanggal {_date_text(snapshot['date'])} · {snapshot['phase_label']}"
    if snapshot["days_to_vote"] is not None and snapshot["phase"] == "before":
        line += f" · H-{snapshot['days_to_vote']} ({_date_text(snapshot['next_voting_date'])})"
    return line


def _date_text(iso: str | None) -> str:
    return "–" if not iso else f"{iso[8:10]}-{iso[5:7]}-{iso[:4]}"


def _section(section: dict[str, Any]) -> list[Any]:
    title = section["label"] + (" (hari pemungutan)" if section["live"] else "")
    rows: list[list[Any]] = [["Ukuran", "Nilai", "Keadaan"]]
    extra = []
    for i, m in enumerate(section["metrics"], 1):
        rows.append([_p(m["label"], _SMALL), value_text(m["value"], m["unit"]), _STATUS.get(m["status"], "")])
        if m["status"] in _STATUS_COLOURS:
            extra.append(("BACKGROUND", (2, i), (2, i), colors.HexColor(_STATUS_COLOURS[m["status"]])))
    return [_p(title, _H2), _grid(rows, [9.5 * cm, 4 * cm, 3.9 * cm], extra)]


def _attention(items: list[dict[str, Any]]) -> list[Any]:
    if not items:
        return [_p("Perlu perhatian sekarang", _H2), _p("Tidak ada.")]
    rows: list[list[Any]] = [["No", "Urgensi", "Hal", "Wilayah", "Modul"]]
    for i, a in enumerate(items, 1):
        text = a["title"] + (f" — {a['detail']}" if a["detail"] else "")
        rows.append([str(i), str(a["urgency"]), _p(text, _SMALL), a["area_code"], a["module"]])
    return [_p("Perlu perhatian sekarang", _H2), _grid(rows, [1 * cm, 1.6 * cm, 9.5 * cm, 3 * cm, 2.3 * cm])]


def _children(snapshot: dict[str, Any]) -> list[Any]:
    layers, children = snapshot["layers"], snapshot["children"]
    if not layers or not children:
        return []
    rows: list[list[Any]] = [["Wilayah", *[_p(layer["label"], _SMALL) for layer in layers]]]
    for c in children:
        rows.append(
            [_p(c["name"], _SMALL), *[value_text(c["values"].get(layer["key"]), layer["unit"]) for layer in layers]]
        )
    width = (17.4 - 5) / len(layers)
    return [_p("Per wilayah di bawahnya", _H2), _grid(rows, [5 * cm, *[width * cm] * len(layers)])]


def _footer(snapshot: dict[str, Any]):
    def draw(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(1.8 * cm, 1 * cm, f"Sinergi · {report_title(snapshot)} · {_date_text(snapshot['date'])}")
        canvas.drawRightString(A4[0] - 1.8 * cm, 1 * cm, f"Halaman {doc.page}")
        canvas.restoreState()

    return draw


def report_xlsx(snapshot: dict[str, Any]) -> bytes:
    book = Workbook()
    summary = book.active
    summary.title = "Ringkasan"
    append_row(summary, [report_title(snapshot)])
    summary["A1"].font = Font(bold=True, size=13)
    append_row(summary, [_heading_line(snapshot)])
    append_row(summary, [])
    _header(summary, ["Modul", "Ukuran", "Nilai", "Satuan", "Keadaan"])
    for section in snapshot["sections"]:
        for m in section["metrics"]:
            append_row(summary, [section["label"], m["label"], m["value"], m["unit"], _STATUS.get(m["status"], "")])
    attention = book.create_sheet("Perlu perhatian")
    _header(attention, ["Urgensi", "Hal", "Keterangan", "Wilayah", "Modul"])
    for a in snapshot["attention"]:
        append_row(attention, [a["urgency"], a["title"], a["detail"], a["area_code"], a["module"]])
    children = book.create_sheet("Per wilayah")
    _header(children, ["Kode", "Wilayah", *[layer["label"] for layer in snapshot["layers"]]])
    for c in snapshot["children"]:
        append_row(children, [c["code"], c["name"], *[c["values"].get(layer["key"]) for layer in snapshot["layers"]]])
    for sheet, widths in ((summary, [24, 48, 16, 10, 16]), (attention, [10, 60, 50, 18, 14]), (children, [16, 34])):
        for index, width in enumerate(widths):
            sheet.column_dimensions[chr(ord("A") + index)].width = width
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def _header(sheet: Any, names: list[str]) -> None:
    append_row(sheet, names)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6EDF2")
