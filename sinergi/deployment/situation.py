"""The deployment module in the situation room: is the area's security plan approved, and where
does it fall short. Each function reads the latest approved plan covering the area (one query)
and aggregates its posts with one indexed query."""


from django.db.models import Q, Sum
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.codes import ancestors_of
from sinergi.areas.models import within
from sinergi.core.situation import ATTENTION, READY, TROUBLE, AttentionItem, MapLayer, Metric, Module, Verdict
from sinergi.deployment.models import Plan, PlanPost, PlanState
from sinergi.deployment.permissions import DEPLOYMENT, PLANS

MODULE = "deployment"
ABOUT = Module(label=gettext_lazy("Pengamanan TPS"), order=20, policy=DEPLOYMENT)


def _plan_for(user: Actor, area_code: str) -> Plan | None:
    """The newest approved plan whose area holds `area_code` (a Kukar plan for a Kukar kecamatan),
    among the plans the user may read (`PLANS`); only the area's part of it is summed below."""
    return (
        PLANS.visible(user, Plan.objects.filter(state=PlanState.APPROVED, scenario_of__isnull=True))
        .filter(Q(area_id=area_code) | Q(area_id__in=ancestors_of(area_code)))
        .order_by("-approved_at", "-pk")
        .first()
    )


def _shortfall(plan: Plan, area_code: str) -> dict[str, int]:
    posts = PlanPost.objects.filter(plan=plan)
    if area_code != plan.area_id:
        posts = posts.filter(within(area_code, "kecamatan__code"))
    sums = posts.aggregate(
        polri=Sum("short_polri"), tni=Sum("short_tni"), linmas=Sum("short_linmas"), d=Sum("demand_polri")
    )
    return {k: int(v or 0) for k, v in sums.items()}


def readiness(user: Actor, area) -> list[Metric]:
    if not DEPLOYMENT.can_read(user, area.code):
        return []
    plan = _plan_for(user, area.code)
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
    short = _shortfall(plan, area.code)
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
    plan = _plan_for(user, area.code)
    if plan is None:
        level, reason = verdict_rule(has_plan=False, polri=0, tni=0, linmas=0)
        return Verdict(level, reason, reverse("deployment:index"), MODULE)
    short = _shortfall(plan, area.code)
    level, reason = verdict_rule(has_plan=True, polri=short["polri"], tni=short["tni"], linmas=short["linmas"])
    return Verdict(level, reason, reverse("deployment:plan", args=[plan.pk]), MODULE)


def attention(user: Actor, area) -> list[AttentionItem]:
    """A shortfall can still be closed until voting day: actionable, and it does not age."""
    if not DEPLOYMENT.can_read(user, area.code):
        return []
    plan = _plan_for(user, area.code)
    if plan is None:
        return []
    short = _shortfall(plan, area.code)
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
    plan = _plan_for(user, area.code)
    if plan is None or area.level != "kabupaten_kota":
        return []
    rows = (
        PlanPost.objects.filter(plan=plan)
        .filter(within(area.code, "kecamatan__code"))
        .values("kecamatan_id")
        .annotate(short=Sum("short_polri"))
    )
    return [
        MapLayer(
            key="deployment.polri_shortfall",
            label=_("Kekurangan personel Polri"),
            values={r["kecamatan_id"]: float(r["short"] or 0) for r in rows},
            unit=_("orang"),
            scale=[(0, "#c8e6c9"), (1, "#ffe082"), (5, "#ef9a9a"), (20, "#c62828")],
        )
    ]
