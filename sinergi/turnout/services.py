"""Every turnout write: reports (single or batch, idempotent by client id), review, outreach."""

import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Actor
from sinergi.areas.codes import level_of
from sinergi.areas.models import Election
from sinergi.core.errors import Conflict, FieldError, Forbidden, NotFound, ValidationFailed
from sinergi.core.history import history_record
from sinergi.core.models import Channel
from sinergi.turnout import fastpath, quality
from sinergi.turnout.models import Checkpoint, OutreachActivity, Report, Slot, TargetGroup
from sinergi.turnout.permissions import OUTREACH_AREA, REPORTS, SLOT_CORRECTION, SLOT_REVIEW, report_targets_check
from sinergi.turnout.voting_day import checkpoint_moment, checkpoints_of, enabled_rules

MAX_BATCH = 1000
MAX_VOTERS = 5000  # no TPS has more voters than this; anything above is a typo
MAX_CLIENT_ID = 80  # the stored column's length
FINAL_FIELDS = ("voted_dpt", "voted_dptb", "voted_dpk", "valid_ballots", "invalid_ballots")


@dataclass(frozen=True)
class ReportInput:
    tps_code: str
    checkpoint: str
    voters: int
    voters_male: int | None = None
    voters_female: int | None = None
    voted_dpt: int | None = None
    voted_dptb: int | None = None
    voted_dpk: int | None = None
    valid_ballots: int | None = None
    invalid_ballots: int | None = None
    client_id: str | None = None
    is_correction: bool = False
    note: str = ""


@dataclass(frozen=True)
class ReportResult:
    index: int
    tps_code: str
    checkpoint: str
    version: int
    voters: int
    flags: list[dict[str, Any]]
    duplicate: bool
    client_id: str | None
    held: bool = False  # implausible: stored, but out of the counts until a supervisor reviews it


def reports_submit(
    *,
    election: Election,
    items: list[ReportInput],
    actor: Any,
    channel: str = Channel.API,
    at: dt.datetime | None = None,
    review: bool = False,
) -> list[ReportResult]:
    """Store a batch of reports: all or nothing, each client id once. Retries return the stored version."""
    if not items:
        raise ValidationFailed(_("tidak ada laporan yang dikirim"), field="reports")
    if len(items) > MAX_BATCH:
        raise ValidationFailed(
            _("paling banyak %(limit)d laporan per permintaan") % {"limit": MAX_BATCH}, field="reports"
        )
    when = at or timezone.now()
    if len(items) == 1 and not review and settings.SINERGI_TURNOUT_FAST_PATH:
        single = _submit_one(election, items[0], actor, channel, when)
        if single is not None:
            return [single]
    for attempt in range(3):
        try:
            return _submit(election, items, actor, channel, when, review)
        except IntegrityError:
            # A concurrent retry stored the same client id first; the next pass finds it.
            if attempt == 2:
                raise
            time.sleep(0.05 * (attempt + 1))
    raise AssertionError("unreachable")


def _submit(
    election: Election, items: list[ReportInput], actor: Any, channel: str, at: dt.datetime, review: bool
) -> list[ReportResult]:
    checkpoints = checkpoints_of(election)
    _validate_shapes(items, checkpoints, election)
    stored = _stored_by_client_id([i.client_id for i in items if i.client_id])
    results: dict[int, ReportResult] = {}
    fresh = []
    for index, item in enumerate(items):
        if item.client_id and item.client_id in stored:
            found = stored[item.client_id]
            _same_report_or_conflict(index, item, found, actor)
            results[index] = _result_of(index, found, duplicate=True)
        else:
            fresh.append((index, item))
    if fresh:
        with transaction.atomic():
            results.update(_store(election, fresh, checkpoints, actor, channel, at, review))
    return [results[i] for i in range(len(items))]


