"""Scheduled work of incidents (run by `sinergi worker`, see ops/schedule.py)."""

from datetime import timedelta

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

JOBS = [
    Job(
        "incidents.escalate",
        "sinergi.incidents.services.escalate_overdue",
        every=timedelta(minutes=1),
        # The next minute's instance does the same work, so one quick retry is enough.
        retries=1,
        retry_after=timedelta(seconds=20),
        lease=timedelta(minutes=5),
        description=_("Eskalasi laporan yang tidak ditanggapi dalam batas layanan"),
    ),
]
