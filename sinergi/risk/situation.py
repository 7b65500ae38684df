"""What the risk module tells the situation room, read from stored roll-ups. The state of an area
(`RiskState`) is read once per request in three queries at every level and whatever exists: the
latest round's roll-ups of the area and its children, the manual overrides inside the area with the
class the round derived, and the round's thresholds (`core.situation.module_state`)."""

from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.codes import ancestors_of, level_of
from sinergi.areas.models import Area, within
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
from sinergi.risk import schemes
from sinergi.risk.models import AreaRollup, AssessmentRound, Checklist, SecurityOverride, Threshold
from sinergi.risk.permissions import RISK
from sinergi.risk.selectors import PRIORITY_CLASSES

MODULE = "risk"
ABOUT = Module(label=gettext_lazy("Kerawanan TPS"), order=10, policy=RISK)
COLOURS = {"rendah": "#aed581", "sedang": "#ffca28", "tinggi": "#e53935"}


@dataclass
class RiskState:
    round: AssessmentRound | None = None  # the latest round with roll-ups here (None: not mapped)
    rollup: AreaRollup | None = None  # the area's own roll-up
    children: list[AreaRollup] = field(default_factory=list)
    overrides: list[tuple[str, str | None]] = field(default_factory=list)  # (manual class, derived class)
    bounds: dict[str, list[tuple[float, str]]] = field(default_factory=dict)

    @property
    def priority_tps(self) -> int:
        """TPS of Polri class sangat rawan or khusus: the roll-up with each manual override laid over
        the class the round derived, as the deployment plan counts them."""
        count = sum((self.rollup.by_class if self.rollup else {}).get(c, 0) for c in PRIORITY_CLASSES)
        return count + sum(
            (manual in PRIORITY_CLASSES) - (derived in PRIORITY_CLASSES) for manual, derived in self.overrides
        )


def _state(user: Actor, area: Area) -> RiskState:
    return module_state(MODULE, user, area, lambda: _load(user, area))


def _load(user: Actor, area: Area) -> RiskState:
    if user is not None and not RISK.can_read(user, area.code):
        return RiskState()
    latest = Subquery(
        AssessmentRound.objects.filter(area_id__in=[*ancestors_of(area.code), area.code], instrument__kind="tps")
        .order_by("-window_start", "-id")
        .values("pk")[:1]
    )
    rows = list(
        AreaRollup.objects.filter(Q(area_id=area.code) | Q(parent_code=area.code), round=latest)
        .defer("by_variable", "by_indicator")  # the room reads neither
        .select_related("round")
    )
    derived = Checklist.objects.current().filter(round=latest, tps_id=OuterRef("tps_id")).values("security_class")[:1]
    overrides = list(
        SecurityOverride.objects.filter(within(area.code, "tps__code", include_self=False))
        .annotate(derived=Subquery(derived))
        .values_list("security_class", "derived")
    )
    bounds: dict[str, list[tuple[float, str]]] = {}
    instrument = AssessmentRound.objects.filter(pk=latest).values("instrument_id")[:1]
    for level, category, low in Threshold.objects.filter(instrument=Subquery(instrument)).values_list(
        "level", "category", "min_index"
    ):
        bounds.setdefault(level, []).append((float(low), category))
    own = next((r for r in rows if r.area_id == area.code), None)
    children = [r for r in rows if r.area_id != area.code]
    return RiskState(rows[0].round if rows else None, own, children, overrides, bounds)


def readiness(user: Actor, area: Area) -> list[Metric]:
    state = _state(user, area)
    round_, rollup = state.round, state.rollup
    if round_ is None or rollup is None:
        return []
    url = reverse("risk:area", args=[area.code]) + f"?putaran={round_.slug}"
    assessed_pct = round(100 * rollup.tps_assessed / area.tps_count, 1) if area.tps_count else 0
    status = {"rendah": "ok", "sedang": "warn", "tinggi": "bad"}[rollup.category]
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
            state.priority_tps,
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
    state = _state(user, area)
    round_, rollup = state.round, state.rollup
    if round_ is None or rollup is None:
        level, reason = verdict_rule(assessed_pct=None, category=None, high_children=0)
        return Verdict(level, reason, reverse("risk:rounds"), MODULE)
    high = sum(1 for r in state.children if r.category == "tinggi")
    assessed = 100 * rollup.tps_assessed / area.tps_count if area.tps_count else 100.0
    level, reason = verdict_rule(assessed_pct=assessed, category=rollup.category, high_children=high)
    return Verdict(level, reason, reverse("risk:area", args=[area.code]) + f"?putaran={round_.slug}", MODULE)


def attention(user: Actor, area: Area) -> list[AttentionItem]:
    state = _state(user, area)
    round_ = state.round
    if round_ is None:
        return []
    high = sorted((r for r in state.children if r.category == "tinggi"), key=lambda r: -r.index)[:5]
    return [
        AttentionItem(
            urgency=70,
            title=_("Kerawanan tinggi: %(code)s (indeks %(index)s)")
            % {"code": r.area_id, "index": formats.number_format(r.index, 2, use_l10n=True)},
            area_code=r.area_id,
            url=reverse("risk:area", args=[r.area_id]) + f"?putaran={round_.slug}",
            module=MODULE,
        )
        for r in high
    ]


def map_layers(user: Actor, area: Area) -> list[MapLayer]:
    state = _state(user, area)
    values = {r.area_id: r.index for r in state.children}
    if state.round is None or not values:
        return []
    level = level_of(next(iter(values))) or ""
    return [
        MapLayer(
            key="risk.index",
            label=_("Indeks kerawanan TPS"),
            values=values,
            scale=[(low, COLOURS[name]) for low, name in sorted(schemes.bounds_at(state.bounds, level))],
        )
    ]
