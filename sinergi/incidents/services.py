"""Every write to reports: intake, triage transitions, claims, escalation. One transaction each."""

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from sinergi.accounts.models import Agency, Membership, User
from sinergi.accounts.notifications import agency_users, notify
from sinergi.accounts.selectors import covering_agency
from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import Area, Level, PollingStation
from sinergi.core import formatting
from sinergi.core.errors import ClientIdReused, Conflict, DomainError, FieldError, Forbidden, NotFound, ValidationFailed
from sinergi.core.models import Channel
from sinergi.core.timezones import local_time, zone_for_area
from sinergi.core.uploads import CheckedFile
from sinergi.incidents import sla, triage
from sinergi.incidents.models import Attachment, Category, Report, ReportEvent
from sinergi.incidents.permissions import INCIDENTS, REPORTS, claim_refusal, transition_target
from sinergi.incidents.sms_format import normalise_area_code
from sinergi.incidents.tallies import tally_add, tally_transition
from sinergi.incidents.uploads import check_files
from sinergi.reach import routing
from sinergi.risk.services import indicator_set_from_report

TRACKING_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
CLAIM_MINUTES = 15
MAX_DESCRIPTION = 5000
ANONYMOUS_CHANNELS = (Channel.PUBLIC, Channel.SMS)
# Indonesia with a margin: coordinates outside are a swapped lat/lng or a typo.
LAT_RANGE, LNG_RANGE = (-12.0, 7.0), (94.0, 142.0)


@dataclass(frozen=True)
class Intake:
    """What a reporter sends, whatever the channel."""

    category: str
    area_code: str
    description: str
    occurred_at: datetime | None = None
    severity: int | None = None
    lat: float | None = None
    lng: float | None = None
    reporter_name: str = ""
    reporter_contact: str = ""
    client_id: str | None = None
    files: list[tuple[str, bytes]] = field(default_factory=list)


def report_url(report: Report) -> str:
    return f"/laporan/{report.pk}/"


# --- intake -----------------------------------------------------------------------------------


def report_create(
    *, intake: Intake, channel: str, actor: User | None = None, now: datetime | None = None
) -> tuple[Report, bool]:
    """Store a report once: a repeated client id with the same body returns the stored report and
    `False`; with a different body it is a conflict (409) that names both bodies."""
    intake = _with_event_time(intake)
    key = client_key(intake.client_id, channel, actor)
    if key:
        stored = _stored_by_client_id(key, intake, channel, actor)
        if stored is not None:
            return stored, False
    now = now or timezone.now()
    category, desa, station = _validate(intake, channel, actor, now)
    files = check_files(intake.files)
    try:
        with transaction.atomic():
            report = _insert(intake, key, channel, actor, category, desa, station, now)
            _attach(report, files, actor)
    except IntegrityError:
        # A concurrent retry with the same client id committed first: answer with its report.
        stored = _stored_by_client_id(key, intake, channel, actor) if key else None
        if stored is None:
            raise
        return stored, False
    return report, True


# An event time outside these years is a typo (or hostile): refused before any time-zone arithmetic,
# which overflows near year 1 or 9999.
OCCURRED_YEARS = (2000, 2100)


def _with_event_time(intake: Intake) -> Intake:
    """The event time made aware (a time without a zone is the place's wall clock, as on the form)
    and refused, naming the field, when it is outside any plausible year."""
    when = intake.occurred_at
    if when is None:
        return intake
    if not OCCURRED_YEARS[0] <= when.year <= OCCURRED_YEARS[1]:
        reason = _("waktu kejadian %(date)s tidak di antara tahun %(first)d dan %(last)d") % {
            "date": f"{when:%Y-%m-%d}",
            "first": OCCURRED_YEARS[0],
            "last": OCCURRED_YEARS[1],
        }
        raise ValidationFailed(reason, errors=[FieldError("occurred_at", reason)])
    if timezone.is_naive(when):
        codes = normalise_area_code(intake.area_code or "")
        when = when.replace(tzinfo=ZoneInfo(zone_for_area(codes[0] if codes else "ID")))
        intake = replace(intake, occurred_at=when)
    return intake


