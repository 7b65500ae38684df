"""What turnout tells the situation room (see core.situation): a few grouped queries per call."""

from typing import Any

from django.urls import reverse

from sinergi.areas.models import Area
from sinergi.core.errors import NotFound
from sinergi.core.situation import AttentionItem, MapLayer, Metric
from sinergi.turnout import selectors

MODULE = "turnout"


def _state(area: Area):
    try:
        election, checkpoint = selectors.election_and_checkpoint(area.code, None, None)
    except NotFound:
        return None
    return selectors.area_turnout(area, election, checkpoint)


def _url(area: Area, t: selectors.AreaTurnout, name: str = "turnout:board") -> str:
    return f"{reverse(name, args=[area.code])}?pemilihan={t.election.slug}&titik={t.checkpoint.code}"


def readiness(user: Any, area: Area) -> list[Metric]:
    t = _state(area)
    if t is None:
        return []
    status = "bad" if t.below_pace else "ok"
    return [
        Metric(
            "turnout.turnout_pct",
            f"Partisipasi ({t.checkpoint.label})",
            t.totals.turnout_pct,
            "%",
            status,
            _url(area, t),
            MODULE,
        ),
        Metric(
            "turnout.projected_pct",
            "Proyeksi partisipasi akhir",
            _r(t.projection.pct),
            "%",
            "info",
            _url(area, t),
            MODULE,
        ),
        Metric(
            "turnout.reported_pct",
            "TPS sudah lapor",
            t.totals.reported_pct,
            "%",
            "info",
            _url(area, t, "turnout:missing"),
            MODULE,
        ),
        Metric(
            "turnout.flagged_tps",
            "TPS ditandai",
            t.totals.flagged_tps,
            "TPS",
            "warn" if t.totals.flagged_tps else "ok",
            _url(area, t, "turnout:review"),
            MODULE,
        ),
    ]


def attention(user: Any, area: Area) -> list[AttentionItem]:
    t = _state(area)
    if t is None:
        return []
    items = []
    if t.totals.missing_tps and selectors.missing_grace_passed(t.election, t.checkpoint):
        items.append(
            AttentionItem(
                85,
                f"{t.totals.missing_tps} TPS belum lapor {t.checkpoint.label}",
                area.code,
                _url(area, t, "turnout:missing"),
                MODULE,
            )
        )
    if t.totals.flagged_tps:
        items.append(
            AttentionItem(
                60,
                f"{t.totals.flagged_tps} laporan partisipasi perlu ditinjau",
                area.code,
                _url(area, t, "turnout:review"),
                MODULE,
            )
        )
    if t.below_pace:
        detail = f"{t.totals.turnout_pct} % < laju {t.pace_pct:.1f} %"
        items.append(AttentionItem(70, "Partisipasi di bawah laju target", area.code, _url(area, t), MODULE, detail))
    return items


def map_layers(user: Any, area: Area) -> list[MapLayer]:
    t = _state(area)
    if t is None or area.level == "desa_kelurahan":
        return []
    values = {
        c.code: c.turnout_pct for c in selectors.children_turnout(user, area, t.checkpoint) if c.turnout_pct is not None
    }
    pace = round(t.pace_pct, 1)
    scale = [(0.0, "#ef9a9a"), (round(pace * 0.9, 1), "#ffe082"), (pace, "#c5e1a5"), (t.target_pct, "#2e7d32")]
    return [MapLayer("turnout.turnout_pct", f"Partisipasi {t.checkpoint.label}", values, "%", scale)]


def public_summary(area: Area) -> list[Metric]:
    t = _state(area)
    if t is None:
        return []
    return [
        Metric(
            "turnout.turnout_pct",
            f"Partisipasi pemilih ({t.checkpoint.label})",
            t.totals.turnout_pct,
            "%",
            module=MODULE,
        ),
        Metric("turnout.reported_tps", "TPS sudah lapor", t.totals.reported_tps, "TPS", module=MODULE),
        Metric("turnout.target_pct", "Target partisipasi pemerintah", t.target_pct, "%", module=MODULE),
    ]


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 2)
