"""What the report module tells the situation room (contract: sinergi/core/situation.py)."""

from typing import Any

from django.db.models import Count, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area
from sinergi.core.situation import ATTENTION, READY, TROUBLE, AttentionItem, MapLayer, Metric, Module, Verdict
from sinergi.incidents import selectors, triage
from sinergi.incidents.permissions import INCIDENTS

MODULE = "incidents"
ABOUT = Module(label=gettext_lazy("Laporan kejadian"), order=60, live=True, policy=INCIDENTS)
OPEN_SCALE = [(0.0, "#eceff1"), (1.0, "#ffe0b2"), (5.0, "#ffb74d"), (20.0, "#f57c00"), (50.0, "#bf360c")]
SEVERITIES = (4, 3, 2, 1)


def _severity_name(severity: int) -> str:
    return {4: _("kritis"), 3: _("tinggi"), 2: _("sedang"), 1: _("rendah")}[severity]


def _open_total(area: Area) -> int:
    return selectors.tallies_of(area, children=False).aggregate(n=Sum("open"))["n"] or 0


def _overdue(user: Actor, area: Area):
    """Unacknowledged past the deadline: served by the partial index on ack_due_at of new reports."""
    return selectors.in_area(selectors.visible(user), area.code).filter(
        state=triage.State.NEW, ack_due_at__lt=timezone.now()
    )


def _escalated(user: Actor, area: Area):
    return selectors.in_area(selectors.visible(user), area.code).filter(
        state__in=triage.OPEN_STATES, escalation_level__gt=0
    )


def _open_by_severity(user: Actor, area: Area) -> dict[int, int]:
    """Open reports the user may read, per severity: one grouped query over the open reports."""
    rows = (
        selectors.in_area(selectors.visible(user), area.code)
        .filter(state__in=triage.OPEN_STATES)
        .values("severity")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {row["severity"]: row["n"] for row in rows}


def _queue_url(area: Area) -> str:
    return f"{reverse('incidents:queue')}?tab=all&state=open&area={'' if area.code == NATIONAL_CODE else area.code}"


def readiness(user: Actor, area: Area) -> list[Metric]:
    if not INCIDENTS.can_read(user, area.code):
        return []
    open_total = _open_total(area)
    overdue, escalated = _overdue(user, area).count(), _escalated(user, area).count()
    by_severity = _open_by_severity(user, area)
    url = _queue_url(area)
    unit = _("laporan")
    metrics = [
        Metric("incidents.open", _("Laporan terbuka"), open_total, unit, "warn" if open_total else "ok", url, MODULE),
        Metric(
            "incidents.overdue",
            _("Belum ditanggapi lewat batas"),
            overdue,
            unit,
            "bad" if overdue else "ok",
            url,
            MODULE,
        ),
        Metric(
            "incidents.escalated", _("Laporan tereskalasi"), escalated, unit, "bad" if escalated else "ok", url, MODULE
        ),
    ]
    for severity in SEVERITIES:
        n = by_severity.get(severity, 0)
        status = "ok" if not n else "bad" if severity >= 3 else "warn" if severity == 2 else "info"
        label = _("Terbuka, tingkat %(level)s") % {"level": _severity_name(severity)}
        metrics.append(Metric(f"incidents.open_severity_{severity}", label, n, unit, status, url, MODULE))
    return metrics


def verdict_rule(*, escalated: int, overdue: int, open_severe: int, open_total: int) -> tuple[str, str]:
    """The module's verdict from its counts (pure): a report no one answered in time is trouble."""
    if escalated or overdue:
        return TROUBLE, _("%(escalated)s laporan tereskalasi dan %(overdue)s belum ditanggapi lewat batas waktu.") % {
            "escalated": escalated,
            "overdue": overdue,
        }
    if open_severe:
        return ATTENTION, _("%(n)s laporan tingkat tinggi atau kritis masih ditangani.") % {"n": open_severe}
    if open_total:
        return ATTENTION, _("%(n)s laporan masih terbuka, semuanya ditanggapi tepat waktu.") % {"n": open_total}
    return READY, _("Tidak ada laporan terbuka.")


def verdict(user: Actor, area: Area) -> Verdict | None:
    if not INCIDENTS.can_read(user, area.code):
        return None
    by_severity = _open_by_severity(user, area)
    level, reason = verdict_rule(
        escalated=_escalated(user, area).count(),
        overdue=_overdue(user, area).count(),
        open_severe=by_severity.get(3, 0) + by_severity.get(4, 0),
        open_total=sum(by_severity.values()),
    )
    return Verdict(level, reason, _queue_url(area), MODULE)


def attention(user: Actor, area: Area) -> list[AttentionItem]:
    """Escalated or overdue reports, most urgent first (at most 20), from the partial indexes. Each can
    still be acted on (someone must answer it); it ages from when it was received."""
    if not INCIDENTS.can_read(user, area.code):
        return []
    candidates = (
        (_escalated(user, area) | _overdue(user, area)).select_related("category", "desa").order_by("-id")[:100]
    )
    ranked = sorted(candidates, key=lambda r: (-r.severity, -r.escalation_level, -r.pk))[:20]
    return [_item(r) for r in ranked]


def _item(report: Any) -> AttentionItem:
    detail = _("%(desa)s, tingkat %(level)s") % {"desa": report.desa.name, "level": _severity_name(report.severity)}
    if report.escalation_level:
        detail += ", " + _("eskalasi %(n)s") % {"n": report.escalation_level}
    return AttentionItem(
        urgency=min(100, 40 + report.severity * 12 + report.escalation_level * 5),
        title=_("Laporan %(ref)s: %(category)s (%(state)s)")
        % {"ref": report.ref, "category": report.category.label, "state": triage.STATE_LABELS[report.state]},
        area_code=report.scope_code,
        url=reverse("incidents:detail", args=[report.pk]),
        module=MODULE,
        detail=detail,
        actionable=True,
        since=report.received_at,
    )


def map_layers(user: Actor, area: Area) -> list[MapLayer]:
    if not INCIDENTS.can_read(user, area.code):
        return []
    counts = selectors.counts_by_child(user, area, open_only=True)
    values = {k: float(v) for k, v in counts.items()}
    return [MapLayer("incidents.open", _("Laporan terbuka"), values, _("laporan"), OPEN_SCALE)]


def public_summary(area: Area) -> list[Metric]:
    """Counts only, from the stored tallies: no place finer than the area, no text, no people."""
    counts = selectors.tallies_of(area, children=False).aggregate(
        total=Sum("received"), open=Sum("open"), done=Sum("done")
    )
    unit = _("laporan")
    return [
        Metric(
            "incidents.public_total",
            _("Laporan masyarakat dan petugas diterima"),
            counts["total"] or 0,
            unit,
            module=MODULE,
        ),
        Metric("incidents.public_open", _("Sedang ditangani"), counts["open"] or 0, unit, module=MODULE),
        Metric("incidents.public_done", _("Selesai ditindaklanjuti"), counts["done"] or 0, unit, module=MODULE),
    ]
