"""What the report module tells the situation room (see sinergi/core/situation.py)."""

from typing import Any

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area, within
from sinergi.core.situation import AttentionItem, MapLayer, Metric
from sinergi.incidents import selectors, triage
from sinergi.incidents.models import Report

MODULE = "incidents"
OPEN_SCALE = [(0.0, "#eceff1"), (1.0, "#ffe0b2"), (5.0, "#ffb74d"), (20.0, "#f57c00"), (50.0, "#bf360c")]


def _counts(reports) -> dict[str, int]:
    now = timezone.now()
    return reports.aggregate(
        open=Count("id", filter=Q(state__in=triage.OPEN_STATES)),
        overdue=Count("id", filter=Q(state=triage.State.NEW, ack_due_at__lt=now)),
        escalated=Count("id", filter=Q(state__in=triage.OPEN_STATES, escalation_level__gt=0)),
        critical=Count("id", filter=Q(state__in=triage.OPEN_STATES, severity=4)),
    )


def readiness(user: Any, area: Area) -> list[Metric]:
    counts = _counts(selectors.in_area(selectors.visible(user), area.code))
    url = f"{reverse('incidents:queue')}?tab=all&state=open&area={'' if area.code == NATIONAL_CODE else area.code}"
    return [
        Metric(
            "incidents.open",
            "Laporan terbuka",
            counts["open"],
            "laporan",
            "warn" if counts["open"] else "ok",
            url,
            MODULE,
        ),
        Metric(
            "incidents.overdue",
            "Belum ditanggapi lewat batas",
            counts["overdue"],
            "laporan",
            "bad" if counts["overdue"] else "ok",
            url,
            MODULE,
        ),
        Metric(
            "incidents.escalated",
            "Laporan tereskalasi",
            counts["escalated"],
            "laporan",
            "bad" if counts["escalated"] else "ok",
            url,
            MODULE,
        ),
        Metric(
            "incidents.critical",
            "Laporan kritis terbuka",
            counts["critical"],
            "laporan",
            "bad" if counts["critical"] else "ok",
            url,
            MODULE,
        ),
    ]


def attention(user: Any, area: Area) -> list[AttentionItem]:
    """Open reports of severity 3-4, or escalated ones, most urgent first (at most 20)."""
    reports = (
        selectors.in_area(selectors.visible(user), area.code)
        .filter(state__in=triage.OPEN_STATES)
        .filter(Q(severity__gte=3) | Q(escalation_level__gt=0))
        .select_related("category", "desa")
        .order_by("-severity", "-escalation_level", "-id")[:20]
    )
    return [
        AttentionItem(
            urgency=min(
                100, 40 + r.severity * 12 + r.escalation_level * 5 + (10 if r.state == triage.State.NEW else 0)
            ),
            title=f"Laporan {r.ref}: {r.category.name} ({triage.STATE_LABELS[r.state]})",
            area_code=r.scope_code,
            url=reverse("incidents:detail", args=[r.pk]),
            module=MODULE,
            detail=f"{r.desa.name}, tingkat {r.severity}"
            + (f", eskalasi {r.escalation_level}" if r.escalation_level else ""),
        )
        for r in reports
    ]


def map_layers(user: Any, area: Area) -> list[MapLayer]:
    counts = selectors.counts_by_child(user, area, open_only=True)
    return [
        MapLayer("incidents.open", "Laporan terbuka", {k: float(v) for k, v in counts.items()}, "laporan", OPEN_SCALE)
    ]


def public_summary(area: Area) -> list[Metric]:
    """Counts only: no place finer than the area, no text, no people."""
    reports = (
        Report.objects.all() if area.code == NATIONAL_CODE else Report.objects.filter(within(area.code, "scope_code"))
    )
    counts = reports.aggregate(
        total=Count("id"),
        done=Count("id", filter=Q(state=triage.State.DONE)),
        open=Count("id", filter=Q(state__in=triage.OPEN_STATES)),
    )
    return [
        Metric(
            "incidents.public_total",
            "Laporan masyarakat dan petugas diterima",
            counts["total"],
            "laporan",
            module=MODULE,
        ),
        Metric("incidents.public_open", "Sedang ditangani", counts["open"], "laporan", module=MODULE),
        Metric("incidents.public_done", "Selesai ditindaklanjuti", counts["done"], "laporan", module=MODULE),
    ]