PUBLIC_CLIENT_PREFIX = "public:"
MAX_CLIENT_ID = 80  # the stored column's length, namespace included


def client_key(client_id: str | None, channel: str, actor: User | None) -> str | None:
    """The stored key of a client id. An anonymous sender's id lives in its own namespace
    (`public:...`), so that it can never name a report of another channel (`sms:<gateway id>`)."""
    if not client_id:
        return None
    key = PUBLIC_CLIENT_PREFIX + client_id if channel == Channel.PUBLIC and actor is None else client_id
    if len(key) > MAX_CLIENT_ID:
        raise ValidationFailed(_("client_id paling banyak %(limit)d karakter") % {"limit": MAX_CLIENT_ID - 8}, field="client_id")
    return key


def _stored_by_client_id(key: str, intake: Intake, channel: str, actor: User | None) -> Report | None:
    stored = Report.objects.select_related("category", "agency").filter(client_id=key).first()
    if stored is None:
        return None
    anonymous = actor is None
    if stored.reporter_id != getattr(actor, "pk", None) or (
        anonymous and (stored.channel != channel or stored.reporter_id is not None)
    ):
        # Someone else's report: say nothing about it.
        raise Conflict(
            gettext("client_id %(id)s sudah dipakai untuk laporan lain") % {"id": intake.client_id},
            code="client_id_taken",
        )
    sent, kept = _body_of(intake, stored), _stored_body(stored)
    if sent != kept and anonymous:
        # Nobody can tell that an anonymous sender is the same person: show neither body.
        raise Conflict(
            gettext("client_id %(id)s sudah dipakai dengan isi lain") % {"id": intake.client_id},
            code="client_id_reused",
        )
    if sent != kept:
        raise ClientIdReused(
            intake.client_id or "", stored=kept, sent=sent, what=gettext("laporan %(ref)s") % {"ref": stored.ref}
        )
    return stored


def _stored_body(report: Report) -> dict:
    return {
        "category": report.category.code,
        "area_code": report.scope_code,
        "description": report.description,
        "severity": report.severity,
        "occurred_at": _utc_text(report.occurred_at),
        "lat": report.lat,
        "lng": report.lng,
        "reporter_name": report.reporter_name,
        "reporter_contact": report.reporter_contact,
    }


def _utc_text(value: datetime) -> str:
    """One instant, one text: a local wall-clock time and its UTC equivalent compare equal."""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, UTC)
    return value.astimezone(UTC).isoformat()


def _body_of(intake: Intake, stored: Report) -> dict:
    """The sent body in the stored body's terms; what the sender left out is what was filled in."""
    codes = normalise_area_code(intake.area_code or "")
    area = (codes[1] or codes[0]) if codes else intake.area_code
    body = _stored_body(stored)
    body.update(
        category=intake.category,
        area_code=area,
        description=intake.description.strip(),
        reporter_contact=intake.reporter_contact.strip()[:120],
    )
    if intake.severity is not None:
        body["severity"] = intake.severity
    if intake.occurred_at is not None:
        body["occurred_at"] = _utc_text(intake.occurred_at)
    if intake.lat is not None or intake.lng is not None:
        body["lat"], body["lng"] = intake.lat, intake.lng
    if intake.reporter_name.strip():
        body["reporter_name"] = intake.reporter_name.strip()[:120]
    return body


