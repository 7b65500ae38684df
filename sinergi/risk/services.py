"""Every write of the risk module: one transaction each, validated, with a history row."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from sinergi.areas.codes import ancestors_of, is_within, normalise_tps_code
from sinergi.areas.models import Area, PollingStation
from sinergi.core.errors import ClientIdReused, Conflict, NotFound, ValidationFailed
from sinergi.core.history import history_record
from sinergi.core.models import Channel
from sinergi.core.uploads import IMAGES_AND_PDF, MAX_UPLOAD_BYTES, upload_check
from sinergi.risk import defaults, recompute, schemes, scoring
from sinergi.risk.models import (
    SECURITY_BY_RANK,
    AssessmentRound,
    Checklist,
    Indicator,
    Instrument,
    ProposedChange,
    RoundStatus,
    SecurityClass,
    SecurityOverride,
    SecurityRule,
    Threshold,
    Variable,
)
from sinergi.risk.permissions import (
    CHECKLISTS,
    PROPOSALS,
    ROUND,
    ROUNDS,
    TPS,
    TPS_SECURITY,
    closed_round_refusal,
    round_is_closed,
)

PILKADA_2024 = "tps-pilkada-2024"
RESERVED_SLUGS = frozenset({"baru"})
CLIENT_ID_MAX = Checklist._meta.get_field("client_id").max_length or 64  # /kerawanan/putaran/baru/ creates a round


# --- instruments -------------------------------------------------------------------------------


@transaction.atomic
def instruments_load_defaults() -> list[Instrument]:
    """Version 1 of each default instrument, created once; an admin's later versions are left alone."""
    loaded = []
    for spec in defaults.DEFAULT_INSTRUMENTS:
        instrument, created = Instrument.objects.get_or_create(
            slug=spec.slug,
            version=1,
            defaults=dict(
                name=spec.name,
                kind=spec.kind,
                edition=spec.edition,
                source=spec.source,
                notes=spec.notes,
                is_partial=spec.is_partial,
            ),
        )
        if created:
            _instrument_fill(instrument, spec)
        loaded.append(instrument)
    return loaded


def _instrument_fill(instrument: Instrument, spec: defaults.InstrumentSpec) -> None:
    position = 0
    for v in spec.variables:
        variable = Variable.objects.create(instrument=instrument, code=v.code, name=v.name, weight=v.weight)
        for i in v.indicators:
            Indicator.objects.create(
                instrument=instrument,
                variable=variable,
                code=i.code,
                position=position,
                text=i.text,
                concept=i.concept,
                answer_type=i.answer_type,
                weight=i.weight,
                national_count=i.national,
            )
            position += 1
    for level, category, low in spec.thresholds:
        Threshold.objects.create(instrument=instrument, level=level, category=category, min_index=low)
    for r in spec.rules:
        SecurityRule.objects.create(
            instrument=instrument,
            security_class=r.security_class,
            indicator_codes=r.codes,
            min_yes=r.min_yes,
            special_location=r.special_location,
            description=r.description,
        )


@transaction.atomic
def instrument_new_version(*, instrument: Instrument, actor: Any) -> Instrument:
    """A copy as the next version, to edit without touching rounds that use the old one."""
    latest = Instrument.objects.filter(slug=instrument.slug).order_by("-version").first()
    copy = Instrument.objects.create(
        slug=instrument.slug,
        version=(latest.version if latest else 0) + 1,
        **{f: getattr(instrument, f) for f in ("name", "kind", "edition", "source", "notes", "is_partial")},
    )
    variables = {}
    for v in instrument.variables.all():
        variables[v.pk] = Variable.objects.create(
            instrument=copy, code=v.code, name=v.name, weight=v.weight, weight_confirmed=v.weight_confirmed
        )
    for i in instrument.indicators.all():
        i.pk, i.instrument, i.variable = None, copy, variables[i.variable_id]
        i.save(force_insert=True)
    for threshold in instrument.thresholds.all():
        threshold.pk, threshold.instrument = None, copy
        threshold.save(force_insert=True)
    for rule in instrument.security_rules.all():
        rule.pk, rule.instrument = None, copy
        rule.save(force_insert=True)
    history_record(
        object_type="risk.instrument", object_key=f"{copy.slug}@{copy.version}", action="versioned", actor=actor
    )
    return copy


