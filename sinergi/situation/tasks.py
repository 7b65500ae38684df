"""Background work of the situation room (django-tasks; `sinergi db_worker` runs it).

The morning batch keeps itself going: `generate_morning_reports(reschedule=True)` fans out one
report task per kabupaten/kota and queues itself for the next morning, so a running worker is
all that is needed (`sinergi daily-situation-report --schedule` starts the chain; cron calling
`--all-regencies --enqueue` works as well).
"""

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone
from django_tasks import task

from sinergi.core.tasks import already_queued
from sinergi.core.timezones import WIB
from sinergi.situation.services import daily_report_generate, regency_codes

log = logging.getLogger(__name__)

# 06.00 WIB is 07.00 WITA and 08.00 WIT: morning everywhere, before the daily briefings.
MORNING = time(6, 0)


@task()
def generate_daily_report(area_code: str) -> str:
    report = daily_report_generate(area_code=area_code)
    return report.pdf.name


@task()
def generate_morning_reports(reschedule: bool = False) -> int:
    """Fan out one task per kabupaten/kota so several workers can share the morning's work."""
    codes = regency_codes()
    for code in codes:
        generate_daily_report.enqueue(code)
    if reschedule:
        schedule_morning_reports()
    return len(codes)


def next_morning(now: datetime) -> datetime:
    zone = ZoneInfo(WIB)
    local = now.astimezone(zone)
    candidate = datetime.combine(local.date(), MORNING, tzinfo=zone)
    return candidate if candidate > local else candidate + timedelta(days=1)


def schedule_morning_reports(now: datetime | None = None) -> datetime | None:
    """Queue the next morning's batch once; None if the task backend cannot defer work."""
    at = next_morning(now or timezone.now())
    if not generate_morning_reports.get_backend().supports_defer:
        return None
    deferred = generate_morning_reports.using(run_after=at)
    if not already_queued(generate_morning_reports.module_path, at):
        deferred.enqueue(True)
    return at
