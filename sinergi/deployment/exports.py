"""The order annex (lampiran surat perintah) of one unit as XLSX and PDF."""

import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sinergi.core.spreadsheet import append_row
from sinergi.deployment.selectors import AnnexPost

HEADER = ["Pos", "Kecamatan", "Kelas", "TPS", "Kebutuhan P/T/L", "Kekurangan P/T/L", "Personel"]


@dataclass(frozen=True)
class AnnexMeta:
    plan_title: str
    plan_label: str  # e.g. "#3 v1 · Disetujui"
    unit_name: str
    area_name: str


def _people_text(post: AnnexPost) -> str:
    lines = []
    for p in post.people:
        line = f"{p['count']} {p['kind']} {p['unit']} ({p['pool']})"
        if p["desa"]:
            line += f" desa {p['desa']}"
        if p["names"]:
            line += ": " + "; ".join(p["names"])
        lines.append(line)
    return "\n".join(lines)


def _row(post: AnnexPost) -> list:
    p = post.post
    return [
        p.number,
        p.kecamatan.name,
        p.get_tps_class_display(),
        ", ".join(code for code, _ in p.tps),
        f"{p.demand_polri}/{p.demand_tni}/{p.demand_linmas}",
        f"{p.short_polri}/{p.short_tni}/{p.short_linmas}",
        _people_text(post),
    ]


def annex_xlsx(meta: AnnexMeta, posts: list[AnnexPost]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Lampiran"
    # Every cell goes through the one cell writer: names and titles typed by users never become formulas.
    append_row(sheet, [f"Lampiran rencana pengamanan TPS: {meta.unit_name}"])
    append_row(sheet, [f"{meta.plan_title} ({meta.plan_label}) · {meta.area_name}"])
    append_row(sheet, [])
    append_row(sheet, HEADER)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    sheet["A1"].font = Font(bold=True, size=13)
    for post in posts:
        append_row(sheet, _row(post))
    for column, width in zip("ABCDEFG", (6, 18, 14, 50, 16, 16, 80), strict=True):
        sheet.column_dimensions[column].width = width
    for row in sheet.iter_rows(min_row=5):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def annex_pdf(meta: AnnexMeta, posts: list[AnnexPost]) -> bytes:
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=landscape(A4),
        leftMargin=12 * mm,
        rightMargin=12 * mm,
        topMargin=12 * mm,
        bottomMargin=12 * mm,
        title=f"Lampiran {meta.unit_name}",
    )
    styles = getSampleStyleSheet()
    small = styles["BodyText"].clone("small", fontSize=7.5, leading=9)
    story = [
        Paragraph(f"Lampiran rencana pengamanan TPS: {_esc(meta.unit_name)}", styles["Title"]),
        Paragraph(f"{_esc(meta.plan_title)} ({_esc(meta.plan_label)}) · {_esc(meta.area_name)}", styles["Normal"]),
        Spacer(1, 4 * mm),
    ]
    data = [[Paragraph(f"<b>{h}</b>", small) for h in HEADER]]
    for post in posts:
        data.append([Paragraph(_esc(str(v)).replace("\n", "<br/>"), small) for v in _row(post)])
    table = Table(data, colWidths=[12 * mm, 28 * mm, 22 * mm, 60 * mm, 24 * mm, 24 * mm, 103 * mm], repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.3, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e3e8ec")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    story.append(table if posts else Paragraph("Tidak ada pos untuk satuan ini.", styles["Normal"]))
    doc.build(story)
    return buffer.getvalue()


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