# --- rounds ------------------------------------------------------------------------------------


@transaction.atomic
def round_create(
    *,
    actor: Any,
    instrument: Instrument,
    area_code: str,
    name: str,
    slug: str,
    window_start: dt.date,
    window_end: dt.date,
    is_synthetic: bool = False,
) -> AssessmentRound:
    ROUNDS.check(actor, area_code, write=True, what=f"area {area_code}")
    if instrument.kind != "tps":
        raise ValidationFailed(_("putaran daftar periksa TPS memerlukan instrumen TPS"), field="instrument")
    if window_end < window_start:
        raise ValidationFailed(_("masa pengumpulan berakhir sebelum dimulai"), field="window_end")
    if not Area.objects.filter(code=area_code).exists():
        raise ValidationFailed(_("wilayah %(code)s tidak ada") % {"code": area_code}, field="area_code")
    if slug in RESERVED_SLUGS:
        raise ValidationFailed(_("%(slug)s adalah kata khusus; pilih kode putaran lain") % {"slug": slug}, field="slug")
    if AssessmentRound.objects.filter(slug=slug).exists():
        raise Conflict(_("putaran bernama %(slug)s sudah ada") % {"slug": slug})
    round_ = AssessmentRound.objects.create(
        instrument=instrument,
        area_id=area_code,
        name=name,
        slug=slug,
        window_start=window_start,
        window_end=window_end,
        created_by=actor if getattr(actor, "pk", None) else None,
        is_synthetic=is_synthetic,
    )
    history_record(object_type="risk.round", object_key=slug, action="created", actor=actor, area_code=area_code)
    return round_


def round_set_status(*, actor: Any, round_: AssessmentRound, status: str) -> AssessmentRound:
    ROUND.get(actor, round_.slug, write=True)
    if status not in RoundStatus.values:
        raise ValidationFailed(_("status %(status)s tidak dikenal") % {"status": status}, field="status")
    with transaction.atomic():
        locked = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
        before = locked.status
        if before == status:
            round_.status = status
            return round_
        if status == RoundStatus.CLOSED:
            # The last recompute happens while the round is still open; from here on it is immutable.
            recompute.round_recompute(round_)
        round_.status = status
        round_.save(update_fields=["status"])
        if status == RoundStatus.OPEN:
            recompute.round_recompute(round_)
        history_record(
            object_type="risk.round",
            object_key=round_.slug,
            action="status",
            actor=actor,
            changes={"status": [before, status]},
            area_code=round_.area_id,
        )
    return round_


# --- checklists --------------------------------------------------------------------------------


def checklist_submit(
    *,
    actor: Any,
    round_: AssessmentRound,
    tps_code: str,
    answers: dict[str, Any],
    note: str = "",
    client_id: str | None = None,
    channel: str = Channel.WEB,
    evidence: UploadedFile | None = None,
) -> Checklist:
    """Store a new version of the TPS's checklist and move the round's roll-ups.

    Idempotent by client id: a retry with the same body returns the stored version; the same client id
    with another body is a 409 naming both. A closed round refuses every write (409 naming the round).
    """
    station = _station_in_round(round_, tps_code)
    TPS.get(actor, station.code, write=True)  # the same rule as the page and API guards
    if client_id and len(client_id) > CLIENT_ID_MAX:  # the column's width: longer is a 500 on PostgreSQL
        raise ValidationFailed(_("client_id lebih panjang dari %(limit)d karakter") % {"limit": CLIENT_ID_MAX}, field="client_id")
    clean = schemes.normalise_answers(round_.instrument, answers)
    body = _body(round_, station.code, clean, note)
    if client_id:
        stored = Checklist.objects.select_related("round").filter(client_id=client_id).first()
        if stored is not None:
            return _same_request(stored, client_id, body, actor)
    if round_is_closed(round_):
        raise Conflict(closed_round_refusal(round_), code="round_closed")
    _check_evidence(evidence)
    try:
        return _checklist_store(actor, round_, station, clean, note, client_id, channel, evidence)
    except IntegrityError:
        # A concurrent retry with the same client id won the race: answer with the stored one.
        stored = Checklist.objects.select_related("round").filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return _same_request(stored, client_id or "", body, actor)


