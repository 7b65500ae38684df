from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from sinergi.accounts.guards import Guard, WritesSomewhere, guarded, operation
from sinergi.deployment import selectors, services
from sinergi.deployment.models import Plan
from sinergi.deployment.permissions import DEPLOYMENT, PLANS

router = Router(tags=["deployment"])


class PlanIn(Schema):
    area_code: str
    title: str = "Rencana pengamanan TPS"
    options: dict[str, Any] = {}
    client_id: str | None = None


class PlanSummaryOut(Schema):
    id: int
    area_code: str
    title: str
    version: int
    state: str
    scenario_of: int | None
    method: str
    solver_status: str
    seconds: float
    objective_unmet_weighted: float | None
    objective_travel_km: float | None
    bound_unmet_weighted: float | None
    bound_travel_km: float | None
    gap: float | None
    options: dict
    posts: int
    tps: int
    totals: dict
    by_class: dict
    class_sources: dict
    notes: list[str]


class PlanDetailOut(PlanSummaryOut):
    full_view: bool
    units: list[dict]


def _summary(plan: Plan, s: dict | None = None) -> dict:
    """The plan's figures; `s` replaces the stored plan-wide report (a partial view's own part)."""
    s = plan.summary if s is None else s
    return {
        "id": plan.pk,
        "area_code": plan.area_id,
        "title": plan.title,
        "version": plan.version,
        "state": plan.state,
        "scenario_of": plan.scenario_of_id,
        "method": plan.method,
        "solver_status": plan.solver_status,
        "seconds": plan.seconds,
        "objective_unmet_weighted": plan.unmet_weighted,
        "objective_travel_km": plan.travel_km,
        "bound_unmet_weighted": plan.unmet_bound,
        "bound_travel_km": plan.travel_bound,
        "gap": plan.gap,
        "options": plan.options,
        "posts": s.get("posts", 0),
        "tps": s.get("tps", 0),
        "totals": s.get("totals", {}),
        "by_class": s.get("by_class", {}),
        "class_sources": s.get("class_sources", {}),
        "notes": s.get("notes", []),
    }


@router.post("/deployment/plans", response={201: PlanSummaryOut}, summary="Create and solve a deployment plan")
@operation(WritesSomewhere(DEPLOYMENT))
def plan_create(request: HttpRequest, payload: PlanIn):
    plan = services.plan_create(
        area_code=payload.area_code,
        title=payload.title,
        options=payload.options,
        actor=request.user,
        client_id=payload.client_id,
    )
    return Status(201, _summary(plan))


@router.get("/deployment/plans/{plan_id}", response=PlanDetailOut, summary="A plan with per-unit detail")
@operation(Guard(PLANS, "plan_id"))
def plan_detail(request: HttpRequest, plan_id: int):
    """A user who sees only part of the plan gets the figures of that part, never the plan-wide ones
    (no objective, bounds, solver notes or plan-wide inputs either)."""
    view = selectors.plan_view(request.user, guarded(request, PLANS))
    body = _summary(view.plan, selectors.plan_summary(view))
    if not view.full:
        body.update(
            objective_unmet_weighted=None,
            objective_travel_km=None,
            bound_unmet_weighted=None,
            bound_travel_km=None,
            gap=None,
            seconds=0.0,
            solver_status="",
            options={},  # the plan-wide inputs: other areas raised, other units reduced or lent
        )
    return {**body, "full_view": view.full, "units": selectors.plan_units(view, request.user)}
