"""Reads of meetings and action items, scoped to the user through `MEETINGS` and agency membership."""

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from sinergi.accounts.access import agency_ids
from sinergi.areas.models import Area
from sinergi.core.errors import NotFound
from sinergi.meetings.models import OPEN_STATUSES, ActionItem, Attendance, Decision, Invitee, Meeting, MeetingKind
from sinergi.meetings.permissions import MEETINGS


def meetings_visible(user: Any) -> QuerySet[Meeting]:
    return MEETINGS.visible(Meeting.objects.all(), user, "area__code").select_related("kind", "area", "organiser")


def meeting_get(user: Any, pk: int) -> Meeting:
    meeting = Meeting.objects.select_related("kind", "area", "organiser").filter(pk=pk).first()
    if meeting is None or not MEETINGS.can_read(user, meeting.area_id):
        raise NotFound("rapat tidak ditemukan")
    return meeting


def meeting_can_write(user: Any, meeting: Meeting) -> bool:
    return MEETINGS.can_write(user, meeting.area_id)


def meeting_detail(meeting: Meeting) -> dict[str, Any]:
    """Everything the meeting page and the minutes PDF show, in a fixed number of queries."""
    invitees = list(Invitee.objects.filter(meeting=meeting).select_related("agency"))
    decisions = list(Decision.objects.filter(meeting=meeting).order_by("number"))
    actions = list(
        ActionItem.objects.filter(decision__meeting=meeting)
        .select_related("responsible_agency", "area", "decision__meeting")
        .order_by("decision__number", "id")
    )
    by_decision: dict[int, list[ActionItem]] = {}
    for action in actions:
        by_decision.setdefault(action.decision_id, []).append(action)
    agenda = list(meeting.agenda.select_related("carried_action").order_by("position", "id"))
    counts = Counter(i.attendance for i in invitees)
    return {
        "meeting": meeting,
        "invitees": invitees,
        "attendance_counts": [(label, counts[value]) for value, label in Attendance.choices if counts[value]],
        "agenda": agenda,
        "decisions": [(d, by_decision.get(d.pk, [])) for d in decisions],
        "actions": actions,
    }


def kinds() -> QuerySet[MeetingKind]:
    return MeetingKind.objects.all()


def _action_read_filter(user: Any) -> Q:
    """Actions in areas the user reads, or owned by one of the user's agencies."""
    from sinergi.accounts.access import scope_filter

    return scope_filter(MEETINGS.read_scopes(user), "area__code") | Q(responsible_agency_id__in=agency_ids(user))


def actions_visible(user: Any) -> QuerySet[ActionItem]:
    return ActionItem.objects.filter(_action_read_filter(user)).select_related(
        "responsible_agency", "area", "decision__meeting"
    )


def action_get(user: Any, pk: int) -> ActionItem:
    action = (
        ActionItem.objects.select_related("responsible_agency", "area", "decision__meeting__area").filter(pk=pk).first()
    )
    if action is None or not action_can_read(user, action):
        raise NotFound("tindak lanjut tidak ditemukan")
    return action


def action_can_read(user: Any, action: ActionItem) -> bool:
    return (
        MEETINGS.can_read(user, action.area_id)
        or MEETINGS.can_read(user, action.decision.meeting.area_id)
        or action.responsible_agency_id in agency_ids(user)
    )


def action_can_update(user: Any, action: ActionItem) -> bool:
    """The responsible agency's members, and organisers over the action's or meeting's area."""
    return (
        action.responsible_agency_id in agency_ids(user)
        or MEETINGS.can_write(user, action.area_id)
        or MEETINGS.can_write(user, action.decision.meeting.area_id)
    )


def my_open_actions(user: Any) -> QuerySet[ActionItem]:
    """Open actions of the agencies the user belongs to, most urgent first."""
    return (
        ActionItem.objects.filter(responsible_agency_id__in=agency_ids(user), status__in=OPEN_STATUSES)
        .select_related("responsible_agency", "area", "decision__meeting")
        .order_by("due_date", "id")
    )


def action_counts(area: Area, user: Any, today: date) -> dict[str, int]:
    """Open, overdue, done and total actions inside the area (one aggregate query)."""
    from sinergi.areas.models import within

    qs = MEETINGS.visible(ActionItem.objects.filter(within(area.code, "area__code")), user, "area__code")
    return qs.aggregate(
        total=Count("id", filter=~Q(status="dropped")),
        open=Count("id", filter=Q(status__in=OPEN_STATUSES)),
        overdue=Count("id", filter=Q(status__in=OPEN_STATUSES, due_date__lt=today)),
        done=Count("id", filter=Q(status="done")),
    )


def action_notes(action: ActionItem):
    return action.notes.select_related("author").prefetch_related("evidence").order_by("at", "id")


def public_decisions(area_code: str, limit: int = 20) -> QuerySet[Decision]:
    """Decisions marked public from meetings held in the area or above it (no login needed)."""
    from sinergi.areas.codes import ancestors_of

    return (
        Decision.objects.filter(is_public=True, meeting__area_id__in=[area_code, *ancestors_of(area_code)])
        .select_related("meeting", "meeting__area")
        .order_by("-meeting__starts_at", "number")[:limit]
    )