def _submit_one(
    election: Election, item: ReportInput, actor: Any, channel: str, at: dt.datetime
) -> ReportResult | None:
    """One report in two statements (`fastpath`): a lock-free read of the slot, its neighbour and any
    stored retry, then one guarded write. None when the slot does not exist or moved between the two:
    the locked batch path then decides (and names any error) exactly as before."""
    checkpoints = checkpoints_of(election)
    _validate_shapes([item], checkpoints, election)
    checkpoint = checkpoints[item.checkpoint]
    snapshot = fastpath.slot_read(
        checkpoint, fastpath.previous_checkpoint(checkpoint, checkpoints), item.tps_code, item.client_id
    )
    if snapshot is None:
        return None
    if snapshot.stored is not None:
        found = snapshot.stored
        code = next((c.code for c in checkpoints.values() if c.pk == found.checkpoint_id), None)
        if code is None:  # stored under another election's checkpoint: let the general path say so
            return None
        _same_or_conflict(0, item, (found.tps_code, code, found.voters), actor)
        return ReportResult(
            0,
            found.tps_code,
            code,
            found.version,
            found.voters,
            found.flags,
            True,
            item.client_id,
            quality.holds(found.flags),
        )
    slot = Slot(pk=snapshot.slot_id, tps_id=item.tps_code, dpt=snapshot.dpt, versions=snapshot.versions)
    if snapshot.versions and snapshot.prior_voters is not None:
        slot.current = Report(voters=snapshot.prior_voters, reporter_id=snapshot.prior_reporter)
    previous = {(checkpoint.order, item.tps_code): snapshot.previous_voters}
    if snapshot.previous_voters is None:
        previous = {}
    report = _new_version(slot, item, checkpoint, election, previous, enabled_rules(), actor, channel, at, False)
    if fastpath.report_write(snapshot, report, slot.flagged, slot.held) is None:
        return None
    return ReportResult(
        0, item.tps_code, item.checkpoint, report.version, item.voters, report.flags, False, report.client_id, slot.held
    )


def _same_report_or_conflict(index: int, item: ReportInput, found: Report, actor: Any) -> None:
    _same_or_conflict(index, item, (found.slot.tps_id, found.slot.checkpoint.code, found.voters), actor)


def _same_or_conflict(index: int, item: ReportInput, stored: tuple[str, str, int], actor: Any) -> None:
    """A client id names one report: a retry must be that report. Reusing it for another TPS,
    checkpoint or count is refused, and the stored report is named only to someone who may read it
    (a guessed `sms:<gateway id>` must not reveal another area's numbers)."""
    if stored == (item.tps_code, item.checkpoint, item.voters):
        return
    this = {"tps": item.tps_code, "checkpoint": item.checkpoint, "voters": item.voters, "id": item.client_id}
    if REPORTS.can_read(actor, stored[0]):
        detail = _(
            "client_id '%(id)s' sudah dipakai untuk laporan lain (TPS %(stored_tps)s, titik %(stored_checkpoint)s, "
            "%(stored_voters)s pemilih); laporan ini TPS %(tps)s, titik %(checkpoint)s, %(voters)s pemilih"
        )
        this.update(stored_tps=stored[0], stored_checkpoint=stored[1], stored_voters=stored[2])
    else:
        detail = _(
            "client_id '%(id)s' sudah dipakai untuk laporan lain; laporan ini TPS %(tps)s, titik %(checkpoint)s, "
            "%(voters)s pemilih"
        )
    raise Conflict(detail % this, field=f"reports[{index}].client_id")


def _validate_shapes(items: list[ReportInput], checkpoints: dict[str, Checkpoint], election: Election) -> None:
    errors = []
    for i, item in enumerate(items):
        where = f"reports[{i}]"
        checkpoint = checkpoints.get(item.checkpoint)
        if checkpoint is None:
            known = ", ".join(checkpoints) or "-"
            errors.append(
                FieldError(
                    f"{where}.checkpoint",
                    _("'%(checkpoint)s' bukan titik waktu %(election)s (%(known)s)")
                    % {"checkpoint": item.checkpoint, "election": election.name, "known": known},
                )
            )
        if level_of(item.tps_code.rsplit(".", 1)[0]) != "desa_kelurahan":
            errors.append(
                FieldError(
                    f"{where}.tps_code",
                    _("'%(code)s' bukan kode TPS seperti 64.02.06.1001.001") % {"code": item.tps_code},
                )
            )
        for name in ("voters", "voters_male", "voters_female", *FINAL_FIELDS):
            value = getattr(item, name)
            if value is not None and (value < 0 or value > MAX_VOTERS):
                reason = _("%(value)s bukan jumlah yang mungkin (0..%(limit)s)") % {"value": value, "limit": MAX_VOTERS}
                errors.append(FieldError(f"{where}.{name}", reason))
        if item.client_id and len(item.client_id) > MAX_CLIENT_ID:
            # Longer than the column: PostgreSQL would refuse it with a 500 (an SMS gateway id is prefixed).
            reason = _("client_id paling banyak %(limit)d karakter") % {"limit": MAX_CLIENT_ID}
            errors.append(FieldError(f"{where}.client_id", reason))
        errors.extend(_consistency_errors(where, item, checkpoint))
    if errors:
        # The reasons alone (an SMS reporter reads them); `errors` names each field for a client.
        raise ValidationFailed("; ".join(e.reason for e in errors[:20]), errors=errors)


