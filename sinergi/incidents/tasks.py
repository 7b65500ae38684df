"""The escalation check as a background task. With the database backend it can keep itself going:
each run queues the next one a minute later (`schedule_escalation`), so the task worker alone
escalates ignored reports; cron or `sinergi escalate-incidents --every 60` work as well."""

from datetime import timedelta

from django.utils import timezone
from django_tasks import task

from sinergi.core.tasks import already_queued
from sinergi.incidents.services import escalate_overdue

INTERVAL = timedelta(seconds=60)


@task()
def escalate_incidents(reschedule: bool = False) -> int:
    """Escalate every overdue, unacknowledged report one level up; optionally queue the next check."""
    escalated = escalate_overdue()
    if reschedule:
        schedule_escalation()
    return escalated


def schedule_escalation(after: timedelta = INTERVAL) -> bool:
    """Queue the next periodic check unless one is already waiting; False if the backend cannot defer."""
    if not escalate_incidents.get_backend().supports_defer:
        return False
    if already_queued(escalate_incidents.module_path):
        return False
    escalate_incidents.using(run_after=timezone.now() + after).enqueue(reschedule=True)
    return True
