"""Every write of the meetings module: one transaction each, a history row, validation."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency
from sinergi.areas.models import Area
from sinergi.core.errors import ClientIdReused, ValidationFailed
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
from sinergi.meetings.permissions import ACTION, DECISION, INVITEE, MEETING, MEETINGS, check_write


@dataclass(frozen=True)
class InviteeSpec:
    agency_code: str = ""
    person_name: str = ""
    person_title: str = ""
    attendance: str = Attendance.INVITED
    represented_by: str = ""


def _plain(value: Any) -> Any:
    """A body value as JSON carries it (dates and moments as ISO text)."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if timezone.is_aware(value) else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return value


def _body(**values: Any) -> dict[str, Any]:
    return {k: _plain(v.strip() if isinstance(v, str) else v) for k, v in values.items()}


def _history(obj_type: str, key: Any, action: str, actor: Any, area: str, **extra: Any) -> None:
    history_record(
        object_type=f"meetings.{obj_type}", object_key=str(key), action=action, actor=actor, area_code=area, **extra
    )


def _agency(code: str, field: str) -> Agency:
    agency = Agency.objects.filter(code=code).first()
    if agency is None:
        raise ValidationFailed(_("instansi '%(code)s' tidak dikenal") % {"code": code}, field=field)
    return agency


def _area(code: str, field: str = "area_code") -> Area:
    area = Area.objects.filter(code=code).first()
    if area is None:
        raise ValidationFailed(_("wilayah '%(code)s' tidak dikenal") % {"code": code}, field=field)
    return area


def _fit(model: Any, field: str, value: str | None, name: str | None = None) -> None:
    """Refuse text longer than its column: PostgreSQL raises DataError (a 500), SQLite stores it whole."""
    limit = model._meta.get_field(field).max_length
    if limit and value and len(value.strip()) > limit:
        raise ValidationFailed(_("%(field)s: paling panjang %(limit)d karakter") % {"field": name or field, "limit": limit}, field=name or field)


def _moment_check(value: datetime | None, field: str) -> None:
    """A meeting moment in 2000-2099: year 1 or 9999 overflows when shifted to UTC or to local time (a 500
    when stored, and on every page that shows the meeting afterwards)."""
    if value is not None and not 2000 <= value.year <= 2099:
        raise ValidationFailed(_("waktu rapat harus antara tahun 2000 dan 2099"), field=field)


def _required(value: str, field: str, label: str) -> str:
    value = (value or "").strip()
    if not value:
        raise ValidationFailed(_("%(label)s wajib diisi") % {"label": label}, field=field)
    return value


def meeting_create(**kwargs: Any) -> Meeting:
    """Create a meeting (see `meeting_record`); a retry with the same client id returns the stored one."""
    return meeting_record(**kwargs)[0]


@transaction.atomic
def meeting_record(
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
) -> tuple[Meeting, bool]:
    """Create a meeting; open action items of earlier meetings in the area join its agenda.
    Returns the meeting and whether it was created now (False: a retry of the same client id)."""
    _moment_check(starts_at, "starts_at")
    _moment_check(ends_at, "ends_at")
    sent = _body(
        kind=kind_slug,
        title=title,
        area_code=area_code,
        starts_at=starts_at,
        ends_at=ends_at,
        venue=venue,
        organiser=organiser_code,
        chair_name=chair_name,
        chair_title=chair_title,
        on_behalf_of=on_behalf_of,
    )
    client_id = client_id or None
    if client_id and (stored := Meeting.objects.filter(client_id=client_id).first()):
        return _meeting_replay(actor, stored, client_id, sent), False
    MEETINGS.check(actor, area_code, write=True, what="rapat")
    _fit(Meeting, "client_id", client_id)
    for column, text in [("title", title), ("venue", venue), ("chair_name", chair_name)]:
        _fit(Meeting, column, text)
    _fit(Meeting, "chair_title", chair_title)
    _fit(Meeting, "on_behalf_of", on_behalf_of)
    if timezone.is_naive(starts_at) or (ends_at is not None and timezone.is_naive(ends_at)):
        raise ValidationFailed(_("waktu rapat harus menyertakan zona waktu"), field="starts_at")
    if ends_at is not None and ends_at < starts_at:
        raise ValidationFailed(_("waktu selesai sebelum waktu mulai"), field="ends_at")
    kind = MeetingKind.objects.filter(slug=kind_slug).first()
    if kind is None:
        raise ValidationFailed(_("jenis rapat '%(kind)s' tidak dikenal") % {"kind": kind_slug}, field="kind")
    fields = {
        "kind": kind,
        "title": _required(title, "title", _("judul")),
        "area": _area(area_code),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": _required(venue, "venue", _("tempat")),
        "organiser": _agency(organiser_code, "organiser"),
        "chair_name": _required(chair_name, "chair_name", _("pimpinan rapat")),
        "chair_title": chair_title.strip(),
        "on_behalf_of": on_behalf_of.strip(),
    }
    try:
        with transaction.atomic():
            meeting = Meeting.objects.create(
                **fields, client_id=client_id, created_by=actor if getattr(actor, "pk", None) else None
            )
    except IntegrityError:
        # A concurrent retry stored the same client id first (PostgreSQL waits for it, then refuses).
        stored = Meeting.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return _meeting_replay(actor, stored, client_id or "", sent), False
    for spec in invitees:
        _invitee_create(meeting, spec)
    for text in agenda:
        _agenda_append(meeting, text)
    carried = _carry_open_actions(meeting)
    _history("meeting", meeting.pk, "created", actor, area_code, note=f"{carried} tindak lanjut terbawa")
    return meeting, True


