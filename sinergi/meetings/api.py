"""JSON API of meetings and action items."""

from datetime import date, datetime

from django.http import HttpRequest
from ninja import Query, Router, Schema, Status

from sinergi.accounts.guards import SIGNED_IN, Guard, WritesSomewhere, guarded, operation
from sinergi.areas.models import within
from sinergi.meetings import selectors, services
from sinergi.meetings.models import ActionItem, Meeting
from sinergi.meetings.permissions import ACTION, DECISION, MEETING, MEETINGS

router = Router(tags=["meetings"])


class InviteeIn(Schema):
    agency: str = ""
    person_name: str = ""
    person_title: str = ""
    attendance: str = "invited"
    represented_by: str = ""


class MeetingIn(Schema):
    kind: str
    title: str
    area_code: str
    starts_at: datetime
    ends_at: datetime | None = None
    venue: str
    organiser: str
    chair_name: str
    chair_title: str = ""
    on_behalf_of: str = ""
    invitees: list[InviteeIn] = []
    agenda: list[str] = []
    client_id: str | None = None


class ActionOut(Schema):
    id: int
    meeting_id: int
    decision_number: int
    title: str
    responsible_agency: str
    responsible_person: str
    area_code: str
    due_date: date
    status: str
    completed_at: datetime | None

    @staticmethod
    def resolve_meeting_id(obj: ActionItem) -> int:
        return obj.decision.meeting_id

    @staticmethod
    def resolve_decision_number(obj: ActionItem) -> int:
        return obj.decision.number

    @staticmethod
    def resolve_responsible_agency(obj: ActionItem) -> str:
        return obj.responsible_agency.code

    @staticmethod
    def resolve_area_code(obj: ActionItem) -> str:
        return obj.area_id


class DecisionOut(Schema):
    id: int
    number: int
    text: str
    is_public: bool


class MeetingOut(Schema):
    id: int
    kind: str
    title: str
    area_code: str
    starts_at: datetime
    ends_at: datetime | None
    venue: str
    organiser: str
    chair_name: str
    chair_title: str
    on_behalf_of: str


class InviteeOut(Schema):
    agency: str | None
    person_name: str
    person_title: str
    attendance: str
    represented_by: str


class MeetingDetailOut(MeetingOut):
    minutes: str
    invitees: list[InviteeOut]
    agenda: list[str]
    decisions: list[DecisionOut]
    actions: list[ActionOut]


class DecisionIn(Schema):
    text: str
    is_public: bool = False


class ActionIn(Schema):
    title: str
    agency: str
    area_code: str
    due_date: date
    person: str = ""
    description: str = ""
    client_id: str | None = None


class StatusIn(Schema):
    status: str
    note: str = ""
    client_id: str | None = None


class NoteOut(Schema):
    id: int
    at: datetime
    status_before: str
    status_after: str
    text: str


class ActionQuery(Schema):
    mine: bool = False
    status: str | None = None
    area: str | None = None
    limit: int = 200


def _summary(meeting: Meeting) -> dict:
    return {
        **{
            f: getattr(meeting, f)
            for f in ["id", "title", "starts_at", "ends_at", "venue", "chair_name", "chair_title", "on_behalf_of"]
        },
        "kind": meeting.kind.slug,
        "area_code": meeting.area_id,
        "organiser": meeting.organiser.code,
    }


def _detail(meeting: Meeting) -> dict:
    data = selectors.meeting_detail(meeting)
    return {
        **_summary(meeting),
        "minutes": meeting.minutes,
        "invitees": [
            {
                "agency": i.agency.code if i.agency else None,
                "person_name": i.person_name,
                "person_title": i.person_title,
                "attendance": i.attendance,
                "represented_by": i.represented_by,
            }
            for i in data["invitees"]
        ],
        "agenda": [a.title for a in data["agenda"]],
        "decisions": [d for d, _ in data["decisions"]],
        "actions": data["actions"],
    }


