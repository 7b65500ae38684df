"""Scheduled work of meetings (run by `sinergi worker`, see ops/schedule.py)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

JOBS = [
    Job(
        "meetings.action_reminders",
        "sinergi.meetings.jobs.action_reminders",
        every=timedelta(hours=1),
        retry_after=timedelta(minutes=5),
        description=_("Pengingat tindak lanjut yang mendekati atau lewat tenggat (sekali per butir per hari)"),
    ),
]


def action_reminders(now):
    from sinergi.meetings.reminders import reminders_send

    result = reminders_send(now=now)
    return {"due_soon": result.due_soon, "overdue": result.overdue, "skipped": result.skipped}
