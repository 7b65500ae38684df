"""What the report module tells the situation room (see sinergi/core/situation.py)."""

from typing import Any

from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone

from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area
from sinergi.core.situation import AttentionItem, MapLayer, Metric
from sinergi.incidents import selectors, triage
from sinergi.incidents.permissions import INCIDENTS

MODULE = "incidents"
OPEN_SCALE = [(0.0, "#eceff1"), (1.0, "#ffe0b2"), (5.0, "#ffb74d"), (20.0, "#f57c00"), (50.0, "#bf360c")]


def _open_total(area: Area) -> int:
    return selectors.tallies_of(area, children=False).aggregate(n=Sum("open"))["n"] or 0


def _overdue(user: Any, area: Area):
    """Unacknowledged past the deadline: served by the partial index on ack_due_at of new reports."""
    return selectors.in_area(selectors.visible(user), area.code).filter(
        state=triage.State.NEW, ack_due_at__lt=timezone.now()
    )


def _escalated(user: Any, area: Area):
    return selectors.in_area(selectors.visible(user), area.code).filter(
        state__in=triage.OPEN_STATES, escalation_level__gt=0
    )


def readiness(user: Any, area: Area) -> list[Metric]:
    if not INCIDENTS.can_read(user, area.code):
        return []
    open_total = _open_total(area)
    overdue, escalated = _overdue(user, area).count(), _escalated(user, area).count()
    url = f"{reverse('incidents:queue')}?tab=all&state=open&area={'' if area.code == NATIONAL_CODE else area.code}"
    return [
        Metric("incidents.open", "Laporan terbuka", open_total, "laporan", "warn" if open_total else "ok", url, MODULE),
        Metric(
            "incidents.overdue",
            "Belum ditanggapi lewat batas",
            overdue,
            "laporan",
            "bad" if overdue else "ok",
            url,
            MODULE,
        ),
        Metric(
            "incidents.escalated",
            "Laporan tereskalasi",
            escalated,
            "laporan",
            "bad" if escalated else "ok",
            url,
            MODULE,
        ),
    ]


def attention(user: Any, area: Area) -> list[AttentionItem]:
    """Escalated or overdue reports, most urgent first (at most 20), from the partial indexes."""
    if not INCIDENTS.can_read(user, area.code):
        return []
    candidates = (
        (_escalated(user, area) | _overdue(user, area)).select_related("category", "desa").order_by("-id")[:100]
    )
    ranked = sorted(candidates, key=lambda r: (-r.severity, -r.escalation_level, -r.pk))[:20]
    return [
        AttentionItem(
            urgency=min(100, 40 + r.severity * 12 + r.escalation_level * 5),
            title=f"Laporan {r.ref}: {r.category.name} ({triage.STATE_LABELS[r.state]})",
            area_code=r.scope_code,
            url=reverse("incidents:detail", args=[r.pk]),
            module=MODULE,
            detail=f"{r.desa.name}, tingkat {r.severity}"
            + (f", eskalasi {r.escalation_level}" if r.escalation_level else ""),
        )
        for r in ranked
    ]


def map_layers(user: Any, area: Area) -> list[MapLayer]:
    if not INCIDENTS.can_read(user, area.code):
        return []
    counts = selectors.counts_by_child(user, area, open_only=True)
    return [
        MapLayer("incidents.open", "Laporan terbuka", {k: float(v) for k, v in counts.items()}, "laporan", OPEN_SCALE)
    ]


def public_summary(area: Area) -> list[Metric]:
    """Counts only, from the stored tallies: no place finer than the area, no text, no people."""
    counts = selectors.tallies_of(area, children=False).aggregate(
        total=Sum("received"), open=Sum("open"), done=Sum("done")
    )
    return [
        Metric(
            "incidents.public_total",
            "Laporan masyarakat dan petugas diterima",
            counts["total"] or 0,
            "laporan",
            module=MODULE,
        ),
        Metric("incidents.public_open", "Sedang ditangani", counts["open"] or 0, "laporan", module=MODULE),
        Metric("incidents.public_done", "Selesai ditindaklanjuti", counts["done"] or 0, "laporan", module=MODULE),
    ]
