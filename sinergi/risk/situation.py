"""What the risk module tells the situation room, read from stored roll-ups (a few queries per call)."""

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from sinergi.areas.codes import ancestors_of, level_of
from sinergi.areas.models import Area
from sinergi.core.situation import AttentionItem, MapLayer, Metric
from sinergi.risk import schemes
from sinergi.risk.models import AreaRollup, AssessmentRound
from sinergi.risk.permissions import RISK
from sinergi.risk.selectors import priority_tps_count

MODULE = "risk"
COLOURS = {"rendah": "#aed581", "sedang": "#ffca28", "tinggi": "#e53935"}


def _latest(user: Any, area: Area) -> AssessmentRound | None:
    if user is not None and not RISK.can_read(user, area.code):
        return None
    return (
        AssessmentRound.objects.filter(area_id__in=[*ancestors_of(area.code), area.code], instrument__kind="tps")
        .order_by("-window_start", "-id")
        .first()
    )


def readiness(user: Any, area: Area) -> list[Metric]:
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


def attention(user: Any, area: Area) -> list[AttentionItem]:
    round_ = _latest(user, area)
    if round_ is None:
        return []
    rows = AreaRollup.objects.filter(round=round_, parent_code=area.code, category="tinggi").order_by("-index")[:5]
    return [
        AttentionItem(
            urgency=70,
            title=_("Kerawanan tinggi: %(code)s (indeks %(index).2f)") % {"code": r.area_id, "index": r.index},
            area_code=r.area_id,
            url=reverse("risk:area", args=[r.area_id]) + f"?putaran={round_.slug}",
            module=MODULE,
        )
        for r in rows
    ]


def map_layers(user: Any, area: Area) -> list[MapLayer]:
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
