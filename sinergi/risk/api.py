from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema

from sinergi.accounts.guards import SIGNED_IN, Guard, guarded, operation
from sinergi.areas.codes import ancestors_of
from sinergi.core.errors import Conflict, NotFound
from sinergi.core.models import Channel
from sinergi.core.pagination import keyset_page
from sinergi.risk import selectors, services
from sinergi.risk.models import AreaRollup, AssessmentRound, Checklist, Indicator, RoundStatus
from sinergi.risk.permissions import AREAS, PROPOSALS, ROUND, TPS, TPS_SECURITY

router = Router(tags=["risk"])
PREFIX = "risk/"


class RoundOut(Schema):
    slug: str
    name: str
    area_code: str
    instrument: str
    instrument_version: int
    window_start: str
    window_end: str
    status: str
    is_synthetic: bool


def _round(r: AssessmentRound) -> dict[str, Any]:
    return {
        "slug": r.slug,
        "name": r.name,
        "area_code": r.area_id,
        "instrument": r.instrument.slug,
        "instrument_version": r.instrument.version,
        "window_start": r.window_start.isoformat(),
        "window_end": r.window_end.isoformat(),
        "status": r.status,
        "is_synthetic": r.is_synthetic,
    }


class ChildOut(Schema):
    code: str
    name: str
    index: float | None
    category: str | None
    tps_total: int
    tps_assessed: int
    tps_flagged: int


class AreaRiskOut(Schema):
    code: str
    name: str
    round: RoundOut
    index: float | None
    category: str | None
    tps_total: int
    tps_assessed: int
    tps_flagged: int
    by_variable: dict[str, int]
    by_indicator: dict[str, int]
    by_class: dict[str, int]
    children: list[ChildOut]


class AnswerIn(Schema):
    yes: bool | None = None
    count: int | None = None


class AssessmentIn(Schema):
    client_id: str
    round: str | None = None
    answers: dict[str, AnswerIn]
    note: str = ""


class TpsRiskOut(Schema):
    tps_code: str
    round: RoundOut | None
    version: int | None
    answers: dict[str, Any]
    score: float | None
    flagged: bool
    derived_class: str | None
    security_class: str | None
    override: dict[str, Any] | None
    note: str
    submitted_at: str | None


class TpsRowOut(Schema):
    tps_code: str
    version: int
    score: float
    derived_class: str
    yes: list[str]


class TpsPage(Schema):
    items: list[TpsRowOut]
    next_cursor: str | None


class TpsQuery(Schema):
    round: str | None = None
    indicator: str | None = None
    security_class: str | None = None
    after: str | None = None
    limit: int = 100


class OverrideIn(Schema):
    security_class: str
    reason: str


def _rollup_numbers(r: AreaRollup | None, total: int) -> dict[str, Any]:
    return {
        "index": r.index if r else None,
        "category": r.category if r else None,
        "tps_total": total,
        "tps_assessed": r.tps_assessed if r else 0,
        "tps_flagged": r.tps_flagged if r else 0,
    }


@router.get("/rounds", response=list[RoundOut], summary="Assessment rounds the user can see")
@operation(SIGNED_IN)
def rounds(request: HttpRequest):
    return [_round(r) for r in selectors.rounds_visible(request.user)[:200]]


@router.get("/areas/{code}", response=AreaRiskOut, summary="Stored roll-up of one area and its children")
@operation(Guard(AREAS, "code"))
def area(request: HttpRequest, code: str, round: str | None = None):
    risk = selectors.with_children(request.user, selectors.area_risk(request.user, guarded(request, AREAS), round))
    r = risk.rollup
    return {
        "code": risk.area.code,
        "name": risk.area.name,
        "round": _round(risk.round),
        **_rollup_numbers(r, risk.area.tps_count),
        "by_variable": r.by_variable if r else {},
        "by_indicator": r.by_indicator if r else {},
        "by_class": r.by_class if r else {},
        "children": [{"code": c.code, "name": c.name, **_rollup_numbers(cr, c.tps_count)} for c, cr in risk.children],
    }


@router.get("/areas/{code}/tps", response=TpsPage, summary="TPS checklists in the area, filterable, by cursor")
@operation(Guard(AREAS, "code"))
def area_tps(request: HttpRequest, code: str, q: Query[TpsQuery]):
    risk = selectors.area_risk(request.user, guarded(request, AREAS), q.round)
    indicator = None
    if q.indicator:
        indicator = Indicator.objects.filter(instrument=risk.round.instrument, code=q.indicator).first()
        if indicator is None:
            raise NotFound(_("indikator %(code)s tidak ditemukan") % {"code": q.indicator})
    rows = selectors.tps_list(request.user, risk.round, code, indicator=indicator, klass=q.security_class)
    page = keyset_page(rows, key="tps_id", after=q.after, limit=q.limit)
    return {"items": [_row(c) for c in page.items], "next_cursor": page.next_cursor}