def _meeting_body(meeting: Meeting) -> dict[str, Any]:
    return _body(
        kind=meeting.kind.slug,
        title=meeting.title,
        area_code=meeting.area_id,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        venue=meeting.venue,
        organiser=meeting.organiser.code,
        chair_name=meeting.chair_name,
        chair_title=meeting.chair_title,
        on_behalf_of=meeting.on_behalf_of,
    )


def _meeting_replay(actor: Any, stored: Meeting, client_id: str, sent: dict[str, Any]) -> Meeting:
    """The stored meeting for a retry with the same body; 409 naming both bodies otherwise."""
    readable = MEETINGS.can_read(actor, stored.area_id)
    if readable and _meeting_body(stored) == sent:
        MEETINGS.check(actor, stored.area_id, write=True, what="rapat")
        return stored
    raise ClientIdReused(client_id, what=gettext("rapat"), stored=_meeting_body(stored) if readable else {}, sent=sent)


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
    _fit(AgendaItem, "title", title, "agenda")
    return AgendaItem.objects.create(
        meeting=meeting, position=_next_position(meeting), title=_required(title, "agenda", _("acara")), notes=notes
    )


def _invitee_create(meeting: Meeting, spec: InviteeSpec) -> Invitee:
    agency = _agency(spec.agency_code, "agency") if spec.agency_code else None
    _fit(Invitee, "person_name", spec.person_name)
    _fit(Invitee, "person_title", spec.person_title)
    if agency is None and not spec.person_name.strip():
        raise ValidationFailed(_("undangan perlu instansi atau nama orang"), field="invitees")
    invitee = Invitee(
        meeting=meeting, agency=agency, person_name=spec.person_name.strip(), person_title=spec.person_title.strip()
    )
    _attendance_apply(invitee, spec.attendance, spec.represented_by)
    invitee.save()
    return invitee


def _attendance_apply(invitee: Invitee, attendance: str, represented_by: str) -> None:
    if attendance not in Attendance.values:
        raise ValidationFailed(_("kehadiran '%(value)s' tidak dikenal") % {"value": attendance}, field="attendance")
    _fit(Invitee, "represented_by", represented_by)
    if attendance == Attendance.REPRESENTED and not represented_by.strip():
        raise ValidationFailed(_("sebutkan siapa yang mewakili"), field="represented_by")
    invitee.attendance = attendance
    invitee.represented_by = represented_by.strip() if attendance == Attendance.REPRESENTED else ""


