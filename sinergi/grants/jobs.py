"""Scheduled work of grants (run by `sinergi worker`, see ops/schedule.py)."""

from datetime import time, timedelta

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

JOBS = [
    Job(
        "grants.alerts",
        "sinergi.grants.jobs.grant_alerts",
        daily_at=time(7, 0),
        retry_after=timedelta(minutes=10),
        description=_("Peringatan tahap hibah yang terlambat dan tenggat pengembalian sisa dana"),
    ),
]


def grant_alerts(now) -> int:
    from sinergi.core.timezones import local_today
    from sinergi.grants.alerts import alerts_send

    return alerts_send(local_today("ID", now))
