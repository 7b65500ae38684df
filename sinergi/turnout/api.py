"""Turnout API: reports in (one or a batch, idempotent by client id), roll-ups out."""

import dataclasses
from typing import TYPE_CHECKING, Any, TypeAlias

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import create_model

from sinergi.accounts.guards import Guard, WritesSomewhere, guarded, operation
from sinergi.areas.codes import DESA_DEPTH, ancestor_at
from sinergi.core.cache import shared_read
from sinergi.core.errors import ValidationFailed
from sinergi.core.models import Channel
from sinergi.turnout import selectors
from sinergi.turnout.permissions import REPORTS, TURNOUT_AREA, report_targets_check
from sinergi.turnout.services import ReportInput, report_submit_as
from sinergi.turnout.voting_day import election_for

router = Router(tags=["turnout"])

# The nation and a province: many readers, big subtrees; a few seconds behind the reports is fine.
SHARED_LEVELS = frozenset({"nasional", "provinsi"})
AREA_FRESH_SECONDS = 5
AREA_STALE_SECONDS = 30


def _report_schema(name: str, *, every_field_optional: bool, doc: str, **extra: Any) -> type[Schema]:
    """A schema with the fields of `ReportInput`, the one declaration of a report (the form reads it too)."""
    fields: dict[str, Any] = {}
    for field in dataclasses.fields(ReportInput):
        if field.default is not dataclasses.MISSING:
            fields[field.name] = (field.type, field.default)
        elif every_field_optional:
            fields[field.name] = (field.type | None, None)  # type: ignore[operator]
        else:
            fields[field.name] = (field.type, ...)
    return create_model(name, __base__=Schema, __doc__=doc, **extra, **fields)


if TYPE_CHECKING:  # built at run time from ReportInput's fields, which mypy cannot follow
    TurnoutReportIn: TypeAlias = Any
    TurnoutReportsIn: TypeAlias = Any
else:
    TurnoutReportIn = _report_schema("TurnoutReportIn", every_field_optional=False, doc="One turnout report.")
    TurnoutReportsIn = _report_schema(
        "TurnoutReportsIn",
        every_field_optional=True,
        doc="Either one report (its fields at the top level) or a batch in `reports`.",
        election=(str | None, None),
        reports=(list[TurnoutReportIn] | None, None),
    )


class TurnoutFlagOut(Schema):
    rule: str
    message: str
    hold: bool = False


class TurnoutResultOut(Schema):
    index: int
    tps_code: str
    checkpoint: str
    version: int
    voters: int
    flags: list[TurnoutFlagOut]
    duplicate: bool
    client_id: str | None
    held: bool  # stored but not counted until a supervisor confirms or corrects it


class TurnoutReportsOut(Schema):
    election: str
    stored: int
    duplicates: int
    results: list[TurnoutResultOut]


def _items(payload: Any) -> list[ReportInput]:
    if payload.reports is not None:
        if not payload.reports:  # the election is chosen by the first report's TPS
            raise ValidationFailed(_("tidak ada laporan yang dikirim"), field="reports")
        return [ReportInput(**r.dict()) for r in payload.reports]
    missing = [name for name in ("tps_code", "checkpoint", "voters") if getattr(payload, name) is None]
    if missing:
        raise ValidationFailed(
            _("kirim `reports` atau satu laporan dengan %(fields)s") % {"fields": ", ".join(missing)}, field=missing[0]
        )
    single = payload.dict(exclude={"election", "reports"})
    return [ReportInput(**single)]


@router.post(
    "/turnout/reports",
    response={200: TurnoutReportsOut, 201: TurnoutReportsOut},
    summary="Report turnout: one report or a batch (all or nothing); a repeated client_id returns the stored one",
)
@operation(WritesSomewhere(REPORTS))
def reports_post(request: HttpRequest, payload: TurnoutReportsIn):
    items = _items(payload)
    election = election_for(ancestor_at(items[0].tps_code, DESA_DEPTH), payload.election)
    results = report_submit_as(user=request.user, election=election, items=items, channel=Channel.API)
    stored = sum(1 for r in results if not r.duplicate)
    body = {"election": election.slug, "stored": stored, "duplicates": len(results) - stored, "results": results}
    return Status(201 if stored else 200, body)


class TurnoutNoopOut(Schema):
    received: int


@router.post(
    "/turnout/noop",
    response=TurnoutNoopOut,
    summary="Baseline for the burst benchmark: authenticates and parses a report body, stores nothing",
)
@operation(WritesSomewhere(REPORTS))
def reports_noop(request: HttpRequest, payload: TurnoutReportsIn):
    items = _items(payload)
    report_targets_check(request.user, (item.tps_code for item in items))
    return {"received": len(items)}


class TurnoutAreaQuery(Schema):
    checkpoint: str | None = None
    election: str | None = None