@transaction.atomic
def meeting_update(*, actor: Any, meeting: Meeting, minutes: str, minute_taker: str = "") -> Meeting:
    check_write(MEETING, actor, meeting)
    _fit(Meeting, "minute_taker", minute_taker)
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
    check_write(MEETING, actor, meeting)
    _moment_check(starts_at, "starts_at")
    _moment_check(ends_at, "ends_at")
    for column, text in [("title", title), ("venue", venue), ("chair_name", chair_name)]:
        _fit(Meeting, column, text)
    _fit(Meeting, "chair_title", chair_title)
    _fit(Meeting, "on_behalf_of", on_behalf_of)
    if ends_at is not None and ends_at < starts_at:
        raise ValidationFailed(_("waktu selesai sebelum waktu mulai"), field="ends_at")
    kind = MeetingKind.objects.filter(slug=kind_slug).first()
    if kind is None:
        raise ValidationFailed(_("jenis rapat '%(kind)s' tidak dikenal") % {"kind": kind_slug}, field="kind")
    fields = ["kind_id", "title", "starts_at", "ends_at", "venue", "chair_name", "chair_title", "on_behalf_of"]
    before = {f: getattr(meeting, f) for f in fields}
    after = {
        "kind_id": kind.pk,
        "title": _required(title, "title", _("judul")),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "venue": _required(venue, "venue", _("tempat")),
        "chair_name": _required(chair_name, "chair_name", _("pimpinan rapat")),
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
    check_write(MEETING, actor, meeting)
    invitee = _invitee_create(meeting, spec)
    _history("meeting", meeting.pk, "invitee_added", actor, meeting.area_id, note=str(invitee))
    return invitee


@transaction.atomic
def attendance_set(*, actor: Any, invitee: Invitee, attendance: str, represented_by: str = "") -> Invitee:
    meeting = invitee.meeting
    check_write(INVITEE, actor, invitee)
    before = invitee.attendance
    _attendance_apply(invitee, attendance, represented_by)
    invitee.save(update_fields=["attendance", "represented_by"])
    changes = {"attendance": [before, attendance]}
    _history("meeting", meeting.pk, "attendance", actor, meeting.area_id, changes=changes, note=str(invitee))
    return invitee


@transaction.atomic
def agenda_add(*, actor: Any, meeting: Meeting, title: str, notes: str = "") -> AgendaItem:
    check_write(MEETING, actor, meeting)
    item = _agenda_append(meeting, title, notes.strip())
    _history("meeting", meeting.pk, "agenda_added", actor, meeting.area_id, note=item.title)
    return item


@transaction.atomic
def decision_add(*, actor: Any, meeting: Meeting, text: str, is_public: bool = False) -> Decision:
    check_write(MEETING, actor, meeting)
    last = meeting.decisions.order_by("-number").values_list("number", flat=True).first()
    decision = Decision.objects.create(
        meeting=meeting, number=(last or 0) + 1, text=_required(text, "text", _("isi keputusan")), is_public=is_public
    )
    _history("meeting", meeting.pk, "decision_added", actor, meeting.area_id, note=decision.text[:200])
    return decision


@transaction.atomic
def decision_publicity_set(*, actor: Any, decision: Decision, is_public: bool) -> Decision:
    meeting = decision.meeting
    check_write(DECISION, actor, decision)
    changes = {"is_public": [decision.is_public, is_public]}
    decision.is_public = is_public
    decision.save(update_fields=["is_public"])
    _history("meeting", meeting.pk, "decision_publicity", actor, meeting.area_id, changes=changes)
    return decision


def action_create(**kwargs: Any) -> ActionItem:
    """Add an action item to a decision (see `action_record`)."""
    return action_record(**kwargs)[0]


@transaction.atomic
def action_record(
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
) -> tuple[ActionItem, bool]:
    """Add an action item; a retry with the same client id and body returns the stored one (created False),
    the same client id with another body or on another decision is a 409 naming both."""
    check_write(DECISION, actor, decision)
    sent = _body(
        decision=decision.pk,
        title=title,
        agency=agency_code,
        area_code=area_code,
        due_date=due_date,
        person=person,
        description=description,
    )
    client_id = client_id or None
    if client_id and (stored := ActionItem.objects.filter(client_id=client_id).first()):
        return _action_replay(actor, stored, client_id, sent), False
    meeting = decision.meeting
    _fit(ActionItem, "client_id", client_id)
    _fit(ActionItem, "title", title)
    _fit(ActionItem, "responsible_person", person, "person")
    area = _area(area_code)
    if not (area.code == meeting.area_id or area.code.startswith(meeting.area_id + ".")) and meeting.area_id != "ID":
        raise ValidationFailed(_("wilayah tindak lanjut harus di dalam wilayah rapat"), field="area_code")
    fields = {
        "decision": decision,
        "title": _required(title, "title", _("judul tindak lanjut")),
        "description": description.strip(),
        "responsible_agency": _agency(agency_code, "agency"),
        "responsible_person": person.strip(),
        "area": area,
        "due_date": due_date,
    }
    try:
        with transaction.atomic():
            action = ActionItem.objects.create(**fields, client_id=client_id)
    except IntegrityError:
        stored = ActionItem.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return _action_replay(actor, stored, client_id or "", sent), False
    _history("actionitem", action.pk, "created", actor, area.code, note=action.title)
    return action, True


def _action_body(action: ActionItem) -> dict[str, Any]:
    return _body(
        decision=action.decision_id,
        title=action.title,
        agency=action.responsible_agency.code,
        area_code=action.area_id,
        due_date=action.due_date,
        person=action.responsible_person,
        description=action.description,
    )


def _action_replay(actor: Any, stored: ActionItem, client_id: str, sent: dict[str, Any]) -> ActionItem:
    readable = ACTION.visible(actor).filter(pk=stored.pk).exists()
    if readable and _action_body(stored) == sent:
        return stored
    raise ClientIdReused(
        client_id, what=gettext("tindak lanjut"), stored=_action_body(stored) if readable else {}, sent=sent
    )


def action_status_update(**kwargs: Any) -> ProgressNote:
    """Record progress or a status change (see `action_status_record`)."""
    return action_status_record(**kwargs)[0]


@transaction.atomic
def action_status_record(
    *,
    actor: Any,
    action: ActionItem,
    status: str,
    note: str = "",
    files: Iterable[tuple[str, bytes]] = (),
    client_id: str | None = None,
    channel: str = "web",
) -> tuple[ProgressNote, bool]:
    """Record progress or a status change. A retry with the same client id and body returns the stored
    note (created False); the same client id with another body, or on another action item, is a 409."""
    check_write(ACTION, actor, action)
    if status not in ActionStatus.values:
        raise ValidationFailed(_("status '%(status)s' tidak dikenal") % {"status": status}, field="status")
    _fit(ProgressNote, "client_id", client_id)
    checked = [evidence_check(name, content) for name, content in files]
    note = note.strip()
    sent = _body(status=status, note=note)
    client_id = client_id or None
    # The row lock serialises updates of one action: a concurrent retry waits here, then finds the note.
    locked = ActionItem.objects.select_for_update().get(pk=action.pk)
    if client_id and (stored := ProgressNote.objects.filter(client_id=client_id).first()):
        return _note_replay(actor, stored, action, client_id, sent), False
    _status_rules(locked.status, status, note, bool(checked))
    try:
        with transaction.atomic():
            progress = ProgressNote.objects.create(
                action=locked,
                author=actor if getattr(actor, "pk", None) else None,
                status_before=locked.status,
                status_after=status,
                text=note,
                client_id=client_id,
            )
    except IntegrityError:
        # The same client id stored concurrently on another action item.
        stored = ProgressNote.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return _note_replay(actor, stored, action, client_id or "", sent), False
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
    return progress, True


def _note_replay(
    actor: Any, stored: ProgressNote, action: ActionItem, client_id: str, sent: dict[str, Any]
) -> ProgressNote:
    stored_body = _body(status=stored.status_after, note=stored.text)
    if stored.action_id == action.pk:
        if stored_body == sent:
            return stored
        raise ClientIdReused(client_id, what=gettext("catatan pada tindak lanjut ini"), stored=stored_body, sent=sent)
    readable = ACTION.visible(actor).filter(pk=stored.action_id).exists()
    what = f"catatan pada tindak lanjut lain (#{stored.action_id})" if readable else "catatan pada tindak lanjut lain"
    raise ClientIdReused(client_id, what=what, stored=stored_body if readable else {}, sent=sent)


def _status_rules(before: str, after: str, note: str, has_files: bool) -> None:
    if before == after and not (note or has_files):
        raise ValidationFailed(_("tulis catatan kemajuan atau ubah status"), field="note")
    if after == ActionStatus.DROPPED and not note:
        raise ValidationFailed(_("alasan pembatalan wajib ditulis"), field="note")
    if before not in OPEN_STATUSES and after in OPEN_STATUSES and not note:
        raise ValidationFailed(_("alasan membuka kembali wajib ditulis"), field="note")
