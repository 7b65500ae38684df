"""Background work of the situation room (django-tasks; `sinergi db_worker` runs it)."""

import logging

from django_tasks import task

from sinergi.situation.services import daily_report_generate, regency_codes

log = logging.getLogger(__name__)


@task()
def generate_daily_report(area_code: str) -> str:
    report = daily_report_generate(area_code=area_code)
    return report.pdf.name


@task()
def generate_morning_reports() -> int:
    """Fan out one task per kabupaten/kota so several workers can share the morning's work."""
    codes = regency_codes()
    for code in codes:
        generate_daily_report.enqueue(code)
    return len(codes)
