"""What the report module tells the situation room (contract: sinergi/core/situation.py)."""

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from sinergi.accounts.models import Actor
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area
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
from sinergi.incidents import selectors, triage
from sinergi.incidents.models import Report, ReportTally
from sinergi.incidents.permissions import INCIDENTS

MODULE = "incidents"
ABOUT = Module(label=gettext_lazy("Laporan kejadian"), order=60, live=True, policy=INCIDENTS)
OPEN_SCALE = [(0.0, "#eceff1"), (1.0, "#ffe0b2"), (5.0, "#ffb74d"), (20.0, "#f57c00"), (50.0, "#bf360c")]
SEVERITIES = (4, 3, 2, 1)
ATTENTION_LIMIT = 20
TALLIES = ("received", "open", "done")


def _severity_name(severity: int) -> str:
    return {4: _("kritis"), 3: _("tinggi"), 2: _("sedang"), 1: _("rendah")}[severity]


@dataclass
class IncidentsState:
    """The reports of an area, read once per request in three queries at every level."""

    own: dict[str, int] = field(default_factory=lambda: dict.fromkeys(TALLIES, 0))  # stored tallies of the area
    children_open: dict[str, int] = field(default_factory=dict)  # child code -> open reports (stored tallies)
    by_severity: dict[int, int] = field(default_factory=dict)  # open reports the user may read
    overdue: int = 0
    escalated: int = 0
    urgent: list[Report] = field(default_factory=list)  # escalated or overdue, most urgent first


def _state(user: Actor | None, area: Area) -> IncidentsState:
    return module_state(MODULE, user, area, lambda: _load(user, area))


def _load(user: Actor | None, area: Area) -> IncidentsState:
    state = IncidentsState()
    _tallies(state, area)
    if user is None:  # the public page: the stored tallies only
        return state
    now = timezone.now()
    overdue = Q(state=triage.State.NEW, ack_due_at__lt=now)
    escalated = Q(state__in=triage.OPEN_STATES, escalation_level__gt=0)
    reports = selectors.in_area(selectors.visible(user), area.code)
    # One pass over the open reports (index on state): per severity, overdue, escalated.
    counts = reports.filter(state__in=triage.OPEN_STATES).aggregate(
        overdue=Count("id", filter=overdue),
        escalated=Count("id", filter=escalated),
        **{f"s{n}": Count("id", filter=Q(severity=n)) for n in SEVERITIES},
    )
    state.overdue, state.escalated = counts["overdue"], counts["escalated"]
    state.by_severity = {n: counts[f"s{n}"] for n in SEVERITIES if counts[f"s{n}"]}
    # Served by the partial indexes on escalation and on ack_due_at of new reports.
    candidates = reports.filter(overdue | escalated).select_related("category", "desa").order_by("-id")[:100]
    ranked = sorted(candidates, key=lambda r: (-r.severity, -r.escalation_level, -r.pk))
    state.urgent = ranked[:ATTENTION_LIMIT]
    return state


def _tallies(state: IncidentsState, area: Area) -> None:
    """The area's own counts and its children's open counts from one query on the stored tallies (the
    nation's own counts are its provinces')."""
    rows = (
        ReportTally.objects.filter(Q(area_code=area.code) | Q(parent_code=area.code))
        .values("area_code", "parent_code")
        .annotate(**{k: Sum(k) for k in TALLIES})
        .order_by()
    )
    for row in rows:
        if row["area_code"] == area.code or area.code == NATIONAL_CODE:
            for k in TALLIES:
                state.own[k] += row[k] or 0
        if row["parent_code"] == area.code and row["open"]:
            state.children_open[row["area_code"]] = state.children_open.get(row["area_code"], 0) + row["open"]


def _queue_url(area: Area) -> str:
    return f"{reverse('incidents:queue')}?tab=all&state=open&area={'' if area.code == NATIONAL_CODE else area.code}"


def readiness(user: Actor, area: Area) -> list[Metric]:
    if not INCIDENTS.can_read(user, area.code):
        return []
    state = _state(user, area)
    open_total, overdue, escalated = state.own["open"], state.overdue, state.escalated
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
        n = state.by_severity.get(severity, 0)
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
    state = _state(user, area)
    level, reason = verdict_rule(
        escalated=state.escalated,
        overdue=state.overdue,
        open_severe=state.by_severity.get(3, 0) + state.by_severity.get(4, 0),
        open_total=sum(state.by_severity.values()),
    )
    return Verdict(level, reason, _queue_url(area), MODULE)


def attention(user: Actor, area: Area) -> list[AttentionItem]:
    """Escalated or overdue reports, most urgent first (at most 20), from the partial indexes. Each can
    still be acted on (someone must answer it); it ages from when it was received."""
    if not INCIDENTS.can_read(user, area.code):
        return []
    return [_item(r) for r in _state(user, area).urgent]


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
    values = {k: float(v) for k, v in _state(user, area).children_open.items()}
    return [MapLayer("incidents.open", _("Laporan terbuka"), values, _("laporan"), OPEN_SCALE)]


def public_summary(area: Area) -> list[Metric]:
    """Counts only, from the stored tallies: no place finer than the area, no text, no people."""
    counts = _state(None, area).own
    unit = _("laporan")
    return [
        Metric(
            "incidents.public_total",
            _("Laporan masyarakat dan petugas diterima"),
            counts["received"],
            unit,
            module=MODULE,
        ),
        Metric("incidents.public_open", _("Sedang ditangani"), counts["open"], unit, module=MODULE),
        Metric("incidents.public_done", _("Selesai ditindaklanjuti"), counts["done"], unit, module=MODULE),
    ]
