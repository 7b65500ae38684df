"""Every read of the deployment module, scoped to the user.

A plan is seen whole by users whose area holds the plan's area, and in part (the posts and units
inside their area) by users whose area lies inside it, such as a Polsek, a Koramil or Polres
Bontang for the two Kukar kecamatan it guards. Anyone else gets 404."""

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sinergi.accounts.access import scope_filter
from sinergi.accounts.models import Agency, Jurisdiction
from sinergi.areas.codes import NATIONAL_CODE, ancestors_of, is_within
from sinergi.areas.models import within
from sinergi.core.errors import NotFound
from sinergi.deployment.inputs import UNIT_KINDS
from sinergi.deployment.models import Plan, PlanAssignment, PlanPost, PlanQuerySet, RosterMember, RosterStatus
from sinergi.deployment.permissions import APPROVAL, DEPLOYMENT


@dataclass
class PlanAccess:
    plan: Plan
    full: bool  # sees the whole plan
    scopes: list[str]  # when not full: the user's areas inside the plan's area
    can_write: bool
    can_approve: bool


def plans_visible(user: Any) -> PlanQuerySet:
    scopes = DEPLOYMENT.read_scopes(user)
    if NATIONAL_CODE in scopes:
        return Plan.objects.select_related("area", "created_by", "approved_by")
    covering = Q(pk__in=[])
    for code in scopes:
        covering |= Q(area_id__in=_above(code))
    return Plan.objects.filter(scope_filter(scopes, "area__code") | covering).select_related(
        "area", "created_by", "approved_by"
    )


def plan_access(user: Any, plan_id: int) -> PlanAccess:
    plan = plans_visible(user).filter(pk=plan_id).first()
    if plan is None:
        raise NotFound("plan not found")
    full = DEPLOYMENT.can_read(user, plan.area_id)
    inside = [s for s in DEPLOYMENT.read_scopes(user) if is_within(s, plan.area_id)]
    return PlanAccess(
        plan,
        full,
        [] if full else inside,
        DEPLOYMENT.can_write(user, plan.area_id),
        APPROVAL.can_write(user, plan.area_id),
    )


def plan_posts(access: PlanAccess) -> QuerySet[PlanPost]:
    posts = access.plan.posts.select_related("police_unit", "military_unit", "kecamatan")
    return posts if access.full else posts.filter(scope_filter(access.scopes, "kecamatan__code"))


def plan_units(access: PlanAccess) -> list[dict]:
    """The per-unit rows of the stored report that the user may see."""
    rows = access.plan.summary.get("units", [])
    if access.full:
        return rows
    inside = set(
        Jurisdiction.objects.filter(agency__code__in=[r["code"] for r in rows])
        .filter(scope_filter(access.scopes, "area__code"))
        .values_list("agency__code", flat=True)
    )
    return [r for r in rows if r["code"] in inside]


def annex_unit(access: PlanAccess, code: str) -> Agency:
    """A Polsek or Koramil (or any unit) in the plan whose annex the user may open."""
    unit = Agency.objects.filter(code=code, kind__in=UNIT_KINDS).select_related("area", "parent").first()
    if unit is None or not any(r["code"] == code for r in plan_units(access)):
        raise NotFound("unit not found in this plan")
    return unit


@dataclass
class AnnexPost:
    post: PlanPost
    people: list[dict]  # {"unit", "pool", "kind", "count", "names"}


def annex(access: PlanAccess, unit: Agency) -> list[AnnexPost]:
    """Posts the unit covers or sends people to, with the people (named when it has a roster)."""
    plan = access.plan
    posts = list(
        plan.posts.filter(Q(police_unit=unit) | Q(military_unit=unit) | Q(assignments__agency=unit))
        .distinct()
        .select_related("kecamatan")
        .order_by("number")
    )
    assignments = (
        PlanAssignment.objects.filter(post__in=posts).select_related("agency").order_by("post_id", "agency_id", "pool")
    )
    names = _names_for({a.agency_id for a in assignments})
    cursor: dict[tuple[int, str], int] = defaultdict(int)
    by_post: dict[int, list[dict]] = defaultdict(list)
    for a in assignments:
        pool_names = names.get((a.agency_id, a.pool), [])
        start = cursor[(a.agency_id, a.pool)]
        cursor[(a.agency_id, a.pool)] += a.people
        by_post[a.post_id].append(
            {
                "unit": a.agency.name,
                "unit_code": a.agency.code,
                "pool": a.get_pool_display(),
                "kind": a.get_kind_display(),
                "count": a.people,
                "km": a.km,
                "desa": a.desa_code,
                "names": pool_names[start : start + a.people],
            }
        )
    return [AnnexPost(p, by_post.get(p.pk, [])) for p in posts]


def _names_for(agency_ids: set[int]) -> dict[tuple[int, str], list[str]]:
    """Active roster members in a stable order: the annex hands them out post by post."""
    names: dict[tuple[int, str], list[str]] = defaultdict(list)
    rows = RosterMember.objects.filter(agency_id__in=agency_ids, status=RosterStatus.ACTIVE).order_by(
        "agency_id", "pool", "id_number"
    )
    for m in rows:
        names[(m.agency_id, m.pool)].append(f"{m.rank} {m.name} ({m.id_number})".strip())
    return names


def units_visible(user: Any, area_code: str) -> QuerySet[Agency]:
    DEPLOYMENT.check(user, area_code, what="units")
    return (
        Agency.objects.filter(kind__in=UNIT_KINDS)
        .filter(within(area_code, "jurisdictions__area__code") | Q(jurisdictions__area_id=area_code))
        .distinct()
        .select_related("strength", "parent")
        .order_by("kind", "code")
    )


def require_presence(user: Any) -> None:
    """404 unless a security unit covers (part of) one of the user's areas: the module has
    nothing to show anyone else, such as a KPU operator of a city without units in Sinergi."""
    scopes = DEPLOYMENT.read_scopes(user)
    if NATIONAL_CODE in scopes:
        return
    near = Q(pk__in=[])
    for code in scopes:
        near |= within(code, "area__code") | Q(area_id__in=_above(code))
    if not Jurisdiction.objects.filter(agency__kind__in=UNIT_KINDS).filter(near).exists():
        raise NotFound("no security units cover your area")


def _above(code: str) -> list[str]:
    """The areas holding `code`, below the nation."""
    return ancestors_of(code)[1:]
