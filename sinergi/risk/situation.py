"""What the risk module tells the situation room, read from stored roll-ups (a few queries per call)."""


from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.codes import ancestors_of, level_of
from sinergi.areas.models import Area
from sinergi.core.situation import ATTENTION, READY, TROUBLE, AttentionItem, MapLayer, Metric, Module, Verdict
from sinergi.risk import schemes
from sinergi.risk.models import AreaRollup, AssessmentRound
from sinergi.risk.permissions import RISK
from sinergi.risk.selectors import priority_tps_count

MODULE = "risk"
ABOUT = Module(label=gettext_lazy("Kerawanan TPS"), order=10, policy=RISK)
COLOURS = {"rendah": "#aed581", "sedang": "#ffca28", "tinggi": "#e53935"}


def _latest(user: Actor, area: Area) -> AssessmentRound | None:
    if user is not None and not RISK.can_read(user, area.code):
        return None
    return (
        AssessmentRound.objects.filter(area_id__in=[*ancestors_of(area.code), area.code], instrument__kind="tps")
        .order_by("-window_start", "-id")
        .first()
    )


def readiness(user: Actor, area: Area) -> list[Metric]:
    round_ = _latest(user, area)
    rollup = AreaRollup.objects.filter(round=round_, area=area).first() if round_ else None
    if round_ is None or rollup is None:
        return []
    url = reverse("risk:area", args=[area.code]) + f"?putaran={round_.slug}"
    assessed_pct = round(100 * rollup.tps_assessed / area.tps_count, 1) if area.tps_count else 0
    status = {"rendah": "ok", "sedang": "warn", "tinggi": "bad"}[rollup.category]
    classes = rollup.by_class
    return [
        Metric(
            "risk.tps_assessed_pct",
            _("TPS dipetakan kerawanannya"),
            assessed_pct,
            "%",
            "ok" if assessed_pct >= 99 else "warn",
            url,
            MODULE,
        ),
        Metric("risk.index", _("Indeks kerawanan TPS"), rollup.index, "", status, url, MODULE),
        Metric("risk.tps_flagged", _("TPS rawan (≥ 1 indikator)"), rollup.tps_flagged, "TPS", "info", url, MODULE),
        Metric(
            "risk.tps_very_vulnerable",
            _("TPS sangat rawan / khusus"),
            priority_tps_count(round_, area.code, classes),
            "TPS",
            "info",
            url,
            MODULE,
        ),
    ]


def verdict_rule(*, assessed_pct: float | None, category: str | None, high_children: int) -> tuple[str, str]:
    """The module's verdict (pure): TPS not yet mapped is the gap to close; high vulnerability needs a plan."""
    if assessed_pct is None:
        return ATTENTION, _("Belum ada pemetaan kerawanan TPS untuk wilayah ini.")
    shown = {"pct": formats.number_format(assessed_pct, 1, use_l10n=True)}
    if assessed_pct < 50:
        return TROUBLE, _("Baru %(pct)s %% TPS dipetakan kerawanannya.") % shown
    if assessed_pct < 99:
        return ATTENTION, _("%(pct)s %% TPS dipetakan kerawanannya; sisanya belum.") % shown
    if category == "tinggi" or high_children:
        return ATTENTION, _("Semua TPS dipetakan; %(n)s wilayah di bawahnya berkerawanan tinggi.") % {
            "n": high_children
        }
    return READY, _("Semua TPS dipetakan dan tidak ada wilayah berkerawanan tinggi.")


def verdict(user: Actor, area: Area) -> Verdict | None:
    if user is not None and not RISK.can_read(user, area.code):
        return None
    round_ = _latest(user, area)
    rollup = AreaRollup.objects.filter(round=round_, area=area).first() if round_ else None
    if round_ is None or rollup is None:
        level, reason = verdict_rule(assessed_pct=None, category=None, high_children=0)
        return Verdict(level, reason, reverse("risk:rounds"), MODULE)
    high = AreaRollup.objects.filter(round=round_, parent_code=area.code, category="tinggi").count()
    assessed = 100 * rollup.tps_assessed / area.tps_count if area.tps_count else 100.0
    level, reason = verdict_rule(assessed_pct=assessed, category=rollup.category, high_children=high)
    return Verdict(level, reason, reverse("risk:area", args=[area.code]) + f"?putaran={round_.slug}", MODULE)


def attention(user: Actor, area: Area) -> list[AttentionItem]:
    round_ = _latest(user, area)
    if round_ is None:
        return []
    rows = AreaRollup.objects.filter(round=round_, parent_code=area.code, category="tinggi").order_by("-index")[:5]
    return [
        AttentionItem(
            urgency=70,
            title=_("Kerawanan tinggi: %(code)s (indeks %(index)s)")
            % {"code": r.area_id, "index": formats.number_format(r.index, 2, use_l10n=True)},
            area_code=r.area_id,
            url=reverse("risk:area", args=[r.area_id]) + f"?putaran={round_.slug}",
            module=MODULE,
        )
        for r in rows
    ]


def map_layers(user: Actor, area: Area) -> list[MapLayer]:
    round_ = _latest(user, area)
    if round_ is None:
        return []
    values = dict(AreaRollup.objects.filter(round=round_, parent_code=area.code).values_list("area_id", "index"))
    if not values:
        return []
    bounds = schemes.bounds_for(round_.instrument)
    level = level_of(next(iter(values))) or ""
    return [
        MapLayer(
            key="risk.index",
            label=_("Indeks kerawanan TPS"),
            values=values,
            scale=[(low, COLOURS[name]) for low, name in sorted(schemes.bounds_at(bounds, level))],
        )
    ]