def _validate(
    intake: Intake, channel: str, actor: User | None, now: datetime
) -> tuple[Category, Area, PollingStation | None]:
    errors: list[FieldError] = []
    category = Category.objects.filter(code=intake.category, is_active=True).first()
    if category is None:
        errors.append(FieldError("category", _("kategori '%(code)s' tidak dikenal") % {"code": intake.category}))
    desa, station = _place(intake.area_code, errors)
    description = intake.description.strip()
    if not description:
        errors.append(FieldError("description", _("ceritakan apa yang terjadi")))
    elif len(description) > MAX_DESCRIPTION:
        errors.append(FieldError("description", _("paling banyak %(limit)d karakter") % {"limit": MAX_DESCRIPTION}))
    if intake.severity is not None and intake.severity not in (1, 2, 3, 4):
        errors.append(FieldError("severity", _("tingkat keparahan 1 (rendah) sampai 4 (kritis)")))
    if intake.occurred_at is not None and intake.occurred_at > now + timedelta(minutes=10):
        errors.append(FieldError("occurred_at", _("waktu kejadian ada di masa depan")))
    errors += _coordinate_errors(intake.lat, intake.lng)
    if channel in ANONYMOUS_CHANNELS and actor is None and not intake.reporter_contact.strip():
        errors.append(FieldError("reporter_contact", _("berikan nomor telepon atau e-mail agar kami dapat bertanya lebih lanjut")))
    if errors:
        # The reasons alone: an SMS reporter reads them, and `errors` names each field for a client.
        raise ValidationFailed("; ".join(e.reason for e in errors), errors=errors)
    assert category is not None and desa is not None
    if actor is not None and channel not in ANONYMOUS_CHANNELS:
        INCIDENTS.check(actor, station.code if station else desa.code, write=True, what=f"area {desa.code}")
    return category, desa, station


def _place(raw: str, errors: list[FieldError]) -> tuple[Area | None, PollingStation | None]:
    codes = normalise_area_code(raw or "")
    if codes is None:
        errors.append(FieldError("area_code", _("'%(code)s' bukan kode desa (64.02.06.2012) atau TPS (64.02.06.2012.001)") % {"code": raw}))
        return None, None
    desa_code, tps_code = codes
    desa = Area.objects.filter(code=desa_code, level=Level.VILLAGE).first()
    if desa is None:
        errors.append(FieldError("area_code", _("desa/kelurahan %(code)s tidak ada") % {"code": desa_code}))
        return None, None
    station = None
    if tps_code:
        station = PollingStation.objects.filter(code=tps_code).first()
        if station is None:
            errors.append(FieldError("area_code", _("TPS %(code)s tidak ada") % {"code": tps_code}))
    return desa, station


def _coordinate_errors(lat: float | None, lng: float | None) -> list[FieldError]:
    if (lat is None) != (lng is None):
        return [FieldError("lat", _("isi lintang dan bujur sekaligus, atau kosongkan keduanya"))]
    if lat is None or lng is None:
        return []
    if not (LAT_RANGE[0] <= lat <= LAT_RANGE[1] and LNG_RANGE[0] <= lng <= LNG_RANGE[1]):
        return [FieldError("lat", _("(%(lat)s, %(lng)s) di luar Indonesia; apakah lintang dan bujur tertukar?") % {"lat": lat, "lng": lng})]
    return []


