"""JSON API of reach: broadcast preview, create, approve and delivery board; the rehearsal board; the
call list's contact log."""

from datetime import datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema

from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, operation
from sinergi.reach import selectors, services
from sinergi.reach.models import Broadcast
from sinergi.reach.permissions import BROADCAST, REACH, REACH_AREA

PREFIX = "jangkauan"
router = Router(tags=["reach"])


class AudienceQuery(Schema):
    area_code: str
    roles: list[str] = []
    agency_kinds: list[str] = []


class ChildCount(Schema):
    code: str
    name: str
    people: int


class PreviewOut(Schema):
    area_code: str
    recipients: int
    needs_approval: bool
    approval_above: int
    by_area: list[ChildCount]


class BroadcastIn(Schema):
    area_code: str
    roles: list[str] = []
    agency_kinds: list[str] = []
    text: str
    is_test: bool = False
    client_id: str | None = None


class DeliveryOut(Schema):
    code: str
    name: str
    recipients: int
    queued: int
    sent: int
    delivered: int
    failed: int
    refused: int
    replied: int


class BroadcastOut(Schema):
    id: int
    code: str
    area_code: str
    roles: list[str]
    agency_kinds: list[str]
    text: str
    is_test: bool
    state: str
    recipient_count: int
    created_by: str
    created_at: datetime
    approved_by: str | None
    sent_at: datetime | None


class BroadcastDetailOut(BroadcastOut):
    delivery: list[DeliveryOut]
    total: DeliveryOut


class ReadinessRowOut(Schema):
    code: str
    name: str
    staff: int
    activated: int
    logged_in: int
    tested: int


class ReadinessOut(Schema):
    total: ReadinessRowOut
    unreachable: int
    by_channel: dict[str, int]
    by_area: list[ReadinessRowOut]


class ContactIn(Schema):
    person: int
    outcome: str
    note: str = ""
    client_id: str | None = None


class ContactOut(Schema):
    id: int
    person: int
    outcome: str
    note: str
    at: datetime


def _out(b: Broadcast) -> dict:
    return {
        "id": b.pk,
        "code": b.code,
        "area_code": b.area_id,
        "roles": b.roles,
        "agency_kinds": b.agency_kinds,
        "text": b.text,
        "is_test": b.is_test,
        "state": b.state,
        "recipient_count": b.recipient_count,
        "created_by": b.created_by.username,
        "created_at": b.created_at,
        "approved_by": b.approved_by.username if b.approved_by else None,
        "sent_at": b.sent_at,
    }


def _detail(b: Broadcast) -> dict:
    board = selectors.delivery_board(b)
    return _out(b) | {"delivery": [vars(r) for r in board.rows], "total": vars(board.total)}


@router.get("/broadcasts", response=list[BroadcastOut], summary="Broadcasts the user may read, newest first")
@operation(SIGNED_IN)
def broadcast_list(request: HttpRequest, area: str | None = None, limit: int = 100):
    rows = selectors.broadcasts_visible(request.user, area).select_related("created_by", "approved_by")
    return [_out(b) for b in rows[: max(1, min(limit, 500))]]


@router.get("/broadcasts/preview", response=PreviewOut, summary="How many people a broadcast would reach, per area")
@operation(WritesSomewhere(REACH))
def broadcast_preview(request: HttpRequest, query: Query[AudienceQuery]):
    audience = services.audience_check(
        actor=request.user, area_code=query.area_code, roles=query.roles, agency_kinds=query.agency_kinds
    )
    area = audience.area
    count = services.audience_count(audience)
    return {
        "area_code": area.code,
        "recipients": count,
        "needs_approval": count > services.approval_threshold(),
        "approval_above": services.approval_threshold(),
        "by_area": [
            {"code": c, "name": n, "people": k}
            for c, n, k in selectors.audience_by_child(area, audience.roles, audience.agency_kinds)
        ],
    }


@router.post(
    "/broadcasts",
    response={201: BroadcastDetailOut, 200: BroadcastDetailOut},
    summary="Send a broadcast (or queue it for a second approver above the size); a retry with the same client id answers 200",
)
@operation(WritesSomewhere(REACH))
def broadcast_create(request: HttpRequest, body: BroadcastIn):
    broadcast, created = services.broadcast_create(
        actor=request.user,
        area_code=body.area_code,
        roles=body.roles,
        agency_kinds=body.agency_kinds,
        text=body.text,
        is_test=body.is_test,
        client_id=body.client_id,
    )
    return (201 if created else 200), _detail(broadcast)


@router.get("/broadcasts/{pk}", response=BroadcastDetailOut, summary="A broadcast with its delivery board per area")
@operation(Guard(BROADCAST, "pk"))
def broadcast_detail(request: HttpRequest, pk: int):
    return _detail(guarded(request, BROADCAST))


@router.post(
    "/broadcasts/{pk}/approve",
    response=BroadcastDetailOut,
    summary="Approve a waiting broadcast (a second writer, not its sender; 409 otherwise); it goes out now",
)
@operation(Guard(BROADCAST, "pk"))
def broadcast_approve(request: HttpRequest, pk: int):
    broadcast = services.broadcast_approve(actor=request.user, broadcast_id=guarded(request, BROADCAST).pk)
    return _detail(broadcast)


@router.get(
    "/areas/{code}/readiness", response=ReadinessOut, summary="The rehearsal (gladi) readiness board of an area"
)
@operation(Guard(REACH_AREA, "code"))
def readiness(request: HttpRequest, code: str):
    area = guarded(request, REACH_AREA)
    board = selectors.readiness(area)
    fields = ("code", "name", "staff", "activated", "logged_in", "tested")
    return {
        "total": {f: getattr(board.total, f) for f in fields},
        "unreachable": board.total.unreachable,
        "by_channel": board.by_channel,
        "by_area": [{f: getattr(r, f) for f in fields} for r in board.rows],
    }


@router.post(
    "/areas/{code}/contacts",
    response={201: ContactOut, 200: ContactOut},
    summary="Record a call to someone on the area's call list (called, no answer, wrong number, reached)",
)
@operation(Guard(REACH_AREA, "code"))
def contact_create(request: HttpRequest, code: str, body: ContactIn):
    area = guarded(request, REACH_AREA)
    entry, created = services.contact_record(
        actor=request.user,
        area_code=area.code,
        person_id=body.person,
        outcome=body.outcome,
        note=body.note,
        client_id=body.client_id,
    )
    out = {"id": entry.pk, "person": entry.person_id, "outcome": entry.outcome, "note": entry.note, "at": entry.at}
    return (201 if created else 200), out
