"""PDFs: one writer for every printable document (minutes, the daily report, annexes, activation sheets).

A document is built top to bottom from a small vocabulary (titles, headings, text, a facts table, a
grid of columns, a signature block, cards with a QR code) in the shared styles, and every page ends
with the same footer: what the document is, when it was generated in the area's zone, and the page
number. Text is escaped here, so a name with `<` or `&` is printed as typed; numbers, rupiah and dates
are written in the active language by the column's kind (`columns.text`).
"""

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Flowable, KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sinergi.core import formatting
from sinergi.core.documents import styles
from sinergi.core.documents.columns import Column, labels, text

_SAMPLE = getSampleStyleSheet()
BODY = ParagraphStyle("body", parent=_SAMPLE["BodyText"], fontSize=styles.BODY_SIZE, leading=12)
SMALL = ParagraphStyle("small", parent=BODY, fontSize=styles.SMALL_SIZE, leading=10.5)
TINY = ParagraphStyle("tiny", parent=BODY, fontSize=styles.TINY_SIZE, leading=9)
STRONG = ParagraphStyle("strong", parent=BODY, fontName=styles.BOLD_FONT, fontSize=10.5, leading=13)
H1 = ParagraphStyle("h1", parent=_SAMPLE["Title"], fontSize=styles.H1_SIZE, leading=18)
H2 = ParagraphStyle("h2", parent=_SAMPLE["Heading2"], fontSize=styles.H2_SIZE, leading=14, spaceBefore=8)
_GRID = colors.HexColor("#" + styles.GRID)
_HEAD = colors.HexColor("#" + styles.HEADER_FILL)
CM = styles.CM


def paragraph(value: Any, style: ParagraphStyle = BODY) -> Paragraph:
    """Text as typed (escaped; line breaks kept)."""
    return Paragraph(escape(str(value)).replace("\n", "<br/>"), style)


@dataclass(frozen=True)
class Signature:
    """One signature block: the lines above the room for a signature, and the lines below it."""

    above: Sequence[str]
    below: Sequence[str] = ()


@dataclass(frozen=True)
class Card:
    """A cut-out card: a QR code of `link` beside text lines (the first one bold)."""

    link: str
    lines: Sequence[str] = field(default_factory=list)


class _QrCode(Flowable):
    """A QR code of a link; on screen the square is also a clickable link to it."""

    def __init__(self, link: str, size: float) -> None:
        super().__init__()
        self.link, self.width, self.height = link, size, size

    def draw(self) -> None:
        widget = QrCodeWidget(self.link, barLevel="M")
        x0, y0, x1, y1 = widget.getBounds()
        drawing = Drawing(self.width, self.height, transform=[self.width / (x1 - x0), 0, 0, self.height / (y1 - y0), 0, 0])
        drawing.add(widget)
        renderPDF.draw(drawing, self.canv, 0, 0)
        self.canv.linkURL(self.link, (0, 0, self.width, self.height), relative=1)


