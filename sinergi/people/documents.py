"""Roster exports (CSV/XLSX, the import's own columns, so an export can be edited and imported
again) and the printable activation sheet with a QR code per person (PDF)."""

from collections.abc import Iterator
from dataclasses import dataclass
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from openpyxl import Workbook
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sinergi.core.batching import chunked
from sinergi.core.spreadsheet import append_row
from sinergi.people.models import Person
from sinergi.people.phones import display
from sinergi.people.selectors import masked, phones_of

EXPORT_HEADER = ["name", "phone", "role", "agency", "area_code", "email", "position", "tps_code", "activated_at"]
FICTITIOUS_NOTE = "+62 810-0xxx-xxxx"


def export_rows(people: QuerySet[Person], *, clear_phones: bool) -> Iterator[list[Any]]:
    """The header, then one row per person in the import's format (phones as 0812-..., `;` between
    them); `clear_phones=False` masks them (read-only roles)."""
    yield EXPORT_HEADER
    query = people.select_related("user", "agency").order_by("area_id", "pk")
    for chunk in chunked(query.iterator(chunk_size=2000), 2000):
        phones = phones_of([p.pk for p in chunk])
        for person in chunk:
            shown = [display(p) if clear_phones else masked(p) for p in phones[person.pk]]
            yield [
                person.user.get_full_name(),
                "; ".join(shown),
                person.role,
                person.agency.code if person.agency else "",
                person.area_id or "",
                person.user.email,
                person.position,
                person.tps_id or "",
                person.activated_at.isoformat() if person.activated_at else "",
            ]


def export_xlsx(rows: Iterator[list[Any]], title: str) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(title[:31] or "roster")
    for values in rows:
        append_row(sheet, values)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# --- the activation sheet ---


@dataclass(frozen=True)
class SheetEntry:
    name: str
    role: str
    where: str  # TPS or desa/kecamatan name
    username: str
    phone: str  # masked
    link: str


_STYLES = getSampleStyleSheet()
_NAME = ParagraphStyle("name", parent=_STYLES["BodyText"], fontName="Helvetica-Bold", fontSize=10.5, leading=13)
_SMALL = ParagraphStyle("small", parent=_STYLES["BodyText"], fontSize=8, leading=10)
_H1 = ParagraphStyle("h1", parent=_STYLES["Title"], fontSize=14, leading=18)
QR_SIZE = 3.6 * cm
PER_ROW = 2


def _qr(link: str) -> Drawing:
    widget = QrCodeWidget(link, barLevel="M")
    x0, y0, x1, y1 = widget.getBounds()
    drawing = Drawing(QR_SIZE, QR_SIZE, transform=[QR_SIZE / (x1 - x0), 0, 0, QR_SIZE / (y1 - y0), 0, 0])
    drawing.add(widget)
    return drawing


def _cell(entry: SheetEntry) -> Table:
    text = [
        Paragraph(escape(entry.name), _NAME),
        Paragraph(escape(entry.role), _SMALL),
        Paragraph(escape(entry.where), _SMALL),
        Paragraph(escape(_("Nama pengguna: %(username)s") % {"username": entry.username}), _SMALL),
        Paragraph(escape(_("HP: %(phone)s") % {"phone": entry.phone}), _SMALL),
        Spacer(1, 2),
        Paragraph(
            escape(_("Pindai kode QR dengan kamera HP, lalu buat kata sandi atau masuk dengan kode SMS.")), _SMALL
        ),
    ]
    inner = Table([[_qr(entry.link), text]], colWidths=[QR_SIZE + 0.2 * cm, 4.6 * cm])
    inner.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
    return inner


def activation_sheet_pdf(*, title: str, subtitle: str, entries: list[SheetEntry], expires_text: str) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=1.2 * cm,
        rightMargin=1.2 * cm,
        topMargin=1.2 * cm,
        bottomMargin=1.2 * cm,
        title=title,
        author="Sinergi",
    )
    story: list[Any] = [
        Paragraph(escape(title), _H1),
        Paragraph(escape(subtitle), _SMALL),
        Paragraph(
            escape(
                _(
                    "Setiap kode QR adalah tautan aktivasi pribadi, sekali pakai, berlaku sampai %(expires)s. "
                    "Gunting dan serahkan kepada orang yang bersangkutan saja."
                )
                % {"expires": expires_text}
            ),
            _SMALL,
        ),
        Spacer(1, 6),
    ]
    rows = [entries[i : i + PER_ROW] for i in range(0, len(entries), PER_ROW)]
    grid = [[_cell(entry) for entry in row] + [""] * (PER_ROW - len(row)) for row in rows]
    table = Table(grid, colWidths=[9.3 * cm] * PER_ROW)
    table.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.4, colors.grey),
                ("INNERGRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("LINEBELOW", (0, 0), (-1, -1), 0.4, colors.grey, None, (2, 2)),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TOPPADDING", (0, 0), (-1, -1), 6),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
            ]
        )
    )
    story.append(table)
    doc.build(story)
    return buffer.getvalue()