def _json(value: Any) -> str:
    import json

    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _body(round_: AssessmentRound, tps_code: str, clean: dict[str, Any], note: str) -> dict[str, Any]:
    """What a checklist request asked for, comparable across retries and short enough to name in a 409."""
    yes = {code: (a["count"] if a["count"] is not None else True) for code, a in clean.items() if a["yes"]}
    return {"round": round_.slug, "tps_code": tps_code, "yes": yes, "note": note}


def _same_request(stored: Checklist, client_id: str, body: dict[str, Any], actor: Any) -> Checklist:
    before = _body(stored.round, stored.tps_id, stored.answers, stored.note)
    if before != body:
        # Client ids are global: another user's id (guessed or reused) must not show that user's
        # checklist of a TPS this one may not read (its answers and note) in the 409.
        readable = CHECKLISTS.visible(actor, Checklist.objects.filter(pk=stored.pk)).exists()
        raise ClientIdReused(
            client_id, stored=before if readable else {}, sent=body, what=gettext("daftar periksa TPS")
        )
    return stored


@transaction.atomic
def _checklist_store(actor, round_, station, clean, note, client_id, channel, evidence) -> Checklist:
    # Every write moves the round area's roll-up row anyway; locking the round first also serialises the
    # creation of missing ancestor roll-up rows (PostgreSQL; SQLite writes are serial already), and makes
    # the state check below exact: a round closed meanwhile is not written.
    locked = AssessmentRound.objects.select_for_update().filter(pk=round_.pk).first()
    if locked is None or round_is_closed(locked):
        raise Conflict(closed_round_refusal(locked or round_), code="round_closed")
    if client_id:
        stored = Checklist.objects.select_related("round").filter(client_id=client_id).first()
        if stored is not None:  # a concurrent retry committed while this one waited for the lock
            return _same_request(stored, client_id, _body(round_, station.code, clean, note), actor)
    scheme = schemes.scheme_for(round_.instrument)
    previous = Checklist.objects.select_for_update().filter(round=round_, tps=station, is_current=True).first()
    mask = scoring.pack(schemes.yes_codes(clean), scheme)
    _yes, score, _flags, rank = scoring.assess(
        scoring.np.array([mask], dtype=scoring.np.int64), scoring.np.array([station.is_special]), scheme
    )
    if previous is not None:
        Checklist.objects.filter(pk=previous.pk).update(is_current=False)
    checklist = Checklist.objects.create(
        round=round_,
        tps=station,
        version=(previous.version if previous else 0) + 1,
        answers=clean,
        yes_mask=mask,
        score=float(score[0]),
        security_class=SECURITY_BY_RANK[int(rank[0])],
        note=note,
        client_id=client_id or None,
        channel=channel,
        submitted_by=actor if getattr(actor, "pk", None) else None,
        evidence=evidence or "",
    )
    recompute.apply_delta(
        round_, (station.code, station.is_special), previous.yes_mask if previous else None, mask, scheme
    )
    history_record(
        object_type="risk.checklist",
        object_key=f"{round_.slug}:{station.code}",
        action="answered",
        actor=actor,
        channel=channel,
        changes={"version": checklist.version, "yes": schemes.yes_codes(clean)},
        note=note,
        area_code=station.code,
    )
    return checklist


def _station_in_round(round_: AssessmentRound, tps_code: str) -> PollingStation:
    code = normalise_tps_code(tps_code)
    station = PollingStation.objects.filter(code=code).first() if code else None
    if station is None:
        raise NotFound(_("TPS %(code)s tidak ditemukan") % {"code": tps_code})
    if not is_within(station.code, round_.area_id):
        raise ValidationFailed(_("TPS %(code)s di luar wilayah putaran %(area)s") % {"code": station.code, "area": round_.area_id}, field="tps_code")
    return station


