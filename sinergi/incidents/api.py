"""JSON API for reports: idempotent create, filtered list with a cursor, detail, transitions.

Every operation declares its rule (`@operation`); one report comes through `permissions.REPORTS`.
Schemas are prefixed `Incident` so that their OpenAPI component names are unique in the API."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.responses import Status

from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, operation
from sinergi.core.models import Channel
from sinergi.incidents import permissions, selectors, services
from sinergi.incidents.models import Report
from sinergi.incidents.permissions import INCIDENTS, REPORTS

router = Router(tags=["incidents"])


class IncidentIn(Schema):
    category: str
    area_code: str
    description: str
    occurred_at: datetime | None = None
    severity: int | None = None
    lat: float | None = None
    lng: float | None = None
    client_id: str | None = None


class IncidentOut(Schema):
    id: int
    ref: str
    tracking_code: str
    category: str
    category_name: str
    desa_code: str
    tps_code: str | None
    lat: float | None
    lng: float | None
    occurred_at: datetime
    received_at: datetime
    description: str
    severity: int
    channel: str
    state: str
    agency: str | None
    escalation_level: int
    escalation_area_code: str
    escalated_agency: str | None
    duplicate_of: int | None
    claimed_by: str | None
    claimed_until: datetime | None
    acknowledged_at: datetime | None
    ack_due_at: datetime | None

    @staticmethod
    def resolve_category(obj: Report) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category_name(obj: Report) -> str:
        return obj.category.label

    @staticmethod
    def resolve_desa_code(obj: Report) -> str:
        return obj.desa_id

    @staticmethod
    def resolve_tps_code(obj: Report) -> str | None:
        return obj.polling_station_id

    @staticmethod
    def resolve_agency(obj: Report) -> str | None:
        return obj.agency.code if obj.agency else None

    @staticmethod
    def resolve_escalated_agency(obj: Report) -> str | None:
        return obj.escalated_agency.code if obj.escalated_agency else None

    @staticmethod
    def resolve_duplicate_of(obj: Report) -> int | None:
        return obj.duplicate_of_id

    @staticmethod
    def resolve_claimed_by(obj: Report) -> str | None:
        return obj.claimed_by.username if obj.claimed_by else None


class IncidentEventOut(Schema):
    at: datetime
    kind: str
    action: str
    from_state: str
    to_state: str
    actor: str | None
    agency: str | None
    note: str


class IncidentDetailOut(IncidentOut):
    reporter_name: str | None = None
    reporter_contact: str | None = None
    timeline: list[IncidentEventOut]

    @staticmethod
    def resolve_reporter_name(obj: Report, context) -> str | None:
        return obj.reporter_name if permissions.can_see_personal(context["request"].user, obj) else None

    @staticmethod
    def resolve_reporter_contact(obj: Report, context) -> str | None:
        return obj.reporter_contact if permissions.can_see_personal(context["request"].user, obj) else None

    @staticmethod
    def resolve_timeline(obj: Report) -> list[dict]:
        return [
            {
                "at": e.at,
                "kind": e.kind,
                "action": e.action,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "actor": e.actor.username if e.actor else None,
                "agency": e.agency.code if e.agency else None,
                "note": e.note,
            }
            for e in selectors.timeline(obj)
        ]


class IncidentPage(Schema):
    items: list[IncidentOut]
    next_cursor: int | None


class IncidentListQuery(Schema):
    area: str = ""
    category: str = ""
    state: str = ""
    severity: int | None = None
    age: str = ""
    mine: bool = False
    filed: bool = False
    before: int | None = None
    limit: int = 50


class IncidentTransitionIn(Schema):
    action: str
    note: str = ""
    agency: str | None = None
    duplicate_of: int | None = None
    set_indicator: bool = True
    # The state the client saw; if the report moved on meanwhile the transition is refused (409).
    expected_state: str | None = None


class IncidentBulkIn(IncidentTransitionIn):
    ids: list[int]


class IncidentBulkOut(Schema):
    done: list[int]
    refused: dict[int, str]


@router.post(
    "/incidents", response={200: IncidentOut, 201: IncidentOut}, summary="File a report (idempotent by client_id)"
)
@operation(WritesSomewhere(INCIDENTS))
def incident_create(request: HttpRequest, payload: IncidentIn):
    intake = services.Intake(**payload.dict())
    report, created = services.report_create(intake=intake, channel=Channel.API, actor=request.user)  # type: ignore[arg-type]
    return Status(201 if created else 200, report)


@router.get("/incidents", response=IncidentPage, summary="Reports visible to you, newest first, paged by `before`")
@operation(SIGNED_IN)
def incident_list(request: HttpRequest, query: Query[IncidentListQuery]):
    filters = selectors.QueueFilters(
        area=query.area,
        category=query.category,
        state=query.state,
        severity=query.severity,
        age=query.age,
        mine=query.mine,
        filed=query.filed,
    )
    items, cursor = selectors.queue_page(
        request.user, filters, before=query.before, limit=max(1, min(query.limit, 200))
    )
    return {"items": items, "next_cursor": cursor}


@router.get("/incidents/{int:report_id}", response=IncidentDetailOut, summary="One report with its timeline")
@operation(Guard(REPORTS, "report_id"))
def incident_detail(request: HttpRequest, report_id: int):
    return guarded(request, REPORTS)


@router.post(
    "/incidents/{int:report_id}/transitions", response=IncidentOut, summary="Verify, assign, resolve, reject, ..."
)
@operation(Guard(REPORTS, "report_id"))
def incident_transition(request: HttpRequest, report_id: int, payload: IncidentTransitionIn):
    services.report_transition(
        report_id=report_id,
        actor=request.user,  # type: ignore[arg-type]
        action=payload.action,
        note=payload.note,
        agency_code=payload.agency,
        duplicate_of=payload.duplicate_of,
        set_indicator=payload.set_indicator,
        channel=Channel.API,
        expected_state=payload.expected_state,
    )
    return REPORTS.get(request.user, report_id)


@router.post("/incidents/bulk-transitions", response=IncidentBulkOut, summary="One action on many reports")
@operation(WritesSomewhere(INCIDENTS))
def incident_bulk(request: HttpRequest, payload: IncidentBulkIn):
    result = services.reports_bulk_transition(
        report_ids=payload.ids,
        actor=request.user,  # type: ignore[arg-type]
        action=payload.action,
        note=payload.note,
        agency_code=payload.agency,
        duplicate_of=payload.duplicate_of,
    )
    return {"done": result.done, "refused": result.refused}


@router.post("/incidents/{int:report_id}/claim", response=IncidentOut, summary="Lock the report for 15 minutes")
@operation(Guard(REPORTS, "report_id"))
def incident_claim(request: HttpRequest, report_id: int):
    services.report_claim(report_id=report_id, actor=request.user)  # type: ignore[arg-type]
    return REPORTS.get(request.user, report_id)


@router.delete("/incidents/{int:report_id}/claim", response=IncidentOut, summary="Release your lock")
@operation(Guard(REPORTS, "report_id"))
def incident_release(request: HttpRequest, report_id: int):
    services.report_release(report_id=report_id, actor=request.user)  # type: ignore[arg-type]
    return REPORTS.get(request.user, report_id)
