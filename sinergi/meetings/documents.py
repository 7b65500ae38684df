"""Minutes as PDF (a layout fit for signature) and the action list as XLSX."""

from io import BytesIO
from typing import Any
from xml.sax.saxutils import escape

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import cm
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from sinergi.core.spreadsheet import append_row
from sinergi.core.timezones import local_time, zone_abbreviation, zone_for_area
from sinergi.meetings.models import ActionItem, Meeting

_STYLES = getSampleStyleSheet()
_BODY = ParagraphStyle("body", parent=_STYLES["BodyText"], fontSize=10, leading=13)
_SMALL = ParagraphStyle("small", parent=_BODY, fontSize=8.5, leading=10.5)
_H1 = ParagraphStyle("h1", parent=_STYLES["Title"], fontSize=14, leading=18)
_H2 = ParagraphStyle("h2", parent=_STYLES["Heading2"], fontSize=11.5, leading=14, spaceBefore=8)


def when_text(meeting: Meeting) -> str:
    start = local_time(meeting.starts_at, meeting.area_id)
    zone = zone_abbreviation(zone_for_area(meeting.area_id))
    text = f"{start:%d-%m-%Y} pukul {start:%H.%M}"
    if meeting.ends_at:
        text += f"–{local_time(meeting.ends_at, meeting.area_id):%H.%M}"
    return f"{text} {zone}"


def _p(text: str, style: ParagraphStyle = _BODY) -> Paragraph:
    return Paragraph(escape(text).replace("\n", "<br/>"), style)


def _table(rows: list[list[Any]], widths: list[float]) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e6edf2")),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def minutes_pdf(detail: dict[str, Any]) -> bytes:
    meeting: Meeting = detail["meeting"]
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=2 * cm,
        rightMargin=2 * cm,
        topMargin=1.8 * cm,
        bottomMargin=1.8 * cm,
        title=f"Notulen {meeting.title}",
        author=meeting.organiser.name,
    )
    story: list[Any] = [_p("NOTULEN RAPAT", _H1), _p(meeting.title.upper(), _H1), Spacer(1, 6)]
    story.append(_facts(meeting))
    story += _attendance(detail["invitees"])
    story += _numbered("Acara", [a.title for a in detail["agenda"]])
    if meeting.minutes:
        story += [_p("Jalannya rapat", _H2), _p(meeting.minutes)]
    story += _numbered("Keputusan", [d.text for d, _ in detail["decisions"]])
    story += _actions(detail["actions"])
    story.append(_signatures(meeting))
    doc.build(story, onFirstPage=_footer, onLaterPages=_footer)
    return buffer.getvalue()


