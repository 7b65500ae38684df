"""Background work of the meetings module (django-tasks; `sinergi worker` runs it).

The hourly reminders are the `meetings.action_reminders` job (meetings/jobs.py); this task is for
`sinergi send-action-reminders --enqueue`. Reminders are idempotent per item and local day, so an
extra run never sends twice.
"""

from django_tasks import task

from sinergi.meetings.reminders import reminders_send


@task()
def send_action_reminders() -> dict[str, int]:
    result = reminders_send()
    return {"due_soon": result.due_soon, "overdue": result.overdue, "skipped": result.skipped}