def _row(c: Checklist) -> dict[str, Any]:
    yes = [code for code, a in c.answers.items() if a.get("yes")]
    return {"tps_code": c.tps_id, "version": c.version, "score": c.score, "derived_class": c.security_class, "yes": yes}


@router.get("/tps/{tps_code}", response=TpsRiskOut, summary="Checklist, score and security class of one TPS")
@operation(Guard(TPS, "tps_code"))
def tps(request: HttpRequest, tps_code: str, round: str | None = None):
    return _tps_out(selectors.tps_risk(request.user, guarded(request, TPS), round))


def _tps_out(risk: selectors.TpsRisk) -> dict[str, Any]:
    c, o = risk.current, risk.override
    return {
        "tps_code": risk.station.code,
        "round": _round(risk.round) if risk.round else None,
        "version": c.version if c else None,
        "answers": c.answers if c else {},
        "score": c.score if c else None,
        "flagged": bool(c and c.score > 0),
        "derived_class": c.security_class if c else None,
        "security_class": risk.effective_class,
        "override": {"security_class": o.security_class, "reason": o.reason} if o else None,
        "note": c.note if c else "",
        "submitted_at": c.submitted_at.isoformat() if c else None,
    }


@router.put(
    "/tps/{tps_code}/assessment",
    response=TpsRiskOut,
    summary="Submit a TPS checklist as a new version; retries with the same client_id return the stored one",
)
@operation(Guard(TPS, "tps_code"))
def assessment_put(request: HttpRequest, tps_code: str, body: AssessmentIn):
    round_ = _writable_round(request, tps_code, body.round)
    services.checklist_submit(
        actor=request.user,
        round_=round_,
        tps_code=tps_code,
        answers={code: a.dict() for code, a in body.answers.items()},
        note=body.note,
        client_id=body.client_id,
        channel=Channel.API,
    )
    return _tps_out(selectors.tps_risk(request.user, guarded(request, TPS), round_.slug))


def _writable_round(request: HttpRequest, tps_code: str, slug: str | None) -> AssessmentRound:
    if slug:
        return selectors.round_get(request.user, slug)
    open_round = (
        selectors.rounds_visible(request.user)
        .filter(status=RoundStatus.OPEN, area_id__in=ancestors_of(tps_code))
        .first()
    )
    if open_round is None:
        raise Conflict(_("tidak ada putaran penilaian terbuka yang mencakup TPS %(code)s") % {"code": tps_code})
    return open_round


@router.post("/tps/{tps_code}/security-class", response=TpsRiskOut, summary="Override the security class")
@operation(Guard(TPS_SECURITY, "tps_code"))
def security_override(request: HttpRequest, tps_code: str, body: OverrideIn):
    services.security_override_set(
        actor=request.user, tps_code=tps_code, security_class=body.security_class, reason=body.reason
    )
    return _tps_out(selectors.tps_risk(request.user, guarded(request, TPS_SECURITY)))


class ProposalOut(Schema):
    id: int
    tps_code: str
    indicator_code: str
    report_ref: str
    source_round: str
    created_at: str
    applied_to: str | None
    applied_at: str | None
    can_apply: bool


def _proposal(p: Any) -> dict[str, Any]:
    return {
        "id": p.pk,
        "tps_code": p.tps_id,
        "indicator_code": p.indicator_code,
        "report_ref": p.report_ref,
        "source_round": p.source_round.slug,
        "created_at": p.created_at.isoformat(),
        "applied_to": p.applied_to.slug if p.applied_to else None,
        "applied_at": p.applied_at.isoformat() if p.applied_at else None,
        "can_apply": getattr(p, "can_apply", False),
    }


@router.get(
    "/rounds/{slug}/proposals",
    response=list[ProposalOut],
    summary="Changes proposed while a round was closed: this closed round's, or those this open round may take",
)
@operation(Guard(ROUND, "slug"))
def round_proposals(request: HttpRequest, slug: str):
    return [_proposal(p) for p in selectors.proposals_for_round(request.user, guarded(request, ROUND))]


@router.post(
    "/proposals/{proposal_id}/apply",
    response=TpsRiskOut,
    summary="Apply a proposed change to the next open round (Bawaslu); 409 when no open round follows",
)
@operation(Guard(PROPOSALS, "proposal_id"))
def proposal_apply(request: HttpRequest, proposal_id: int):
    checklist = services.proposal_apply(actor=request.user, proposal_id=guarded(request, PROPOSALS).pk)
    return _tps_out(selectors.tps_risk(request.user, checklist.tps_id, checklist.round.slug))
