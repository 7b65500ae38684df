"""Who may read and change what in the deployment module: one rule per object type.

- `PLANS`: a plan by id. Users whose area holds the plan's area see it whole; users whose area lies
  inside it (a Polsek, a Koramil, Polres Bontang for the two Kukar kecamatan it guards, a kecamatan
  officer) see their part of it. Writers are Polri/TNI planners whose write area holds the plan's area.
- `WHOLE_PLANS`: the plans a user sees whole (side-by-side comparison of scenarios).
- `PLAN_APPROVAL`: approving a plan, for Polri planners whose area holds the plan's area.
- `UNITS`: a security unit (Polres, Polsek, Kodim, Koramil, Satlinmas) by code, for its strength and
  roster. Read by anyone whose area holds one of the unit's jurisdictions; changed only by a planner
  of the unit's own sector whose agency is the unit or one of its parents (a Polri planner keeps Polri
  units in their own chain, a TNI planner TNI units in theirs; either keeps a Satlinmas of their area).
- `AREAS`: the module's area pages (the units of an area, their roster upload).
- `NEAR_UNITS`: the module's pages without an object (plan list, patterns) are open to users whose
  area a security unit covers, at least in part; others get 404.
"""

from dataclasses import dataclass
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from sinergi.accounts.access import (
    ObjectAccess,
    Policy,
    area_access,
    memberships_of,
    read_only_refusal,
    scope_filter,
)
from sinergi.accounts.guards import Guard, Rule
from sinergi.accounts.models import Actor, Agency, Jurisdiction
from sinergi.accounts.roles import ALL_ROLES, Role
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, is_within
from sinergi.areas.models import within
from sinergi.core.errors import Forbidden, NotFound
from sinergi.deployment.models import Plan

# Polri and TNI planners write plans in their jurisdiction; everyone else with a role reads the
# plans covering their area (Pemkab, KPU, Bawaslu, observers); only Polri planners approve.
DEPLOYMENT = Policy(
    name=gettext_noop("rencana pengamanan"),
    read=ALL_ROLES,
    write=frozenset({Role.POLICE_PLANNER, Role.MILITARY_PLANNER}),
)
APPROVAL = Policy(name=gettext_noop("persetujuan rencana"), read=ALL_ROLES, write=frozenset({Role.POLICE_PLANNER}))

UNIT_KINDS = ("polres", "polsek", "kodim", "koramil", "satlinmas")
# Which planners keep which kind of unit; Polri and TNI units only within the planner's own chain.
WRITERS_OF_KIND = {
    **dict.fromkeys(["polres", "polsek"], frozenset({Role.POLICE_PLANNER})),
    **dict.fromkeys(["kodim", "koramil"], frozenset({Role.MILITARY_PLANNER})),
    "satlinmas": frozenset({Role.POLICE_PLANNER, Role.MILITARY_PLANNER}),
}
CHAIN_KINDS = frozenset({"polres", "polsek", "kodim", "koramil"})


def _above(code: str) -> list[str]:
    """The areas holding `code`, below the nation."""
    return ancestors_of(code)[1:]


# --- plans ---------------------------------------------------------------------------------------


def plans_readable(user: Actor) -> Q:
    """Plans over an area the user reads (whole), or over an area holding one of the user's areas (part)."""
    scopes = DEPLOYMENT.read_scopes(user)
    if NATIONAL_CODE in scopes:
        return Q()
    covering = Q(pk__in=[])
    for code in scopes:
        covering |= Q(area_id__in=_above(code))
    return scope_filter(scopes, "area__code") | covering


def sees_whole(user: Actor, plan: Plan) -> bool:
    return DEPLOYMENT.can_read(user, plan.area_id)


def part_scopes(user: Actor, plan: Plan) -> list[str]:
    """The user's areas inside the plan's area: what a partial viewer sees of it."""
    return [s for s in DEPLOYMENT.read_scopes(user) if is_within(s, plan.area_id)]


def _plan_write_refusal(user: Actor, plan: Plan) -> str | None:
    return None if DEPLOYMENT.can_write(user, plan.area_id) else read_only_refusal(DEPLOYMENT)


def _approval_refusal(user: Actor, plan: Plan) -> str | None:
    return None if APPROVAL.can_write(user, plan.area_id) else read_only_refusal(APPROVAL)


def _plans() -> Any:
    return Plan.objects.select_related("area", "created_by", "approved_by")


PLANS: ObjectAccess[Plan] = ObjectAccess(
    kind="deployment.plan",
    label=gettext_noop("rencana"),
    queryset=_plans,
    readable=plans_readable,
    write_refusal=_plan_write_refusal,
)
WHOLE_PLANS: ObjectAccess[Plan] = ObjectAccess(
    kind="deployment.plan-whole",
    label=gettext_noop("rencana"),
    queryset=_plans,
    readable=lambda user: scope_filter(DEPLOYMENT.read_scopes(user), "area__code"),
    write_refusal=_plan_write_refusal,
)
PLAN_APPROVAL: ObjectAccess[Plan] = ObjectAccess(
    kind="deployment.plan-approval",
    label=gettext_noop("rencana"),
    queryset=_plans,
    readable=plans_readable,
    write_refusal=_approval_refusal,
)


