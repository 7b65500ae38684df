"""Reminders for action items: a few days before the due date and every day once overdue.

Idempotent per item and local day (`ReminderSent` is unique on both), so the task may run
hourly, be retried, or run from cron and the worker at once without sending anything twice.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import partial

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from sinergi.accounts.models import Membership, User
from sinergi.accounts.notifications import notify
from sinergi.core import formatting
from sinergi.core.timezones import local_time
from sinergi.meetings.models import OPEN_STATUSES, ActionItem, ReminderKind, ReminderSent
from sinergi.meetings.permissions import AGENCY_WRITE_ROLES
from sinergi.reach.routing import action_reminder

DAYS_BEFORE_DUE = 3
BATCH = 500


@dataclass
class ReminderResult:
    due_soon: int = 0
    overdue: int = 0
    skipped: int = 0


def reminder_kind(due: date, today: date, days_before: int = DAYS_BEFORE_DUE) -> str | None:
    if due < today:
        return ReminderKind.OVERDUE
    if (due - today).days <= days_before:
        return ReminderKind.DUE_SOON
    return None


def reminders_send(*, now: datetime | None = None, days_before: int = DAYS_BEFORE_DUE) -> ReminderResult:
    """Notify the responsible agencies of every open action that is due soon or overdue."""
    now = now or timezone.now()
    # The latest local date anywhere in Indonesia (WIT) bounds the candidates; an item
    # reminded on that date is done for today in every zone, others fall to the unique check.
    latest_today = local_time(now, "91").date()
    horizon = latest_today + timedelta(days=days_before)
    candidates = (
        ActionItem.objects.filter(status__in=OPEN_STATUSES, due_date__lte=horizon)
        .exclude(reminders__on_date__gte=latest_today)
        .select_related("responsible_agency")
        .order_by("id")
    )
    result = ReminderResult()
    batch: list[ActionItem] = []
    for action in candidates.iterator(chunk_size=BATCH):
        batch.append(action)
        if len(batch) == BATCH:
            _send_batch(batch, now, days_before, result)
            batch = []
    if batch:
        _send_batch(batch, now, days_before, result)
    return result


def _send_batch(actions: list[ActionItem], now: datetime, days_before: int, result: ReminderResult) -> None:
    members = _members_by_agency({a.responsible_agency_id for a in actions})
    for action in actions:
        today = local_time(now, action.area_id).date()
        kind = reminder_kind(action.due_date, today, days_before)
        if kind is None:
            continue
        if _send_one(action, kind, today, members.get(action.responsible_agency_id, [])):
            setattr(result, kind, getattr(result, kind) + 1)
        else:
            result.skipped += 1


def _reminder_title(action: ActionItem, kind: str, today: date) -> str:
    """In the reader's language (notify calls it once per language among the recipients)."""
    if kind == ReminderKind.OVERDUE:
        days = (today - action.due_date).days
        return _("Tindak lanjut lewat tenggat %(days)s hari: %(title)s") % {"days": days, "title": action.title}
    return _("Tindak lanjut jatuh tempo %(date)s: %(title)s") % {
        "date": formatting.date(action.due_date),
        "title": action.title,
    }


def _send_one(action: ActionItem, kind: str, today: date, users: list[User]) -> bool:
    try:
        with transaction.atomic():
            ReminderSent.objects.create(action=action, on_date=today, kind=kind)
            notify(
                users=users,
                title=partial(_reminder_title, action, kind, today),
                body=lambda: _("Penanggung jawab: %(agency)s. Perbarui status beserta bukti.")
                % {"agency": action.responsible_agency.name},
                url=reverse("meetings:action", args=[action.pk]),
                source="meetings",
            )
            # ... and by message on each assignee's own channel (issue 13).
            action_reminder(action=action, users=users, today=today)
    except IntegrityError:
        return False  # already reminded today (a concurrent run won the race)
    return True


def _members_by_agency(agency_ids: set[int]) -> dict[int, list[User]]:
    """The members who may act on the reminder: the agency's read-only roles cannot update the item."""
    rows = Membership.objects.filter(
        agency_id__in=agency_ids, role__in=AGENCY_WRITE_ROLES, user__is_active=True
    ).select_related("user")
    found: dict[int, dict[int, User]] = defaultdict(dict)
    for m in rows:
        found[m.agency_id][m.user_id] = m.user
    return {agency: list(users.values()) for agency, users in found.items()}
