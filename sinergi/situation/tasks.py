"""Background work of the situation room (django-tasks; `sinergi worker` runs it).

The morning batch is the `situation.daily_report` job (situation/jobs.py): at 06.00 in each of WIB,
WITA and WIT it fans out one `generate_daily_report` task per kabupaten/kota of that zone.
`sinergi daily-situation-report --all-regencies --enqueue` queues the same tasks by hand.
"""

from django_tasks import task

from sinergi.situation.services import daily_report_generate


@task()
def generate_daily_report(area_code: str) -> str:
    report = daily_report_generate(area_code=area_code)
    return report.pdf.name
