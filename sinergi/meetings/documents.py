"""Minutes as PDF (a layout fit for signature) and the action list as XLSX, through the document
toolkit (`core.documents`): headers in the reader's language, dates and times in the meeting
area's zone."""

import datetime as dt
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.core import formatting
from sinergi.core.documents import Column, Document, Kind, Signature, Workbook
from sinergi.core.timezones import local_time
from sinergi.meetings.models import ActionItem, Meeting

T = Kind.TEXT
ATTENDANCE = [
    Column("no", gettext_lazy("No."), width=1),
    Column("who", gettext_lazy("Instansi / nama"), width=10),
    Column("attendance", gettext_lazy("Kehadiran"), width=6),
]
ACTIONS = [
    Column("no", gettext_lazy("No."), width=1),
    Column("title", gettext_lazy("Tindak lanjut"), width=6.5),
    Column("responsible", gettext_lazy("Penanggung jawab"), width=4.5),
    Column("due_date", gettext_lazy("Tenggat"), Kind.DATE, 2.3),
    Column("status", gettext_lazy("Status"), width=2.7),
]
ACTION_COLUMNS = [
    Column("no", gettext_lazy("No."), Kind.INTEGER, 5),
    Column("meeting", gettext_lazy("Rapat"), T, 34),
    Column("meeting_date", gettext_lazy("Tanggal rapat"), Kind.DATE, 14),
    Column("decision", gettext_lazy("Keputusan"), Kind.INTEGER, 10),
    Column("title", gettext_lazy("Tindak lanjut"), T, 50),
    Column("agency", gettext_lazy("Instansi penanggung jawab"), T, 34),
    Column("person", gettext_lazy("Orang"), T, 20),
    Column("area", gettext_lazy("Wilayah"), T, 26),
    Column("due_date", gettext_lazy("Tenggat"), Kind.DATE, 12),
    Column("status", gettext_lazy("Status"), T, 16),
    Column("days_late", gettext_lazy("Lewat tenggat (hari)"), Kind.INTEGER, 12),
]


def when_text(meeting: Meeting) -> str:
    """03-09-2024 pukul 09.00-12.30 WITA, in the meeting area's zone (09/03/2024 at 09:00-12:30 WITA)."""
    area, zone = meeting.area_id, formatting.zone_label(meeting.area_id)
    hours = [formatting.time(m, area).removesuffix(f" {zone}") for m in (meeting.starts_at, meeting.ends_at) if m]
    day = formatting.date(local_time(meeting.starts_at, area).date(), short=True)
    return _("%(date)s pukul %(time)s %(zone)s") % {"date": day, "time": "–".join(hours), "zone": zone}


def minutes_pdf(detail: dict[str, Any]) -> bytes:
    meeting: Meeting = detail["meeting"]
    doc = Document(
        _("Notulen %(title)s") % {"title": meeting.title},
        area_code=meeting.area_id,
        footer=_("notulen rapat koordinasi"),
        author=meeting.organiser.name,
    )
    doc.heading(_("NOTULEN RAPAT"), meeting.title.upper())
    doc.space()
    doc.facts(_facts(meeting))
    _attendance(doc, detail["invitees"])
    doc.numbered(_("Acara"), [a.title for a in detail["agenda"]])
    if meeting.minutes:
        doc.subheading(_("Jalannya rapat"))
        doc.text(meeting.minutes)
    doc.numbered(_("Keputusan"), [d.text for d, _public in detail["decisions"]])
    _actions(doc, detail["actions"])
    doc.signatures(*_signatures(meeting))
    return doc.to_bytes()


def _facts(meeting: Meeting) -> list[tuple[str, str]]:
    chair = meeting.chair_name + (f", {meeting.chair_title}" if meeting.chair_title else "")
    if meeting.on_behalf_of:
        chair += " " + _("(mewakili %(whom)s)") % {"whom": meeting.on_behalf_of}
    return [
        (_("Jenis rapat"), meeting.kind.name),
        (_("Hari/tanggal, waktu"), when_text(meeting)),
        (_("Tempat"), meeting.venue),
        (_("Penyelenggara"), meeting.organiser.name),
        (_("Pimpinan rapat"), chair),
        (_("Wilayah"), f"{meeting.area.name} ({meeting.area_id})"),
    ]


def _attendance(doc: Document, invitees: list) -> None:
    if not invitees:
        return
    rows = []
    for i, inv in enumerate(invitees, 1):
        who = " – ".join(x for x in [inv.agency.name if inv.agency else "", inv.person_name, inv.person_title] if x)
        status = inv.get_attendance_display() + (f": {inv.represented_by}" if inv.represented_by else "")
        rows.append([i, who, status])
    doc.subheading(_("Daftar undangan dan kehadiran"))
    doc.table(ATTENDANCE, rows)


def _actions(doc: Document, actions: list[ActionItem]) -> None:
    if not actions:
        return
    rows = []
    for i, a in enumerate(actions, 1):
        who = a.responsible_agency.name + (f" ({a.responsible_person})" if a.responsible_person else "")
        rows.append([i, a.title, who, a.due_date, a.get_status_display()])
    doc.subheading(_("Rencana tindak lanjut"))
    doc.table(ACTIONS, rows)


def _signatures(meeting: Meeting) -> tuple[Signature, Signature]:
    place = meeting.venue.split(",")[-1].strip() or meeting.area.name
    day = formatting.date(local_time(meeting.starts_at, meeting.area_id).date(), short=True)
    chair_role = [_("Pimpinan Rapat") + ","]
    if meeting.on_behalf_of:
        chair_role.append(_("a.n. %(whom)s") % {"whom": meeting.on_behalf_of})
    notary = Signature([_("Notulis,")], [meeting.minute_taker or "(.............................)"])
    chair = Signature([f"{place}, {day}", *chair_role], [meeting.chair_name, meeting.chair_title])
    return notary, chair


def actions_xlsx(actions: list[ActionItem], *, today: dt.date, title: str) -> bytes:
    book = Workbook()
    # Action and meeting titles are user text: the toolkit's cell writer keeps them inert.
    sheet = book.sheet(_("Tindak lanjut"), ACTION_COLUMNS, heading=[title], wrap=True)
    for i, a in enumerate(actions, 1):
        meeting = a.decision.meeting
        late = (today - a.due_date).days if a.is_open and a.due_date < today else 0
        sheet.row(
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
            ]
        )
    return book.to_bytes()