def _consistency_errors(where: str, item: ReportInput, checkpoint: Checkpoint | None) -> list[FieldError]:
    errors = []
    sexes = (item.voters_male, item.voters_female)
    if sexes[0] is not None and sexes[1] is not None and sexes[0] + sexes[1] != item.voters:
        errors.append(
            FieldError(f"{where}.voters", _("pemilih laki-laki + perempuan harus sama dengan jumlah pemilih"))
        )
    finals = [name for name in FINAL_FIELDS if getattr(item, name) is not None]
    if checkpoint is not None and not checkpoint.is_final and finals:
        errors.append(
            FieldError(f"{where}.{finals[0]}", _("DPT/DPTb/DPK dan surat suara hanya dilaporkan pada titik akhir"))
        )
    parts = (item.voted_dpt, item.voted_dptb, item.voted_dpk)
    if all(p is not None for p in parts) and sum(p or 0 for p in parts) != item.voters:
        errors.append(FieldError(f"{where}.voters", _("pemilih DPT + DPTb + DPK harus sama dengan jumlah pemilih")))
    return errors


def _stored_by_client_id(client_ids: list[str]) -> dict[str, Report]:
    if not client_ids:
        return {}
    rows = Report.objects.filter(client_id__in=client_ids).select_related("slot__checkpoint")
    return {r.client_id: r for r in rows if r.client_id}


def _result_of(index: int, report: Report, *, duplicate: bool, checkpoint: str | None = None) -> ReportResult:
    return ReportResult(
        index=index,
        tps_code=report.slot.tps_id,
        checkpoint=checkpoint or report.slot.checkpoint.code,
        version=report.version,
        voters=report.voters,
        flags=list(report.flags),
        duplicate=duplicate,
        client_id=report.client_id,
        held=quality.holds(report.flags) and report.reviewed_by_id is None,
    )


def _store(election, fresh, checkpoints, actor, channel, at, review) -> dict[int, ReportResult]:
    codes = sorted({item.tps_code for _, item in fresh})
    used = {checkpoints[item.checkpoint] for _, item in fresh}
    slots = _locked_slots(codes, used)
    _check_known(fresh, slots, checkpoints, election)
    previous = _previous_voters(codes, used, checkpoints)
    rules = enabled_rules()
    reports: list[tuple[int, Report]] = []
    touched: dict[tuple[int, str], Slot] = {}
    for index, item in fresh:
        checkpoint = checkpoints[item.checkpoint]
        slot = touched.get((checkpoint.pk, item.tps_code)) or slots[(checkpoint.pk, item.tps_code)]
        report = _new_version(slot, item, checkpoint, election, previous, rules, actor, channel, at, review)
        reports.append((index, report))
        touched[(checkpoint.pk, item.tps_code)] = slot
    created = Report.objects.bulk_create([r for _, r in reports])
    for report in created:  # point each slot at its newest version (ids exist now)
        report.slot.current = report
    _slots_write(list(touched.values()))
    return {
        index: _result_of(index, report, duplicate=False, checkpoint=fresh_item.checkpoint)
        for (index, report), (_, fresh_item) in zip(reports, fresh, strict=True)
    }


_SLOT_COLUMNS = [
    ("id", "bigint"),
    ("voters", "integer"),
    ("voters_male", "integer"),
    ("voters_female", "integer"),
    ("flagged", "boolean"),
    ("held", "boolean"),
    ("versions", "integer"),
    ("current_id", "bigint"),
    ("reported_at", "timestamptz"),
    ("changed_at", "timestamptz"),  # the real moment of this write: the stored tallies follow it
]


