"""Every write of the meetings module: one transaction each, a history row, validation."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area
from sinergi.core.errors import Forbidden, ValidationFailed
from sinergi.core.history import changed_fields, history_record
from sinergi.meetings.evidence import evidence_check
from sinergi.meetings.models import (
    OPEN_STATUSES,
    ActionItem,
    ActionStatus,
    AgendaItem,
    Attendance,
    Decision,
    Evidence,
    Invitee,
    Meeting,
    MeetingKind,
    ProgressNote,
)
from sinergi.meetings.permissions import MEETINGS
from sinergi.meetings.selectors import action_can_update


@dataclass(frozen=True)
class InviteeSpec:
    agency_code: str = ""
    person_name: str = ""
    person_title: str = ""
    attendance: str = Attendance.INVITED
    represented_by: str = ""


def _history(obj_type: str, key: Any, action: str, actor: Any, area: str, **extra: Any) -> None:
    history_record(
        object_type=f"meetings.{obj_type}", object_key=str(key), action=action, actor=actor, area_code=area, **extra
    )


def _agency(code: str, field: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ValidationFailed(f"instansi {code!r} tidak dikenal", field=field)
    return agency


def _area(code: str, field: str = "area_code") -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise ValidationFailed(f"wilayah {code!r} tidak dikenal", field=field)
    return area


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(f"{label} wajib diisi", field=field)
    return value


@transaction.atomic
def meeting_create(
    *,
    actor: Any,
    kind_slug: str,
    title: str,
    area_code: str,
    starts_at: datetime,
    venue: str,
    organiser_code: str,
    chair_name: str,
    chair_title: str = "",
    on_behalf_of: str = "",
    ends_at: datetime | None = None,
    invitees: Sequence[InviteeSpec] = (),
    agenda: Sequence[str] = (),
    client_id: str | None = None,
) -> Meeting:
    """Create a meeting; open action items of earlier meetings in the area join its agenda."""
    if client_id and (stored := Meeting.objects.filter(client_id=client_id).first()):
        MEETINGS.check(actor, stored.area_id, write=True, what="rapat")
        return stored
    MEETINGS.check(actor, area_code, write=True, what="rapat")
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ValidationFailed("waktu rapat harus menyertakan zona waktu", field="starts_at")
    if ends_at is not None and ends_at < starts_at:
        raise ValidationFailed("waktu selesai sebelum waktu mulai", field="ends_at")
    kind = MeetingKind.objects.filter(slug=kind_slug).first()
    if kind is None:
        raise ValidationFailed(f"jenis rapat {kind_slug!r} tidak dikenal", field="kind")
    meeting = Meeting.objects.create(
        kind=kind,
        title=_required(title, "title", "judul"),
        area=_area(area_code),
        starts_at=starts_at,
        ends_at=ends_at,
        venue=_required(venue, "venue", "tempat"),
        organiser=_agency(organiser_code, "organiser"),
        chair_name=_required(chair_name, "chair_name", "pimpinan rapat"),
        chair_title=chair_title.strip(),
        on_behalf_of=on_behalf_of.strip(),
        client_id=client_id or None,
        created_by=actor if getattr(actor, "pk", None) else None,
    )
    for spec in invitees:
        _invitee_create(meeting, spec)
    for text in agenda:
        _agenda_append(meeting, text)
    carried = _carry_open_actions(meeting)
    _history("meeting", meeting.pk, "created", actor, area_code, note=f"{carried} tindak lanjut terbawa")
    return meeting


def _carry_open_actions(meeting: Meeting) -> int:
    """Still-open actions from earlier meetings of the same area become agenda items."""
    actions = (
        ActionItem.objects.still_open()
        .filter(decision__meeting__area_id=meeting.area_id, decision__meeting__starts_at__lt=meeting.starts_at)
        .select_related("responsible_agency")
        .order_by("due_date", "id")
    )
    start = _next_position(meeting)
    items = [
        AgendaItem(
            meeting=meeting,
            position=start + i,
            title=f"Tindak lanjut: {a.title} ({a.responsible_agency.name})",
            carried_action=a,
        )
        for i, a in enumerate(actions)
    ]
    AgendaItem.objects.bulk_create(items)
    return len(items)


def _next_position(meeting: Meeting) -> int:
    last = meeting.agenda.order_by("-position").values_list("position", flat=True).first()
    return (last or 0) + 1


def _agenda_append(meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    return AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), title=_required(title, "agenda", "acara"), notes=notes
    )


def _invitee_create(meeting: Meeting, spec: InviteeSpec) -> Invitee:
    agency = _agency(spec.agency_code, "agency") if spec.agency_code else None
    if agency is None and not spec.person_name.strip():
        raise ValidationFailed("undangan perlu instansi atau nama orang", field="invitees")
    invitee = Invitee(
        meeting=meeting, agency=agency, person_name=spec.person_name.strip(), person_title=spec.person_title.strip()
    )
    _attendance_apply(invitee, spec.attendance, spec.represented_by)
    invitee.save()
    return invitee


def _attendance_apply(invitee: Invitee, attendance: str, represented_by: str) -> None:
    if attendance not in Attendance.values:
        raise ValidationFailed(f"kehadiran {attendance!r} tidak dikenal", field="attendance")
    if attendance == Attendance.REPRESENTED and not represented_by.strip():
        raise ValidationFailed("sebutkan siapa yang mewakili", field="represented_by")
    invitee.attendance = attendance
    invitee.represented_by = represented_by.strip() if attendance == Attendance.REPRESENTED else ""


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, minutes: str, minute_taker: str = "") -> Meeting:
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    before = {"minutes": meeting.minutes, "minute_taker": meeting.minute_taker}
    meeting.minutes, meeting.minute_taker = minutes.strip(), minute_taker.strip()
    meeting.save(update_fields=["minutes", "minute_taker", "updated_at"])
    changed = {k: [len(v), len(getattr(meeting, k))] for k, v in before.items() if v != getattr(meeting, k)}
    _history("meeting", meeting.pk, "minutes", actor, meeting.area_id, changes=changed)
    return meeting


@transaction.atomic
def meeting_details_update(
    *,
    actor: Any,
    meeting: Meeting,
    kind_slug: str,
    title: str,
    starts_at: datetime,
    ends_at: datetime | None,
    venue: str,
    chair_name: str,
    chair_title: str = "",
    on_behalf_of: str = "",
) -> Meeting:
    """Correct a meeting's particulars; the history row keeps the old values."""
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    if ends_at is not None and ends_at < starts_at:
        raise ValidationFailed("waktu selesai sebelum waktu mulai", field="ends_at")
    kind = MeetingKind.objects.filter(slug=kind_slug).first()
    if kind is None:
        raise ValidationFailed(f"jenis rapat {kind_slug!r} tidak dikenal", field="kind")
    fields = ["kind_id", "title", "starts_at", "ends_at", "venue", "chair_name", "chair_title", "on_behalf_of"]
    before = {f: getattr(meeting, f) for f in fields}
    after = {
        "kind_id": kind.pk,
        "title": _required(title, "title", "judul"),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": _required(venue, "venue", "tempat"),
        "chair_name": _required(chair_name, "chair_name", "pimpinan rapat"),
        "chair_title": chair_title.strip(),
        "on_behalf_of": on_behalf_of.strip(),
    }
    for name, value in after.items():
        setattr(meeting, name, value)
    meeting.save(update_fields=[*[f.removesuffix("_id") for f in fields], "updated_at"])
    _history("meeting", meeting.pk, "updated", actor, meeting.area_id, changes=changed_fields(before, after))
    return meeting