def _insert(
    intake: Intake,
    key: str | None,
    channel: str,
    actor: User | None,
    category: Category,
    desa: Area,
    station: PollingStation | None,
    now: datetime,
) -> Report:
    scope = station.code if station else desa.code
    severity = intake.severity or category.default_severity
    agency = route(scope, category.route_kinds)
    lat, lng = intake.lat, intake.lng
    # Without a point from the reporter the map uses the TPS's point, else the desa's label point.
    if lat is None and station is not None and station.lat is not None:
        lat, lng = station.lat, station.lng
    elif lat is None and desa.label_lat is not None:
        lat, lng = desa.label_lat, desa.label_lng
    report = Report.objects.create(
        tracking_code=_tracking_code(),
        client_id=key,
        category=category,
        desa=desa,
        polling_station=station,
        scope_code=scope,
        lat=lat,
        lng=lng,
        occurred_at=intake.occurred_at or now,
        received_at=now,
        received_day=local_time(now, desa.code).date(),
        description=intake.description.strip(),
        severity=severity,
        channel=channel,
        reporter=actor if channel not in ANONYMOUS_CHANNELS or actor is not None else None,
        reporter_name=intake.reporter_name.strip()[:120] or (actor.get_full_name() if actor else ""),
        reporter_contact=intake.reporter_contact.strip()[:120],
        agency=agency,
        ack_due_at=sla.ack_due(now, severity),
        escalation_area_code=desa.code,
    )
    tally_add(report, received=1, open=1)
    if agency is not None:
        routed = gettext("diteruskan ke %(agency)s") % {"agency": agency.name}
    else:
        routed = gettext("belum ada instansi yang mencakup wilayah ini")
    _event(report, ReportEvent.Kind.CREATED, actor, channel, now, to_state=report.state, agency=agency, note=routed)
    if agency is not None:
        notify(
            users=agency_users([agency.pk], triage.TRIAGE_ROLES),
            title=lambda: _("Laporan baru %(ref)s: %(category)s") % {"ref": report.ref, "category": category.label},
            body=lambda: _("%(desa)s (%(scope)s), tingkat %(severity)s. %(text)s")
            % {"desa": desa.name, "scope": scope, "severity": severity, "text": report.description[:200]},
            url=report_url(report),
            source="incidents",
        )
    return report


def route(code: str, kinds: list[str]) -> Agency | None:
    """The first kind in the category's preference order with an agency covering the place; within
    a kind the most specific jurisdiction wins (Polres Bontang over Polres Kukar in Muara Badak)."""
    for kind in kinds:
        agency = covering_agency(code, [kind])
        if agency is not None:
            return agency
    return None


def _tracking_code() -> str:
    for _attempt in range(10):
        code = "".join(secrets.choice(TRACKING_ALPHABET) for _position in range(8))
        if not Report.objects.filter(tracking_code=code).exists():
            return code
    raise RuntimeError("could not draw a free tracking code")


def _attach(report: Report, files: list[CheckedFile], actor: User | None) -> None:
    for checked in files:
        if report.attachments.filter(sha256=checked.sha256).exists():
            continue
        attachment = Attachment(
            report=report,
            original_name=checked.name,
            content_type=checked.content_type,
            size=len(checked.content),
            sha256=checked.sha256,
            uploaded_by=actor,
        )
        attachment.file.save(checked.name, ContentFile(checked.content), save=False)
        attachment.save()


def _event(report: Report, kind: str, actor: Any, channel: str, at: datetime, **fields: Any) -> ReportEvent:
    return ReportEvent.objects.create(
        report=report, kind=kind, actor=actor if getattr(actor, "pk", None) else None, channel=channel, at=at, **fields
    )


def attachment_add(*, report_id: int, actor: User, files: list[tuple[str, bytes]]) -> Report:
    checked = check_files(files)
    with transaction.atomic():
        report = _locked(report_id, actor, write=True)
        _attach(report, checked, actor)
        _event(
            report,
            ReportEvent.Kind.ATTACHMENT,
            actor,
            Channel.WEB,
            timezone.now(),
            note=", ".join(c.name for c in checked),
        )
    return report


# --- triage -----------------------------------------------------------------------------------


def _locked(report_id: int, actor: User, *, write: bool) -> Report:
    """The report, row-locked, read after the lock (so its state is current), through `REPORTS`."""
    locked = Report.objects.select_for_update(of=("self",)).select_related("category", "agency")
    report = REPORTS.visible(actor, locked).filter(pk=report_id).first()
    if report is None:
        raise NotFound(_("laporan #%(id)s tidak ditemukan") % {"id": report_id})
    if write:
        refusal = REPORTS.write_refusal(actor, report)
        if refusal:
            raise Forbidden(refusal)
    return report


def _claim_blocks(report: Report, actor: User, now: datetime) -> None:
    if (
        report.claimed_by_id
        and report.claimed_by_id != actor.pk
        and report.claimed_until
        and report.claimed_until > now
    ):
        holder = User.objects.filter(pk=report.claimed_by_id).first()
        name = holder.get_full_name() or holder.username if holder else _("orang lain")
        raise Conflict(
            _("laporan %(ref)s sedang ditangani %(name)s sampai %(until)s")
            % {"ref": report.ref, "name": name, "until": formatting.time(report.claimed_until, report.scope_code)},
            code="claimed",
        )