def _check_evidence(evidence: UploadedFile | None) -> None:
    if evidence is None:
        return
    if evidence.size and evidence.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(_("%(file)s: lebih besar dari %(mb)d MB") % {"file": evidence.name, "mb": MAX_UPLOAD_BYTES // 2**20}, field="evidence")
    upload_check(evidence.name or "", evidence.read(), accept=IMAGES_AND_PDF, field="evidence")
    evidence.seek(0)


# --- security class ----------------------------------------------------------------------------


@transaction.atomic
def security_override_set(*, actor: Any, tps_code: str, security_class: str, reason: str) -> SecurityOverride | None:
    """Set (or with an empty class, clear) the manual class of a TPS; the reason is required either way."""
    # The override is the TPS's planning class, not round data: it changes no answer, score or roll-up
    # of any round (closed ones included); `security_class_map` lays it over the derived class.
    station = TPS_SECURITY.get(actor, tps_code, write=True)
    if not reason.strip():
        raise ValidationFailed(_("sebutkan alasan penggantian kelas"), field="reason")
    if security_class and security_class not in SecurityClass.values:
        raise ValidationFailed(_("kelas kerawanan %(code)s tidak dikenal") % {"code": security_class}, field="security_class")
    current = SecurityOverride.objects.select_for_update().filter(tps=station).first()
    before = current.security_class if current else ""
    result = None
    if security_class:
        result, _created = SecurityOverride.objects.update_or_create(
            tps=station, defaults={"security_class": security_class, "reason": reason.strip(), "set_by": actor}
        )
    elif current is not None:
        current.delete()
    history_record(
        object_type="risk.security_class",
        object_key=station.code,
        action="override" if security_class else "override_cleared",
        actor=actor,
        changes={"security_class": [before, security_class]},
        note=reason.strip(),
        area_code=station.code,
    )
    return result


# --- contract 2: incidents -> risk -------------------------------------------------------------


@dataclass(frozen=True)
class IndicatorOutcome:
    """What `indicator_set_from_report` did. True only when the risk map changed (`applied`).

    `proposed`: the TPS's round is closed, so the change was queued for the next round instead.
    `round_slug`: the round written to (applied) or the closed round the proposal is attached to.
    """

    applied: bool
    proposed: bool = False
    round_slug: str | None = None
    proposal_id: int | None = None

    def __bool__(self) -> bool:
        return self.applied


def indicator_set_from_report(*, tps_code: str, indicator_code: str, report_ref: str, actor: Any) -> IndicatorOutcome:
    """Mark one indicator yes for the TPS from a verified report (contract 2, called by incidents).

    With an open Pilkada 2024 round covering the TPS, the answer goes into it as a new checklist
    version. When the covering round is closed, nothing in it changes: a `ProposedChange` is recorded
    for the next round of that instrument, shown on both rounds' pages.
    """
    code = normalise_tps_code(tps_code)
    station = PollingStation.objects.filter(code=code).first() if code else None
    if station is None:
        return IndicatorOutcome(applied=False)
    round_ = _report_round(station.code)
    if round_ is None or not Indicator.objects.filter(instrument=round_.instrument, code=indicator_code).exists():
        return IndicatorOutcome(applied=False)
    with transaction.atomic():
        locked = AssessmentRound.objects.select_for_update().get(pk=round_.pk)
        if round_is_closed(locked):
            proposal, _created = ProposedChange.objects.get_or_create(
                source_round=locked,
                tps=station,
                indicator_code=indicator_code,
                report_ref=report_ref,
                defaults={
                    "instrument_slug": round_.instrument.slug,
                    "created_by": actor if getattr(actor, "pk", None) else None,
                },
            )
            history_record(
                object_type="risk.round",
                object_key=locked.slug,
                action="proposed",
                actor=actor,
                channel=Channel.SYSTEM,
                changes={"tps": station.code, "indicator": indicator_code, "report": report_ref},
                area_code=station.code,
            )
            return IndicatorOutcome(applied=False, proposed=True, round_slug=locked.slug, proposal_id=proposal.pk)
        _indicator_apply(actor, round_, station, indicator_code, f"from report {report_ref}")
    return IndicatorOutcome(applied=True, round_slug=round_.slug)


def _indicator_apply(actor: Any, round_: AssessmentRound, station: PollingStation, indicator_code: str, note: str):
    """One indicator set to yes in an open round, as a new version of the TPS's checklist."""
    previous = Checklist.objects.filter(round=round_, tps=station, is_current=True).first()
    answers = dict(previous.answers) if previous else _all_no(round_.instrument)
    answers[indicator_code] = _yes_answer(answers.get(indicator_code))
    return _checklist_store(actor, round_, station, answers, note, None, Channel.SYSTEM, None)


def _report_round(tps_code: str) -> AssessmentRound | None:
    covering = AssessmentRound.objects.filter(
        instrument__slug=PILKADA_2024, area_id__in=[*ancestors_of(tps_code)]
    ).select_related("instrument")
    return (
        covering.filter(status=RoundStatus.OPEN).order_by("-window_start", "-id").first()
        or covering.order_by("-window_start", "-id").first()
    )


# --- proposed changes (closed rounds) ----------------------------------------------------------


def proposal_next_round(proposal: ProposedChange) -> AssessmentRound | None:
    """The open round after the proposal's closed round: same instrument, covering the TPS, started later."""
    source = proposal.source_round
    later = Q(window_start__gt=source.window_start) | Q(window_start=source.window_start, pk__gt=source.pk)
    return (
        AssessmentRound.objects.filter(
            later,
            instrument__slug=proposal.instrument_slug,
            area_id__in=[*ancestors_of(proposal.tps_id)],
            status=RoundStatus.OPEN,
        )
        .select_related("instrument")
        .order_by("window_start", "id")
        .first()
    )


def proposal_apply(*, actor: Any, proposal_id: int) -> Checklist:
    """Apply a proposed change to the next (open) round, through the same path as a verified report."""
    proposal = PROPOSALS.get(actor, proposal_id, write=True)
    target = proposal_next_round(proposal)
    if target is None:
        raise Conflict(
            _("belum ada putaran terbuka setelah %(round)s yang mencakup TPS %(code)s; buka putaran berikutnya dulu")
            % {"round": proposal.source_round.slug, "code": proposal.tps_id}
        )
    station = PollingStation.objects.get(code=proposal.tps_id)
    if not Indicator.objects.filter(instrument=target.instrument, code=proposal.indicator_code).exists():
        raise Conflict(_("putaran %(round)s tidak memiliki indikator %(code)s") % {"round": target.slug, "code": proposal.indicator_code})
    with transaction.atomic():
        fresh = ProposedChange.objects.select_for_update().get(pk=proposal.pk)
        if fresh.applied_at is not None:
            raise Conflict(_("usulan %(id)s sudah diterapkan pada putaran %(round)s") % {"id": proposal.pk, "round": fresh.applied_to_id})
        checklist = _indicator_apply(
            actor,
            target,
            station,
            proposal.indicator_code,
            f"from report {proposal.report_ref} (usulan #{proposal.pk})",
        )
        ProposedChange.objects.filter(pk=proposal.pk).update(
            applied_to=target,
            applied_checklist=checklist,
            applied_by=actor if getattr(actor, "pk", None) else None,
            applied_at=timezone.now(),
        )
    return checklist


def _all_no(instrument: Instrument) -> dict[str, dict]:
    return {
        code: {"yes": False, "count": 0 if kind == "jumlah" else None}
        for code, kind in Indicator.objects.filter(instrument=instrument).values_list("code", "answer_type")
    }


def _yes_answer(previous: dict | None) -> dict:
    count = (previous or {}).get("count")
    return {"yes": True, "count": max(count, 1) if count is not None else None}
