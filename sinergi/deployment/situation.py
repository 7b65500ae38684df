"""The deployment module in the situation room: is the area's security plan approved, and where
does it fall short. The state of an area is read once per request in two queries at every level
and whatever exists: the latest approved plan covering the area, and its posts inside the area
summed per kecamatan (the totals and the map both come from those sums)."""

from dataclasses import dataclass, field

from django.db.models import Q, Subquery, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import within
from sinergi.core.situation import (
    ATTENTION,
    READY,
    TROUBLE,
    AttentionItem,
    MapLayer,
    Metric,
    Module,
    Verdict,
    module_state,
)
from sinergi.deployment.models import Plan, PlanPost, PlanState
from sinergi.deployment.permissions import DEPLOYMENT, PLANS

MODULE = "deployment"
ABOUT = Module(label=gettext_lazy("Pengamanan TPS"), order=20, policy=DEPLOYMENT)
FORCES = ("polri", "tni", "linmas")


@dataclass
class DeploymentState:
    plan: Plan | None = None
    # kecamatan code -> {"polri": n, "tni": n, "linmas": n}: the plan's shortfall inside the area
    by_kecamatan: dict[str, dict[str, int]] = field(default_factory=dict)

    def short(self, force: str) -> int:
        return sum(row[force] for row in self.by_kecamatan.values())


def _state(user: Actor, area) -> DeploymentState:
    return module_state(MODULE, user, area, lambda: _load(user, area.code))


def _load(user: Actor, area_code: str) -> DeploymentState:
    """The newest approved plan whose area holds `area_code` (a Kukar plan for a Kukar kecamatan),
    among the plans the user may read (`PLANS`); only the area's part of it is summed."""
    plans = (
        PLANS.visible(user, Plan.objects.filter(state=PlanState.APPROVED, scenario_of__isnull=True))
        .filter(Q(area_id=area_code) | Q(area_id__in=ancestors_of(area_code)))
        .order_by("-approved_at", "-pk")
    )
    plan = plans.first()
    rows = (
        PlanPost.objects.filter(plan=Subquery(plans.values("pk")[:1]))
        .filter(within(area_code, "kecamatan__code"))
        .values("kecamatan_id")
        .annotate(polri=Sum("short_polri"), tni=Sum("short_tni"), linmas=Sum("short_linmas"))
        .order_by()
    )
    return DeploymentState(plan, {r["kecamatan_id"]: {f: int(r[f] or 0) for f in FORCES} for r in rows})


def readiness(user: Actor, area) -> list[Metric]:
    if not DEPLOYMENT.can_read(user, area.code):
        return []
    state = _state(user, area)
    plan = state.plan
    if plan is None:
        return [
            Metric(
                "deployment.plan_approved",
                _("Rencana pengamanan TPS disetujui"),
                _("belum"),
                status="warn",
                url=reverse("deployment:index"),
                module=MODULE,
            )
        ]
    short = {force: state.short(force) for force in FORCES}
    url = reverse("deployment:plan", args=[plan.pk])
    return [
        Metric(
            "deployment.plan_approved",
            _("Rencana pengamanan TPS disetujui"),
            f"v{plan.version}",
            status="ok",
            url=url,
            module=MODULE,
        ),
        Metric(
            "deployment.polri_shortfall",
            _("Kekurangan personel Polri di TPS"),
            short["polri"],
            _("orang"),
            "ok" if not short["polri"] else "bad",
            url,
            MODULE,
        ),
        Metric(
            "deployment.tni_shortfall",
            _("Kekurangan personel TNI di TPS"),
            short["tni"],
            _("orang"),
            "ok" if not short["tni"] else "bad",
            url,
            MODULE,
        ),
        Metric(
            "deployment.linmas_shortfall",
            _("Kekurangan Linmas di TPS"),
            short["linmas"],
            _("orang"),
            "ok" if not short["linmas"] else "warn",
            url,
            MODULE,
        ),
    ]


def verdict_rule(*, has_plan: bool, polri: int, tni: int, linmas: int) -> tuple[str, str]:
    """The module's verdict (pure): no approved plan or TPS without Polri/TNI cover is trouble."""
    if not has_plan:
        return TROUBLE, _("Belum ada rencana pengamanan TPS yang disetujui.")
    if polri and tni:
        return TROUBLE, _("Rencana pengamanan kurang %(polri)s personel Polri dan %(tni)s personel TNI.") % {
            "polri": polri,
            "tni": tni,
        }
    if polri:
        return TROUBLE, _("Rencana pengamanan kurang %(n)s personel Polri.") % {"n": polri}
    if tni:
        return TROUBLE, _("Rencana pengamanan kurang %(n)s personel TNI.") % {"n": tni}
    if linmas:
        return ATTENTION, _("Rencana pengamanan kurang %(n)s anggota Linmas.") % {"n": linmas}
    return READY, _("Rencana pengamanan disetujui dan seluruh TPS terisi personel.")


def verdict(user: Actor, area) -> Verdict | None:
    if not DEPLOYMENT.can_read(user, area.code):
        return None
    state = _state(user, area)
    plan = state.plan
    if plan is None:
        level, reason = verdict_rule(has_plan=False, polri=0, tni=0, linmas=0)
        return Verdict(level, reason, reverse("deployment:index"), MODULE)
    level, reason = verdict_rule(
        has_plan=True, polri=state.short("polri"), tni=state.short("tni"), linmas=state.short("linmas")
    )
    return Verdict(level, reason, reverse("deployment:plan", args=[plan.pk]), MODULE)


def attention(user: Actor, area) -> list[AttentionItem]:
    """A shortfall can still be closed until voting day: actionable, and it does not age."""
    if not DEPLOYMENT.can_read(user, area.code):
        return []
    state = _state(user, area)
    plan = state.plan
    if plan is None:
        return []
    short = {force: state.short(force) for force in FORCES}
    url = reverse("deployment:plan", args=[plan.pk])
    detail = f"{plan.title} v{plan.version}"
    titles = {
        "polri": _("%(n)s personel Polri kurang pada rencana pengamanan TPS"),
        "tni": _("%(n)s personel TNI kurang pada rencana pengamanan TPS"),
    }
    return [
        AttentionItem(70, title % {"n": short[force]}, area.code, url, MODULE, detail, actionable=True)
        for force, title in titles.items()
        if short[force]
    ]


def map_layers(user: Actor, area) -> list[MapLayer]:
    if not DEPLOYMENT.can_read(user, area.code):
        return []
    state = _state(user, area)
    if state.plan is None or area.level != "kabupaten_kota":
        return []
    return [
        MapLayer(
            key="deployment.polri_shortfall",
            label=_("Kekurangan personel Polri"),
            values={code: float(row["polri"]) for code, row in state.by_kecamatan.items()},
            unit=_("orang"),
            scale=[(0, "#c8e6c9"), (1, "#ffe082"), (5, "#ef9a9a"), (20, "#c62828")],
        )
    ]