def report_transition(
    *,
    report_id: int,
    actor: User,
    action: str,
    note: str = "",
    agency_code: str | None = None,
    duplicate_of: int | None = None,
    set_indicator: bool = True,
    channel: str = Channel.WEB,
    expected_state: str | None = None,
    now: datetime | None = None,
) -> Report:
    """Apply one triage action. The row is locked first and its state read after the lock; the
    event is timed after it too, so events are in the order they were applied. A transition the
    report no longer allows (someone acted first), or a report no longer in `expected_state` (the
    state the user saw), is refused with 409."""
    with transaction.atomic():
        report = _locked(report_id, actor, write=True)
        now = now or timezone.now()
        target = transition_target(actor, report, action, note, expected_state=expected_state)
        _claim_blocks(report, actor, now)
        source = report.state
        extra = _apply(report, actor, action, agency_code, duplicate_of, now)
        report.state = target
        report.acknowledged_at = report.acknowledged_at or now
        report.save()
        tally_transition(report, source, target)
        _event(
            report,
            ReportEvent.Kind.TRANSITION,
            actor,
            channel,
            now,
            action=action,
            from_state=source,
            to_state=target,
            agency=report.agency if action == triage.Action.ASSIGN else None,
            note=note.strip(),
        )
        if action == triage.Action.VERIFY and set_indicator:
            _link_risk(report, actor, now)
        _notify_transition(report, action, extra)
    return report


def _apply(
    report: Report, actor: User, action: str, agency_code: str | None, duplicate_of: int | None, now: datetime
) -> str:
    if action == triage.Action.ASSIGN:
        agency = _assignee(report, agency_code)
        report.agency = agency
        return agency.name
    if action == triage.Action.DUPLICATE:
        original = _original(report, actor, duplicate_of)
        report.duplicate_of = original
        _event(
            original,
            ReportEvent.Kind.MERGED,
            actor,
            Channel.WEB,
            now,
            note=f"{report.ref} ditandai duplikat dari laporan ini",
        )
        return original.ref
    if action == triage.Action.REOPEN:
        report.duplicate_of = None
    return ""


def _assignee(report: Report, agency_code: str | None) -> Agency:
    if not agency_code:
        if report.agency is None:
            raise ValidationFailed(_("tidak ada instansi yang mencakup tempat ini; pilih satu"), field="agency")
        return report.agency
    agency = Agency.objects.filter(code=agency_code).first()
    if agency is None:
        raise ValidationFailed(_("instansi '%(code)s' tidak dikenal") % {"code": agency_code}, field="agency")
    if not agency.jurisdictions.filter(area_id__in=_ancestry(report.scope_code)).exists():
        raise ValidationFailed(_("%(agency)s tidak mencakup %(area)s") % {"agency": agency.name, "area": report.scope_code}, field="agency")
    return agency


def _ancestry(code: str) -> list[str]:
    return [code, *ancestors_of(code)]


def _original(report: Report, actor: User, duplicate_of: int | None) -> Report:
    if not duplicate_of:
        raise ValidationFailed(_("sebutkan laporan mana yang diduplikasi laporan ini"), field="duplicate_of")
    original = REPORTS.visible(actor, Report.objects.all()).filter(pk=duplicate_of).first()
    if original is None:
        raise ValidationFailed(_("laporan #%(id)s tidak ditemukan") % {"id": duplicate_of}, field="duplicate_of")
    while original.duplicate_of_id is not None:  # point at the root so chains never form
        original = Report.objects.get(pk=original.duplicate_of_id)
    if original.pk == report.pk:
        raise ValidationFailed(_("laporan tidak dapat menjadi duplikat dirinya sendiri"), field="duplicate_of")
    return original