def _slots_write(slots: list[Slot]) -> None:
    """One UPDATE ... FROM (VALUES ...) for the whole batch. Django's bulk_update builds a CASE per
    field and row, which costs more Python time than the rest of a 100-report batch together."""
    ops = connection.ops
    pg = connection.vendor == "postgresql"
    cell = [f"CAST(%s AS {kind})" if pg else "%s" for _, kind in _SLOT_COLUMNS]
    row = "(" + ", ".join(cell) + ")"
    sets = ", ".join(f"{name} = v.column{i + 1}" for i, (name, _) in enumerate(_SLOT_COLUMNS) if name != "id")
    sql = (
        f"UPDATE {Slot._meta.db_table} SET {sets} FROM (VALUES {', '.join([row] * len(slots))}) AS v "
        f"WHERE {Slot._meta.db_table}.id = v.column1"
    )
    params: list[Any] = []
    changed_at = ops.adapt_datetimefield_value(timezone.now())
    for slot in slots:
        params += [
            slot.pk,
            slot.voters,
            slot.voters_male,
            slot.voters_female,
            slot.flagged,
            slot.held,
            slot.versions,
            slot.current.pk if slot.current else None,
            ops.adapt_datetimefield_value(slot.reported_at),
            changed_at,
        ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def _locked_slots(codes: list[str], checkpoints: set[Checkpoint]) -> dict[tuple[int, str], Slot]:
    rows = list(
        Slot.objects.select_for_update(of=("self",))
        .filter(tps_id__in=codes, checkpoint__in=[c.pk for c in checkpoints])
        .order_by("pk")
    )
    # The current reports are read after the lock is held, not joined into the locking query: when
    # that query waits for a concurrent writer, PostgreSQL re-reads the slot row but keeps the joined
    # report row of its first snapshot, so the prior version (the disagreement rule's input) was the
    # one before the writer's, or none at all.
    current = Report.objects.in_bulk([s.current_id for s in rows if s.current_id])
    for slot in rows:
        slot.current = current.get(slot.current_id) if slot.current_id else None
    return {(s.checkpoint_id, s.tps_id): s for s in rows}


def _check_known(fresh, slots, checkpoints, election: Election) -> None:
    errors = [
        FieldError(
            f"reports[{i}].tps_code",
            _("TPS %(code)s bukan TPS %(election)s") % {"code": item.tps_code, "election": election.name},
        )
        for i, item in fresh
        if (checkpoints[item.checkpoint].pk, item.tps_code) not in slots
    ]
    if errors:
        raise NotFound("; ".join(e.reason for e in errors[:20]), code="unknown_tps")


def _previous_voters(codes: list[str], used: set[Checkpoint], checkpoints: dict[str, Checkpoint]) -> dict:
    by_order = {c.order: c for c in checkpoints.values()}
    wanted = {by_order[c.order - 1].pk for c in used if c.order - 1 in by_order}
    if not wanted:
        return {}
    order_of = {c.pk: c.order for c in checkpoints.values()}
    # A held number (a typo waiting for review) is no baseline for the next checkpoint's rules.
    rows = Slot.objects.filter(checkpoint_id__in=wanted, tps_id__in=codes, held=False).values_list(
        "checkpoint_id", "tps_id", "voters"
    )
    return {(order_of[checkpoint] + 1, tps): voters for checkpoint, tps, voters in rows}


def _new_version(slot, item, checkpoint, election, previous, rules, actor, channel, at, review) -> Report:
    prior = slot.current
    reporter_id = getattr(actor, "pk", None)
    observation = quality.Observation(
        voters=item.voters,
        dpt=slot.dpt,
        is_final=checkpoint.is_final,
        submitted_at=at,
        checkpoint_at=checkpoint_moment(election, checkpoint),
        previous_voters=previous.get((checkpoint.order, item.tps_code)),
        prior_voters=prior.voters if prior else None,
        prior_reporter=prior.reporter_id if prior else None,
        reporter=reporter_id,
        # A reporter corrects its own number; `is_correction` on someone else's is a disagreement.
        is_correction=review or (item.is_correction and (prior is None or prior.reporter_id == reporter_id)),
        voted_dptb=item.voted_dptb,
        voted_dpk=item.voted_dpk,
        valid_ballots=item.valid_ballots,
        invalid_ballots=item.invalid_ballots,
    )
    flags = quality.evaluate(observation, rules)
    slot.versions += 1
    slot.voters, slot.voters_male, slot.voters_female = item.voters, item.voters_male, item.voters_female
    slot.flagged = bool(flags) and not review
    slot.held = quality.holds(flags) and not review
    slot.reported_at = at
    return Report(
        slot=slot,
        version=slot.versions,
        client_id=item.client_id or None,
        voters=item.voters,
        voters_male=item.voters_male,
        voters_female=item.voters_female,
        **{name: getattr(item, name) for name in FINAL_FIELDS},
        reporter_id=reporter_id,
        channel=channel,
        submitted_at=at,
        flags=flags,
        note=item.note[:300],
        reviewed_by_id=reporter_id if review else None,
        reviewed_at=at if review else None,
        review_note=item.note[:300] if review else "",
    )


def report_submit_as(
    *, user: Actor, election: Election, items: list[ReportInput], channel: str, **kw
) -> list[ReportResult]:
    """Authorise every TPS of the batch for `user` (404 outside, 403 read-only), then store."""
    report_targets_check(user, (item.tps_code for item in items))
    return reports_submit(election=election, items=items, actor=user, channel=channel, **kw)


@transaction.atomic
def slot_accept(*, slot_id: int, actor: Any, note: str = "") -> Slot:
    """A supervisor confirms the flagged numbers as they are; the flag is cleared, the report kept."""
    locked = Slot.objects.select_for_update(of=("self",)).select_related("current", "checkpoint")
    slot = SLOT_REVIEW.visible(actor, locked).filter(pk=slot_id).first()
    if slot is None:
        raise NotFound(_("slot laporan tidak ditemukan"))
    # The rule (supervisor, and the slot still flagged) is decided on the locked row.
    refusal = SLOT_REVIEW.write_refusal(actor, slot)
    if refusal:
        raise Forbidden(refusal)
    assert slot.current is not None
    Report.objects.filter(pk=slot.current.pk).update(
        reviewed_by=actor, reviewed_at=timezone.now(), review_note=note[:300]
    )
    slot.flagged = slot.held = False
    slot.save(update_fields=["flagged", "held"])
    history_record(
        object_type="turnout.slot",
        object_key=str(slot.pk),
        action="accepted",
        actor=actor,
        changes={"version": slot.current.version, "flags": [f["rule"] for f in slot.current.flags]},
        note=note,
        area_code=slot.tps_id,
    )
    return slot


def slot_correct(*, slot_id: int, voters: int, actor: Any, note: str, **finals: Any) -> ReportResult:
    """A supervisor corrects the numbers: a new version that counts from now on, marked reviewed."""
    slot = (
        SLOT_CORRECTION.visible(actor, Slot.objects.select_related("checkpoint__election")).filter(pk=slot_id).first()
    )
    if slot is None:
        raise NotFound(_("slot laporan tidak ditemukan"))
    refusal = SLOT_CORRECTION.write_refusal(actor, slot)
    if refusal:
        raise Forbidden(refusal)
    if not note.strip():
        raise ValidationFailed(_("sebutkan alasan angka dikoreksi"), field="note")
    item = ReportInput(tps_code=slot.tps_id, checkpoint=slot.checkpoint.code, voters=voters, note=note, **finals)
    election = slot.checkpoint.election
    [result] = reports_submit(election=election, items=[item], actor=actor, channel=Channel.WEB, review=True)
    return result


@transaction.atomic
def outreach_record(
    *,
    actor: Any,
    desa_code: str,
    held_on: dt.date,
    target_group: str,
    participants: int,
    organiser: str,
    topic: str = "",
) -> OutreachActivity:
    desa = OUTREACH_AREA.get(actor, desa_code, write=True)
    if desa.level != "desa_kelurahan":
        raise ValidationFailed(_("%(code)s bukan desa/kelurahan") % {"code": desa_code}, field="desa_code")
    if target_group not in TargetGroup.values:
        raise ValidationFailed(
            _("kelompok sasaran '%(group)s' tidak dikenal") % {"group": target_group}, field="target_group"
        )
    if participants <= 0:
        raise ValidationFailed(_("peserta paling sedikit 1"), field="participants")
    if not organiser.strip():
        raise ValidationFailed(_("sebutkan penyelenggara"), field="organiser")
    activity = OutreachActivity.objects.create(
        desa_id=desa_code,
        held_on=held_on,
        target_group=target_group,
        participants=participants,
        organiser=organiser.strip()[:200],
        topic=topic.strip()[:200],
        recorded_by=actor if getattr(actor, "pk", None) else None,
    )
    history_record(
        object_type="turnout.outreach",
        object_key=str(activity.pk),
        action="created",
        actor=actor,
        changes={"desa": desa_code, "participants": participants, "target_group": target_group},
        area_code=desa_code,
    )
    return activity