def _facts(meeting: Meeting) -> Table:
    chair = meeting.chair_name + (f", {meeting.chair_title}" if meeting.chair_title else "")
    if meeting.on_behalf_of:
        chair += f" (mewakili {meeting.on_behalf_of})"
    rows = [
        ["Jenis rapat", meeting.kind.name],
        ["Hari/tanggal, waktu", when_text(meeting)],
        ["Tempat", meeting.venue],
        ["Penyelenggara", meeting.organiser.name],
        ["Pimpinan rapat", chair],
        ["Wilayah", f"{meeting.area.name} ({meeting.area_id})"],
    ]
    table = Table([[_p(a), _p(b)] for a, b in rows], colWidths=[4.2 * cm, 12.8 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return table


def _attendance(invitees: list) -> list[Any]:
    if not invitees:
        return []
    rows: list[list[Any]] = [["No", "Instansi / nama", "Kehadiran"]]
    for i, inv in enumerate(invitees, 1):
        who = " – ".join(x for x in [inv.agency.name if inv.agency else "", inv.person_name, inv.person_title] if x)
        status = inv.get_attendance_display() + (f": {inv.represented_by}" if inv.represented_by else "")
        rows.append([str(i), _p(who, _SMALL), _p(status, _SMALL)])
    return [_p("Daftar undangan dan kehadiran", _H2), _table(rows, [1 * cm, 10 * cm, 6 * cm])]


def _numbered(title: str, lines: list[str]) -> list[Any]:
    if not lines:
        return []
    return [_p(title, _H2), *[_p(f"{i}. {text}") for i, text in enumerate(lines, 1)]]


def _actions(actions: list[ActionItem]) -> list[Any]:
    if not actions:
        return []
    rows: list[list[Any]] = [["No", "Tindak lanjut", "Penanggung jawab", "Tenggat", "Status"]]
    for i, a in enumerate(actions, 1):
        who = a.responsible_agency.name + (f" ({a.responsible_person})" if a.responsible_person else "")
        rows.append(
            [str(i), _p(a.title, _SMALL), _p(who, _SMALL), f"{a.due_date:%d-%m-%Y}", _p(a.get_status_display(), _SMALL)]
        )
    return [_p("Rencana tindak lanjut", _H2), _table(rows, [1 * cm, 6.5 * cm, 4.5 * cm, 2.3 * cm, 2.7 * cm])]


def _signatures(meeting: Meeting) -> KeepTogether:
    place = meeting.venue.split(",")[-1].strip() or meeting.area.name
    date = local_time(meeting.starts_at, meeting.area_id)
    chair_role = "Pimpinan Rapat" + (f",<br/>a.n. {escape(meeting.on_behalf_of)}" if meeting.on_behalf_of else "")
    left = [
        Paragraph("Notulis,", _BODY),
        Spacer(1, 2.2 * cm),
        _p(meeting.minute_taker or "(.............................)"),
    ]
    right = [
        _p(f"{place}, {date:%d-%m-%Y}"),
        Paragraph(chair_role, _BODY),
        Spacer(1, 2.2 * cm),
        _p(meeting.chair_name),
        _p(meeting.chair_title, _SMALL),
    ]
    table = Table([[left, right]], colWidths=[8.5 * cm, 8.5 * cm])
    table.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP")]))
    return KeepTogether([Spacer(1, 0.8 * cm), table])


def _footer(canvas: Any, doc: Any) -> None:
    canvas.saveState()
    canvas.setFont("Helvetica", 8)
    canvas.drawString(2 * cm, 1.1 * cm, "Sinergi · notulen rapat koordinasi")
    canvas.drawRightString(A4[0] - 2 * cm, 1.1 * cm, f"Halaman {doc.page}")
    canvas.restoreState()


ACTION_COLUMNS = [
    ("No", 5),
    ("Rapat", 34),
    ("Tanggal rapat", 14),
    ("Keputusan", 10),
    ("Tindak lanjut", 50),
    ("Instansi penanggung jawab", 34),
    ("Orang", 20),
    ("Wilayah", 26),
    ("Tenggat", 12),
    ("Status", 16),
    ("Lewat tenggat (hari)", 12),
]


def actions_xlsx(actions: list[ActionItem], *, today: Any, title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = "Tindak lanjut"
    # Every cell goes through the one cell writer: action and meeting titles are user text.
    append_row(sheet, [title])
    sheet["A1"].font = Font(bold=True, size=13)
    append_row(sheet, [name for name, _ in ACTION_COLUMNS])
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="E6EDF2")
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, a in enumerate(actions, 1):
        meeting = a.decision.meeting
        late = (today - a.due_date).days if a.is_open and a.due_date < today else 0
        append_row(
            sheet,
            [
                i,
                meeting.title,
                local_time(meeting.starts_at, meeting.area_id).date(),
                a.decision.number,
                a.title,
                a.responsible_agency.name,
                a.responsible_person,
                f"{a.area.name} ({a.area_id})",
                a.due_date,
                a.get_status_display(),
                late,
            ],
        )
    for index, (_, width) in enumerate(ACTION_COLUMNS, 1):
        sheet.column_dimensions[sheet.cell(row=2, column=index).column_letter].width = width
    for row in sheet.iter_rows(min_row=3):
        row[2].number_format = row[8].number_format = "DD-MM-YYYY"
    sheet.freeze_panes = "A3"
    out = BytesIO()
    book.save(out)
    return out.getvalue()
