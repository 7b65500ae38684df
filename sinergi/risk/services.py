"""Every write of the risk module: one transaction each, validated, with a history row."""

import datetime as dt
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction

from sinergi.areas.codes import ancestors_of, is_within, normalise_tps_code
from sinergi.areas.models import Area, PollingStation
from sinergi.core.errors import Conflict, NotFound, ValidationFailed
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
    RoundStatus,
    SecurityClass,
    SecurityOverride,
    SecurityRule,
    Threshold,
    Variable,
)
from sinergi.risk.permissions import RISK, ROUNDS, SECURITY

PILKADA_2024 = "tps-pilkada-2024"


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
        raise ValidationFailed("rounds of TPS checklists need a TPS instrument", field="instrument")
    if window_end < window_start:
        raise ValidationFailed("the collection window ends before it starts", field="window_end")
    if not Area.objects.filter(code=area_code).exists():
        raise ValidationFailed(f"area {area_code} does not exist", field="area_code")
    if AssessmentRound.objects.filter(slug=slug).exists():
        raise Conflict(f"a round named {slug} already exists")
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
    ROUNDS.check(actor, round_.area_id, write=True, what=f"round {round_.slug}")
    if status not in RoundStatus.values:
        raise ValidationFailed(f"unknown status {status}", field="status")
    with transaction.atomic():
        before = round_.status
        round_.status = status
        round_.save(update_fields=["status"])
        history_record(
            object_type="risk.round",
            object_key=round_.slug,
            action="status",
            actor=actor,
            changes={"status": [before, status]},
            area_code=round_.area_id,
        )
        recompute.round_recompute(round_)  # same transaction: a closed round never shows stale numbers
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
    """Store a new version of the TPS's checklist and move the round's roll-ups. Idempotent by client id."""
    if client_id:
        stored = Checklist.objects.filter(client_id=client_id).first()
        if stored is not None:
            return _same_request(stored, round_, tps_code)
    station = _station_in_round(round_, tps_code)
    RISK.check(actor, station.code, write=True, what=f"TPS {station.code}")
    if round_.status != RoundStatus.OPEN:
        raise Conflict(f"round {round_.slug} is closed; ask Bawaslu to reopen it")
    _check_evidence(evidence)
    clean = schemes.normalise_answers(round_.instrument, answers)
    try:
        return _checklist_store(actor, round_, station, clean, note, client_id, channel, evidence)
    except IntegrityError:
        # A concurrent retry with the same client id won the race: answer with the stored one.
        stored = Checklist.objects.filter(client_id=client_id).first() if client_id else None
        if stored is None:
            raise
        return stored


def _same_request(stored: Checklist, round_: AssessmentRound, tps_code: str) -> Checklist:
    if stored.round_id != round_.pk or stored.tps_id != normalise_tps_code(tps_code):
        raise Conflict("this client id was already used for another TPS or round")
    return stored


@transaction.atomic
def _checklist_store(actor, round_, station, clean, note, client_id, channel, evidence) -> Checklist:
    # Every write moves the round area's roll-up row anyway; locking the round first also serialises the
    # creation of missing ancestor roll-up rows (PostgreSQL; SQLite writes are serial already).
    AssessmentRound.objects.select_for_update().filter(pk=round_.pk).first()
    scheme = schemes.scheme_for(round_.instrument)
    previous = Checklist.objects.select_for_update().filter(round=round_, tps=station, is_current=True).first()
    mask = scoring.pack(schemes.yes_codes(clean), scheme)
    _, score, _, rank = scoring.assess(
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
        raise NotFound(f"TPS {tps_code} not found")
    if not is_within(station.code, round_.area_id):
        raise ValidationFailed(f"TPS {station.code} is outside the round's area {round_.area_id}", field="tps_code")
    return station


def _check_evidence(evidence: UploadedFile | None) -> None:
    if evidence is None:
        return
    if evidence.size and evidence.size > MAX_UPLOAD_BYTES:
        raise ValidationFailed(f"{evidence.name}: larger than {MAX_UPLOAD_BYTES // 2**20} MB", field="evidence")
    upload_check(evidence.name or "", evidence.read(), accept=IMAGES_AND_PDF, field="evidence")
    evidence.seek(0)


# --- security class ----------------------------------------------------------------------------


@transaction.atomic
def security_override_set(*, actor: Any, tps_code: str, security_class: str, reason: str) -> SecurityOverride | None:
    """Set (or with an empty class, clear) the manual class of a TPS; the reason is required either way."""
    station = PollingStation.objects.filter(code=tps_code).first()
    if station is None:
        raise NotFound(f"TPS {tps_code} not found")
    SECURITY.check(actor, station.code, write=True, what=f"TPS {tps_code}")
    if not reason.strip():
        raise ValidationFailed("give the reason for the override", field="reason")
    if security_class and security_class not in SecurityClass.values:
        raise ValidationFailed(f"unknown security class {security_class}", field="security_class")
    current = SecurityOverride.objects.select_for_update().filter(tps=station).first()
    before = current.security_class if current else ""
    result = None
    if security_class:
        result, _ = SecurityOverride.objects.update_or_create(
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


def indicator_set_from_report(*, tps_code: str, indicator_code: str, report_ref: str, actor: Any) -> bool:
    """Mark one indicator yes in the current Pilkada 2024 round covering the TPS, as a new version."""
    code = normalise_tps_code(tps_code)
    station = PollingStation.objects.filter(code=code).first() if code else None
    if station is None:
        return False
    round_ = _report_round(station.code)
    if round_ is None or not Indicator.objects.filter(instrument=round_.instrument, code=indicator_code).exists():
        return False
    previous = Checklist.objects.filter(round=round_, tps=station, is_current=True).first()
    answers = dict(previous.answers) if previous else _all_no(round_.instrument)
    answers[indicator_code] = _yes_answer(answers.get(indicator_code))
    with transaction.atomic():
        _checklist_store(actor, round_, station, answers, f"from report {report_ref}", None, Channel.SYSTEM, None)
    return True


def _report_round(tps_code: str) -> AssessmentRound | None:
    covering = AssessmentRound.objects.filter(
        instrument__slug=PILKADA_2024, area_id__in=[*ancestors_of(tps_code)]
    ).select_related("instrument")
    return (
        covering.filter(status=RoundStatus.OPEN).order_by("-window_start", "-id").first()
        or covering.order_by("-window_start", "-id").first()
    )


def _all_no(instrument: Instrument) -> dict[str, dict]:
    return {
        code: {"yes": False, "count": 0 if kind == "jumlah" else None}
        for code, kind in Indicator.objects.filter(instrument=instrument).values_list("code", "answer_type")
    }


def _yes_answer(previous: dict | None) -> dict:
    count = (previous or {}).get("count")
    return {"yes": True, "count": max(count, 1) if count is not None else None}