@router.get("/meetings", response=list[MeetingOut], summary="Meetings the user may read, newest first")
@operation(SIGNED_IN)
def meeting_list(request: HttpRequest, area: str | None = None, limit: int = 100):
    meetings = selectors.meetings_visible(request.user)
    if area:
        meetings = meetings.filter(within(area, "area__code"))
    return [_summary(m) for m in meetings.order_by("-starts_at")[: max(1, min(limit, 500))]]


@router.post(
    "/meetings",
    response={201: MeetingDetailOut, 200: MeetingDetailOut},
    summary="Create a meeting (open actions carry over); a retry with the same client id answers 200",
)
@operation(WritesSomewhere(MEETINGS))
def meeting_create(request: HttpRequest, body: MeetingIn):
    meeting, created = services.meeting_record(
        actor=request.user,
        kind_slug=body.kind,
        title=body.title,
        area_code=body.area_code,
        starts_at=body.starts_at,
        ends_at=body.ends_at,
        venue=body.venue,
        organiser_code=body.organiser,
        chair_name=body.chair_name,
        chair_title=body.chair_title,
        on_behalf_of=body.on_behalf_of,
        invitees=[
            services.InviteeSpec(
                agency_code=i.agency,
                person_name=i.person_name,
                person_title=i.person_title,
                attendance=i.attendance,
                represented_by=i.represented_by,
            )
            for i in body.invitees
        ],
        agenda=body.agenda,
        client_id=body.client_id,
    )
    return Status(201 if created else 200, _detail(MEETING.get(request.user, meeting.pk)))


@router.get("/meetings/{meeting_id}", response=MeetingDetailOut, summary="One meeting with decisions and actions")
@operation(Guard(MEETING, "meeting_id"))
def meeting_detail(request: HttpRequest, meeting_id: int):
    return _detail(guarded(request, MEETING))


@router.post("/meetings/{meeting_id}/decisions", response={201: DecisionOut}, summary="Add a decision")
@operation(Guard(MEETING, "meeting_id"))
def decision_add(request: HttpRequest, meeting_id: int, body: DecisionIn):
    meeting = guarded(request, MEETING)
    return Status(
        201, services.decision_add(actor=request.user, meeting=meeting, text=body.text, is_public=body.is_public)
    )


@router.post(
    "/decisions/{decision_id}/action-items",
    response={201: ActionOut, 200: ActionOut},
    summary="Add an action item; a retry with the same client id answers 200 with the stored one",
)
@operation(Guard(DECISION, "decision_id"))
def action_create(request: HttpRequest, decision_id: int, body: ActionIn):
    decision = guarded(request, DECISION)
    action, created = services.action_record(
        actor=request.user,
        decision=decision,
        title=body.title,
        agency_code=body.agency,
        area_code=body.area_code,
        due_date=body.due_date,
        person=body.person,
        description=body.description,
        client_id=body.client_id,
    )
    return Status(201 if created else 200, ACTION.get(request.user, action.pk))


@router.get("/action-items", response=list[ActionOut], summary="Action items the user may read (or only mine)")
@operation(SIGNED_IN)
def action_list(request: HttpRequest, q: Query[ActionQuery]):
    actions = selectors.my_open_actions(request.user) if q.mine else selectors.actions_visible(request.user)
    if q.status:
        actions = actions.filter(status=q.status)
    if q.area:
        actions = actions.filter(within(q.area, "area__code"))
    return list(actions.select_related("decision").order_by("due_date", "id")[: max(1, min(q.limit, 1000))])


@router.get("/action-items/{action_id}", response=ActionOut, summary="One action item")
@operation(Guard(ACTION, "action_id"))
def action_detail(request: HttpRequest, action_id: int):
    return guarded(request, ACTION)


@router.post(
    "/action-items/{action_id}/status",
    response={201: NoteOut, 200: NoteOut},
    summary="Update status with a note; a retry with the same client id answers 200 with the stored note",
)
@operation(Guard(ACTION, "action_id"))
def action_status(request: HttpRequest, action_id: int, body: StatusIn):
    action = guarded(request, ACTION)
    note, created = services.action_status_record(
        actor=request.user, action=action, status=body.status, note=body.note, client_id=body.client_id, channel="api"
    )
    return Status(201 if created else 200, note)
