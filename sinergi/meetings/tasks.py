"""Background work of the meetings module (django-tasks; `sinergi db_worker` runs it).

`send_action_reminders(reschedule=True)` queues itself for the next full hour, so a running
worker keeps reminding without cron (`sinergi send-action-reminders --schedule` starts it).
Reminders are idempotent per item and local day, so an extra run never sends twice.
"""

from datetime import datetime, timedelta

from django.utils import timezone
from django_tasks import task

from sinergi.core.tasks import already_queued
from sinergi.meetings.reminders import reminders_send


@task()
def send_action_reminders(reschedule: bool = False) -> dict[str, int]:
    result = reminders_send()
    if reschedule:
        schedule_reminders()
    return {"due_soon": result.due_soon, "overdue": result.overdue, "skipped": result.skipped}


def next_hour(now: datetime) -> datetime:
    return now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)


def schedule_reminders(now: datetime | None = None) -> datetime | None:
    """Queue the next hourly run once; None if the task backend cannot defer work."""
    at = next_hour(now or timezone.now())
    if not send_action_reminders.get_backend().supports_defer:
        return None
    deferred = send_action_reminders.using(run_after=at)
    if not already_queued(send_action_reminders.module_path, at):
        deferred.enqueue(True)
    return at