def _link_risk(report: Report, actor: User, now: datetime) -> None:
    """Early warning raises the risk map: verifying a TPS report sets its indicator (contract 2).
    Imported directly: a renamed or changed contract fails loudly at import, not silently here."""
    if report.polling_station_id is None or not report.category.indicator_code:
        return
    outcome = indicator_set_from_report(
        tps_code=report.polling_station_id,
        indicator_code=report.category.indicator_code,
        report_ref=report.ref,
        actor=actor,
    )
    code = report.category.indicator_code
    if outcome.applied:
        note = f"indikator {code} TPS {report.polling_station_id} diisi 'ya' dari laporan {report.ref}"
    elif outcome.proposed:
        # The TPS's round is closed: nothing in it changes; risk queued the change for the next round.
        note = (
            f"indikator {code} tidak diubah: putaran {outcome.round_slug} sudah ditutup; "
            "diusulkan untuk putaran berikutnya"
        )
    else:
        note = f"indikator {code} tidak diubah: tidak ada putaran penilaian untuk TPS ini"
    if outcome.applied:
        Report.objects.filter(pk=report.pk).update(indicator_set=True)
        report.indicator_set = True
    _event(report, ReportEvent.Kind.RISK, actor, Channel.SYSTEM, now, note=note)


def _notify_transition(report: Report, action: str, extra: str) -> None:
    label = str(triage.STATE_LABELS[report.state])
    recipients: list[User] = []
    if action == triage.Action.ASSIGN and report.agency_id:
        recipients += agency_users([report.agency_id], triage.TRIAGE_ROLES)
    if report.reporter_id:
        recipients += list(User.objects.filter(pk=report.reporter_id))
    if recipients:
        state = triage.STATE_LABELS[report.state]  # lazy: written in each recipient's language
        notify(
            users=recipients,
            title=lambda: _("Laporan %(ref)s: %(state)s") % {"ref": report.ref, "state": state},
            body=lambda: (_("Status: %(state)s") % {"state": state}) + (f" ({extra})" if extra else ""),
            url=report_url(report),
            source="incidents",
        )
    # A public reporter who agreed hears of it by message (issue 13).
    routing.reporter_update(report=report, status_label=label)


@dataclass
class BulkResult:
    done: list[int] = field(default_factory=list)
    refused: dict[int, str] = field(default_factory=dict)


MAX_BULK = 200


def reports_bulk_transition(
    *,
    report_ids: list[int],
    actor: User,
    action: str,
    note: str = "",
    agency_code: str | None = None,
    duplicate_of: int | None = None,
) -> BulkResult:
    """Apply one action to a selection. Each report is its own transaction; refusals are listed."""
    if not report_ids:
        raise ValidationFailed(_("pilih paling sedikit satu laporan"), field="ids")
    if len(report_ids) > MAX_BULK:
        raise ValidationFailed(_("paling banyak %(limit)d laporan sekaligus") % {"limit": MAX_BULK}, field="ids")
    result = BulkResult()
    for report_id in dict.fromkeys(report_ids):
        try:
            report_transition(
                report_id=report_id,
                actor=actor,
                action=action,
                note=note,
                agency_code=agency_code,
                duplicate_of=duplicate_of,
            )
        except DomainError as exc:
            result.refused[report_id] = exc.detail
        else:
            result.done.append(report_id)
    return result


def report_claim(*, report_id: int, actor: User, minutes: int = CLAIM_MINUTES, now: datetime | None = None) -> Report:
    """Lock a report for `minutes` so that two analysts do not work it at once; others see who."""
    with transaction.atomic():
        report = _locked(report_id, actor, write=True)
        now = now or timezone.now()
        refusal = claim_refusal(actor, report)
        if refusal:
            raise ValidationFailed(refusal, field="action", code="transition_refused")
        _claim_blocks(report, actor, now)
        report.claimed_by, report.claimed_until = actor, now + timedelta(minutes=minutes)
        report.save(update_fields=["claimed_by", "claimed_until", "updated_at"])
        _event(report, ReportEvent.Kind.CLAIMED, actor, Channel.WEB, now, note="s.d. " + formatting.time(report.claimed_until, report.scope_code))
    return report