class Document:
    """A PDF built top to bottom. `area_code` sets the zone of the footer's generation time."""

    def __init__(
        self,
        title: str,
        *,
        area_code: str = formatting.NATION,
        footer: str = "",
        author: str = "Sinergi",
        wide: bool = False,
        margin: float = styles.MARGIN,
        now: dt.datetime | None = None,
    ) -> None:
        self.title, self.footer, self.author = title, footer or title, author
        self.area_code, self.margin = area_code, margin
        self.page_size = landscape(A4) if wide else A4
        self.generated = formatting.datetime(now or timezone.now(), area_code, short=True)
        self.story: list[Any] = []

    @property
    def frame_width(self) -> float:
        return self.page_size[0] - 2 * self.margin

    def heading(self, *lines: str) -> None:
        self.story += [paragraph(line, H1) for line in lines]

    def subheading(self, line: str) -> None:
        self.story.append(paragraph(line, H2))

    def text(self, value: str, *, small: bool = False) -> None:
        self.story.append(paragraph(value, SMALL if small else BODY))

    def space(self, points: float = 6) -> None:
        self.story.append(Spacer(1, points))

    def numbered(self, title: str, lines: Sequence[str]) -> None:
        """A heading and its numbered lines; nothing at all when there are no lines."""
        if lines:
            self.subheading(title)
            self.story += [paragraph(f"{i}. {line}") for i, line in enumerate(lines, 1)]

    def facts(self, pairs: Sequence[tuple[str, str]], *, label_share: float = 0.25) -> None:
        """Label and value pairs in two columns, without a grid."""
        widths = [self.frame_width * label_share, self.frame_width * (1 - label_share)]
        table = Table([[paragraph(a), paragraph(b)] for a, b in pairs], colWidths=widths)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.story.append(table)

    def table(
        self,
        columns: Sequence[Column],
        rows: Iterable[Sequence[Any]],
        *,
        tints: dict[tuple[int, int], str] | None = None,
        style: ParagraphStyle = SMALL,
    ) -> None:
        """A grid with the columns' labels (in the active language) as a repeated header row; each
        value written by its column's kind. `tints` colours cells by status: {(column, row): "warn"},
        rows counted from 1 (the first data row)."""
        header = [Paragraph(f"<b>{escape(label)}</b>", style) for label in labels(columns)]
        body = [[paragraph(text(v, c.kind), style) for c, v in zip(columns, values, strict=True)] for values in rows]
        total = sum(c.width for c in columns)
        table = Table([header, *body], colWidths=[self.frame_width * c.width / total for c in columns], repeatRows=1)
        commands: list[Any] = [
            ("GRID", (0, 0), (-1, -1), 0.4, _GRID),
            ("BACKGROUND", (0, 0), (-1, 0), _HEAD),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ]
        for (column, row), status in (tints or {}).items():
            if status in styles.STATUS_TINTS:
                tint = colors.HexColor("#" + styles.STATUS_TINTS[status])
                commands.append(("BACKGROUND", (column, row), (column, row), tint))
        table.setStyle(TableStyle(commands))
        self.story.append(table)

    def signatures(self, left: Signature, right: Signature) -> None:
        """Two signature blocks side by side, kept on one page."""

        def block(signature: Signature) -> list[Any]:
            return [
                *[paragraph(line) for line in signature.above],
                Spacer(1, 2.2 * CM),
                *[paragraph(line, BODY if i == 0 else SMALL) for i, line in enumerate(signature.below)],
            ]

        table = Table([[block(left), block(right)]], colWidths=[self.frame_width / 2] * 2)
        table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
        self.story.append(KeepTogether([Spacer(1, 0.8 * CM), table]))

    def cards(self, cards: Sequence[Card], *, per_row: int = 2, qr_size: float = 3.6 * CM) -> None:
        """Cards to cut out, `per_row` across, with dashed lines between them."""
        width = self.frame_width / per_row

        def card(item: Card) -> Table:
            lines = [paragraph(line, STRONG if i == 0 else SMALL) for i, line in enumerate(item.lines)]
            inner = Table([[_QrCode(item.link, qr_size), lines]], colWidths=[qr_size + 0.2 * CM, width - qr_size - 0.6 * CM])
            inner.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 2)]))
            return inner

        rows = [list(cards[i : i + per_row]) for i in range(0, len(cards), per_row)]
        grid = [[card(item) for item in row] + [""] * (per_row - len(row)) for row in rows]
        table = Table(grid, colWidths=[width] * per_row)
        table.setStyle(
            TableStyle(
                [
                    ("BOX", (0, 0), (-1, -1), 0.4, _GRID),
                    ("INNERGRID", (0, 0), (-1, -1), 0.4, _GRID),
                    ("LINEBELOW", (0, 0), (-1, -1), 0.4, _GRID, None, (2, 2)),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 6),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 6),
                ]
            )
        )
        self.story.append(table)

    def _draw_footer(self, canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont(styles.FONT, styles.FOOTER_SIZE)
        low = self.margin * 0.55
        canvas.drawString(self.margin, low, f"Sinergi · {self.footer}")
        stamp = _("Dibuat %(time)s · Halaman %(page)s") % {"time": self.generated, "page": doc.page}
        canvas.drawRightString(self.page_size[0] - self.margin, low, stamp)
        canvas.restoreState()

    def to_bytes(self) -> bytes:
        buffer = BytesIO()
        doc = SimpleDocTemplate(
            buffer,
            pagesize=self.page_size,
            leftMargin=self.margin,
            rightMargin=self.margin,
            topMargin=self.margin,
            bottomMargin=self.margin,
            title=self.title,
            author=self.author,
        )
        doc.build(self.story or [Spacer(1, 1)], onFirstPage=self._draw_footer, onLaterPages=self._draw_footer)
        return buffer.getvalue()