@transaction.atomic
def invitee_add(*, actor: Any, meeting: Meeting, spec: InviteeSpec) -> Invitee:
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    invitee = _invitee_create(meeting, spec)
    _history("meeting", meeting.pk, "invitee_added", actor, meeting.area_id, note=str(invitee))
    return invitee


@transaction.atomic
def attendance_set(*, actor: Any, invitee: Invitee, attendance: str, represented_by: str = "") -> Invitee:
    meeting = invitee.meeting
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    before = invitee.attendance
    _attendance_apply(invitee, attendance, represented_by)
    invitee.save(update_fields=["attendance", "represented_by"])
    changes = {"attendance": [before, attendance]}
    _history("meeting", meeting.pk, "attendance", actor, meeting.area_id, changes=changes, note=str(invitee))
    return invitee


@transaction.atomic
def agenda_add(*, actor: Any, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    item = _agenda_append(meeting, title, notes.strip())
    _history("meeting", meeting.pk, "agenda_added", actor, meeting.area_id, note=item.title)
    return item


@transaction.atomic
def decision_add(*, actor: Any, meeting: Meeting, text: str, is_public: bool = False) -> Decision:
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    last = meeting.decisions.order_by("-number").values_list("number", flat=True).first()
    decision = Decision.objects.create(
        meeting=meeting, number=(last or 0) + 1, text=_required(text, "text", "isi keputusan"), is_public=is_public
    )
    _history("meeting", meeting.pk, "decision_added", actor, meeting.area_id, note=decision.text[:200])
    return decision


@transaction.atomic
def decision_publicity_set(*, actor: Any, decision: Decision, is_public: bool) -> Decision:
    meeting = decision.meeting
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    changes = {"is_public": [decision.is_public, is_public]}
    decision.is_public = is_public
    decision.save(update_fields=["is_public"])
    _history("meeting", meeting.pk, "decision_publicity", actor, meeting.area_id, changes=changes)
    return decision


@transaction.atomic
def action_create(
    *,
    actor: Any,
    decision: Decision,
    title: str,
    agency_code: str,
    area_code: str,
    due_date: date,
    person: str = "",
    description: str = "",
    client_id: str | None = None,
) -> ActionItem:
    if client_id and (stored := ActionItem.objects.filter(client_id=client_id).first()):
        return stored
    meeting = decision.meeting
    MEETINGS.check(actor, meeting.area_id, write=True, what="rapat")
    area = _area(area_code)
    if not (area.code == meeting.area_id or area.code.startswith(meeting.area_id + ".")) and meeting.area_id != "ID":
        raise ValidationFailed("wilayah tindak lanjut harus di dalam wilayah rapat", field="area_code")
    action = ActionItem.objects.create(
        decision=decision,
        title=_required(title, "title", "judul tindak lanjut"),
        description=description.strip(),
        responsible_agency=_agency(agency_code, "agency"),
        responsible_person=person.strip(),
        area=area,
        due_date=due_date,
        client_id=client_id or None,
    )
    _history("actionitem", action.pk, "created", actor, area.code, note=action.title)
    return action


@transaction.atomic
def action_status_update(
    *,
    actor: Any,
    action: ActionItem,
    status: str,
    note: str = "",
    files: Iterable[tuple[str, bytes]] = (),
    client_id: str | None = None,
    channel: str = "web",
) -> ProgressNote:
    """Record progress or a status change; a retry with the same client id returns the stored note."""
    if client_id and (stored := ProgressNote.objects.filter(client_id=client_id, action=action).first()):
        return stored
    if not action_can_update(actor, action):
        raise Forbidden("hanya instansi penanggung jawab atau penyelenggara rapat yang dapat memperbarui")
    if status not in ActionStatus.values:
        raise ValidationFailed(f"status {status!r} tidak dikenal", field="status")
    checked = [evidence_check(name, content) for name, content in files]
    note = note.strip()
    _status_rules(action.status, status, note, bool(checked))
    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    progress = ProgressNote.objects.create(
        action=locked,
        author=actor if getattr(actor, "pk", None) else None,
        status_before=locked.status,
        status_after=status,
        text=note,
        client_id=client_id or None,
    )
    for f in checked:
        Evidence.objects.create(
            note=progress,
            file=ContentFile(f.content, name=f.name),
            original_name=f.name,
            content_type=f.content_type,
            size=len(f.content),
            sha256=f.sha256,
        )
    changes = {"status": [locked.status, status]} if locked.status != status else {}
    locked.status = status
    locked.completed_at = timezone.now() if status == ActionStatus.DONE else None
    locked.save(update_fields=["status", "completed_at", "updated_at"])
    action.status, action.completed_at = locked.status, locked.completed_at
    _history(
        "actionitem", action.pk, "status", actor, action.area_id, changes=changes, note=note[:500], channel=channel
    )
    return progress


def _status_rules(before: str, after: str, note: str, has_files: bool) -> None:
    if before == after and not (note or has_files):
        raise ValidationFailed("tulis catatan kemajuan atau ubah status", field="note")
    if after == ActionStatus.DROPPED and not note:
        raise ValidationFailed("alasan pembatalan wajib ditulis", field="note")
    if before not in OPEN_STATUSES and after in OPEN_STATUSES and not note:
        raise ValidationFailed("alasan membuka kembali wajib ditulis", field="note")
