"""Background work of the meetings module (django-tasks; `sinergi db_worker` runs it)."""

from django_tasks import task

from sinergi.meetings.reminders import reminders_send


@task()
def send_action_reminders() -> dict[str, int]:
    result = reminders_send()
    return {"due_soon": result.due_soon, "overdue": result.overdue, "skipped": result.skipped}