def report_release(*, report_id: int, actor: User, now: datetime | None = None) -> Report:
    with transaction.atomic():
        report = _locked(report_id, actor, write=True)
        now = now or timezone.now()
        if report.claimed_by_id != actor.pk and report.claimed_until and report.claimed_until > now:
            raise Conflict(_("laporan %(ref)s sedang ditangani orang lain") % {"ref": report.ref}, code="claimed")
        report.claimed_by, report.claimed_until = None, None
        report.save(update_fields=["claimed_by", "claimed_until", "updated_at"])
        _event(report, ReportEvent.Kind.RELEASED, actor, Channel.WEB, now)
    return report


def report_note(*, report_id: int, actor: User, note: str) -> ReportEvent:
    if not note.strip():
        raise ValidationFailed(_("catatan masih kosong"), field="note")
    with transaction.atomic():
        report = _locked(report_id, actor, write=True)
        return _event(report, ReportEvent.Kind.NOTE, actor, Channel.WEB, timezone.now(), note=note.strip()[:4000])


# --- escalation -------------------------------------------------------------------------------


def escalate_overdue(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Move every unacknowledged report past its deadline one level up the area tree."""
    now = now or timezone.now()
    due = list(
        Report.objects.filter(state=triage.State.NEW, ack_due_at__lte=now, escalation_level__lt=sla.MAX_LEVEL)
        .order_by("ack_due_at")
        .values_list("pk", flat=True)[:limit]
    )
    return sum(1 for pk in due if _escalate_one(pk, now))


def _escalate_one(report_id: int, now: datetime) -> bool:
    with transaction.atomic():
        report = (
            Report.objects.select_for_update(of=("self",))
            .select_related("agency", "escalated_agency")
            .get(pk=report_id)
        )
        if report.state != triage.State.NEW or report.ack_due_at is None or report.ack_due_at > now:
            return False  # acknowledged meanwhile, or another worker got here first
        report.escalation_level += 1
        report.escalation_area_code = sla.level_area(report.desa_id, report.escalation_level)
        current = report.escalated_agency or report.agency
        report.escalated_agency = current.parent if current is not None and current.parent_id else current
        report.escalated_at = now
        report.ack_due_at = now + timedelta(minutes=sla.ack_minutes(report.severity))
        report.save()
        area = Area.objects.filter(code=report.escalation_area_code).values_list("name", flat=True).first() or ""
        note = (
            gettext("belum ditanggapi; naik ke tingkat %(level)s %(area)s")
            % {"level": sla.LEVEL_NAMES[report.escalation_level], "area": area}
        ).strip()
        _event(report, ReportEvent.Kind.ESCALATED, None, Channel.SYSTEM, now, agency=report.escalated_agency, note=note)
        recipients = _escalation_recipients(report)
        notify(
            users=recipients,
            title=lambda: _("Eskalasi laporan %(ref)s: belum ditanggapi") % {"ref": report.ref},
            body=lambda: _("%(category)s di %(area)s, tingkat %(severity)s. %(note)s")
            % {"category": report.category.label, "area": report.scope_code, "severity": report.severity, "note": note},
            url=report_url(report),
            source="incidents",
        )
        # ... and by message on their own channel (issue 13).
        routing.escalation_messages(
            report=report, users=recipients, title=f"{report.category.label} ({report.ref})", area_name=area, detail=note
        )
    return True


def _escalation_recipients(report: Report) -> list[User]:
    at_level = Membership.objects.filter(area_id=report.escalation_area_code, role__in=triage.ESCALATION_WATCH_ROLES)
    users = list(User.objects.filter(pk__in=at_level.values("user_id"), is_active=True))
    if report.escalated_agency_id:
        users += agency_users([report.escalated_agency_id], triage.TRIAGE_ROLES)
    return users
