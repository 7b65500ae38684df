"""Every read of reports that a page or the API uses, scoped to the user through the rules in
`permissions` (`REPORTS.visible` for lists, `REPORTS.get` for one report, `AREAS` for areas)."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.access import agency_ids, memberships_of
from sinergi.accounts.models import Agency
from sinergi.areas.codes import NATIONAL_CODE
from sinergi.areas.models import Area, within
from sinergi.core.errors import NotFound
from sinergi.core.timezones import local_time
from sinergi.incidents import permissions, similarity, triage
from sinergi.incidents.models import Category, Report, ReportEvent, ReportTally
from sinergi.incidents.permissions import AREAS, INCIDENTS, REPORTS

QUEUE_PAGE = 50
AGE_FILTERS = {"lt1h": (None, 1), "lt24h": (None, 24), "gt24h": (24, None), "gt72h": (72, None)}
DUPLICATE_WINDOW = timedelta(hours=24)


@dataclass(frozen=True)
class QueueFilters:
    area: str = ""
    category: str = ""
    state: str = ""
    severity: int | None = None
    age: str = ""
    mine: bool = False
    filed: bool = False  # reports the user filed


def visible(user: Any) -> QuerySet[Report]:
    return REPORTS.visible(user, Report.objects.all())


def in_area(reports: QuerySet[Report], code: str) -> QuerySet[Report]:
    return reports if code == NATIONAL_CODE else reports.filter(within(code, "scope_code"))


def report_get(user: Any, report_id: int) -> Report:
    return REPORTS.get(user, report_id)


def needs_action_filter(user: Any, now: datetime) -> Q:
    """Open reports routed or escalated to the user's agencies (or their direct subordinates),
    escalations to an area the user coordinates, and what the user has claimed.

    Each branch of the OR is served by its own index (agency, escalated agency, escalation area,
    claim), so the database can union index lookups instead of scanning every report."""
    mine = agency_ids(user, triage.TRIAGE_ROLES)
    # A Polres sees what was routed to its Polsek, a Bawaslu what went to its Panwascam.
    below = set(Agency.objects.filter(parent_id__in=mine).values_list("pk", flat=True)) if mine else set()
    areas = {area for role, area, _ in memberships_of(user) if role in triage.ESCALATION_WATCH_ROLES}
    open_states = Q(state__in=triage.OPEN_STATES)
    return (
        (Q(agency_id__in=mine | below) & open_states)
        | (Q(escalated_agency_id__in=mine, escalated_agency__isnull=False) & open_states)
        | Q(state=triage.State.NEW, escalation_level__gt=0, escalation_area_code__in=areas)
        | (Q(claimed_by=user, claimed_by__isnull=False, claimed_until__gt=now) & open_states)
    )


def filtered(user: Any, filters: QueueFilters, now: datetime | None = None) -> QuerySet[Report]:
    now = now or timezone.now()
    reports = visible(user)
    if filters.mine:
        reports = reports.filter(needs_action_filter(user, now))
    if filters.filed:
        reports = reports.filter(reporter=user)
    if filters.area:
        AREAS.get(user, filters.area)
        reports = in_area(reports, filters.area)
    if filters.category:
        reports = reports.filter(category__code=filters.category)
    if filters.state == "open":
        reports = reports.filter(state__in=triage.OPEN_STATES)
    elif filters.state:
        reports = reports.filter(state=filters.state)
    if filters.severity:
        reports = reports.filter(severity=filters.severity)
    older, newer = AGE_FILTERS.get(filters.age, (None, None))
    if older is not None:
        reports = reports.filter(received_at__lte=now - timedelta(hours=older))
    if newer is not None:
        reports = reports.filter(received_at__gte=now - timedelta(hours=newer))
    return reports


def queue_page(
    user: Any, filters: QueueFilters, *, before: int | None = None, limit: int = QUEUE_PAGE
) -> tuple[list[Report], int | None]:
    """Newest first, paged by id (a keyset cursor: constant cost at any depth).

    The page's ids are found first on the report table alone, then loaded with their joins: joined
    to categories and areas, SQLite would start from the small table and sort every report."""
    reports = filtered(user, filters)
    if before:
        reports = reports.filter(pk__lt=before)
    ids = list(reports.order_by("-id").values_list("pk", flat=True)[: limit + 1])
    more = len(ids) > limit
    ids = ids[:limit]
    rows = list(
        Report.objects.filter(pk__in=ids)
        .select_related("category", "desa", "agency", "escalated_agency", "claimed_by")
        .order_by("-id")
    )
    return rows, (ids[-1] if more and ids else None)


def needs_action_count(user: Any, cap: int = 1000) -> int:
    """How many reports wait for the user, counted up to `cap` so the badge stays cheap."""
    return visible(user).filter(needs_action_filter(user, timezone.now())).order_by()[:cap].count()


def can_see_personal(user: Any, report: Report) -> bool:
    return permissions.can_see_personal(user, report)


def actions_for(user: Any, report: Report) -> list[str]:
    return permissions.allowed_actions(user, report)


def can_claim(user: Any, report: Report) -> bool:
    return permissions.claim_refusal(user, report) is None


def timeline(report: Report) -> QuerySet[ReportEvent]:
    return report.events.select_related("actor", "agency").order_by("at", "id")


def duplicate_candidates(user: Any, report: Report, limit: int = 50) -> list[tuple[Report, float]]:
    """Same place (TPS, else desa), same category, within a day of each other, similar text."""
    place = Q(polling_station_id=report.polling_station_id) if report.polling_station_id else Q(desa_id=report.desa_id)
    nearby = (
        visible(user)
        .filter(place, category_id=report.category_id)
        .filter(
            occurred_at__gte=report.occurred_at - DUPLICATE_WINDOW,
            occurred_at__lte=report.occurred_at + DUPLICATE_WINDOW,
        )
        .exclude(pk=report.pk)
        .exclude(state=triage.State.DUPLICATE)
        .order_by("-id")[:limit]
    )
    by_id = {r.pk: r for r in nearby}
    ranked = similarity.rank(report.description, [(pk, r.description) for pk, r in by_id.items()])
    return [(by_id[pk], score) for pk, score in ranked]


def categories() -> QuerySet[Category]:
    return Category.objects.filter(is_active=True).order_by("order", "code")


# --- statistics and map -----------------------------------------------------------------------


def tallies_of(area: Area, *, children: bool) -> QuerySet[ReportTally]:
    """Tally rows of the area itself (the provinces for the nation), or of its children."""
    if children or area.code == NATIONAL_CODE:
        return ReportTally.objects.filter(parent_code=area.code)
    return ReportTally.objects.filter(area_code=area.code)


def counts_by_child(user: Any, area: Area, *, open_only: bool = False) -> dict[str, int]:
    """Reports per child area from the stored tallies (`area` is one the user may read)."""
    INCIDENTS.check(user, area.code, what=f"area {area.code}")
    column = "open" if open_only else "received"
    rows = tallies_of(area, children=True).values("area_code").annotate(n=Sum(column)).order_by()
    return {row["area_code"]: row["n"] for row in rows if row["n"]}


def counts_by_category(user: Any, area: Area) -> list[dict]:
    INCIDENTS.check(user, area.code, what=f"area {area.code}")
    rows = (
        tallies_of(area, children=False)
        .values("category_id")
        .annotate(total=Sum("received"), open=Sum("open"))
        .order_by()
    )
    names = {pk: _(name) for pk, name in Category.objects.values_list("pk", "name")}
    return sorted(({"name": names.get(r["category_id"], "?"), **r} for r in rows), key=lambda r: -r["total"])


def counts_by_day(user: Any, area: Area, days: int = 30) -> list[tuple[Any, int]]:
    """Reports per local day of receipt over the last `days` days."""
    INCIDENTS.check(user, area.code, what=f"area {area.code}")
    since = local_time(timezone.now(), area.code if area.code != NATIONAL_CODE else "ID").date() - timedelta(days=days)
    rows = (
        tallies_of(area, children=False)
        .filter(day__gte=since)
        .values("day")
        .annotate(n=Sum("received"))
        .order_by("day")
    )
    return [(row["day"], row["n"]) for row in rows]


def map_points(user: Any, area: Area, limit: int = 500) -> list[dict]:
    reports = in_area(visible(user), area.code)
    rows = (
        reports.filter(state__in=triage.OPEN_STATES)
        .filter(lat__isnull=False)
        .order_by("-id")
        .values("pk", "lat", "lng", "severity", "state", "scope_code", "category__name")[:limit]
    )
    return [
        {
            "id": r["pk"],
            "lat": r["lat"],
            "lng": r["lng"],
            "severity": r["severity"],
            "state": r["state"],
            "code": r["scope_code"],
            "category": _(r["category__name"]),
        }
        for r in rows
    ]


def start_area(user: Any) -> str:
    scopes = INCIDENTS.read_scopes(user)
    return scopes[0] if scopes else ""


def area_for(user: Any, code: str) -> Area:
    return AREAS.get(user, code)


# --- public status ----------------------------------------------------------------------------

PUBLIC_EVENT_KINDS = (ReportEvent.Kind.CREATED, ReportEvent.Kind.TRANSITION, ReportEvent.Kind.ESCALATED)


def public_status(tracking_code: str) -> tuple[Report, list[dict]]:
    """What a reporter may see by tracking code: state and its times; no notes, no people."""
    code = tracking_code.strip().upper().replace("-", "").replace(" ", "")
    report = Report.objects.select_related("category", "desa", "agency").filter(tracking_code=code).first()
    if report is None:
        raise NotFound(_("kode lacak tidak ditemukan"))
    events = report.events.filter(kind__in=PUBLIC_EVENT_KINDS).select_related("agency").order_by("at", "id")
    steps = [
        {
            "at": e.at,
            "kind": e.kind,
            "state": triage.STATE_LABELS.get(e.to_state, "") if e.to_state else "",
            "agency": e.agency.name if e.agency else "",
        }
        for e in events
    ]
    return report, steps
