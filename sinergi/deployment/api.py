from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status

from sinergi.deployment import selectors, services
from sinergi.deployment.models import Plan

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
    objective_unmet_weighted: float
    objective_travel_km: float
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


def _summary(plan: Plan) -> dict:
    s = plan.summary
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
def plan_detail(request: HttpRequest, plan_id: int):
    access = selectors.plan_access(request.user, plan_id)
    body = _summary(access.plan)
    if not access.full:
        body["totals"] = body["by_class"] = {}
    return {**body, "full_view": access.full, "units": selectors.plan_units(access)}
