"""Reads of meetings and action items, scoped to the user through the rules in `permissions`."""

from collections import Counter
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet

from sinergi.accounts.access import agency_ids
from sinergi.accounts.models import Actor
from sinergi.areas.models import Area
from sinergi.meetings.models import OPEN_STATUSES, ActionItem, Attendance, Decision, Invitee, Meeting, MeetingKind
from sinergi.meetings.permissions import ACTION, MEETING


def meetings_visible(user: Actor) -> QuerySet[Meeting]:
    return MEETING.visible(user)


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


def actions_visible(user: Actor) -> QuerySet[ActionItem]:
    return ACTION.visible(user)


def my_open_actions(user: Actor) -> QuerySet[ActionItem]:
    """Open actions of the agencies the user belongs to, most urgent first."""
    return (
        ACTION.visible(user)
        .filter(responsible_agency_id__in=agency_ids(user), status__in=OPEN_STATUSES)
        .order_by("due_date", "id")
    )


def action_counts(area: Area, user: Actor, today: date) -> dict[str, int]:
    """Open, overdue, done and total actions inside the area (one aggregate query)."""
    from sinergi.areas.models import within

    qs = ACTION.visible(user, ActionItem.objects.filter(within(area.code, "area__code")))
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