class TurnoutAreaOut(Schema):
    code: str
    name: str
    election: str
    checkpoint: str
    checkpoint_label: str
    expected_tps: int
    reported_tps: int
    missing_tps: int
    flagged_tps: int
    held_tps: int
    voters: int
    dpt_reported: int
    dpt_total: int
    turnout_pct: float | None
    projected_pct: float | None
    projected_low_pct: float | None
    projected_high_pct: float | None
    pace_pct: float
    below_pace: bool
    target_pct: float
    kpu_target_pct: float
    reference_turnouts: list[dict]


def _area_out(t: selectors.AreaTurnout) -> dict:
    totals, p = t.totals, t.projection
    return {
        "code": t.area.code,
        "name": t.area.name,
        "election": t.election.slug,
        "checkpoint": t.checkpoint.code,
        "checkpoint_label": t.checkpoint.label,
        "expected_tps": totals.expected_tps,
        "reported_tps": totals.reported_tps,
        "missing_tps": totals.missing_tps,
        "flagged_tps": totals.flagged_tps,
        "held_tps": totals.held_tps,
        "voters": totals.voters,
        "dpt_reported": totals.dpt_reported,
        "dpt_total": totals.dpt_total,
        "turnout_pct": totals.turnout_pct,
        "projected_pct": _round(p.pct),
        "projected_low_pct": _round(p.low),
        "projected_high_pct": _round(p.high),
        "pace_pct": round(t.pace_pct, 2),
        "below_pace": t.below_pace,
        "target_pct": t.target_pct,
        "kpu_target_pct": float(t.election.kpu_target_pct),
        "reference_turnouts": t.election.reference_turnouts,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@router.get("/turnout/areas/{code}", response=TurnoutAreaOut, summary="Turnout of an area at a checkpoint")
@operation(Guard(TURNOUT_AREA, "code"))
def area_turnout(request: HttpRequest, code: str, query: Query[TurnoutAreaQuery]):
    area = guarded(request, TURNOUT_AREA)
    election, checkpoint = selectors.election_and_checkpoint(code, query.election, query.checkpoint)
    if area.level not in SHARED_LEVELS:
        return _area_out(selectors.area_turnout(area, election, checkpoint))
    # The same for every reader the guard let in: one copy in the shared cache, one loader at a time.
    return shared_read(
        f"turnout:api:area:{checkpoint.pk}:{area.code}",
        lambda: _area_out(selectors.area_turnout(area, election, checkpoint)),
        fresh_seconds=AREA_FRESH_SECONDS,
        stale_seconds=AREA_STALE_SECONDS,
    )


class TurnoutChildOut(Schema):
    code: str
    name: str
    expected_tps: int
    reported_tps: int
    missing_tps: int
    flagged_tps: int
    held_tps: int
    voters: int
    dpt_reported: int
    turnout_pct: float | None


@router.get(
    "/turnout/areas/{code}/children", response=list[TurnoutChildOut], summary="Turnout of each child area (for the map)"
)
@operation(Guard(TURNOUT_AREA, "code"))
def area_children(request: HttpRequest, code: str, query: Query[TurnoutAreaQuery]):
    area = guarded(request, TURNOUT_AREA)
    _, checkpoint = selectors.election_and_checkpoint(code, query.election, query.checkpoint)
    return [_child_out(t) for t in selectors.children_turnout(request.user, area, checkpoint)]


def _child_out(t: selectors.Totals) -> dict:
    return {
        "code": t.code,
        "name": t.name,
        "expected_tps": t.expected_tps,
        "reported_tps": t.reported_tps,
        "missing_tps": t.missing_tps,
        "flagged_tps": t.flagged_tps,
        "held_tps": t.held_tps,
        "voters": t.voters,
        "dpt_reported": t.dpt_reported,
        "turnout_pct": t.turnout_pct,
    }


class TurnoutMissingOut(Schema):
    tps_code: str
    desa: str
    contacts: list[str]


class TurnoutMissingPage(Schema):
    items: list[TurnoutMissingOut]
    next_cursor: str | None


class TurnoutMissingQuery(TurnoutAreaQuery):
    after: str | None = None
    limit: int = 100


@router.get(
    "/turnout/areas/{code}/missing", response=TurnoutMissingPage, summary="TPS that have not reported a checkpoint yet"
)
@operation(Guard(TURNOUT_AREA, "code"))
def area_missing(request: HttpRequest, code: str, query: Query[TurnoutMissingQuery]):
    area = guarded(request, TURNOUT_AREA)
    _, checkpoint = selectors.election_and_checkpoint(code, query.election, query.checkpoint)
    page = selectors.missing_slots(request.user, area, checkpoint, after=query.after, limit=query.limit)
    return {"items": [_missing_out(row) for row in page.items], "next_cursor": page.next_cursor}


def _missing_out(row: selectors.MissingRow) -> dict:
    contacts = [f"{a.name} {a.phone}".strip() for a in row.pps]
    if row.last_reporter:
        contacts.append(f"KPPS {row.last_reporter['name']} {row.last_reporter['phone']}".strip())
    return {"tps_code": row.slot.tps_id, "desa": row.slot.tps.desa.name, "contacts": contacts}
