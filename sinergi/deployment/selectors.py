"""Every read of the deployment module. Who sees which plan, unit and area is decided in
`permissions.py`; this module shapes what the rules let through.

A plan is seen whole by users whose area holds the plan's area, and in part (the posts and units
inside their area) by users whose area lies inside it. A partial view never shows plan-wide
figures: its totals are computed from the posts it shows."""

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet

from sinergi.accounts.access import scope_filter
from sinergi.accounts.models import Actor, Agency
from sinergi.areas.models import within
from sinergi.deployment.grouping import CLASSES
from sinergi.deployment.models import Plan, PlanAssignment, PlanPost
from sinergi.deployment.permissions import PLAN_APPROVAL, PLANS, UNITS, part_scopes, sees_whole

KINDS = ("polri", "tni", "linmas")


@dataclass
class PlanView:
    """A readable plan as one user sees it (decided by the rules in `permissions`)."""

    plan: Plan
    full: bool  # sees the whole plan
    scopes: list[str]  # when not full: the user's areas inside the plan's area
    can_write: bool
    can_approve: bool


def plan_view(user: Actor, plan: Plan) -> PlanView:
    full = sees_whole(user, plan)
    return PlanView(
        plan,
        full,
        [] if full else part_scopes(user, plan),
        PLANS.can_write(user, plan),
        PLAN_APPROVAL.can_write(user, plan),
    )


def plan_posts(view: PlanView) -> QuerySet[PlanPost]:
    posts = view.plan.posts.select_related("police_unit", "military_unit", "kecamatan")
    return posts if view.full else posts.filter(scope_filter(view.scopes, "kecamatan__code"))


def plan_units(view: PlanView, user: Actor) -> list[dict]:
    """The per-unit rows of the stored report that the user may see: all of them for a whole view,
    the units the user may see (`UNITS`) for a partial one."""
    rows = view.plan.summary.get("units", [])
    if view.full:
        return rows
    codes = [r["code"] for r in rows]
    inside = set(UNITS.visible(user, Agency.objects.filter(code__in=codes)).values_list("code", flat=True))
    return [r for r in rows if r["code"] in inside]


def plan_summary(view: PlanView) -> dict:
    """The figures the user may see: the stored plan-wide report for a whole view; for a partial
    view, totals, classes and sources counted over the posts of the user's part only."""
    if view.full:
        return view.plan.summary
    return part_summary(list(plan_posts(view)))


def part_summary(posts: list[PlanPost]) -> dict:
    totals = {k: {"demand": 0, "assigned": 0, "shortfall": 0} for k in KINDS}
    by_class: dict[str, dict[str, Any]] = {
        c: {"tps": 0, "posts": 0, **{k: {"demand": 0, "assigned": 0, "shortfall": 0} for k in KINDS}} for c in CLASSES
    }
    sources: Counter[str] = Counter()
    for p in posts:
        cls = by_class.setdefault(
            p.tps_class, {"tps": 0, "posts": 0, **{k: {"demand": 0, "assigned": 0, "shortfall": 0} for k in KINDS}}
        )
        cls["tps"] += len(p.tps)
        cls["posts"] += 1
        sources.update(source for _, source in p.tps)
        for kind in KINDS:
            demand, short = getattr(p, f"demand_{kind}"), getattr(p, f"short_{kind}")
            for bucket in (totals[kind], cls[kind]):
                bucket["demand"] += demand
                bucket["shortfall"] += short
                bucket["assigned"] += demand - short
    return {
        "posts": len(posts),
        "tps": sum(len(p.tps) for p in posts),
        "totals": totals,
        "by_class": by_class,
        "class_sources": dict(sorted(sources.items())),
        "notes": [],
        "part": True,
    }


@dataclass
class AnnexPost:
    post: PlanPost
    people: list[dict]  # {"unit", "pool", "kind", "count", "names"}


def annex_scopes(user: Actor, plan: Plan, unit: Agency) -> list[str] | None:
    """The areas whose posts the user sees in a unit's annex: all (None) for a whole view of the plan
    and for the planners who keep the unit (they must know where its people go); a partial viewer
    otherwise sees the posts of their own part only, as on the plan page and its map."""
    if sees_whole(user, plan) or UNITS.can_write(user, unit):
        return None
    return part_scopes(user, plan)


def annex(plan: Plan, unit: Agency, scopes: list[str] | None = None) -> list[AnnexPost]:
    """Posts the unit covers or sends people to, with the people named as the plan froze them when
    it was solved (a later roster change never alters a plan; it makes a new version). With `scopes`,
    only the posts inside those areas (`annex_scopes`)."""
    inside = Q() if scopes is None else scope_filter(scopes, "kecamatan__code")
    posts = list(
        plan.posts.filter(Q(police_unit=unit) | Q(military_unit=unit) | Q(assignments__agency=unit))
        .filter(inside)
        .distinct()
        .select_related("kecamatan")
        .order_by("number")
    )
    assignments = (
        PlanAssignment.objects.filter(post__in=posts).select_related("agency").order_by("post_id", "agency_id", "pool")
    )
    by_post: dict[int, list[dict]] = {}
    for a in assignments:
        by_post.setdefault(a.post_id, []).append(
            {
                "unit": a.agency.name,
                "unit_code": a.agency.code,
                "pool": a.get_pool_display(),
                "kind": a.get_kind_display(),
                "count": a.people,
                "km": a.km,
                "desa": a.desa_code,
                "names": list(a.names),
            }
        )
    return [AnnexPost(p, by_post.get(p.pk, [])) for p in posts]


def area_units(user: Actor, area_code: str) -> QuerySet[Agency]:
    """The security units covering the area (or a part of it) that the user may see."""
    found = UNITS.visible(user).filter(
        Q(pk__in=Agency.objects.filter(within(area_code, "jurisdictions__area__code")).values("pk"))
    )
    return found.select_related("strength", "parent").order_by("kind", "code")