# --- security units ------------------------------------------------------------------------------


def units_readable(user: Actor) -> Q:
    """Units with a jurisdiction inside one of the user's areas."""
    scopes = DEPLOYMENT.read_scopes(user)
    covered = Jurisdiction.objects.filter(scope_filter(scopes, "area__code")).values("agency_id")
    return Q(kind__in=UNIT_KINDS) & Q(pk__in=covered)


def _chain(unit: Agency) -> set[int]:
    """The unit's id and its parents' (the queryset selects three levels; deeper ones are read as needed)."""
    ids: set[int] = set()
    node: Agency | None = unit
    while node is not None and node.pk not in ids:
        ids.add(node.pk)
        node = node.parent
    return ids


def unit_write_refusal(user: Actor, unit: Agency) -> str | None:
    """Why the user may not change the unit's strength or roster, or None.

    Admins keep the units of their area. A Polri planner keeps Polri units (Polres, Polsek) whose own
    agency is, or whose parents include, the planner's agency; a TNI planner TNI units (Kodim, Koramil)
    the same way; the unit's seat must lie in the planner's area. Either planner keeps a Satlinmas of
    their area."""
    roles = WRITERS_OF_KIND.get(unit.kind, frozenset())
    chain = _chain(unit) if unit.kind in CHAIN_KINDS else set()
    for role, area, agency in memberships_of(user):
        if not is_within(unit.area_id, area):
            continue
        if role == Role.ADMIN:
            return None
        if role in roles and (unit.kind not in CHAIN_KINDS or agency in chain):
            return None
    return str(_("Anda hanya dapat mengubah kekuatan dan daftar personel satuan dalam rantai komando Anda"))


UNITS: ObjectAccess[Agency] = ObjectAccess(
    kind="deployment.unit",
    label=gettext_noop("satuan"),
    queryset=lambda: Agency.objects.filter(kind__in=UNIT_KINDS).select_related("area", "parent__parent__parent"),
    readable=units_readable,
    write_refusal=unit_write_refusal,
    key_field="code",
)

AREAS = area_access(DEPLOYMENT, "deployment.area")


# --- routes --------------------------------------------------------------------------------------


def units_near(user: Actor) -> bool:
    """Whether a security unit covers (part of) one of the user's areas: the module has nothing to
    show anyone else, such as a KPU operator of a city without units in Sinergi."""
    scopes = DEPLOYMENT.read_scopes(user)
    if NATIONAL_CODE in scopes:
        return True
    near = Q(pk__in=[])
    for code in scopes:
        near |= within(code, "area__code") | Q(area_id__in=_above(code))
    return Jurisdiction.objects.filter(agency__kind__in=UNIT_KINDS).filter(near).exists()


@dataclass(frozen=True)
class NearUnits(Rule):
    """A page without an object: 404 unless a security unit covers part of the user's areas;
    unsafe methods also need a write scope of `write` (403 otherwise)."""

    write: Policy | None = None

    def describe(self) -> str:
        extra = f"; write scope of {self.write.name} on unsafe methods" if self.write else ""
        return f"signed in, a security unit covers the user's area{extra}"

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        if not units_near(request.user):
            raise NotFound(_("Tidak ada satuan pengamanan di wilayah Anda"))
        if (
            self.write
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and not self.write.write_scopes(request.user)
        ):
            raise Forbidden(read_only_refusal(self.write))


@dataclass(frozen=True)
class AnnexGuard(Guard):
    """A unit's annex of a plan: the plan through `PLANS` (read), then the unit through `UNITS` (404
    when the user may not see the unit) and it must take part in the plan (404 otherwise). The view
    takes the plan with `guarded(request, PLANS)` and the unit with `annex_unit(request)`."""

    unit_param: str = "code"

    def describe(self) -> str:
        return f"{super().describe()}, then {UNITS.kind} by {self.unit_param} taking part in the plan"

    def resolve(self, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        super().resolve(request, kwargs)
        plan = request.sinergi_guarded[1]  # type: ignore[attr-defined]
        unit = UNITS.get(request.user, kwargs[self.unit_param])
        if not any(row["code"] == unit.code for row in plan.summary.get("units", [])):
            raise NotFound(_("Satuan tidak ada dalam rencana ini"))
        request.sinergi_annex_unit = unit  # type: ignore[attr-defined]


def annex_unit(request: HttpRequest) -> Agency:
    unit = getattr(request, "sinergi_annex_unit", None)
    if unit is None:
        raise RuntimeError("route is not guarded by AnnexGuard")
    return unit


ANNEX = AnnexGuard(PLANS, "plan_id", write=False)
