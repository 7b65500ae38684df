"""Scheduled work of the situation room (run by `sinergi worker`, see ops/schedule.py)."""

from datetime import time, timedelta

from django.utils.translation import gettext_lazy as _

from sinergi.ops.schedule import Job

# 06.00 local time in each zone, before the daily briefings: three instances a day (WIT first).
MORNING = time(6, 0)

JOBS = [
    Job(
        "situation.daily_report",
        "sinergi.situation.jobs.morning_reports",
        daily_at=MORNING,
        per_zone=True,
        retry_after=timedelta(minutes=5),
        # A morning report started after noon is no longer the morning's report.
        catch_up=timedelta(hours=6),
        description=_("Laporan situasi harian tiap kabupaten/kota pukul 06.00 waktu setempat"),
    ),
]


def morning_reports(zone: str) -> int:
    """Queue one report task per kabupaten/kota of the zone, so several workers share the morning."""
    from sinergi.core.timezones import zone_for_area
    from sinergi.situation.services import regency_codes
    from sinergi.situation.tasks import generate_daily_report

    codes = [code for code in regency_codes() if zone_for_area(code) == zone]
    for code in codes:
        generate_daily_report.enqueue(code)
    return len(codes)
